// SPDX-License-Identifier: GPL-2.0
/*
 * The timed loop. Only the operation itself sits between the two clock
 * reads: preparation, counter snapshots and output happen outside.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "clock.h"
#include "measure.h"
#include "stats.h"

volatile int measure_stop;

void measure_opts_default(struct measure_opts *m)
{
	m->warmup = 1;
	m->min_iters = 10;
	m->min_time = 0.2;
	m->max_time = 10.0;
	m->max_samples = 100000;
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

static int set_max_samples(void *o, const char *a, char *e, size_t l)
{
	return parse_uint(a, 1, 100000000,
			  &((struct measure_opts *)o)->max_samples,
			  "sample bound", e, l);
}

const struct opt measure_opt_table[] = {
	{ "iters", 'n', "N", "at least N timed iterations per cell (10)", set_iters },
	{ "warmup", 0, "N", "untimed iterations before timing (1)", set_warmup },
	{ "min-time", 0, "SEC", "time each cell for at least SEC seconds (0.2)", set_min_time },
	{ "max-time", 0, "SEC", "stop timing a cell after SEC seconds (10)", set_max_time },
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

int measure_pairs(const struct measure_opts *m,
		  const struct measure_pair_ops *ops, void *arg,
		  struct measure_result *res)
{
	uint64_t start, elapsed, min_ns, max_ns, a_ns, b_ns;
	size_t cap = 0;

	*res = (struct measure_result){ 0 };
	for (unsigned i = 0; i < m->warmup; i++) {
		res->err = one_pair(ops, arg, &a_ns, &b_ns, &res->failed_op);
		if (res->err)
			return -1;
	}
	min_ns = (uint64_t)(m->min_time * 1e9);
	max_ns = (uint64_t)(m->max_time * 1e9);
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
		elapsed = clock_ns() - start;
		if (res->n >= m->max_samples)
			break;
		if (res->n >= m->min_iters &&
		    (elapsed >= min_ns || elapsed >= max_ns))
			break;
		/* max_time bounds a cell even when min_iters is not met. */
		if (elapsed >= max_ns && res->n >= 2)
			break;
	}
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
