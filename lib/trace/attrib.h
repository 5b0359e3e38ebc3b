/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_ATTRIB_H
#define MRBENCH_ATTRIB_H

#include <stddef.h>
#include <stdint.h>

#include "trace/phase.h"

/* One traced event of the measuring thread, on the trace's clock. */
enum tev_kind {
	TEV_FN_ENTRY, /* a traced function was called */
	TEV_FN_EXIT, /* ... and returned */
	TEV_SYS_ENTER,
	TEV_SYS_EXIT,
};

struct tev {
	uint64_t ts;
	uint8_t kind;
	int8_t phase; /* of the function (TEV_FN_*), from phase_of() */
	uint16_t fn; /* which function, to match an exit to its entry */
};

/* One operation's time, split. ns[] adds up to total. */
struct op_split {
	uint64_t total;
	uint64_t ns[PHASE_COUNT];
};

/*
 * Split one operation, from t0 to t1 on the trace's clock, given the
 * thread's events between, in time order. A traced function's own time
 * (less its traced callees) goes to its phase; the time of a syscall
 * under no traced function to entry when the registrar's entry function
 * ran in it, else to other; the rest of the window (the library, and
 * none of the kernel) to user. A function traced outside any syscall
 * (work on the way back to user space, an fput's release) still counts
 * as its phase. Returns 0, or EPROTO when the events do not nest (an
 * exit without its entry, an event outside the window: events were
 * lost).
 */
int attrib_split(const struct tev *ev, size_t n, uint64_t t0, uint64_t t1,
		 struct op_split *out);

#endif
