// SPDX-License-Identifier: GPL-2.0
/*
 * What the fault scenarios share: their list, the record of one case and
 * its row in the verdict table, latency summaries, data patterns and
 * regions from the memory sources.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fault/fault.h"
#include "kernel/kstat.h"
#include "measure/stats.h"

#define FAULT_SCENARIO(id) extern const struct fault_scenario fault_##id;
#include "fault/list.h"
#undef FAULT_SCENARIO

const struct fault_scenario *const fault_scenarios[] = {
#define FAULT_SCENARIO(id) &fault_##id,
#include "fault/list.h"
#undef FAULT_SCENARIO
	NULL
};

const struct fault_scenario *fault_scenario_find(const char *name)
{
	for (const struct fault_scenario *const *s = fault_scenarios; *s; s++)
		if (!strcmp((*s)->name, name))
			return *s;
	return NULL;
}

void fault_record(struct record *rec, const char *scenario, const char *what)
{
	record_init(rec, "fault");
	rec->extra = json_object_new_object();
	json_object_object_add(rec->extra, "scenario",
			       json_object_new_string(scenario));
	json_object_object_add(rec->extra, "case",
			       json_object_new_string(what));
}

void fault_verdict(struct record *rec, const char *verdict)
{
	json_object_object_add(rec->extra, "verdict",
			       json_object_new_string(verdict));
}

static const char *extra_str(const struct record *rec, const char *key)
{
	json_object *v;

	if (!rec->extra || !json_object_object_get_ex(rec->extra, key, &v) ||
	    !v)
		return NULL;
	return json_object_get_string(v);
}

/*
 * A verdict expectation lives in extra ("expected" overrides the errno
 * expectation record.c would write); as_expected follows from it here.
 */
static void settle_verdict(struct record *rec)
{
	const char *want = extra_str(rec, "expected"),
		   *got = extra_str(rec, "verdict");

	if (!want || rec->expected)
		return;
	json_object_object_add(
		rec->extra, "as_expected",
		rec->status == STATUS_UNSUPPORTED ?
			NULL :
			json_object_new_boolean(got && !strcmp(got, want)));
}

int fault_emit(struct fault_env *env, struct record *rec, const char *figures)
{
	json_object *j;
	int rc;

	settle_verdict(rec);
	if (figures && *figures)
		json_object_object_add(rec->extra, "figures",
				       json_object_new_string(figures));
	j = record_to_json(env->meta, rec);
	rc = sinks_write(env->sinks, j);
	json_object_put(j);
	record_free(rec);
	return rc;
}

int fault_unsupported(struct fault_env *env, const char *scenario,
		      const char *reg, const char *reason)
{
	struct record rec;

	fault_record(&rec, scenario, "all");
	rec.reg = reg;
	fault_verdict(&rec, "unsupported");
	record_set_status(&rec, STATUS_UNSUPPORTED, 0, "%s", reason);
	return fault_emit(env, &rec, NULL);
}

json_object *fault_stats_json(const uint64_t *ns, size_t n)
{
	json_object *o = json_object_new_object();
	struct stats st;

	if (!n || stats_compute(ns, n, &st))
		return NULL;
	json_object_object_add(o, "n", json_object_new_int64((int64_t)n));
	json_object_object_add(o, "min",
			       json_object_new_int64((int64_t)st.min));
	json_object_object_add(o, "p50",
			       json_object_new_int64((int64_t)st.p50));
	json_object_object_add(o, "p99",
			       json_object_new_int64((int64_t)st.p99));
	json_object_object_add(o, "max",
			       json_object_new_int64((int64_t)st.max));
	json_object_object_add(o, "mean",
			       json_object_new_int64((int64_t)st.mean));
	return o;
}

double fault_p50(const uint64_t *ns, size_t n)
{
	struct stats st;

	return n && !stats_compute(ns, n, &st) ? st.p50 : -1;
}

/* tag 0 is reserved for "zero-filled", so a pattern is never all zeros. */
static inline uint8_t pattern_byte(size_t off, uint8_t tag)
{
	return (uint8_t)((off * 131 + (off >> 12) * 7 + tag * 29) | 1);
}

void fault_fill(void *p, size_t len, size_t off, uint8_t tag)
{
	uint8_t *b = p;

	for (size_t i = 0; i < len; i++)
		b[i] = pattern_byte(off + i, tag);
}

long fault_check(const void *p, size_t len, size_t off, uint8_t tag)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < len; i++)
		if (b[i] != pattern_byte(off + i, tag))
			return (long)i;
	return -1;
}

bool fault_is_zero(const void *p, size_t len)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < len; i++)
		if (b[i])
			return false;
	return true;
}

int fault_alloc(const char *mem, const char *arg, size_t size,
		struct fault_region *fr, char *reason, size_t len)
{
	const struct mem_source *src = mem_source_find(mem);
	struct mem_region *r = &fr->r;
	int rc;

	fr->src = NULL;
	*r = (struct mem_region){ .fd = -1, .dmabuf_fd = -1, .arg = arg };
	if (!src) {
		snprintf(reason, len, "no memory source '%s'", mem);
		return -1;
	}
	if ((src->probe && src->probe(src, arg, reason, len)) ||
	    (src->probe_size && src->probe_size(src, arg, size, reason, len)))
		return -1;
	if ((rc = src->alloc(src, r, size))) {
		snprintf(reason, len, "allocating %zu bytes of %s failed: %s",
			 size, mem, strerror(rc));
		src->free(r);
		r->addr = NULL;
		return -1;
	}
	fr->src = src;
	return 0;
}

struct ibv_mr *fault_reg_mr(struct fault_env *env, void *addr, size_t len,
			    char *reason, size_t rlen)
{
	struct ibv_mr *mr =
		ibv_reg_mr(env->reg.verbs->pd, addr, len,
			   IBV_ACCESS_LOCAL_WRITE | IBV_ACCESS_REMOTE_READ |
				   IBV_ACCESS_REMOTE_WRITE);
	int err = errno;

	if (!mr) {
		snprintf(reason, rlen, "ibv_reg_mr failed: %s", strerror(err));
		errno = err;
	}
	return mr;
}

void fault_free(struct fault_region *fr)
{
	if (fr->src && fr->r.addr)
		fr->src->free(&fr->r);
	fr->r.addr = NULL;
	fr->src = NULL;
}

int fault_pass(struct fault_env *env, struct ibv_mr *mr, void *base,
	       size_t stride, size_t n, enum qp_op op, int tag, uint64_t *ns,
	       size_t *bad, char *err, size_t errlen)
{
	struct loop_qp *q = env->qp;
	uint32_t len = env->o->op_size;
	int rc;

	*bad = 0;
	for (size_t i = 0; i < n; i++) {
		size_t off = i * stride;

		if (op == QP_WRITE)
			fault_fill(q->bounce, len, off,
				   (uint8_t)(tag > 0 ? tag : 1));
		else
			memset(q->bounce, 0xee, len);
		rc = qp_rdma(q, op, mr, (uintptr_t)base + off, len, &ns[i], err,
			     errlen);
		if (rc)
			return rc;
		if (op == QP_READ && tag == 0 && !fault_is_zero(q->bounce, len))
			(*bad)++;
		else if (op == QP_READ && tag > 0 &&
			 fault_check(q->bounce, len, off, (uint8_t)tag) >= 0)
			(*bad)++;
	}
	return 0;
}

const char *fault_what(const void *p, size_t len, size_t off, const int *tags,
		       size_t ntags)
{
	static const char *const names[] = { "zeros", "tag1", "tag2", "tag3",
					     "tag4",  "tag5", "tag6", "tag7" };

	if (fault_is_zero(p, len))
		return "zeros";
	for (size_t i = 0; i < ntags; i++)
		if (tags[i] > 0 && tags[i] < 8 &&
		    fault_check(p, len, off, (uint8_t)tags[i]) < 0)
			return names[tags[i]];
	return "other";
}

const char *fault_device_sees(struct fault_env *env, struct ibv_mr *mr,
			      void *base, size_t off, const int *tags,
			      size_t ntags, char *err, size_t errlen)
{
	uint64_t ns;

	memset(env->qp->bounce, 0xee, env->o->op_size);
	if (qp_rdma(env->qp, QP_READ, mr, (uintptr_t)base + off,
		    env->o->op_size, &ns, err, errlen))
		return NULL;
	return fault_what(env->qp->bounce, env->o->op_size, off, tags, ntags);
}

void fault_expect(struct record *rec, const char *verdict, const char *because)
{
	json_object_object_add(rec->extra, "expected",
			       json_object_new_string(verdict));
	json_object_object_add(rec->extra, "expected_because",
			       json_object_new_string(because));
}

json_object *fault_counter_json(const struct kstat_window *w, enum kstat_id id)
{
	double v = kstat_window_per(w, id, 1);

	return w->before.have[id] && w->after.have[id] ?
		       json_object_new_int64((int64_t)v) :
		       NULL;
}

void fault_add_int(struct record *rec, const char *key, long long v)
{
	json_object_object_add(rec->extra, key, json_object_new_int64(v));
}

void fault_add_bool(struct record *rec, const char *key, bool v)
{
	json_object_object_add(rec->extra, key, json_object_new_boolean(v));
}
