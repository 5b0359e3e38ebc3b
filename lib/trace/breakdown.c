// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel-side breakdown of a cell: after its timed loop, a few more
 * registrations and deregistrations, traced (tracer.c) and split into
 * phases (attrib.c). Traced apart from the timed loop because tracing
 * slows what it traces: the record gives the traced time beside the
 * untraced median, and their ratio, so that a reader knows how far the
 * traced shares may be from the untraced truth. The figures are those
 * of the median traced operation (by its total), so that the phases add
 * up to the traced time, a preempted outlier moves nothing, and the
 * ratio sets a median against a median.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/xalloc.h"
#include "kernel/restore.h"
#include "trace/attrib.h"
#include "trace/breakdown.h"
#include "trace/dump.h"
#include "trace/tracer.h"

#define BREAKDOWN_MAX_OPS 1000

#define ROW(n, k, a, h, t, f, ...) \
	OPT_ROW(n, k, a, h, t, struct breakdown_opts, f, __VA_ARGS__)

const struct opt breakdown_opt_table[] = {
	ROW("breakdown", 0, NULL,
	    "after each cell, trace a few more and split their time into kernel phases",
	    OPT_FLAG, on),
	ROW("breakdown-ops", 0, "N", "traced pairs per cell (5)", OPT_UINT, ops,
	    .lo = 1, .hi = BREAKDOWN_MAX_OPS, .what = "traced pair count"),
	ROW("breakdown-events", 0, "FILE",
	    "also write the traced events there, as text", OPT_STR, events),
	OPT_END,
};

void breakdown_opts_default(struct breakdown_opts *o)
{
	*o = (struct breakdown_opts){ .ops = 5 };
}

/* The traced operations of one kind (reg or dereg). */
struct tally {
	struct op_split *op;
	unsigned n;
	int trouble; /* the first trace that could not be split */
};

static double rounded(double v, double unit)
{
	return round(v / unit) * unit;
}

static int by_total(const void *a, const void *b)
{
	const struct op_split *x = a, *y = b;

	return x->total < y->total ? -1 : x->total > y->total;
}

static const struct op_split *median_op(struct tally *s)
{
	qsort(s->op, s->n, sizeof(*s->op), by_total);
	return &s->op[(s->n - 1) / 2];
}

static json_object *phase_json(const struct tracer *t, int p,
			       const struct op_split *m)
{
	json_object *o = json_object_new_object();
	const char *why = tracer_untraceable(t, p);

	if (why) {
		json_object_object_add(o, "ns", NULL);
		json_object_object_add(o, "share", NULL);
		json_object_object_add(o, "reason",
				       json_object_new_string(why));
		return o;
	}
	json_object_object_add(o, "ns",
			       json_object_new_int64((int64_t)m->ns[p]));
	json_object_object_add(o, "share",
			       json_object_new_double(rounded(
				       (double)m->ns[p] / m->total, 1e-4)));
	return o;
}

static json_object *op_json(const struct tracer *t, struct tally *s,
			    double untraced)
{
	json_object *o = json_object_new_object();
	const struct op_split *m = median_op(s);

	json_object_object_add(o, "traced_ns",
			       json_object_new_int64((int64_t)m->total));
	json_object_object_add(o, "untraced_ns",
			       json_object_new_int64(llround(untraced)));
	json_object_object_add(o, "ratio",
			       untraced > 0 ?
				       json_object_new_double(rounded(
					       m->total / untraced, 1e-3)) :
				       NULL);
	json_object_object_add(
		o, "covered",
		json_object_new_double(rounded(
			1 - (double)m->ns[PHASE_OTHER] / m->total, 1e-4)));
	for (int p = 0; p < PHASE_COUNT; p++)
		json_object_object_add(o, phase_table[p].key,
				       phase_json(t, p, m));
	return o;
}

/*
 * The events file: one for the process, written under a temporary name
 * and renamed at exit, so that a reader never sees half of it; on a
 * signal the undo log removes the temporary. The undo log's own exit
 * handler is registered first (restore_remove), so it runs after ours.
 */
static FILE *events_f;
static char events_tmp[4096], events_path[4096];

static void events_publish(void)
{
	if (!events_f)
		return;
	if (fclose(events_f) || rename(events_tmp, events_path))
		fprintf(stderr, "mrbench: cannot write %s: %s\n", events_path,
			strerror(errno));
	events_f = NULL;
}

static FILE *events_file(const char *path)
{
	char err[256];

	if (events_f || !path)
		return events_f;
	snprintf(events_path, sizeof(events_path), "%s", path);
	snprintf(events_tmp, sizeof(events_tmp), "%s.tmp.%d", path,
		 (int)getpid());
	if (restore_remove(events_tmp, err, sizeof(err)))
		return NULL;
	if (!(events_f = fopen(events_tmp, "we")))
		return NULL;
	atexit(events_publish);
	return events_f;
}

static const char *fn_name(const void *ctx, uint16_t fn)
{
	return tracer_function(ctx, fn);
}

/*
 * One traced operation: the operation's own errno (0 when it did its
 * job); a trace that cannot be split is noted in s, and the operation
 * still counts as done, so that its registration is undone.
 */
static int traced_op(struct tracer *t, int (*op)(void *), void *arg,
		     const struct breakdown_opts *o, const char *label,
		     const char *name, struct tally *s)
{
	const struct tev *ev;
	struct op_split one;
	uint64_t t0, t1;
	size_t n;
	int rc, trace;

	if ((trace = tracer_begin(t))) {
		s->trouble = s->trouble ? s->trouble : trace;
		return op(arg);
	}
	rc = op(arg);
	trace = tracer_end(t, &ev, &n, &t0, &t1);
	if (rc)
		return rc;
	if (!trace)
		trace = attrib_split(ev, n, t0, t1, &one);
	/* A trace that cannot be split is written too: it shows why. */
	if (events_file(o->events)) {
		dump_write(events_f, label, name, t0, t1, ev, n, fn_name, t);
		if (trace)
			fprintf(events_f, "# not split: %s\n", strerror(trace));
	}
	if (trace) {
		s->trouble = s->trouble ? s->trouble : trace;
		return 0;
	}
	s->op[s->n++] = one;
	return 0;
}

static void unsupported(json_object *extra, const char *fmt, const char *why)
{
	json_object *o = json_object_new_object();
	char buf[400];

	snprintf(buf, sizeof(buf), fmt, why);
	json_object_object_add(o, "unsupported", json_object_new_string(buf));
	json_object_object_add(extra, "phases", o);
}

void breakdown_run(const struct breakdown_opts *o,
		   const struct breakdown_cell *c, json_object *extra)
{
	struct tally reg = { 0 }, dereg = { 0 };
	char reason[300];
	struct tracer *t;
	json_object *p;
	int rc = 0;

	if (!o->on)
		return;
	if (!(t = tracer_open(c->entry, c->pages, reason, sizeof(reason)))) {
		unsupported(extra, "%s", reason);
		return;
	}
	reg.op = xcalloc(o->ops, sizeof(*reg.op));
	dereg.op = xcalloc(o->ops, sizeof(*dereg.op));
	for (unsigned i = 0; i < o->ops && !rc && !measure_stop; i++) {
		const struct measure_pair_ops *ops = c->ops;

		if ((ops->prepare && (rc = ops->prepare(c->arg))) ||
		    (rc = traced_op(t, ops->a, c->arg, o, c->label, "reg",
				    &reg)))
			break;
		rc = traced_op(t, ops->b, c->arg, o, c->label, "dereg", &dereg);
	}
	if (rc || reg.trouble || dereg.trouble || !reg.n || !dereg.n) {
		int why = rc ? rc : reg.trouble ? reg.trouble : dereg.trouble;

		snprintf(reason, sizeof(reason), "%s%s",
			 rc ? "an operation failed: " : "",
			 why == EPROTO ?
				 "the trace lost events or does not nest" :
			 why ? strerror(why) :
			       "interrupted");
		unsupported(extra, "traced pass failed: %s", reason);
		goto out;
	}
	p = json_object_new_object();
	json_object_object_add(p, "method",
			       json_object_new_string("function_graph"));
	json_object_object_add(p, "ops", json_object_new_int((int)reg.n));
	json_object_object_add(p, "functions",
			       json_object_new_int((int)tracer_functions(t)));
	json_object_object_add(p, "reg", op_json(t, &reg, c->untraced_a));
	json_object_object_add(p, "dereg", op_json(t, &dereg, c->untraced_b));
	json_object_object_add(extra, "phases", p);
out:
	tracer_close(t);
	free(reg.op);
	free(dereg.op);
}
