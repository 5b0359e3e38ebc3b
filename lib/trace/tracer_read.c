// SPDX-License-Identifier: GPL-2.0
/*
 * Reading back what the tracer recorded: the thread's function and
 * syscall events from every CPU's buffer, each function named by its
 * address, in time order. An event that names a function the tracer did
 * not ask for, or a buffer that lost events, spoils the pass rather than
 * being skipped: a phase short of its time would be a silent lie.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>

#include <tracefs.h>

#include "cli/xalloc.h"
#include "trace/tracer.h"
#include "trace/tracer_int.h"

int tracer_begin(struct tracer *t)
{
	t->n = 0;
	t->bad = 0;
	if (tracefs_instance_file_clear(NULL, "trace"))
		return errno ? errno : EIO;
	return tracefs_trace_on_fd(t->on_fd) ? errno : 0;
}

/* The traced function at an event's address. */
static int fn_at(const struct tracer *t, unsigned long long addr)
{
	size_t lo = 0, hi = t->naddrs;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (t->addrs[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo || addr - t->addrs[lo - 1].addr > FENTRY_SLACK)
		return -1;
	return t->addrs[lo - 1].fn;
}

static void add(struct tracer *t, uint64_t ts, int kind, int fn)
{
	if (t->n == t->cap)
		t->ev = xrealloc(t->ev, (t->cap = t->cap ? t->cap * 2 : 4096) *
						sizeof(*t->ev));
	t->ev[t->n++] = (struct tev){
		.ts = ts,
		.kind = (uint8_t)kind,
		.phase = fn >= 0 ? t->phase[fn] : -1,
		.fn = (uint16_t)(fn >= 0 ? fn : 0),
	};
}

/*
 * A switch that names the thread: switched out, the entry of its time
 * off the CPU (a frame of the pseudo-function, phase wait); switched
 * back in, its exit. The switch in is recorded by the task that leaves,
 * so this comes before the pid check.
 */
static int switched(const struct tracer *t, struct tep_record *rec, int *kind)
{
	unsigned long long prev, next;

	if (tep_read_number_field(t->f_prev, rec->data, &prev) ||
	    tep_read_number_field(t->f_next, rec->data, &next))
		return -1;
	if (prev == (unsigned long long)t->tid)
		*kind = TEV_FN_ENTRY;
	else if (next == (unsigned long long)t->tid)
		*kind = TEV_FN_EXIT;
	else
		return 0;
	return 1;
}

static int on_event(struct tep_event *e, struct tep_record *rec, int cpu,
		    void *ctx)
{
	struct tracer *t = ctx;
	unsigned long long addr;
	int fn = -1, kind, sw;

	if (rec->missed_events)
		t->bad = 1;
	if (e->id == t->id_switch) {
		if ((sw = switched(t, rec, &kind)) < 0)
			t->bad = 1;
		if (sw > 0)
			add(t, rec->ts, kind, (int)t->nfuncs);
		return 0;
	}
	if (tep_data_pid(t->tep, rec) != t->tid)
		return 0;
	if (e->id == t->id_entry || e->id == t->id_exit) {
		kind = e->id == t->id_entry ? TEV_FN_ENTRY : TEV_FN_EXIT;
		if (tep_read_number_field(e->id == t->id_entry ? t->f_entry :
								 t->f_exit,
					  rec->data, &addr) ||
		    (fn = fn_at(t, addr)) < 0) {
			t->bad = 1;
			return 0;
		}
	} else if (e->id == t->id_sys_enter) {
		kind = TEV_SYS_ENTER;
	} else if (e->id == t->id_sys_exit) {
		kind = TEV_SYS_EXIT;
	} else {
		return 0;
	}
	add(t, rec->ts, kind, fn);
	return 0;
}

static int by_ts(const void *a, const void *b)
{
	const struct tev *x = a, *y = b;

	return x->ts < y->ts ? -1 : x->ts > y->ts;
}

static bool is_switch(const struct tracer *t, const struct tev *e)
{
	return (e->kind == TEV_FN_ENTRY || e->kind == TEV_FN_EXIT) &&
	       e->fn == t->nfuncs;
}

int tracer_end(struct tracer *t, const struct tev **ev, size_t *n, uint64_t *t0,
	       uint64_t *t1)
{
	size_t first = 0, last;

	if (tracefs_trace_off_fd(t->on_fd))
		return errno ? errno : EIO;
	if (tracefs_iterate_raw_events(t->tep, NULL, NULL, 0, on_event, t) < 0)
		return EIO;
	/* Each CPU's buffer is in order; the thread may have moved. */
	qsort(t->ev, t->n, sizeof(*t->ev), by_ts);
	/* The thread may be switched out and back in the writes that turn
	 * tracing on and off, before the window or after it. */
	last = t->n;
	while (first < t->n && is_switch(t, &t->ev[first]))
		first++;
	while (last > first && is_switch(t, &t->ev[last - 1]))
		last--;
	if (last - first < 2 || t->ev[first].kind != TEV_SYS_EXIT ||
	    t->ev[last - 1].kind != TEV_SYS_ENTER)
		return EPROTO;
	*t0 = t->ev[first].ts;
	*t1 = t->ev[last - 1].ts;
	*ev = t->ev + first + 1;
	*n = last - first - 2;
	return t->bad ? EPROTO : 0;
}
