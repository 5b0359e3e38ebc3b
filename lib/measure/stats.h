/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_STATS_H
#define MRBENCH_STATS_H

#include <stddef.h>
#include <stdint.h>

/* Robust summary of a set of timings, all in ns. */
struct stats {
	size_t n;
	double min, p50, p90, p99, max;
	double mean, stdev;
	/* Distribution-free 95% confidence interval of the median. */
	double ci95_lo, ci95_hi;
};

double stats_quantile(const double *sorted, size_t n, double q);
/* The median of n values in any order; NAN when none or out of memory. */
double stats_median(const double *v, size_t n);
/* qsort's comparison of doubles, ascending. */
int stats_cmp_double(const void *a, const void *b);
int stats_compute(const uint64_t *samples, size_t n, struct stats *st);
void stats_median_ci(const double *sorted, size_t n, double *lo, double *hi);

#endif
