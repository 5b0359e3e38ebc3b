// SPDX-License-Identifier: GPL-2.0
/*
 * numa's registration cost: the thread bound to node A's CPUs
 * (sched_setaffinity, put back after), 4 MiB of 4 KiB pages placed on A
 * and 4 MiB on B (mbind MPOL_BIND before the first touch), each
 * registered and deregistered in turn, A B A B, so that whatever drifts
 * drifts for both. A report, never a verdict on speed: under an
 * emulator every node costs the same, and what differs is the kernel's
 * path. The verdict says whether the pages stayed where they were put
 * (measured) or not (misplaced: NUMA balancing may move them).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "fault/fault.h"
#include "fault/numa.h"
#include "measure/clock.h"
#include "measure/stats.h"

#define COST_SIZE (4UL << 20)
#define COST_REPS 9 /* timed, after one warm-up of each */

struct cost {
	int node;
	char *mem;
	size_t placed; /* pages on node, before and after the timings */
	uint64_t reg[COST_REPS], dereg[COST_REPS];
	char err[300];
};

static size_t placed_on(const struct cost *c)
{
	size_t n = COST_SIZE / mem_base_page(), k = 0;
	int where[COST_SIZE / 4096];

	if (n > sizeof(where) / sizeof(*where) || numa_where(c->mem, n, where))
		return 0;
	for (size_t i = 0; i < n; i++)
		k += where[i] == c->node;
	return k;
}

static int place(struct cost *c)
{
	c->mem = mmap(NULL, COST_SIZE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (c->mem == MAP_FAILED) {
		c->mem = NULL;
		snprintf(c->err, sizeof(c->err), "mmap: %s", strerror(errno));
		return -1;
	}
	madvise(c->mem, COST_SIZE, MADV_NOHUGEPAGE);
	if (numa_bind(c->mem, COST_SIZE, c->node, 0)) {
		snprintf(c->err, sizeof(c->err), "mbind(MPOL_BIND, %d): %s",
			 c->node, strerror(errno));
		return -1;
	}
	memset(c->mem, 0x5a, COST_SIZE);
	c->placed = placed_on(c);
	return 0;
}

/* One registration and deregistration, timed; 0 or an errno. */
static int time_one(struct fault_env *env, struct cost *c, int rep)
{
	uint64_t t0 = clock_ns(), t1;
	struct ibv_mr *mr =
		ibv_reg_mr(env->reg.verbs->pd, c->mem, COST_SIZE,
			   IBV_ACCESS_LOCAL_WRITE | IBV_ACCESS_REMOTE_READ |
				   IBV_ACCESS_REMOTE_WRITE);
	int err = errno;

	t1 = clock_ns();
	if (!mr) {
		snprintf(c->err, sizeof(c->err), "ibv_reg_mr failed: %s",
			 strerror(err));
		return err ? err : EIO;
	}
	err = ibv_dereg_mr(mr);
	if (rep >= 0) {
		c->reg[rep] = t1 - t0;
		c->dereg[rep] = clock_ns() - t1;
	}
	if (err)
		snprintf(c->err, sizeof(c->err), "ibv_dereg_mr failed: %s",
			 strerror(err));
	return err;
}

static int emit(struct fault_env *env, struct cost *c, int cpu_node, int err,
		const char *why)
{
	size_t pages = COST_SIZE / mem_base_page(), after;
	struct record rec;
	char fig[300];

	fault_record(&rec, "numa",
		     c->node == cpu_node ? "reg-local" : "reg-remote");
	rec.mem = "anon";
	rec.reg = "regular";
	rec.access = "lw+rr+rw";
	rec.size = COST_SIZE;
	rec.page_size = mem_base_page();
	rec.pages = pages;
	json_object_object_add(rec.extra, "memory_node",
			       json_object_new_int(c->node));
	json_object_object_add(rec.extra, "cpu_node",
			       json_object_new_int(cpu_node));
	json_object_object_add(rec.extra, "numa_balancing",
			       json_object_new_int64(numa_balancing()));
	if (why) {
		fault_verdict(&rec, "failed");
		record_set_status(&rec, STATUS_FAILED, err, "%s", why);
		return fault_emit(env, &rec, NULL);
	}
	/* Placed before the timings and still there after. */
	after = placed_on(c);
	json_object_object_add(
		rec.extra, "placed_pages",
		json_object_new_int64(
			(int64_t)(after < c->placed ? after : c->placed)));
	record_set_samples(&rec, c->reg, c->dereg, COST_REPS);
	fault_verdict(&rec, c->placed == pages && after == pages ? "measured" :
								   "misplaced");
	snprintf(
		fig, sizeof(fig),
		"%zu pages on node %d, thread on node %d: reg p50 %.0f ns (min %.0f), dereg p50 %.0f ns (min %.0f)",
		after, c->node, cpu_node, rec.reg_ns.p50, rec.reg_ns.min,
		rec.dereg_ns.p50, rec.dereg_ns.min);
	return fault_emit(env, &rec, fig);
}

int fault_numa_cost(struct fault_env *env, int a, int b)
{
	struct cost c[2] = { { .node = a }, { .node = b } };
	const char *why = NULL;
	cpu_set_t saved, cpus;
	int err = 0, rc;
	bool bound;

	bound = !sched_getaffinity(0, sizeof(saved), &saved);
	numa_node_cpus(a, &cpus);
	if (!bound || sched_setaffinity(0, sizeof(cpus), &cpus)) {
		err = errno;
		snprintf(c[0].err, sizeof(c[0].err),
			 "sched_setaffinity to node %d: %s", a, strerror(err));
		why = c[0].err;
	}
	/* Placed once the thread runs on A's CPUs, so that the first
	 * touch of both regions does too. */
	for (int k = 0; k < 2 && !why; k++)
		if (place(&c[k])) {
			err = errno;
			why = c[k].err;
		}
	for (int rep = -1; rep < COST_REPS && !why; rep++)
		for (int k = 0; k < 2 && !why; k++)
			if ((err = time_one(env, &c[k], rep)))
				why = c[k].err;
	if (bound)
		sched_setaffinity(0, sizeof(saved), &saved);
	rc = emit(env, &c[0], a, err, why);
	if (!rc)
		rc = emit(env, &c[1], a, err, why);
	for (int k = 0; k < 2; k++)
		if (c[k].mem)
			munmap(c[k].mem, COST_SIZE);
	return rc;
}
