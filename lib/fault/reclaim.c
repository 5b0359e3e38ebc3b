// SPDX-License-Identifier: GPL-2.0
/*
 * reclaim: what memory reclaim and swap do to pinned memory, and what
 * registering swapped-out memory costs. Needs a swap device (mrbench vm
 * --profile swap gives the guest a zram one); without, every case is
 * unsupported with the reason.
 *
 * pageout (here): 8 MiB of anonymous base pages, the first half pinned
 * by a regular MR, all of it advised MADV_PAGEOUT (5.4). A pinned page
 * the kernel swapped out would leave the device on a page the CPU no
 * longer maps. The kernel's answer: shrink_folio_list() gives no swap
 * slot to a maybe-DMA-pinned anonymous folio (5.11), and since 5.19
 * try_to_unmap_one() would not unmap a pinned exclusive page either.
 * pagemap's present and swap bits count where each page of each half
 * is, pswpout what went to swap; then the CPU writes a pinned page the
 * device reads, the device writes one the CPU reads, and the CPU reads
 * the unpinned half back from swap.
 *
 * pressure (reclaim_pressure.c): the same under a cgroup's memory.max
 * rather than an advice. reg-swapped (reclaim_cost.c): registering
 * swapped-out memory pays the swap-in.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "fault/reclaim.h"
#include "measure/measure.h"
#include "mem/mem.h"

#define REGION (8UL << 20)

static const int tags[] = { 1, 2, 3 };

int reclaim_census(const void *p, size_t len, struct reclaim_census *c)
{
	size_t n = len / mem_base_page();
	uint64_t *e = calloc(n, sizeof(*e));
	int rc = e ? mem_pagemap_read(p, n, e) : ENOMEM;

	*c = (struct reclaim_census){ 0 };
	for (size_t i = 0; !rc && i < n; i++) {
		if (MEM_PM_PRESENT(e[i]))
			c->resident++;
		else if (MEM_PM_SWAP(e[i]))
			c->swapped++;
		else
			c->other++;
	}
	free(e);
	return rc;
}

void reclaim_census_add(struct record *rec, const char *name,
			const struct reclaim_census *c)
{
	char key[64];

	snprintf(key, sizeof(key), "%s_resident", name);
	json_object_object_add(rec->extra, key,
			       json_object_new_int64((int64_t)c->resident));
	snprintf(key, sizeof(key), "%s_swapped", name);
	json_object_object_add(rec->extra, key,
			       json_object_new_int64((int64_t)c->swapped));
}

int reclaim_page_out(void *p, size_t len, size_t want, unsigned *advices)
{
	struct reclaim_census c = { 0 };

	for (*advices = 0; *advices < RECLAIM_ADVICES && c.swapped < want;) {
		if (madvise(p, len, MADV_PAGEOUT))
			return errno;
		++*advices;
		if (reclaim_census(p, len, &c))
			break;
	}
	return 0;
}

/* /proc/swaps: a header line, then one line per active device. */
bool reclaim_have_swap(char *reason, size_t len)
{
	FILE *f = fopen("/proc/swaps", "r");
	char line[256];
	int lines = 0;

	while (f && fgets(line, sizeof(line), f))
		lines++;
	if (f)
		fclose(f);
	if (lines >= 2)
		return true;
	snprintf(reason, len, "%s", RECLAIM_NO_SWAP);
	return false;
}

int reclaim_share(struct fault_env *env, struct ibv_mr *mr, char *pin,
		  size_t pin_len, const char **dev, const char **cpu, char *err,
		  size_t errlen)
{
	size_t last = pin_len - mem_base_page(), bad;
	uint64_t ns;

	fault_fill(pin, env->o->op_size, 0, 2);
	*dev = fault_device_sees(env, mr, pin, 0, tags, 3, err, errlen);
	if (!*dev || fault_pass(env, mr, pin + last, 0, 1, QP_WRITE, 3, &ns,
				&bad, err, errlen)) {
		qp_reset(env->qp, err + strlen(err), errlen - strlen(err));
		return -1;
	}
	*cpu = fault_what(pin + last, env->o->op_size, 0, tags, 3);
	return 0;
}

void reclaim_record(struct record *rec, const char *what, size_t size)
{
	fault_record(rec, "reclaim", what);
	rec->mem = "anon";
	rec->reg = "regular";
	rec->access = "lw+rr+rw";
	rec->size = size;
	rec->page_size = mem_base_page();
	rec->pages = size / mem_base_page();
}

/* A case that could not run: its record says why. */
static int give_up(struct fault_env *env, struct record *rec,
		   enum record_status st, int err, const char *why)
{
	fault_verdict(rec, st == STATUS_UNSUPPORTED ? "unsupported" : "failed");
	record_set_status(rec, st, err, "%s", why);
	return fault_emit(env, rec, NULL);
}

static const char *verdict(const struct reclaim_census *pin,
			   const struct reclaim_census *rest, size_t half,
			   const char *dev, const char *cpu)
{
	if (pin->resident < half)
		return "pinned-swapped";
	/* The advice is best effort for the unpinned pages (a page still
	 * on a CPU's LRU batch or isolated for NUMA balancing is skipped:
	 * 4 of 1024 once on 6.1): it has to have taken most of them for
	 * the pinned half's staying to mean anything. */
	if (rest->swapped < half * 9 / 10)
		return "unpinned-kept";
	if (strcmp(dev, "tag2") || strcmp(cpu, "tag3"))
		return "incoherent";
	return "pinned-resident";
}

/* After the advice: where the pages are, and do CPU and device agree? */
static int look(struct fault_env *env, struct record *rec, struct ibv_mr *mr,
		char *base, const struct kstat_window *w)
{
	size_t half = REGION / 2 / mem_base_page();
	struct reclaim_census pin, rest;
	struct kstat_window back;
	const char *dev, *cpu;
	char err[300], fig[400];
	bool data_ok;
	int rc;

	if ((rc = reclaim_census(base, REGION / 2, &pin)) ||
	    reclaim_census(base + REGION / 2, REGION / 2, &rest))
		return give_up(env, rec, STATUS_FAILED, rc ? rc : errno,
			       "cannot read /proc/self/pagemap");
	reclaim_census_add(rec, "pinned", &pin);
	reclaim_census_add(rec, "unpinned", &rest);
	json_object_object_add(rec->extra, "pswpout",
			       fault_counter_json(w, KSTAT_PSWPOUT));
	/* The unpinned half comes back from swap with its data. */
	kstat_window_open(&back);
	data_ok = fault_check(base + REGION / 2, REGION / 2, REGION / 2, 1) < 0;
	kstat_window_close(&back);
	json_object_object_add(rec->extra, "unpinned_data_ok",
			       json_object_new_boolean(data_ok));
	json_object_object_add(rec->extra, "pswpin_reading_unpinned",
			       fault_counter_json(&back, KSTAT_PSWPIN));
	if (reclaim_share(env, mr, base, REGION / 2, &dev, &cpu, err,
			  sizeof(err)))
		return give_up(env, rec, STATUS_FAILED, EIO, err);
	json_object_object_add(rec->extra, "device_reads_cpu_write",
			       json_object_new_string(dev));
	json_object_object_add(rec->extra, "cpu_reads_device_write",
			       json_object_new_string(cpu));
	fault_verdict(rec, verdict(&pin, &rest, half, dev, cpu));
	fault_expect(rec, "pinned-resident", RECLAIM_PIN_BECAUSE);
	snprintf(
		fig, sizeof(fig),
		"pinned: %zu of %zu resident, %zu swapped; unpinned: %zu swapped, %zu resident; pswpout %.0f; RDMA READ sees %s, CPU sees %s",
		pin.resident, half, pin.swapped, rest.swapped, rest.resident,
		kstat_window_per(w, KSTAT_PSWPOUT, 1), dev, cpu);
	return fault_emit(env, rec, fig);
}

static int pageout_case(struct fault_env *env)
{
	struct kstat_window w;
	struct ibv_mr *mr;
	struct record rec;
	char reason[300], *base;
	unsigned advices;
	int rc;

	reclaim_record(&rec, "pageout", REGION);
	json_object_object_add(
		rec.extra, "pinned_pages",
		json_object_new_int64((int64_t)(REGION / 2 / mem_base_page())));
	if (!reclaim_have_swap(reason, sizeof(reason)))
		return give_up(env, &rec, STATUS_UNSUPPORTED, 0, reason);
	base = mmap(NULL, REGION, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (base == MAP_FAILED)
		return give_up(env, &rec, STATUS_FAILED, errno, "mmap failed");
	/* Base pages: a THP would be split or swapped whole. */
	madvise(base, REGION, MADV_NOHUGEPAGE);
	fault_fill(base, REGION, 0, 1);
	mr = fault_reg_mr(env, base, REGION / 2, reason, sizeof(reason));
	if (!mr) {
		munmap(base, REGION);
		return give_up(env, &rec, STATUS_FAILED, errno, reason);
	}
	kstat_window_open(&w);
	rc = reclaim_page_out(base, REGION, REGION / 2 / mem_base_page(),
			      &advices);
	kstat_window_close(&w);
	json_object_object_add(rec.extra, "advices",
			       json_object_new_int64(advices));
	if (rc) {
		/* EINVAL: a kernel before 5.4 has no MADV_PAGEOUT. */
		int err = rc;

		snprintf(reason, sizeof(reason), "MADV_PAGEOUT: %s",
			 strerror(err));
		rc = give_up(env, &rec,
			     err == EINVAL ? STATUS_UNSUPPORTED : STATUS_FAILED,
			     err, reason);
	} else {
		rc = look(env, &rec, mr, base, &w);
	}
	ibv_dereg_mr(mr);
	munmap(base, REGION);
	return rc;
}

static int reclaim_run(struct fault_env *env)
{
	int rc = pageout_case(env);

	if (!rc && !measure_stop)
		rc = fault_reclaim_pressure(env);
	if (!rc && !measure_stop)
		rc = fault_reclaim_cost(env);
	return rc;
}

const struct fault_scenario fault_reclaim = {
	.name = "reclaim",
	.help = "MADV_PAGEOUT and a cgroup's memory.max over half-pinned memory; registering swapped-out memory (needs swap: mrbench vm --profile swap)",
	.flags = FAULT_NEEDS_QP,
	.run = reclaim_run,
};
