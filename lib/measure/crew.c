// SPDX-License-Identifier: GPL-2.0
/*
 * Workers in lockstep. The controller and the workers meet at a barrier
 * before and after every phase, so when the controller runs between two
 * phases (reading counters, deciding whether to go on) nothing else does,
 * and all the workers' operations of one phase start together: contention
 * on mmap_lock and on the pin accounting shows.
 */
#include <errno.h>
#include <string.h>

#include "measure/crew.h"

static void *worker_main(void *arg)
{
	struct crew_worker *w = arg;
	struct crew *c = w->c;

	/* If creating a sibling failed, the barrier would never fill. */
	pthread_mutex_lock(&c->gate);
	pthread_mutex_unlock(&c->gate);
	if (c->abort)
		return NULL;
	if (c->start)
		c->start(w->index);
	for (;;) {
		pthread_barrier_wait(&c->bar);
		if (c->phase < 0)
			return NULL;
		c->fn(c->ctx, w->index, c->phase);
		pthread_barrier_wait(&c->bar);
	}
}

static void crew_join(struct crew *c)
{
	for (unsigned i = 0; i < c->started; i++)
		pthread_join(c->w[i].tid, NULL);
	pthread_barrier_destroy(&c->bar);
	pthread_mutex_destroy(&c->gate);
	c->started = 0;
}

int crew_start(struct crew *c, unsigned n, crew_fn fn, crew_start_fn start,
	       void *ctx)
{
	memset(c, 0, sizeof(*c));
	c->n = n ? n : 1;
	c->fn = fn;
	c->start = start;
	c->ctx = ctx;
	if (c->n == 1)
		return 0;
	if (c->n > CREW_MAX)
		return EINVAL;
	pthread_barrier_init(&c->bar, NULL, c->n + 1);
	pthread_mutex_init(&c->gate, NULL);
	pthread_mutex_lock(&c->gate);
	for (; c->started < c->n; c->started++) {
		c->w[c->started] =
			(struct crew_worker){ .c = c, .index = c->started };
		if (pthread_create(&c->w[c->started].tid, NULL, worker_main,
				   &c->w[c->started]))
			break;
	}
	c->abort = c->started < c->n;
	pthread_mutex_unlock(&c->gate);
	if (!c->abort)
		return 0;
	crew_join(c);
	return EAGAIN;
}

void crew_run(struct crew *c, int phase)
{
	if (c->n == 1) {
		c->fn(c->ctx, 0, phase);
		return;
	}
	c->phase = phase;
	pthread_barrier_wait(&c->bar); /* go */
	pthread_barrier_wait(&c->bar); /* all done */
}

void crew_end(struct crew *c)
{
	if (!c->started)
		return;
	c->phase = -1;
	pthread_barrier_wait(&c->bar);
	crew_join(c);
}
