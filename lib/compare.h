/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_COMPARE_H
#define MRBENCH_COMPARE_H

#include <stddef.h>
#include <stdint.h>

#include "results.h"

/*
 * Two result sets side by side. For a cell timed in both, the ratio of
 * the medians B/A and its 95% confidence interval by bootstrap from the
 * raw samples; a verdict claims a change only when the interval excludes
 * 1 and the ratio is further than the threshold from 1.
 */

#define COMPARE_THRESHOLD     0.02 /* 2%: below this a change is no change */
#define COMPARE_RESAMPLES     4000 /* bootstrap resamples per ratio */
#define COMPARE_MAX_RESAMPLES 100000
#define COMPARE_MIN_SAMPLES   5 /* fewer on either side: no interval */
#define COMPARE_SEED	      0x6d72626e63687631ULL

struct compare_opts {
	double threshold; /* fraction: 0.02 is 2% */
	unsigned resamples;
	uint64_t seed;
};

enum compare_verdict {
	CMP_NONE, /* too few samples to say */
	CMP_SAME, /* no change the interval supports */
	CMP_FASTER, /* B takes less time than A */
	CMP_SLOWER,
};

struct compare_ratio {
	double med_a, med_b; /* medians of the samples (or the records' p50) */
	double ratio; /* med_b / med_a */
	double lo, hi; /* 95% interval of the ratio, NAN without one */
	size_t n_a, n_b;
	enum compare_verdict verdict;
};

/* A cell present in both sets; op[0] registration, op[1] deregistration. */
struct compare_pair {
	const struct results_cell *a, *b;
	struct compare_ratio op[2];
};

struct compare_result {
	struct compare_pair *timed; /* ok in both */
	struct compare_pair *changed; /* outcome differs: status or errno */
	const struct results_cell **only_a, **only_b;
	size_t ntimed, nchanged, nonly_a, nonly_b;
	size_t same_refusal; /* refused alike in both: not listed */
};

/* The deterministic generator behind the bootstrap (splitmix64). */
struct compare_rng {
	uint64_t s;
};
uint64_t compare_rng_next(struct compare_rng *r);
double compare_rng_unit(struct compare_rng *r); /* in (0, 1) */
double compare_rng_beta(struct compare_rng *r, double a, double b);
/* The median of one resample with replacement of sorted[0..n). */
double compare_boot_median(const double *sorted, size_t n,
			   struct compare_rng *r);

void compare_opts_init(struct compare_opts *o);
const char *compare_verdict_name(enum compare_verdict v);
/* The ratio of medians of b over a, with its interval and verdict. */
int compare_samples(const double *a, size_t na, const double *b, size_t nb,
		    const struct compare_opts *o, uint64_t seed,
		    struct compare_ratio *out);
/* Line up two sets; -1 when out of memory. */
int compare_sets(const struct results_set *a, const struct results_set *b,
		 const struct compare_opts *o, struct compare_result *out);
void compare_result_free(struct compare_result *r);

#endif
