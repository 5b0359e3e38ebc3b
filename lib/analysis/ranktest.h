/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_RANKTEST_H
#define MRBENCH_RANKTEST_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Two small samples of positive figures (one per run) and how far apart
 * they are, without assuming how the figures are distributed: the
 * Mann-Whitney rank test and the interval for the ratio that goes with
 * it (Hodges and Lehmann 1963, Bauer 1972), from the exact distribution
 * of the rank statistic when the runs are few.
 */

/* Runs per side up to which the distribution is counted exactly. */
#define RANKTEST_EXACT_MAX 60

struct ranktest {
	size_t m, n; /* figures in a and in b */
	double ratio; /* the median of the m*n ratios b_j / a_i */
	double lo, hi; /* its interval; NAN when the runs cannot give one */
	double p; /* two-sided p-value of "same distribution" */
	double level; /* the interval's coverage, at least the one asked */
	bool exact; /* counted, not the normal approximation */
};

/*
 * P(U <= u) for the Mann-Whitney statistic of sizes m and n under the
 * null hypothesis, counted exactly (no ties) or approximated beyond
 * RANKTEST_EXACT_MAX. u may be negative (0) or above m*n (1).
 */
double ranktest_cdf(size_t m, size_t n, long u);

/*
 * Compare b against a at confidence conf (0.95). Figures must be > 0.
 * Returns -1 when out of memory or a figure is not positive.
 */
int ranktest_ratio(const double *a, size_t m, const double *b, size_t n,
		   double conf, struct ranktest *out);

#endif
