// SPDX-License-Identifier: GPL-2.0
/*
 * numa: 2 MiB of 4 KiB anonymous pages placed on node A (mbind
 * MPOL_BIND before the first touch), the first half pinned by a regular
 * MR, then all of it asked onto node B: by move_pages() in one case, by
 * mbind(MPOL_BIND B, MPOL_MF_MOVE | MPOL_MF_STRICT) in the other. What
 * the kernel answers (the return, the per-page status), where each page
 * is after, pgmigrate_success/fail over the call, and whether the CPU
 * and the device still share the pinned pages (a CPU write the device
 * reads, a device write the CPU reads). A pinned page the kernel moved
 * would leave the device on the old page.
 *
 * Then the cost of registering memory on the thread's own node and on
 * the other one (lib/fault/numa_cost.c).
 */
#include <errno.h>
#include <linux/mempolicy.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "fault/fault.h"
#include "fault/numa.h"
#include "measure/clock.h"
#include "measure/measure.h"

#define REGION (2UL << 20)

#define PIN_BECAUSE \
	"a pinned page is never migrated: try_to_migrate_one() leaves a maybe-pinned exclusive anonymous page mapped (page_try_share_anon_rmap(), folio_try_share_anon_rmap_pte() in later kernels, is -EBUSY; \"mm: remember exclusively mapped anonymous pages with PG_anon_exclusive\", 5.19), so migration sees -EAGAIN, retries and counts it in pgmigrate_fail, as folio_migrate_mapping()'s reference count check (folio_expected_refs()) refuses any page with extra references; the unpinned half moves"

/* Each case's rule: the shared part, and what its call says. */
static const char move_because[] = PIN_BECAUSE
	"; move_pages() then returns the number of pages it did not move and leaves that batch's status unwritten (\"mm, numa: rework do_pages_move\", 4.17)";
static const char mbind_because[] = PIN_BECAUSE
	"; mbind() sets the policy, then fails with EIO under MPOL_MF_STRICT when pages could not be moved (do_mbind())";

static const int tags[] = { 1, 2, 3 };

/* A case that could not run: its record says why. */
static int give_up(struct fault_env *env, struct record *rec,
		   enum record_status st, int err, const char *why)
{
	fault_verdict(rec, st == STATUS_UNSUPPORTED ? "unsupported" : "failed");
	record_set_status(rec, st, err, "%s", why);
	return fault_emit(env, rec, NULL);
}

struct move {
	struct fault_env *env;
	struct record rec;
	int a, b, *status, *where;
	size_t n, half;
	char *base;
	struct ibv_mr *mr;
	char err[300];
};

/* Place the region on node a and pin its first half: STATUS_OK, or the
 * record's status with the reason in m->err. */
static enum record_status set_up(struct move *m)
{
	if (!m->status || !m->where || m->base == MAP_FAILED) {
		snprintf(m->err, sizeof(m->err), "out of memory");
		return STATUS_FAILED;
	}
	/* Base pages, so that each one's placement is its own. */
	madvise(m->base, REGION, MADV_NOHUGEPAGE);
	if (numa_bind(m->base, REGION, m->a, 0)) {
		snprintf(m->err, sizeof(m->err), "mbind(MPOL_BIND, %d): %s",
			 m->a, strerror(errno));
		return STATUS_UNSUPPORTED;
	}
	fault_fill(m->base, REGION, 0, 1);
	if (numa_where(m->base, m->n, m->where)) {
		snprintf(m->err, sizeof(m->err), "move_pages: %s",
			 strerror(errno));
		return STATUS_UNSUPPORTED;
	}
	if (numa_count(m->where, m->n, m->a) != m->n) {
		snprintf(m->err, sizeof(m->err),
			 "mbind placed %zu of %zu pages on node %d",
			 numa_count(m->where, m->n, m->a), m->n, m->a);
		return STATUS_FAILED;
	}
	m->mr = fault_reg_mr(m->env, m->base, REGION / 2, m->err,
			     sizeof(m->err));
	return m->mr ? STATUS_OK : STATUS_UNSUPPORTED;
}

/* Ask every page onto node b; what the kernel said goes in the record. */
static void ask(struct move *m, bool by_mbind, struct kstat_window *w)
{
	uint64_t t0;
	long ret;
	int err;

	kstat_window_open(w);
	t0 = clock_ns();
	if (by_mbind)
		ret = numa_bind(m->base, REGION, m->b,
				MPOL_MF_MOVE | MPOL_MF_STRICT);
	else
		ret = numa_move(m->base, m->n, m->b, m->status);
	err = errno;
	fault_add_int(&m->rec, "call_ns", (long long)(clock_ns() - t0));
	kstat_window_close(w);
	json_object_object_add(
		m->rec.extra, by_mbind ? "mbind_errno" : "move_pages_errno",
		ret < 0 ? json_object_new_string(errno_name(err)) : NULL);
	if (!by_mbind) {
		json_object_object_add(m->rec.extra, "move_pages_return",
				       json_object_new_int64(ret));
		json_object_object_add(m->rec.extra, "pinned_status",
				       numa_tally(m->status, m->half));
		json_object_object_add(
			m->rec.extra, "unpinned_status",
			numa_tally(m->status + m->half, m->n - m->half));
	}
}

/* The CPU's write read by the device on the first pinned page, the
 * device's write read by the CPU on the last; NULL when the QP failed. */
static const char *share(struct move *m, const char **cpu)
{
	size_t off = REGION / 2 - mem_base_page();
	const char *dev;
	uint64_t ns;
	size_t bad;

	fault_fill(m->base, m->env->o->op_size, 0, 2);
	dev = fault_device_sees(m->env, m->mr, m->base, 0, tags, 3, m->err,
				sizeof(m->err));
	if (!dev || fault_pass(m->env, m->mr, m->base + off, 0, 1, QP_WRITE, 3,
			       &ns, &bad, m->err, sizeof(m->err)))
		return NULL;
	*cpu = fault_what(m->base + off, m->env->o->op_size, 0, tags, 3);
	return dev;
}

static int look(struct move *m, bool by_mbind, const struct kstat_window *w)
{
	struct record *rec = &m->rec;
	size_t stayed, moved;
	const char *dev, *cpu = "", *verdict = "pinned-stay";
	char fig[400], pol[64];
	bool data_ok;

	if (numa_where(m->base, m->n, m->where))
		return give_up(m->env, rec, STATUS_FAILED, errno,
			       "move_pages(nodes NULL) failed after the move");
	stayed = numa_count(m->where, m->half, m->a);
	moved = numa_count(m->where + m->half, m->n - m->half, m->b);
	data_ok = fault_check(m->base + m->half * mem_base_page(), REGION / 2,
			      REGION / 2, 1) < 0;
	if (!(dev = share(m, &cpu))) {
		qp_reset(m->env->qp, m->err, sizeof(m->err));
		return give_up(m->env, rec, STATUS_FAILED, EIO, m->err);
	}
	json_object_object_add(rec->extra, "pinned_nodes_after",
			       numa_tally(m->where, m->half));
	json_object_object_add(rec->extra, "unpinned_nodes_after",
			       numa_tally(m->where + m->half, m->n - m->half));
	fault_add_int(rec, "pinned_stayed", (long long)stayed);
	fault_add_int(rec, "unpinned_moved", (long long)moved);
	json_object_object_add(rec->extra, "unpinned_data_ok",
			       json_object_new_boolean(data_ok));
	json_object_object_add(rec->extra, "policy_after",
			       json_object_new_string(numa_policy_name(
				       m->base, pol, sizeof(pol))));
	json_object_object_add(rec->extra, "pgmigrate_success",
			       fault_counter_json(w, KSTAT_PGMIGRATE_SUCCESS));
	json_object_object_add(rec->extra, "pgmigrate_fail",
			       fault_counter_json(w, KSTAT_PGMIGRATE_FAIL));
	rec->migrated = kstat_window_per(w, KSTAT_PGMIGRATE_SUCCESS, 1);
	rec->migrate_failed = kstat_window_per(w, KSTAT_PGMIGRATE_FAIL, 1);
	json_object_object_add(rec->extra, "device_reads_cpu_write",
			       json_object_new_string(dev));
	json_object_object_add(rec->extra, "cpu_reads_device_write",
			       json_object_new_string(cpu));
	if (stayed < m->half)
		verdict = "pinned-moved";
	else if (strcmp(dev, "tag2") || strcmp(cpu, "tag3"))
		verdict = "incoherent";
	fault_verdict(rec, verdict);
	fault_expect(rec, "pinned-stay",
		     by_mbind ? mbind_because : move_because);
	snprintf(
		fig, sizeof(fig),
		"pinned: %zu of %zu stayed on node %d; unpinned: %zu moved to %d; pgmigrate success %.0f fail %.0f; RDMA READ sees %s, CPU sees %s",
		stayed, m->half, m->a, moved, m->b, rec->migrated,
		rec->migrate_failed, dev, cpu);
	return fault_emit(m->env, rec, fig);
}

static int move_case(struct fault_env *env, int a, int b, bool by_mbind)
{
	size_t n = REGION / mem_base_page();
	struct move m = { .env = env, .a = a, .b = b, .n = n, .half = n / 2 };
	struct kstat_window w;
	enum record_status st;
	int rc;

	fault_record(&m.rec, "numa", by_mbind ? "mbind-move" : "move-pages");
	m.rec.mem = "anon";
	m.rec.reg = "regular";
	m.rec.access = "lw+rr+rw";
	m.rec.size = REGION;
	m.rec.page_size = mem_base_page();
	m.rec.pages = n;
	fault_add_int(&m.rec, "source_node", a);
	fault_add_int(&m.rec, "target_node", b);
	fault_add_int(&m.rec, "pinned_pages", (long long)m.half);
	fault_add_int(&m.rec, "numa_balancing", numa_balancing());
	m.status = calloc(n, sizeof(*m.status));
	m.where = calloc(n, sizeof(*m.where));
	m.base = mmap(NULL, REGION, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	st = set_up(&m);
	if (st != STATUS_OK) {
		rc = give_up(env, &m.rec, st, 0, m.err);
	} else {
		ask(&m, by_mbind, &w);
		rc = look(&m, by_mbind, &w);
	}
	if (m.mr)
		ibv_dereg_mr(m.mr);
	if (m.base != MAP_FAILED)
		munmap(m.base, REGION);
	free(m.status);
	free(m.where);
	return rc;
}

static int numa_run(struct fault_env *env)
{
	cpu_set_t nodes, cpus;
	int n = numa_memory_nodes(&nodes), a = -1, b = -1, rc;
	char why[160];

	/* A: the first node with memory and CPUs, where the thread runs
	 * for the cost case; B: another node with memory. */
	for (int i = 0; i < CPU_SETSIZE && n >= 2 && a < 0; i++)
		if (CPU_ISSET(i, &nodes) && numa_node_cpus(i, &cpus))
			a = i;
	for (int i = 0; i < CPU_SETSIZE && a >= 0 && b < 0; i++)
		if (CPU_ISSET(i, &nodes) && i != a)
			b = i;
	if (b < 0) {
		snprintf(
			why, sizeof(why),
			"needs two NUMA nodes: mrbench vm --numa 2 (this system has %d with memory%s)",
			n < 0 ? 0 : n, n >= 2 ? ", none with CPUs" : "");
		return fault_unsupported(env, "numa", "regular", why);
	}
	rc = move_case(env, a, b, false);
	if (!rc && !measure_stop)
		rc = move_case(env, a, b, true);
	if (!rc && !measure_stop)
		rc = fault_numa_cost(env, a, b);
	return rc;
}

const struct fault_scenario fault_numa = {
	.name = "numa",
	.help = "move_pages() and mbind(MPOL_MF_MOVE) of half-pinned memory between NUMA nodes; registration cost local and remote",
	.flags = FAULT_NEEDS_QP,
	.run = numa_run,
};
