/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_CREW_H
#define MRBENCH_CREW_H

#include <pthread.h>
#include <stdbool.h>

#define CREW_MAX 64

/* What a worker does in one phase; each worker has its index. */
typedef void (*crew_fn)(void *ctx, unsigned worker, int phase);
/* Optional: run once by each worker thread before its first phase. */
typedef void (*crew_start_fn)(unsigned worker);

/*
 * n workers that run one phase at a time, all of them together: every
 * worker starts a phase when the last one has finished the phase before.
 * One worker is the calling thread itself, with no thread and no barrier,
 * so a single-threaded measurement runs exactly where it was bound.
 */
struct crew_worker {
	struct crew *c;
	unsigned index;
	pthread_t tid;
};

/* Stays where crew_start found it until crew_end: the workers point at it. */
struct crew {
	unsigned n;
	crew_fn fn;
	crew_start_fn start;
	void *ctx;
	int phase; /* the phase being run; < 0 tells the workers to leave */
	pthread_barrier_t bar;
	pthread_mutex_t gate; /* held while the workers are being created */
	bool abort; /* creating one failed: the others leave */
	struct crew_worker w[CREW_MAX];
	unsigned started;
};

/* 0, or EAGAIN when the threads could not be started (none is left). */
int crew_start(struct crew *c, unsigned n, crew_fn fn, crew_start_fn start,
	       void *ctx);
/* Run phase on every worker; returns when all of them are done. */
void crew_run(struct crew *c, int phase);
void crew_end(struct crew *c);

#endif
