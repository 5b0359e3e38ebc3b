// SPDX-License-Identifier: GPL-2.0
/*
 * Order statistics for latency samples. Latencies are skewed and have
 * outliers (interrupts, page reclaim), so the median and its confidence
 * interval are the figures to trust; the mean and stdev are reported
 * alongside for completeness.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/xalloc.h"
#include "measure/stats.h"

int stats_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double stats_median(const double *v, size_t n)
{
	double *s, m;

	if (!n)
		return NAN;
	s = xmalloc(n * sizeof(*s));
	memcpy(s, v, n * sizeof(*s));
	qsort(s, n, sizeof(*s), stats_cmp_double);
	m = stats_quantile(s, n, 0.5);
	free(s);
	return m;
}

/* Linear interpolation between closest ranks (Hyndman & Fan type 7). */
double stats_quantile(const double *sorted, size_t n, double q)
{
	double h, lo;
	size_t i;

	if (n == 0)
		return NAN;
	if (q <= 0)
		return sorted[0];
	if (q >= 1)
		return sorted[n - 1];
	h = (double)(n - 1) * q;
	lo = floor(h);
	i = (size_t)lo;
	if (i + 1 >= n)
		return sorted[n - 1];
	return sorted[i] + (h - lo) * (sorted[i + 1] - sorted[i]);
}

/*
 * The ranks n/2 - 1.96 sqrt(n) / 2 and 1 + n/2 + 1.96 sqrt(n) / 2 bracket
 * the median with ~95% confidence whatever the distribution (normal
 * approximation of the binomial); with few samples the interval widens to
 * the extremes.
 */
void stats_median_ci(const double *sorted, size_t n, double *lo, double *hi)
{
	double half = 0.98 * sqrt((double)n);
	long l = (long)floor((double)n / 2 - half);
	long u = (long)ceil(1 + (double)n / 2 + half);

	if (n == 0) {
		*lo = *hi = NAN;
		return;
	}
	if (l < 1)
		l = 1;
	if (u > (long)n)
		u = (long)n;
	*lo = sorted[l - 1];
	*hi = sorted[u - 1];
}

int stats_compute(const uint64_t *samples, size_t n, struct stats *st)
{
	double *s, sum = 0, var = 0;

	memset(st, 0, sizeof(*st));
	if (n == 0)
		return -1;
	s = xmalloc(n * sizeof(*s));
	for (size_t i = 0; i < n; i++) {
		s[i] = (double)samples[i];
		sum += s[i];
	}
	qsort(s, n, sizeof(*s), stats_cmp_double);
	st->n = n;
	st->min = s[0];
	st->max = s[n - 1];
	st->p50 = stats_quantile(s, n, 0.50);
	st->p90 = stats_quantile(s, n, 0.90);
	st->p99 = stats_quantile(s, n, 0.99);
	st->mean = sum / (double)n;
	for (size_t i = 0; i < n; i++)
		var += (s[i] - st->mean) * (s[i] - st->mean);
	st->stdev = n > 1 ? sqrt(var / (double)(n - 1)) : 0;
	stats_median_ci(s, n, &st->ci95_lo, &st->ci95_hi);
	free(s);
	return 0;
}
