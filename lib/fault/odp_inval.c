// SPDX-License-Identifier: GPL-2.0
/*
 * odp-invalidate: an ODP MR follows the CPU's page tables through MMU
 * notifiers. After MADV_DONTNEED, munmap + mmap(MAP_FIXED) at the same
 * address, and mprotect(PROT_READ), the device must fault the new pages
 * in (the next access costs a fault) and see what the CPU wrote; a
 * device write to pages the CPU may only read must be refused.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "cli/xalloc.h"
#include "measure/clock.h"
#include "fault/fault.h"
#include "cli/size.h"

#define ODP_BECAUSE \
	"ODP MRs mirror the CPU page tables: MMU-notifier invalidation on zap, unmap and protection change, then hmm_range_fault, which refuses a write fault on a VMA without VM_WRITE"

enum { BEFORE, FIRST, AGAIN, NPASS };
static const char *const pass_names[] = { "before", "first", "again" };

struct inval {
	struct fault_env *env;
	bool implicit;
	struct fault_region fr;
	struct ibv_mr *mr;
	size_t n, stride;
	uint64_t *ns[NPASS];
	char err[300];
};

static int read_pass(struct inval *v, int p, int tag, size_t *bad)
{
	return fault_pass(v->env, v->mr, v->fr.r.addr, v->stride, v->n, QP_READ,
			  tag, v->ns[p], bad, v->err, sizeof(v->err));
}

/* Device writes tag over every sample; true when the CPU then sees it. */
static int write_seen(struct inval *v, int tag, bool *seen)
{
	size_t bad = 0;
	int rc = fault_pass(v->env, v->mr, v->fr.r.addr, v->stride, v->n,
			    QP_WRITE, tag, v->ns[AGAIN] + 0, &bad, v->err,
			    sizeof(v->err));

	*seen = !rc;
	for (size_t i = 0; !rc && i < v->n; i++)
		if (fault_check((char *)v->fr.r.addr + i * v->stride,
				v->env->o->op_size, i * v->stride,
				(uint8_t)tag) >= 0)
			*seen = false;
	return rc;
}

static int act_dontneed(struct inval *v)
{
	return madvise(v->fr.r.addr, v->fr.r.map_len, MADV_DONTNEED) ? errno :
								       0;
}

static int act_remap(struct inval *v)
{
	void *a = v->fr.r.addr;

	if (munmap(a, v->fr.r.map_len))
		return errno;
	if (mmap(a, v->fr.r.map_len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != a)
		return errno;
	madvise(a, v->fr.r.map_len, MADV_NOHUGEPAGE);
	return 0;
}

static int act_mprotect(struct inval *v)
{
	return mprotect(v->fr.r.addr, v->fr.r.map_len, PROT_READ) ? errno : 0;
}

static const struct action {
	const char *name;
	int (*act)(struct inval *v);
	bool refill; /* the CPU writes new contents after the action */
	const char *expected;
} actions[] = {
	{ "dontneed", act_dontneed, true, "coherent" },
	{ "remap", act_remap, true, "coherent" },
	{ "mprotect", act_mprotect, false, "coherent-write-refused" },
};

static void figures(struct inval *v, struct record *rec, uint64_t act_ns,
		    char *fig, size_t len)
{
	json_object *lat = json_object_new_object();
	char s[NPASS][16], a[16];

	for (int p = 0; p < NPASS; p++) {
		json_object_object_add(lat, pass_names[p],
				       fault_stats_json(v->ns[p], v->n));
		ns_format(fault_p50(v->ns[p], v->n), s[p], sizeof(s[p]));
	}
	ns_format((double)act_ns, a, sizeof(a));
	json_object_object_add(rec->extra, "latency_ns", lat);
	json_object_object_add(rec->extra, "action_ns",
			       json_object_new_int64((int64_t)act_ns));
	snprintf(fig, len,
		 "read before %s, first after %s, again %s (p50); action %s",
		 s[BEFORE], s[FIRST], s[AGAIN], a);
}

static int one_action(struct inval *v, const struct action *a, int tag)
{
	struct record rec;
	char fig[300] = "", werr[300];
	size_t bad_before = 0, bad_first = 0, bad_again = 0;
	const char *verdict;
	uint64_t t0, act_ns;
	bool write_ok = false;
	int rc, wrc;

	fault_record(&rec, v->implicit ? "odp-implicit" : "odp-invalidate",
		     a->name);
	rec.mem = "anon";
	rec.reg = v->implicit ? "odp-implicit" : "odp";
	rec.access = "lw+rr+rw";
	rec.size = v->fr.r.size;
	rec.page_size = v->fr.r.page_size;
	rec.pages = v->n;
	/* Mapped for the device, and timed while mapped. */
	fault_fill(v->fr.r.addr, v->fr.r.size, 0, (uint8_t)tag);
	rc = read_pass(v, BEFORE, tag, &bad_before);
	if (!rc)
		rc = read_pass(v, BEFORE, tag, &bad_before);
	t0 = clock_ns();
	if (!rc && (rc = a->act(v)))
		snprintf(v->err, sizeof(v->err), "%s failed: %s", a->name,
			 strerror(rc));
	act_ns = clock_ns() - t0;
	if (!rc && a->refill)
		fault_fill(v->fr.r.addr, v->fr.r.size, 0, (uint8_t)++tag);
	if (!rc)
		rc = read_pass(v, FIRST, tag, &bad_first);
	if (!rc)
		rc = read_pass(v, AGAIN, tag, &bad_again);
	if (rc) {
		fault_verdict(&rec, "failed");
		record_set_status(&rec, STATUS_FAILED, rc, "%s", v->err);
		return fault_emit(v->env, &rec, NULL);
	}
	figures(v, &rec, act_ns, fig, sizeof(fig));
	wrc = write_seen(v, tag + 3, &write_ok);
	snprintf(werr, sizeof(werr), "%s", wrc ? v->err : "ok");
	if (wrc)
		qp_reset(v->env->qp, v->err, sizeof(v->err));
	json_object_object_add(
		rec.extra, "data_ok",
		json_object_new_boolean(!bad_first && !bad_again));
	json_object_object_add(rec.extra, "device_write",
			       json_object_new_string(werr));
	if (bad_first || bad_again)
		verdict = "stale";
	else if (a->act == act_mprotect)
		verdict = wrc ? "coherent-write-refused" :
				"coherent-write-allowed";
	else
		verdict = write_ok ? "coherent" : "device-write-lost";
	fault_verdict(&rec, verdict);
	fault_expect(&rec, a->expected, ODP_BECAUSE);
	if (a->act == act_mprotect)
		mprotect(v->fr.r.addr, v->fr.r.map_len, PROT_READ | PROT_WRITE);
	return fault_emit(v->env, &rec, fig);
}

int fault_odp_inval_cells(struct fault_env *env, bool implicit)
{
	const char *scen = implicit ? "odp-implicit" : "odp-invalidate";
	struct inval v = { .env = env,
			   .implicit = implicit,
			   .n = env->o->samples };
	char reason[300];
	int rc = 0, err;

	if (fault_odp_probe(env, implicit, reason, sizeof(reason)))
		return fault_unsupported(
			env, scen, implicit ? "odp-implicit" : "odp", reason);
	v.stride = mem_base_page();
	if (fault_alloc("anon", NULL, v.n * v.stride, &v.fr, reason,
			sizeof(reason)))
		return fault_unsupported(env, scen, "odp", reason);
	v.mr = fault_odp_reg(env, v.fr.r.addr, v.fr.r.size, implicit, &err);
	if (!v.mr) {
		snprintf(reason, sizeof(reason), "ODP registration failed: %s",
			 strerror(err));
		fault_free(&v.fr);
		return fault_unsupported(env, scen, "odp", reason);
	}
	for (int p = 0; p < NPASS; p++)
		v.ns[p] = xcalloc(v.n, sizeof(uint64_t));
	for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]) && !rc; i++)
		rc = one_action(&v, &actions[i], (int)(1 + 2 * i));
	ibv_dereg_mr(v.mr);
	fault_free(&v.fr);
	for (int p = 0; p < NPASS; p++)
		free(v.ns[p]);
	return rc;
}

static int invalidate_run(struct fault_env *env)
{
	return fault_odp_inval_cells(env, false);
}

const struct fault_scenario fault_odp_invalidate = {
	.name = "odp-invalidate",
	.help = "ODP after MADV_DONTNEED, munmap+mmap and mprotect: next access cost, data",
	.flags = FAULT_NEEDS_QP,
	.run = invalidate_run,
};
