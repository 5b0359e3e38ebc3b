/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_MEASURE_H
#define MRBENCH_MEASURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "opt.h"

/*
 * The most samples a cell keeps. Bounded so that its record, two arrays
 * of at most 20 characters a sample, always fits the reader's line
 * (RESULTS_MAX_LINE): a set mrbench writes, mrbench can read.
 */
#define MEASURE_MAX_SAMPLES 1000000u

struct measure_opts {
	unsigned warmup;      /* untimed iterations first */
	unsigned min_iters;   /* at least this many timed iterations */
	double min_time;      /* and at least this long (s) */
	double max_time;      /* but stop after this long (s) */
	unsigned max_samples; /* bound on kept samples (and iterations) */
	double ci_target;     /* go on until the median's 95% CI half-width
				 is within this fraction of it (0: off) */
};

extern const struct opt measure_opt_table[];
void measure_opts_default(struct measure_opts *m);

/*
 * One timed pair of operations, a then b (register then deregister),
 * with an untimed "prepare" before each pair. Each callback returns 0 or
 * a positive errno.
 */
struct measure_pair_ops {
	int (*prepare)(void *arg);
	int (*a)(void *arg);
	int (*b)(void *arg);
};

struct measure_result {
	uint64_t *a_ns, *b_ns; /* samples, n of them */
	size_t n;
	int err;	     /* errno of the first failure, 0 if none */
	char failed_op;	     /* 'p', 'a' or 'b' when err != 0 */
	bool interrupted;    /* stopped early by a signal */
	double ci_rel;	     /* the median's 95% CI half-width / median */
	bool ci_met;	     /* ci_rel <= the target when the loop ended */
};

/* Set from a signal handler; loops stop between iterations. */
extern volatile int measure_stop;

int measure_pairs(const struct measure_opts *m,
		  const struct measure_pair_ops *ops, void *arg,
		  struct measure_result *res);
void measure_result_free(struct measure_result *res);
/* Median cost of reading the clock once, in ns. */
double measure_timer_overhead(void);

#endif
