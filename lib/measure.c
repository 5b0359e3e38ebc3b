// SPDX-License-Identifier: GPL-2.0
/*
 * The timed loop. Only the operation itself sits between the two clock
 * reads: preparation, counter snapshots and output happen outside.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "measure.h"
#include "stats.h"

volatile int measure_stop;

void measure_opts_default(struct measure_opts *m)
{
	m->warmup = 1;
	m->min_iters = 10;
	m->min_time = 0.2;
	m->max_time = 2.0;
	m->max_samples = 100000;
	m->ci_target = 0.02;
}

static int parse_uint(const char *arg, unsigned lo, unsigned hi,
		      unsigned *out, const char *what, char *err,
		      size_t errlen)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (errno || end == arg || *end || arg[0] == '-' || v < lo || v > hi) {
		snprintf(err, errlen, "invalid %s '%s': expected a whole number from %u to %u",
			 what, arg, lo, hi);
		return -1;
	}
	*out = (unsigned)v;
	return 0;
}

static int parse_seconds(const char *arg, double *out, const char *what,
			 char *err, size_t errlen)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (errno || end == arg || *end || !(v >= 0 && v <= 86400)) {
		snprintf(err, errlen, "invalid %s '%s': expected seconds from 0 to 86400",
			 what, arg);
		return -1;
	}
	*out = v;
	return 0;
}

static int set_iters(void *o, const char *a, char *e, size_t l)
{
	return parse_uint(a, 1, 10000000, &((struct measure_opts *)o)->min_iters,
			  "iteration count", e, l);
}

static int set_warmup(void *o, const char *a, char *e, size_t l)
{
	return parse_uint(a, 0, 1000000, &((struct measure_opts *)o)->warmup,
			  "warm-up count", e, l);
}

static int set_min_time(void *o, const char *a, char *e, size_t l)
{
	return parse_seconds(a, &((struct measure_opts *)o)->min_time,
			     "minimum time", e, l);
}

static int set_max_time(void *o, const char *a, char *e, size_t l)
{
	return parse_seconds(a, &((struct measure_opts *)o)->max_time,
			     "maximum time", e, l);
}

static int set_ci_target(void *o, const char *a, char *e, size_t l)
{
	char *end;
	double v = strtod(a, &end);

	if (end == a || (*end && strcmp(end, "%")) || !(v >= 0 && v <= 100)) {
		snprintf(e, l, "invalid CI target '%s': expected a percentage from 0 (off) to 100",
			 a);
		return -1;
	}
	((struct measure_opts *)o)->ci_target = v / 100;
	return 0;
}

static int set_max_samples(void *o, const char *a, char *e, size_t l)
{
	return parse_uint(a, 1, MEASURE_MAX_SAMPLES,
			  &((struct measure_opts *)o)->max_samples,
			  "sample bound", e, l);
}

const struct opt measure_opt_table[] = {
	{ "iters", 'n', "N", "at least N timed iterations per cell (10)", set_iters },
	{ "warmup", 0, "N", "untimed iterations before timing (1)", set_warmup },
	{ "min-time", 0, "SEC", "time each cell for at least SEC seconds (0.2)", set_min_time },
	{ "max-time", 0, "SEC", "stop timing a cell after SEC seconds (2)", set_max_time },
	{ "ci-target", 0, "PCT", "time on until the median's 95% CI is within PCT% (2; 0 off)", set_ci_target },
	{ "max-samples", 0, "N", "keep at most N samples per cell (100000)", set_max_samples },
	{ NULL },
};

static int grow(struct measure_result *res, size_t *cap, size_t bound)
{
	size_t ncap = *cap ? *cap * 2 : 256;
	uint64_t *a, *b;

	if (ncap > bound)
		ncap = bound;
	a = realloc(res->a_ns, ncap * sizeof(*a));
	if (!a)
		return ENOMEM;
	res->a_ns = a;
	b = realloc(res->b_ns, ncap * sizeof(*b));
	if (!b)
		return ENOMEM;
	res->b_ns = b;
	*cap = ncap;
	return 0;
}

static int one_pair(const struct measure_pair_ops *ops, void *arg,
		    uint64_t *a_ns, uint64_t *b_ns, char *failed_op)
{
	uint64_t t0, t1, t2;
	int rc;

	if (ops->prepare && (rc = ops->prepare(arg))) {
		*failed_op = 'p';
		return rc;
	}
	t0 = clock_ns();
	rc = ops->a(arg);
	t1 = clock_ns();
	if (rc) {
		*failed_op = 'a';
		return rc;
	}
	rc = ops->b(arg);
	t2 = clock_ns();
	if (rc) {
		*failed_op = 'b';
		return rc;
	}
	*a_ns = t1 - t0;
	*b_ns = t2 - t1;
	return 0;
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
 * Whether to stop after n samples and elapsed ns. The confidence interval
 * is recomputed only when n has grown by a quarter since the last look,
 * so the sorting costs O(n log n) overall, outside the timed region.
 */
static bool enough(const struct measure_opts *m, struct measure_result *res,
		   uint64_t elapsed, size_t *next_look)
{
	if (res->n >= m->max_samples)
		return true;
	if (elapsed >= (uint64_t)(m->max_time * 1e9) && res->n >= 2)
		return true;
	if (res->n < m->min_iters || elapsed < (uint64_t)(m->min_time * 1e9))
		return false;
	if (m->ci_target <= 0)
		return true;
	if (res->n < *next_look)
		return false;
	*next_look = res->n + res->n / 4 + 1;
	res->ci_rel = ci_rel(res->a_ns, res->n);
	return res->ci_rel <= m->ci_target;
}

int measure_pairs(const struct measure_opts *m,
		  const struct measure_pair_ops *ops, void *arg,
		  struct measure_result *res)
{
	uint64_t start, a_ns, b_ns;
	size_t cap = 0, next_look = 0;

	*res = (struct measure_result){ 0 };
	for (unsigned i = 0; i < m->warmup; i++) {
		/* Ctrl-C in a long warm-up ends it, as in the timed loop. */
		if (measure_stop) {
			res->interrupted = true;
			return 0;
		}
		res->err = one_pair(ops, arg, &a_ns, &b_ns, &res->failed_op);
		if (res->err)
			return -1;
	}
	start = clock_ns();
	for (;;) {
		if (measure_stop) {
			res->interrupted = true;
			break;
		}
		if (res->n == cap && (res->err = grow(res, &cap, m->max_samples))) {
			res->failed_op = 'p';
			return -1;
		}
		res->err = one_pair(ops, arg, &res->a_ns[res->n],
				    &res->b_ns[res->n], &res->failed_op);
		if (res->err)
			return -1;
		res->n++;
		if (enough(m, res, clock_ns() - start, &next_look))
			break;
	}
	res->ci_rel = ci_rel(res->a_ns, res->n);
	res->ci_met = res->ci_rel <= m->ci_target;
	return 0;
}

void measure_result_free(struct measure_result *res)
{
	free(res->a_ns);
	free(res->b_ns);
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
