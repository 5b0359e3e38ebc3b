// SPDX-License-Identifier: GPL-2.0
/*
 * reclaim's reg-swapped case: what registering swapped-out memory
 * costs. 4 MiB of anonymous base pages advised MADV_PAGEOUT before every
 * registration, beside 4 MiB that stays resident, each registered and
 * deregistered in turn, S R S R, so that whatever drifts drifts for
 * both. The long-term pin faults in every page it does not find present
 * (handle_mm_fault() from the GUP walk), and do_swap_page() reads each
 * one back from swap: per registration, pswpin grows by the pages
 * pagemap found in swap just before it (swapin_surplus: the difference,
 * 0), and nr_foll_pin_acquired by the region's pages. The advice may
 * leave a few pages resident however often it is repeated (seen with
 * NUMA balancing on, two nodes: 15 of 1024, cause not found), so the
 * count in swap is measured each time rather than assumed. The
 * difference of the medians over the pages in swap is the swap-in's
 * cost per page: a report, never a verdict on speed.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "fault/reclaim.h"
#include "measure/clock.h"
#include "measure/stats.h"
#include "mem/mem.h"

#define COST_SIZE (4UL << 20)
#define COST_REPS 9 /* timed, after one warm-up of each */

#define SWAPIN_BECAUSE \
	"a long-term pin faults in every page it does not find present (GUP's faultin_page(), handle_mm_fault()); do_swap_page() reads each swapped page back, counted in pswpin, before it is pinned: pswpin and nr_foll_pin_acquired grow by the region's pages"

struct side {
	char *mem;
	uint64_t reg[COST_REPS], dereg[COST_REPS];
	double pswpin_min, pswpin_max, pins_min, pins_max;
	double surplus_min, surplus_max; /* pswpin less the pages in swap */
	size_t in_swap_min; /* pages in swap before a registration */
	unsigned advices_max; /* MADV_PAGEOUT calls it took */
};

/* One registration of s, counted and, when rep >= 0, timed. */
static int time_one(struct fault_env *env, struct side *s, bool page_out,
		    int rep, char *err, size_t errlen)
{
	struct reclaim_census c = { 0 };
	struct kstat_window w;
	struct ibv_mr *mr;
	uint64_t t0, t1;
	double in, pins;
	unsigned advices = 0;
	int e;

	if (page_out &&
	    (e = reclaim_page_out(s->mem, COST_SIZE,
				  COST_SIZE / mem_base_page(), &advices))) {
		snprintf(err, errlen, "MADV_PAGEOUT: %s", strerror(e));
		return e;
	}
	if (rep >= 0 && advices > s->advices_max)
		s->advices_max = advices;
	reclaim_census(s->mem, COST_SIZE, &c);
	kstat_window_open(&w);
	t0 = clock_ns();
	mr = ibv_reg_mr(env->reg.verbs->pd, s->mem, COST_SIZE,
			IBV_ACCESS_LOCAL_WRITE | IBV_ACCESS_REMOTE_READ |
				IBV_ACCESS_REMOTE_WRITE);
	e = errno;
	t1 = clock_ns();
	kstat_window_close(&w);
	if (!mr) {
		snprintf(err, errlen, "ibv_reg_mr failed: %s", strerror(e));
		return e ? e : EIO;
	}
	e = ibv_dereg_mr(mr);
	if (rep < 0)
		return e;
	s->reg[rep] = t1 - t0;
	s->dereg[rep] = clock_ns() - t1;
	in = kstat_window_per(&w, KSTAT_PSWPIN, 1);
	pins = kstat_window_per(&w, KSTAT_FOLL_PIN_ACQUIRED, 1);
	if (!rep || in < s->pswpin_min)
		s->pswpin_min = in;
	if (!rep || in > s->pswpin_max)
		s->pswpin_max = in;
	if (!rep || pins < s->pins_min)
		s->pins_min = pins;
	if (!rep || pins > s->pins_max)
		s->pins_max = pins;
	if (!rep || c.swapped < s->in_swap_min)
		s->in_swap_min = c.swapped;
	in -= (double)c.swapped;
	if (!rep || in < s->surplus_min)
		s->surplus_min = in;
	if (!rep || in > s->surplus_max)
		s->surplus_max = in;
	return e;
}

static json_object *range(double lo, double hi)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "min", json_object_new_int64((int64_t)lo));
	json_object_object_add(o, "max", json_object_new_int64((int64_t)hi));
	return o;
}

static int emit(struct fault_env *env, struct side *s, struct side *r)
{
	size_t pages = COST_SIZE / mem_base_page();
	double p50_r = fault_p50(r->reg, COST_REPS), per_page;
	struct record rec;
	char fig[400];

	reclaim_record(&rec, "reg-swapped", COST_SIZE);
	record_set_samples(&rec, s->reg, s->dereg, COST_REPS);
	rec.pins = s->pins_max;
	per_page = (rec.reg_ns.p50 - p50_r) /
		   (double)(s->in_swap_min ? s->in_swap_min : pages);
	json_object_object_add(rec.extra, "resident_reg_ns",
			       fault_stats_json(r->reg, COST_REPS));
	json_object_object_add(rec.extra, "swapin_ns_per_page",
			       json_object_new_int64((int64_t)per_page));
	json_object_object_add(rec.extra, "in_swap_before_reg",
			       json_object_new_int64((int64_t)s->in_swap_min));
	json_object_object_add(rec.extra, "advices_max",
			       json_object_new_int64(s->advices_max));
	json_object_object_add(rec.extra, "pswpin_per_reg",
			       range(s->pswpin_min, s->pswpin_max));
	json_object_object_add(rec.extra, "swapin_surplus",
			       range(s->surplus_min, s->surplus_max));
	json_object_object_add(rec.extra, "pins_per_reg",
			       range(s->pins_min, s->pins_max));
	json_object_object_add(rec.extra, "resident_pswpin_per_reg",
			       range(r->pswpin_min, r->pswpin_max));
	json_object_object_add(rec.extra, "resident_pins_per_reg",
			       range(r->pins_min, r->pins_max));
	fault_verdict(&rec, s->in_swap_min < pages / 2 ? "not-in-swap" :
			    s->surplus_min < 0	       ? "no-swap-in" :
							 "swapped-in");
	fault_expect(&rec, "swapped-in", SWAPIN_BECAUSE);
	snprintf(
		fig, sizeof(fig),
		"%zu pages in swap: reg p50 %.0f ns, resident %.0f ns, swap-in %.0f ns/page; pswpin %.0f..%.0f, pins %.0f..%.0f per reg",
		s->in_swap_min, rec.reg_ns.p50, p50_r, per_page, s->pswpin_min,
		s->pswpin_max, s->pins_min, s->pins_max);
	return fault_emit(env, &rec, fig);
}

int fault_reclaim_cost(struct fault_env *env)
{
	struct side s = { 0 }, r = { 0 };
	struct record rec;
	char err[300];
	int e = 0;

	reclaim_record(&rec, "reg-swapped", COST_SIZE);
	if (!reclaim_have_swap(err, sizeof(err))) {
		fault_verdict(&rec, "unsupported");
		record_set_status(&rec, STATUS_UNSUPPORTED, 0, "%s", err);
		return fault_emit(env, &rec, NULL);
	}
	s.mem = mmap(NULL, 2 * COST_SIZE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (s.mem == MAP_FAILED) {
		e = errno;
		snprintf(err, sizeof(err), "mmap: %s", strerror(e));
	} else {
		r.mem = s.mem + COST_SIZE;
		madvise(s.mem, 2 * COST_SIZE, MADV_NOHUGEPAGE);
		fault_fill(s.mem, 2 * COST_SIZE, 0, 1);
	}
	for (int rep = -1; rep < COST_REPS && !e; rep++)
		if (!(e = time_one(env, &s, true, rep, err, sizeof(err))))
			e = time_one(env, &r, false, rep, err, sizeof(err));
	if (e) {
		fault_verdict(&rec, "failed");
		record_set_status(&rec, STATUS_FAILED, e, "%s", err);
		e = fault_emit(env, &rec, NULL);
	} else {
		record_free(&rec);
		e = emit(env, &s, &r);
	}
	if (s.mem != MAP_FAILED)
		munmap(s.mem, 2 * COST_SIZE);
	return e;
}
