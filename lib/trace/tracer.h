/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_TRACER_H
#define MRBENCH_TRACER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "trace/attrib.h"

struct tracer;

/*
 * Arm the kernel's function_graph tracer on the phase functions this
 * kernel has (and the registrar's entry functions), with the syscall
 * events, for the calling thread only.
 * Every setting it changes is put back (restore.h), also on a signal;
 * tracer_close() turns the tracer off. NULL with the reason when this
 * machine cannot trace (not root, no tracefs, no function_graph, the
 * tracer in use by someone else).
 */
struct tracer *tracer_open(const char *const *entry, size_t pages, char *reason,
			   size_t len);
/* Record from now. */
int tracer_begin(struct tracer *t);
/*
 * Stop recording and hand over the thread's events in time order (owned
 * by t until the next call), and the window they fall in, on the
 * trace's own clock: from the return of the write that turned tracing
 * on to the entry of the one that turned it off. The trace's clock and
 * the harness's need not agree (under qemu's instruction counting they
 * were microseconds apart), so the window is taken from the trace.
 * EPROTO when events were lost, named a function the tracer did not
 * ask for, or do not lie between those two syscalls.
 */
int tracer_end(struct tracer *t, const struct tev **ev, size_t *n, uint64_t *t0,
	       uint64_t *t1);
/* Why a phase cannot be traced here; NULL when it can. */
const char *tracer_untraceable(const struct tracer *t, int phase);
/* The traced functions: how many, and each one's name. */
size_t tracer_functions(const struct tracer *t);
const char *tracer_function(const struct tracer *t, uint16_t fn);
void tracer_close(struct tracer *t);

#endif
