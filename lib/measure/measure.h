/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_MEASURE_H
#define MRBENCH_MEASURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cli/opt.h"

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
	double op_timeout;    /* an operation longer than this (s) hung:
				 the run ends there (watchdog.h; 0: off) */
	int cpu;	      /* --cpu: the measuring CPU; -1: one near the
				 device among those the process may use */
};

extern const struct opt measure_opt_table[];
void measure_opts_default(struct measure_opts *m);

/*
 * One timed pair of operations, a then b (register then deregister:
 * what a hang calls them), with an untimed "prepare" before each pair.
 * Each callback returns 0 or a positive errno.
 */
struct measure_pair_ops {
	int (*prepare)(void *arg);
	int (*a)(void *arg);
	int (*b)(void *arg);
};

/*
 * Where the loop stands when it calls a watch: around the first pair of
 * a cell, run on its own before the warm-up (so its counters are the
 * kernel's account of exactly one operation per thread), and at the end
 * of the pairs that follow it.
 */
enum measure_mark {
	MEASURE_FIRST_BEGIN, /* every thread prepared, none has run a */
	MEASURE_FIRST_A,     /* every thread has run a, failed or not */
	MEASURE_FIRST_B,     /* every a succeeded, every thread has run b */
	MEASURE_LOOP_END,    /* the warm-up and timed pairs are done */
};

struct measure_watch {
	void (*at)(void *ctx, enum measure_mark mark);
	void *ctx;
};

/*
 * What the loop runs: the pair on each of threads threads (0 or 1: the
 * calling thread alone), args[i] for thread i, each with its own region.
 * All threads run each phase (prepare, a, b) together; see crew.h. With
 * a watch, a first pair is observed before the warm-up.
 */
struct measure_cell {
	const struct measure_pair_ops *ops;
	void *const *args;
	unsigned threads;
	const struct measure_watch *watch;
	/* Optional: each thread's first call, when there are threads (to
	 * bind thread i to a core of its own). */
	void (*thread_start)(unsigned i);
};

struct measure_result {
	/* Samples, n of them: round k's thread i at k * threads + i. */
	uint64_t *a_ns, *b_ns;
	size_t n;
	size_t rounds;	     /* timed rounds: n / threads */
	/* Each timed round's registrations on the wall clock, from the
	 * round's start to the last thread's end: rounds of them. */
	uint64_t *round_a_ns;
	unsigned threads;
	size_t loop_pairs;   /* pairs after the observed one, warm-up too */
	int err;	     /* errno of the first failure, 0 if none */
	char failed_op;	     /* 'p', 'a' or 'b' when err != 0 */
	bool interrupted;    /* stopped early by a signal */
	double ci_rel;	     /* the median's 95% CI half-width / median */
	bool ci_met;	     /* ci_rel <= the target when the loop ended */
};

/* Set from a signal handler; loops stop between iterations. */
extern volatile int measure_stop;

int measure_run(const struct measure_opts *m, const struct measure_cell *c,
		struct measure_result *res);
/* measure_run on the calling thread alone, with no observed pair. */
int measure_pairs(const struct measure_opts *m,
		  const struct measure_pair_ops *ops, void *arg,
		  struct measure_result *res);
void measure_result_free(struct measure_result *res);
/* Median cost of reading the clock once, in ns. */
double measure_timer_overhead(void);

#endif
