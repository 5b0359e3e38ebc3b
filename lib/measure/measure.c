// SPDX-License-Identifier: GPL-2.0
/*
 * The timed loop, the one every bench measures with, on one thread or
 * many. Only the operation itself sits between the two clock reads:
 * preparation, counter snapshots and output happen outside.
 */
#include <sched.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/xalloc.h"
#include "measure/clock.h"
#include "measure/crew.h"
#include "measure/measure.h"
#include "measure/stats.h"
#include "measure/watchdog.h"

volatile int measure_stop;

void measure_opts_default(struct measure_opts *m)
{
	m->warmup = 1;
	m->min_iters = 10;
	m->min_time = 0.2;
	m->max_time = 2.0;
	m->max_samples = 100000;
	m->ci_target = 0.02;
	m->op_timeout = 0;
	m->cpu = -1;
}

static int set_cpu(void *owner, const char *arg, char *err, size_t errlen)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno || end == arg || *end || v < 0 || v >= CPU_SETSIZE) {
		snprintf(err, errlen, "invalid CPU '%s': expected a CPU number",
			 arg);
		return -1;
	}
	((struct measure_opts *)owner)->cpu = (int)v;
	return 0;
}

#define ROW(n, k, a, h, t, f, ...)                                        \
	OPT_ROW(n, k, a, h, t, struct measure_opts, f, __VA_ARGS__)

const struct opt measure_opt_table[] = {
	ROW("iters", 'n', "N", "at least N timed iterations per cell (10)",
	    OPT_UINT, min_iters, .lo = 1, .hi = 10000000,
	    .what = "iteration count"),
	ROW("warmup", 0, "N", "untimed iterations before timing (1)", OPT_UINT,
	    warmup, .lo = 0, .hi = 1000000, .what = "warm-up count"),
	ROW("min-time", 0, "SEC", "time each cell for at least SEC seconds (0.2)",
	    OPT_SECONDS, min_time, .what = "minimum time"),
	ROW("max-time", 0, "SEC", "stop timing a cell after SEC seconds (2)",
	    OPT_SECONDS, max_time, .what = "maximum time"),
	ROW("ci-target", 0, "PCT",
	    "time on until the median's 95% CI is within PCT% (2; 0 off)",
	    OPT_PERCENT, ci_target, .what = "CI target"),
	ROW("max-samples", 0, "N", "keep at most N samples per cell (100000)",
	    OPT_UINT, max_samples, .lo = 1, .hi = MEASURE_MAX_SAMPLES,
	    .what = "sample bound"),
	ROW("op-timeout", 0, "SEC",
	    "an operation not back in SEC s hung: record it, end the run (0 off)",
	    OPT_SECONDS, op_timeout, .what = "operation timeout"),
	OPT_SET("cpu", 0, "N",
		"measure on CPU N (default: one near the device, among the process's)",
		set_cpu),
	OPT_END,
};

/* One thread's part of the current round. */
struct slot {
	void *arg;
	uint64_t a_start, a_ns, b_ns;
	int err;
	char failed_op;
};

struct loop {
	const struct measure_pair_ops *ops;
	struct slot slot[CREW_MAX];
	/* With --op-timeout, each thread's operation in flight. */
	struct watchdog_slot *wd;
	/* The round's a phase, all threads together, on the wall clock. */
	uint64_t round_a_ns;
};

enum phase { PHASE_PREPARE, PHASE_A, PHASE_B };

/* By phase, as a hang names the operation. */
static const char *const op_names[WATCHDOG_OPS] = { "preparation",
						    "registration",
						    "deregistration" };

/*
 * One thread's phase. Only the operation sits between the two clock
 * reads. A thread that failed sits the rest of the round out; the others
 * finish theirs, so that every registration made is also undone.
 */
static void run_phase(void *ctx, unsigned i, int phase)
{
	struct loop *l = ctx;
	struct slot *s = &l->slot[i];
	struct watchdog_slot *wd = l->wd ? &l->wd[i] : NULL;
	uint64_t t0;
	int rc;

	if (s->err)
		return;
	/* Armed before the first clock read and disarmed after the second,
	 * the watchdog costs the timed region nothing; it keeps its own
	 * time (watchdog.c). */
	if (wd && phase != PHASE_PREPARE) {
		if (!wd->tid)
			wd->tid = gettid();
		watchdog_arm(wd, (unsigned)phase);
	}
	switch (phase) {
	case PHASE_PREPARE:
		rc = l->ops->prepare ? l->ops->prepare(s->arg) : 0;
		break;
	case PHASE_A:
		t0 = clock_ns();
		rc = l->ops->a(s->arg);
		s->a_ns = clock_ns() - t0;
		s->a_start = t0;
		break;
	default:
		t0 = clock_ns();
		rc = l->ops->b(s->arg);
		s->b_ns = clock_ns() - t0;
		break;
	}
	if (wd && phase != PHASE_PREPARE)
		watchdog_disarm(wd);
	if (rc) {
		s->err = rc;
		s->failed_op = "pab"[phase];
	}
}

/* The first failure of the round, 0 if none. */
static int round_error(const struct loop *l, unsigned n,
		       struct measure_result *res)
{
	for (unsigned i = 0; i < n; i++)
		if (l->slot[i].err) {
			res->err = l->slot[i].err;
			res->failed_op = l->slot[i].failed_op;
			return res->err;
		}
	return 0;
}

static void mark(const struct measure_cell *c, bool observed,
		 enum measure_mark at)
{
	if (observed)
		c->watch->at(c->watch->ctx, at);
}

/*
 * The round's registrations on the wall clock: from the first thread's
 * start to the last one's end. A thread that waits for a CPU before it
 * starts its clock hides the wait from its own sample, so past the CPUs
 * only this span says what all of them did; it leaves out the crew's
 * own hand-off before the first start and after the last end.
 */
static uint64_t round_span(const struct loop *l, unsigned n)
{
	uint64_t first = UINT64_MAX, last = 0;

	for (unsigned i = 0; i < (n ? n : 1); i++) {
		const struct slot *s = &l->slot[i];

		if (s->err)
			continue;
		if (s->a_start < first)
			first = s->a_start;
		if (s->a_start + s->a_ns > last)
			last = s->a_start + s->a_ns;
	}
	return last > first ? last - first : 0;
}

/* One round on every thread; the first, observed one between marks. */
static int one_round(struct crew *crew, struct loop *l,
		     const struct measure_cell *c, bool observed,
		     struct measure_result *res)
{
	crew_run(crew, PHASE_PREPARE);
	if (round_error(l, crew->n, res))
		return -1;
	mark(c, observed, MEASURE_FIRST_BEGIN);
	crew_run(crew, PHASE_A);
	l->round_a_ns = round_span(l, crew->n);
	mark(c, observed, MEASURE_FIRST_A);
	observed = observed && !round_error(l, crew->n, res);
	crew_run(crew, PHASE_B);
	mark(c, observed, MEASURE_FIRST_B);
	return round_error(l, crew->n, res) ? -1 : 0;
}

/* Room for the next round's samples, within max(bound, one round). */
static void grow(struct measure_result *res, size_t *cap, size_t need,
		 size_t bound)
{
	size_t ncap = *cap;

	if (need <= ncap)
		return;
	while (ncap < need)
		ncap = ncap ? ncap * 2 : 256;
	if (ncap > bound)
		ncap = bound > need ? bound : need;
	res->a_ns = xrealloc(res->a_ns, ncap * sizeof(*res->a_ns));
	res->b_ns = xrealloc(res->b_ns, ncap * sizeof(*res->b_ns));
	/* At most one round per sample. */
	res->round_a_ns =
		xrealloc(res->round_a_ns, ncap * sizeof(*res->round_a_ns));
	*cap = ncap;
}

static void keep(const struct loop *l, unsigned n, struct measure_result *res)
{
	for (unsigned i = 0; i < n; i++) {
		res->a_ns[res->n + i] = l->slot[i].a_ns;
		res->b_ns[res->n + i] = l->slot[i].b_ns;
	}
	res->n += n;
	res->round_a_ns[res->rounds++] = l->round_a_ns;
}

/* Half-width of the median's 95% CI relative to the median. */
static double ci_rel(const uint64_t *v, size_t n)
{
	struct stats st;

	if (n < 2 || stats_compute(v, n, &st) || st.p50 <= 0)
		return INFINITY;
	return (st.ci95_hi - st.ci95_lo) / 2 / st.p50;
}

/*
 * The one stop rule, in rounds (a round is one pair on every thread):
 * enough rounds for the time and count asked for, then on until the
 * median of all samples is as sure as asked. The confidence interval is
 * recomputed only when the samples have grown by a quarter since the last
 * look, so the sorting costs O(n log n) overall, outside the timed region.
 */
static bool enough(const struct measure_opts *m, struct measure_result *res,
		   uint64_t elapsed, size_t *next_look)
{
	if (res->n + res->threads > m->max_samples)
		return true;
	if (elapsed >= (uint64_t)(m->max_time * 1e9) && res->rounds >= 2)
		return true;
	if (res->rounds < m->min_iters ||
	    elapsed < (uint64_t)(m->min_time * 1e9))
		return false;
	if (m->ci_target <= 0)
		return true;
	if (res->n < *next_look)
		return false;
	*next_look = res->n + res->n / 4 + 1;
	res->ci_rel = ci_rel(res->a_ns, res->n);
	return res->ci_rel <= m->ci_target;
}

/* The observed round, the warm-up, then the timed rounds. */
static int rounds(const struct measure_opts *m, const struct measure_cell *c,
		  struct crew *crew, struct loop *l, struct measure_result *res)
{
	size_t first_timed = (c->watch ? 1 : 0) + m->warmup, cap = 0;
	size_t next_look = 0;
	uint64_t start = 0;

	for (size_t round = 0;; round++) {
		bool observed = c->watch && round == 0;

		/* Ctrl-C ends a long warm-up too, between rounds. */
		if (measure_stop) {
			res->interrupted = true;
			break;
		}
		if (round == first_timed)
			start = clock_ns();
		if (round >= first_timed)
			grow(res, &cap, res->n + res->threads, m->max_samples);
		if (one_round(crew, l, c, observed, res))
			return -1;
		if (!observed)
			res->loop_pairs += res->threads;
		if (round < first_timed)
			continue;
		keep(l, res->threads, res);
		if (enough(m, res, clock_ns() - start, &next_look))
			break;
	}
	mark(c, c->watch != NULL, MEASURE_LOOP_END);
	return 0;
}

/* With --op-timeout, a watchdog over every thread's operations. */
static int watch_start(const struct measure_opts *m, struct loop *l,
		       struct watchdog *w, struct watchdog_slot *slot,
		       unsigned n)
{
	if (m->op_timeout <= 0)
		return 0;
	memset(slot, 0, n * sizeof(*slot));
	l->wd = slot;
	return watchdog_start(w, m->op_timeout, op_names, slot, n);
}

int measure_run(const struct measure_opts *m, const struct measure_cell *c,
		struct measure_result *res)
{
	struct loop l = { .ops = c->ops };
	struct watchdog_slot slot[CREW_MAX];
	struct watchdog w;
	struct crew crew;
	int rc;

	*res = (struct measure_result){ 0 };
	res->threads = c->threads ? c->threads : 1;
	if (res->threads > CREW_MAX) {
		res->err = EINVAL;
		res->failed_op = 'p';
		return -1;
	}
	for (unsigned i = 0; i < res->threads; i++)
		l.slot[i].arg = c->args[i];
	if ((res->err = watch_start(m, &l, &w, slot, res->threads))) {
		res->failed_op = 'p';
		return -1;
	}
	if ((res->err = crew_start(&crew, res->threads, run_phase,
				   c->thread_start, &l))) {
		res->failed_op = 'p';
		if (l.wd)
			watchdog_stop(&w);
		return -1;
	}
	rc = rounds(m, c, &crew, &l, res);
	crew_end(&crew);
	if (l.wd)
		watchdog_stop(&w);
	if (rc)
		return rc;
	res->ci_rel = ci_rel(res->a_ns, res->n);
	res->ci_met = res->ci_rel <= m->ci_target;
	return 0;
}

int measure_pairs(const struct measure_opts *m,
		  const struct measure_pair_ops *ops, void *arg,
		  struct measure_result *res)
{
	const struct measure_cell c = { .ops = ops, .args = &arg };

	return measure_run(m, &c, res);
}

void measure_result_free(struct measure_result *res)
{
	free(res->a_ns);
	free(res->b_ns);
	free(res->round_a_ns);
	*res = (struct measure_result){ 0 };
}

double measure_timer_overhead(void)
{
	enum { N = 1001 };
	uint64_t d[N], prev = clock_ns(), now;
	struct stats st;

	for (int i = 0; i < N; i++) {
		now = clock_ns();
		d[i] = now - prev;
		prev = now;
	}
	stats_compute(d, N, &st);
	return st.p50;
}
