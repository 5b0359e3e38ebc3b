// SPDX-License-Identifier: GPL-2.0
/*
 * A registration cell. One registration is first done on its own between
 * counter snapshots, so its pins, unpins and migrations are the kernel's
 * exact account of that one operation; then the timed loop runs with
 * nothing but the operations between the clock reads, and a second pair
 * of snapshots around the whole loop cross-checks the per-op figures.
 * With --threads, the same cell runs on several threads at once, each
 * with its own region, in lockstep (measure.c, crew.c).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/xalloc.h"
#include "kernel/kstat.h"
#include "kernel/rss.h"
#include "measure/fit.h"
#include "measure/regcell.h"
#include "cli/size.h"
#include "rdma/topo.h"

/* One thread's part of the cell: its own region and registration. */
struct cell_state {
	const struct regcell *c;
	struct mem_region *r;
	void *handle;
};

/*
 * Before every registration the region is put back as the cell says:
 * emptied when not prefaulted, and placed again when a pin moves its
 * pages away (ZONE_MOVABLE, CMA: MEM_REPLACE), so that every timed
 * registration pins what the first one did.
 */
static int op_prepare(void *arg)
{
	struct cell_state *s = arg;

	if (!s->c->prefault)
		return s->c->src->discard(s->r);
	return s->r->flags & MEM_REPLACE ? s->c->src->populate(s->r) : 0;
}

static int op_reg(void *arg)
{
	struct cell_state *s = arg;

	return s->c->reg->reg(s->c->env, s->r, s->c->access, &s->handle);
}

static int op_dereg(void *arg)
{
	struct cell_state *s = arg;

	return s->c->reg->dereg(s->handle);
}

static const struct measure_pair_ops cell_ops = {
	.prepare = op_prepare,
	.a = op_reg,
	.b = op_dereg,
};

/* The kernel's account of the observed first registration, and of the
 * loop after it; per operation, each thread's one included. */
struct cell_watch {
	const struct regcell *c;
	struct record *rec;
	unsigned threads;
	struct kstat_window reg, both, loop;
};

static void watch_at(void *ctx, enum measure_mark mark)
{
	struct cell_watch *w = ctx;
	struct record *rec = w->rec;

	switch (mark) {
	case MEASURE_FIRST_BEGIN:
		kstat_window_open(&w->reg);
		break;
	case MEASURE_FIRST_A:
		kstat_window_close(&w->reg);
		/* Migrations count even when the pin then fails for want
		 * of them. */
		rec->migrated = kstat_window_per(
			&w->reg, KSTAT_PGMIGRATE_SUCCESS, w->threads);
		rec->migrate_failed = kstat_window_per(
			&w->reg, KSTAT_PGMIGRATE_FAIL, w->threads);
		if (w->c->observed)
			kstat_window_delta(&w->reg, w->c->observed);
		break;
	case MEASURE_FIRST_B:
		w->both = w->reg;
		kstat_window_close(&w->both);
		rec->pins = kstat_window_per(&w->reg, KSTAT_FOLL_PIN_ACQUIRED,
					     w->threads);
		/* Over both operations: a pin dropped during registration (a
		 * migration retry, a short-term pin) counts too. */
		rec->unpins = kstat_window_per(
			&w->both, KSTAT_FOLL_PIN_RELEASED, w->threads);
		w->loop.before = w->both.after;
		break;
	case MEASURE_LOOP_END:
		kstat_window_close(&w->loop);
		break;
	}
}

/* The loop's counters, to cross-check the per-op figures. */
static json_object *loop_json(const struct kstat_window *w, size_t ops)
{
	json_object *o = json_object_new_object();
	struct kstat_snap d;

	kstat_window_delta(w, &d);
	json_object_object_add(o, "ops", json_object_new_int64((int64_t)ops));
	json_object_object_add(
		o, "pins", json_object_new_int64(d.v[KSTAT_FOLL_PIN_ACQUIRED]));
	json_object_object_add(
		o, "unpins",
		json_object_new_int64(d.v[KSTAT_FOLL_PIN_RELEASED]));
	/* A source placed again before every registration (MEM_REPLACE)
	 * migrates on every one of them. */
	json_object_object_add(
		o, "migrated",
		json_object_new_int64(d.v[KSTAT_PGMIGRATE_SUCCESS]));
	return o;
}

static const char *failed_what(const struct regcell *c, char op)
{
	return op == 'b' ? "deregistration" :
	       op == 'a' ? c->reg->name :
			   "preparation";
}

/* The observed registration, the warm-up and the timed loop, on n
 * threads at once, each with its own region. */
static int measure_cell(const struct regcell *c, struct mem_region *r,
			unsigned n, const struct measure_opts *m,
			struct record *rec, struct measure_result *res)
{
	struct cell_state s[REGCELL_MAX_THREADS];
	void *args[REGCELL_MAX_THREADS];
	struct cell_watch w = { .c = c, .rec = rec, .threads = n };
	const struct measure_watch watch = { watch_at, &w };
	const struct measure_cell cell = { &cell_ops, args, n, &watch,
					   topo_bind_nth };

	for (unsigned i = 0; i < n; i++) {
		s[i] = (struct cell_state){ .c = c, .r = &r[i] };
		args[i] = &s[i];
	}
	if (measure_run(m, &cell, res))
		return -1;
	if (c->loop)
		kstat_window_delta(&w.loop, c->loop);
	json_object_object_add(rec->extra, "loop_counters",
			       loop_json(&w.loop, res->loop_pairs));
	return 0;
}

/* The registrar's rule for this cell, recorded before the cell runs. */
static void add_expectation(const struct regcell *c, const struct mem_region *r,
			    struct record *rec)
{
	struct reg_expect e = { .outcome = NULL, .pins = -1 };

	if (c->reg->expect)
		c->reg->expect(c->env, r, c->access, c->prefault, &e);
	rec->expected = e.outcome;
	if (e.pins >= 0)
		json_object_object_add(rec->extra, "pins_expected",
				       json_object_new_int64(e.pins));
	if (r->fstype[0])
		json_object_object_add(rec->extra, "fstype",
				       json_object_new_string(r->fstype));
}

static void fail(struct record *rec, int err, const char *what)
{
	record_set_status(rec, STATUS_FAILED, err, "%s failed: %s", what,
			  strerror(err));
}

/*
 * Aggregate throughput: bytes registered by all threads per second of a
 * round's wall time (its median), from the first thread's start to the
 * last one's end, which counts the time threads wait for a CPU.
 */
static void add_throughput(const struct regcell *c,
			   const struct measure_result *res, struct record *rec)
{
	unsigned n = res->threads ? res->threads : 1;
	struct stats st;

	if (!res->rounds || !res->round_a_ns ||
	    stats_compute(res->round_a_ns, res->rounds, &st) || st.p50 <= 0)
		return;
	json_object_object_add(
		rec->extra, "reg_gib_s",
		json_object_new_double(round((double)c->size * n / st.p50 *
					     1e9 / (1 << 30) * 1e4) /
				       1e4));
}

/* How sure the median is: the 95% CI half-width relative to it. */
static void add_confidence(const struct measure_opts *m, const struct stats *st,
			   struct record *rec)
{
	json_object *o = json_object_new_object();
	double rel =
		st->p50 > 0 ? (st->ci95_hi - st->ci95_lo) / 2 / st->p50 : 0;

	json_object_object_add(o, "target",
			       json_object_new_double(m->ci_target));
	json_object_object_add(o, "rel",
			       json_object_new_double(round(rel * 1e5) / 1e5));
	json_object_object_add(o, "met",
			       json_object_new_boolean(rel <= m->ci_target));
	json_object_object_add(rec->extra, "ci", o);
}

static void finish(const struct regcell *c, const struct measure_opts *m,
		   const struct measure_result *res, struct record *rec)
{
	record_set_samples(rec, res->a_ns, res->b_ns, res->n);
	add_throughput(c, res, rec);
	if (rec->have_stats)
		add_confidence(m, &rec->reg_ns, rec);
	/* Cut off before the first timed pass (in warm-up): no figures. */
	if (res->interrupted && !res->n)
		record_set_status(rec, STATUS_FAILED, EINTR,
				  "interrupted before any timed iteration");
	else
		record_set_status(rec, STATUS_OK, 0, "%s",
				  res->interrupted ? "interrupted" : "");
}

/* Where the time of a cell that ran goes in the kernel (--breakdown). */
static void add_breakdown(const struct regcell *c, struct mem_region *r,
			  struct record *rec)
{
	struct cell_state s = { .c = c, .r = r };
	char label[128], sz[16];
	struct breakdown_cell b = {
		.ops = &cell_ops,
		.arg = &s,
		.entry = c->reg->trace_entry,
		.pages = (size_t)rec->pages,
		.untraced_a = rec->reg_ns.p50,
		.untraced_b = rec->dereg_ns.p50,
		.label = label,
	};

	if (!c->breakdown || !c->breakdown->on || !rec->have_stats)
		return;
	size_format(c->size, sz, sizeof(sz));
	snprintf(label, sizeof(label), "%s/%s/%s/%s/%s", c->src->name,
		 c->reg->name, sz, c->access_name,
		 c->prefault ? "prefault" : "untouched");
	breakdown_run(c->breakdown, &b, rec->extra);
}

static void record_cell(const struct regcell *c, struct record *rec)
{
	rec->mem = c->src->name;
	rec->reg = c->reg->name;
	rec->size = c->size;
	rec->access = c->access_name;
	rec->prefault = c->prefault;
	rec->threads = c->threads ? c->threads : 1;
	rec->extra = json_object_new_object();
}

/*
 * The peak resident set of the cell, with its n regions still mapped:
 * the peak held each once, except hugetlb and PFN-mapped pages, which
 * the resident set does not count.
 */
static void add_rss(const struct regcell *c, const struct mem_region *r,
		    unsigned n, struct record *rec)
{
	uint64_t each = mem_round_up(c->size, r->page_size ?: mem_base_page());

	if (r->flags & (MEM_HUGETLB | MEM_PFNMAP))
		each = 0;
	json_object_object_add(rec->extra, "rss",
			       rss_json(rss_peak(), each * n));
}

/* Probe, allocate and prepare n regions; 0, or the status is set. */
static int setup(const struct regcell *c, struct mem_region *r, unsigned n,
		 unsigned *made, struct record *rec)
{
	char reason[200];
	int rc;

	*made = 0;
	if (c->reg->unimplemented) {
		record_set_status(rec, STATUS_UNSUPPORTED, 0, "%s",
				  c->reg->unimplemented);
		return -1;
	}
	if (c->reg->flags & REG_NEEDS_VERBS && !c->env->verbs) {
		record_set_status(rec, STATUS_UNSUPPORTED, 0, "no RDMA device");
		return -1;
	}
	if ((c->src->probe &&
	     c->src->probe(c->src, c->src_arg, reason, sizeof(reason))) ||
	    (c->reg->probe && c->reg->probe(c->env, reason, sizeof(reason)))) {
		record_set_status(rec, STATUS_UNSUPPORTED, 0, "%s", reason);
		return -1;
	}
	/* ENOMEM: more than the machine has, a failed cell, not a lack. */
	if (c->src->probe_size &&
	    (rc = c->src->probe_size(c->src, c->src_arg, (size_t)c->size * n,
				     reason, sizeof(reason)))) {
		record_set_status(
			rec, rc == ENOMEM ? STATUS_FAILED : STATUS_UNSUPPORTED,
			rc == ENOMEM ? ENOMEM : 0, "%s", reason);
		return -1;
	}
	if (!c->force && fit_check(c->size * n, c->src->from_pool,
				   c->reg->flags & REG_MEMLOCK, c->env->verbs,
				   reason, sizeof(reason))) {
		record_set_status(rec, STATUS_UNSUPPORTED, 0, "%s", reason);
		return -1;
	}
	for (; *made < n; (*made)++) {
		r[*made] = (struct mem_region){ .fd = -1,
						.dmabuf_fd = -1,
						.arg = c->src_arg };
		if ((rc = c->src->alloc(c->src, &r[*made], c->size))) {
			fail(rec, rc, "allocation");
			return -1;
		}
		if (c->reg->prepare &&
		    c->reg->prepare(&r[*made], reason, sizeof(reason))) {
			(*made)++;
			record_set_status(rec, STATUS_UNSUPPORTED, 0, "%s",
					  reason);
			return -1;
		}
		if (c->prefault && (rc = c->src->populate(&r[*made]))) {
			(*made)++;
			fail(rec, rc, "prefaulting");
			return -1;
		}
		if ((rc = reg_open(c->reg, c->env, &r[*made]))) {
			(*made)++;
			fail(rec, rc, "opening the registrar");
			return -1;
		}
	}
	rec->page_size = r[0].page_size;
	rec->pages = mem_round_up(c->size, mem_base_page()) / mem_base_page();
	add_expectation(c, &r[0], rec);
	return 0;
}

/*
 * A placement that did not happen is not a measurement: a cell that
 * failed where one of its regions is not where its source was to put
 * it is unsupported, with the source's reason.
 */
static void placement_verdict(const struct regcell *c,
			      const struct mem_region *r, unsigned made,
			      struct record *rec)
{
	struct mem_placement p;

	if (rec->status == STATUS_OK || !c->src->placement)
		return;
	for (unsigned i = 0; i < made; i++) {
		c->src->placement(&r[i], &p);
		if (p.verified)
			continue;
		record_set_status(rec, STATUS_UNSUPPORTED, 0,
				  "placement failed: %s",
				  p.error ? p.error : "unknown");
		return;
	}
}

void regcell_run(const struct regcell *c, const struct measure_opts *m,
		 struct record *rec, struct measure_result *res)
{
	unsigned n = c->threads > 1 ? c->threads : 1, made;
	struct mem_region r[REGCELL_MAX_THREADS];
	char reason[200];
	int rc;

	*res = (struct measure_result){ 0 };
	record_cell(c, rec);
	rss_peak_reset();
	if (setup(c, r, n, &made, rec)) {
		/* Why a source could not populate (a placement that failed). */
		if (made && c->src->describe)
			c->src->describe(&r[made - 1], rec->extra);
		goto out;
	}
	rc = measure_cell(c, r, n, m, rec, res);
	/* What the source really gave (how much was huge), once touched. */
	if (c->src->describe)
		c->src->describe(&r[0], rec->extra);
	if (rc && c->reg->unsupported &&
	    c->reg->unsupported(res->err, reason, sizeof(reason)))
		record_set_status(rec, STATUS_UNSUPPORTED, res->err, "%s",
				  reason);
	else if (rc)
		fail(rec, res->err, failed_what(c, res->failed_op));
	else
		finish(c, m, res, rec);
	if (!rc)
		add_breakdown(c, &r[0], rec);
	add_rss(c, &r[0], n, rec);
out:
	placement_verdict(c, r, made, rec);
	for (unsigned i = 0; i < made; i++) {
		reg_close(c->reg, &r[i]);
		c->src->free(&r[i]);
	}
}

static void append(uint64_t **dst, size_t n, const uint64_t *src, size_t m)
{
	*dst = xrealloc(*dst, (n + m) * sizeof(**dst));
	memcpy(*dst + n, src, m * sizeof(**dst));
}

/* The coefficient of variation of the medians, in percent. */
static double cv_percent(const double *v, unsigned k)
{
	double mean = 0, var = 0;

	for (unsigned i = 0; i < k; i++)
		mean += v[i] / k;
	for (unsigned i = 0; i < k; i++)
		var += (v[i] - mean) * (v[i] - mean) / (k > 1 ? k - 1 : 1);
	return mean > 0 ? sqrt(var) / mean * 100 : 0;
}

void regcell_run_repeat(const struct regcell *c, const struct measure_opts *m,
			unsigned k, struct record *rec,
			struct measure_result *res)
{
	double medians[REGCELL_MAX_REPEAT];
	struct regcell untraced = *c;
	json_object *o, *a;
	unsigned done = 1;

	regcell_run(c, m, rec, res);
	/* One traced pass speaks for the cell. */
	untraced.breakdown = NULL;
	if (k < 2 || rec->status != STATUS_OK)
		return;
	medians[0] = rec->reg_ns.p50;
	for (; done < k && done < REGCELL_MAX_REPEAT && !measure_stop; done++) {
		struct measure_result more;
		struct record again;

		record_init(&again, rec->bench);
		regcell_run(&untraced, m, &again, &more);
		if (again.status == STATUS_OK) {
			medians[done] = again.reg_ns.p50;
			append(&res->a_ns, res->n, more.a_ns, more.n);
			append(&res->b_ns, res->n, more.b_ns, more.n);
			res->n += more.n;
		}
		record_free(&again);
		measure_result_free(&more);
		if (again.status != STATUS_OK)
			break;
	}
	/* The record speaks for every sample of every repetition. */
	rec->iters = rec->nsamples = res->n;
	rec->reg_samples = res->a_ns;
	rec->dereg_samples = res->b_ns;
	stats_compute(res->a_ns, res->n, &rec->reg_ns);
	stats_compute(res->b_ns, res->n, &rec->dereg_ns);
	o = json_object_new_object();
	a = json_object_new_array();
	for (unsigned i = 0; i < done; i++)
		json_object_array_add(a, json_object_new_double(medians[i]));
	json_object_object_add(o, "count", json_object_new_int((int)done));
	json_object_object_add(o, "reg_p50", a);
	json_object_object_add(
		o, "reg_p50_cv_pct",
		json_object_new_double(round(cv_percent(medians, done) * 1e3) /
				       1e3));
	json_object_object_add(rec->extra, "repeat", o);
}
