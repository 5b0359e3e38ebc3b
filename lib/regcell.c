// SPDX-License-Identifier: GPL-2.0
/*
 * A registration cell. One registration is first done on its own between
 * counter snapshots, so its pins, unpins and migrations are the kernel's
 * exact account of that one operation; then the timed loop runs with
 * nothing but the operations between the clock reads, and a second pair
 * of snapshots around the whole loop cross-checks the per-op figures.
 */
#include <string.h>

#include "kstat.h"
#include "regcell.h"

struct cell_state {
	const struct regcell *c;
	struct mem_region r;
	void *handle;
};

static int op_prepare(void *arg)
{
	struct cell_state *s = arg;

	return s->c->prefault ? 0 : s->c->src->discard(&s->r);
}

static int op_reg(void *arg)
{
	struct cell_state *s = arg;

	return s->c->reg->reg(s->c->env, &s->r, s->c->access, &s->handle);
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

static double delta(const struct kstat_snap *a, const struct kstat_snap *b,
		    enum kstat_id id)
{
	return a->have[id] && b->have[id] ? (double)(b->v[id] - a->v[id]) : -1;
}

/* The first registration, alone between snapshots. */
static int observed_once(struct cell_state *s, struct record *rec)
{
	struct kstat_snap k0, k1, k2;
	int rc;

	if ((rc = op_prepare(s)))
		return rc;
	kstat_snapshot(&k0);
	rc = op_reg(s);
	kstat_snapshot(&k1);
	if (rc)
		return rc;
	rc = op_dereg(s);
	kstat_snapshot(&k2);
	rec->pins = delta(&k0, &k1, KSTAT_FOLL_PIN_ACQUIRED);
	/* Over both operations: a pin dropped during registration (a
	 * migration retry, a short-term pin) counts too. */
	rec->unpins = delta(&k0, &k2, KSTAT_FOLL_PIN_RELEASED);
	rec->migrated = delta(&k0, &k1, KSTAT_PGMIGRATE_SUCCESS);
	rec->migrate_failed = delta(&k0, &k1, KSTAT_PGMIGRATE_FAIL);
	return rc;
}

static void fail(struct record *rec, int err, const char *what)
{
	record_set_status(rec, STATUS_FAILED, err, "%s failed: %s", what,
			  strerror(err));
}

static void loop_check(struct record *rec, const struct kstat_snap *a,
		       const struct kstat_snap *b, size_t ops)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "ops", json_object_new_int64((int64_t)ops));
	json_object_object_add(o, "pins",
			       json_object_new_int64(b->v[KSTAT_FOLL_PIN_ACQUIRED] -
						     a->v[KSTAT_FOLL_PIN_ACQUIRED]));
	json_object_object_add(o, "unpins",
			       json_object_new_int64(b->v[KSTAT_FOLL_PIN_RELEASED] -
						     a->v[KSTAT_FOLL_PIN_RELEASED]));
	json_object_object_add(rec->extra, "loop_counters", o);
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

void regcell_run(const struct regcell *c, const struct measure_opts *m,
		 struct record *rec, struct measure_result *res)
{
	struct cell_state s = {
		.c = c, .r = { .fd = -1, .dmabuf_fd = -1, .arg = c->src_arg }
	};
	struct kstat_snap l0, l1;
	char reason[200];
	int rc;

	*res = (struct measure_result){ 0 };
	rec->mem = c->src->name;
	rec->reg = c->reg->name;
	rec->size = c->size;
	rec->access = c->access_name;
	rec->prefault = c->prefault;
	rec->extra = json_object_new_object();
	if (c->src->probe && c->src->probe(c->src_arg, reason, sizeof(reason))) {
		record_set_status(rec, STATUS_UNSUPPORTED, 0, "%s", reason);
		return;
	}
	if (c->reg->probe && c->reg->probe(c->env, reason, sizeof(reason))) {
		record_set_status(rec, STATUS_UNSUPPORTED, 0, "%s", reason);
		return;
	}
	if ((rc = c->src->alloc(&s.r, c->size))) {
		fail(rec, rc, "allocation");
		return;
	}
	if (c->reg->prepare && c->reg->prepare(&s.r, reason, sizeof(reason))) {
		record_set_status(rec, STATUS_UNSUPPORTED, 0, "%s", reason);
		goto out;
	}
	rec->page_size = s.r.page_size;
	rec->pages = mem_round_up(c->size, mem_base_page()) / mem_base_page();
	add_expectation(c, &s.r, rec);
	if (c->prefault && (rc = c->src->populate(&s.r))) {
		fail(rec, rc, "prefaulting");
		goto out;
	}
	if ((rc = observed_once(&s, rec))) {
		if (c->reg->unsupported &&
		    c->reg->unsupported(rc, reason, sizeof(reason)))
			record_set_status(rec, STATUS_UNSUPPORTED, rc, "%s", reason);
		else
			fail(rec, rc, c->reg->name);
		goto out;
	}
	kstat_snapshot(&l0);
	if (measure_pairs(m, &cell_ops, &s, res)) {
		fail(rec, res->err, res->failed_op == 'b' ? "deregistration" :
				    res->failed_op == 'a' ? c->reg->name : "preparation");
		goto out;
	}
	kstat_snapshot(&l1);
	loop_check(rec, &l0, &l1, m->warmup + res->n);
	rec->iters = res->n;
	rec->reg_samples = res->a_ns;
	rec->dereg_samples = res->b_ns;
	rec->nsamples = res->n;
	rec->have_stats = res->n > 0 &&
			  !stats_compute(res->a_ns, res->n, &rec->reg_ns) &&
			  !stats_compute(res->b_ns, res->n, &rec->dereg_ns);
	record_set_status(rec, STATUS_OK, 0, "%s", res->interrupted ? "interrupted" : "");
out:
	c->src->free(&s.r);
}
