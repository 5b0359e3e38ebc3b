// SPDX-License-Identifier: GPL-2.0
/*
 * Attribution of one traced operation to phases: pure logic over events
 * already read, so that it is tested on recorded traces (tests/unit).
 */
#include <errno.h>
#include <string.h>

#include "trace/attrib.h"

/* Traced functions nest this deep at most (function_graph's own bound). */
#define ATTRIB_DEPTH 64

struct frame {
	uint64_t start, callees;
	uint16_t fn;
	int8_t phase;
};

struct walk {
	struct frame stack[ATTRIB_DEPTH];
	int depth;
	uint64_t sys_start, sys_ns, fn_outside_sys;
	/* The syscall now running: its traced top-level time, and whether
	 * the registrar's entry function ran in it. */
	uint64_t sys_traced;
	int in_sys, sys_entered;
};

static int enter(struct walk *w, const struct tev *e)
{
	if (w->depth == ATTRIB_DEPTH)
		return EPROTO;
	w->stack[w->depth++] = (struct frame){ e->ts, 0, e->fn, e->phase };
	return 0;
}

static int leave(struct walk *w, const struct tev *e, struct op_split *out)
{
	struct frame *f;
	uint64_t dur;

	if (!w->depth || w->stack[w->depth - 1].fn != e->fn)
		return EPROTO;
	f = &w->stack[--w->depth];
	dur = e->ts - f->start;
	if (f->callees > dur || f->phase < 0 || f->phase >= PHASE_COUNT)
		return EPROTO;
	out->ns[f->phase] += dur - f->callees;
	if (w->depth)
		w->stack[w->depth - 1].callees += dur;
	else if (!w->in_sys)
		w->fn_outside_sys += dur;
	else
		w->sys_traced += dur;
	return 0;
}

/*
 * A syscall's time under no traced function: its entry and exit, the
 * file lookup before the handler. Part of the registrar's bookkeeping
 * when its entry function ran in it; otherwise the syscall is one the
 * registrar did not make for the registration itself (the library's
 * mmap, brk) and its time is other.
 */
static void sys_done(struct walk *w, uint64_t ts, struct op_split *out)
{
	uint64_t dur = ts - w->sys_start;

	w->sys_ns += dur;
	out->ns[w->sys_entered ? PHASE_ENTRY : PHASE_OTHER] +=
		dur - w->sys_traced;
	w->in_sys = 0;
}

static int step(struct walk *w, const struct tev *e, struct op_split *out)
{
	switch (e->kind) {
	case TEV_FN_ENTRY:
		if (w->in_sys && !w->depth && e->phase == PHASE_ENTRY)
			w->sys_entered = 1;
		return enter(w, e);
	case TEV_FN_EXIT:
		return leave(w, e, out);
	case TEV_SYS_ENTER:
		if (w->in_sys || w->depth)
			return EPROTO;
		w->in_sys = 1;
		w->sys_entered = 0;
		w->sys_traced = 0;
		w->sys_start = e->ts;
		return 0;
	case TEV_SYS_EXIT:
		if (!w->in_sys || w->depth ||
		    e->ts - w->sys_start < w->sys_traced)
			return EPROTO;
		sys_done(w, e->ts, out);
		return 0;
	}
	return EPROTO;
}

int attrib_split(const struct tev *ev, size_t n, uint64_t t0, uint64_t t1,
		 struct op_split *out)
{
	struct walk w = { .depth = 0 };
	uint64_t prev = t0;
	int rc;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < n; i++) {
		if (ev[i].ts < prev || ev[i].ts > t1)
			return EPROTO;
		prev = ev[i].ts;
		if ((rc = step(&w, &ev[i], out)))
			return rc;
	}
	if (w.depth || w.in_sys || w.sys_ns + w.fn_outside_sys > t1 - t0)
		return EPROTO;
	out->ns[PHASE_USER] = t1 - t0 - w.sys_ns - w.fn_outside_sys;
	out->total = t1 - t0;
	return 0;
}
