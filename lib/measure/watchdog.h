/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_WATCHDOG_H
#define MRBENCH_WATCHDOG_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <sys/types.h>

#include "measure/crew.h"
#include "out/record.h"
#include "out/sink/sink.h"

/* The exit status of a run an operation hung in (documented in the man
 * pages of the benches that take --op-timeout). */
#define WATCHDOG_EXIT_HUNG 3 /* EXIT_HUNG of cli/cli.h */

/*
 * One measuring thread's operation in flight, as the watchdog sees it:
 * 0 when none, else a generation (so that two operations are never taken
 * for one) and which operation; WATCHDOG_FIRED once the watchdog has
 * taken it for hung.
 */
struct watchdog_slot {
	_Atomic unsigned long state;
	unsigned long gen; /* the thread's own count of operations */
	pid_t tid; /* the thread's kernel id, for its /proc stack */
};

#define WATCHDOG_FIRED (~0ul)

/* The operations the loop arms for, by the loop's phase (measure.c). */
#define WATCHDOG_OPS 3

struct watchdog {
	double timeout; /* seconds */
	const char *const *op_names; /* by the op number armed */
	struct watchdog_slot *slot;
	unsigned n;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool stop;
};

/*
 * The run's --op-timeout, and where a hang's record goes: the run's
 * metadata and sinks, given once by the bench layer before its first
 * cell. Without sinks a hang is told on stderr only.
 */
void watchdog_setup(double op_timeout, const struct run_meta *meta,
		    struct sink_set *sinks);
/*
 * The run's --op-timeout in seconds, 0 when off: what a memory source
 * that hangs a pin on purpose (uffd) asks before it lets a cell run.
 */
double watchdog_timeout(void);

/*
 * Watch n slots (the measuring threads') for an operation in flight for
 * timeout seconds or more; op_names[op] names the operation armed as op.
 * 0, or the errno of a thread that could not be started.
 */
int watchdog_start(struct watchdog *w, double timeout,
		   const char *const *op_names, struct watchdog_slot *slot,
		   unsigned n);
void watchdog_stop(struct watchdog *w);

/*
 * Arm and disarm a slot around one operation, outside the clock reads:
 * one store each. A disarm that finds the slot fired comes from an
 * operation the watchdog already took for hung: the run is ending on
 * the watchdog thread, and the caller waits for the exit there.
 */
static inline void watchdog_arm(struct watchdog_slot *s, unsigned op)
{
	atomic_store_explicit(&s->state, ++s->gen * WATCHDOG_OPS + op,
			      memory_order_release);
}

void watchdog_parked(void) __attribute__((noreturn));

static inline void watchdog_disarm(struct watchdog_slot *s)
{
	if (atomic_exchange(&s->state, 0) == WATCHDOG_FIRED)
		watchdog_parked();
}

#endif
