// SPDX-License-Identifier: GPL-2.0
/*
 * The rank statistics behind "mrbench compare".
 *
 * Why ranks of run figures: a registration's time moves from run to run
 * by more than it moves within one (which physical pages, which page
 * table and pool state the run was dealt, the emulator's drift), and it
 * moves in discrete modes, not in a bell curve. A method that only asks
 * which run was faster assumes nothing about that shape, and with few
 * runs its error rate is known exactly rather than hoped for.
 *
 * U counts the pairs (a_i, b_j) with a_i < b_j. Under "both sides are
 * runs of the same thing" every order of the m + n figures is equally
 * likely, so P(U = u) is the number of orders with u such pairs over
 * C(m + n, m). Those numbers obey c(i, j, u) = c(i - 1, j, u) +
 * c(i, j - 1, u - i) (the largest figure is an a, adding no pair, or a
 * b above all i a's), counted here in doubles, additions only.
 *
 * The interval of the ratio comes from the same distribution: of the m*n
 * log ratios d = log b_j - log a_i, sorted, [d(k), d(mn + 1 - k)] covers
 * the true shift with probability 1 - 2 P(U <= k - 1). With too few runs
 * even k = 1 falls short of the coverage asked, and there is no interval:
 * 3 runs a side can never reach 95% (1 - 2/20 = 90%), 4 can (97.1%).
 */
#include <math.h>
#include <stdlib.h>

#include "cli/xalloc.h"
#include "analysis/ranktest.h"
#include "measure/stats.h"

/* P(U <= u) for u = 0..m*n, exactly. */
static double *exact_cdf(size_t m, size_t n)
{
	size_t mn = m * n, w = mn + 1;
	double *c = xcalloc((m + 1) * w, sizeof(*c)), *cdf, total = 0, run = 0;

	for (size_t i = 0; i <= m; i++)
		c[i * w] = 1; /* j = 0: one order, no pairs */
	for (size_t j = 1; j <= n; j++)
		for (size_t i = 1; i <= m; i++) {
			double *ci = c + i * w, *cprev = c + (i - 1) * w;

			/* Descending, so ci[u - i] is still the j - 1 count. */
			for (size_t u = i * j + 1; u-- > 0;)
				ci[u] = cprev[u] + (u >= i ? ci[u - i] : 0);
		}
	cdf = xmalloc(w * sizeof(*cdf));
	for (size_t u = 0; u < w; u++)
		total += c[m * w + u];
	for (size_t u = 0; u < w; u++) {
		run += c[m * w + u];
		cdf[u] = run / total;
	}
	free(c);
	return cdf;
}

static double normal_cdf(size_t m, size_t n, long u)
{
	double mean = (double)m * (double)n / 2;
	double sd = sqrt((double)m * (double)n * (double)(m + n + 1) / 12);

	return 0.5 * erfc(-((double)u + 0.5 - mean) / (sd * M_SQRT2));
}

static bool use_exact(size_t m, size_t n)
{
	return m <= RANKTEST_EXACT_MAX && n <= RANKTEST_EXACT_MAX;
}

/* The distribution once, read many times: table or approximation. */
struct dist {
	size_t m, n;
	double *cdf; /* NULL: the normal approximation */
};

static double dist_cdf(const struct dist *d, long u)
{
	if (u < 0)
		return 0;
	if ((size_t)u >= d->m * d->n)
		return 1;
	return d->cdf ? d->cdf[u] : normal_cdf(d->m, d->n, u);
}

static int dist_init(struct dist *d, size_t m, size_t n)
{
	d->m = m;
	d->n = n;
	d->cdf = NULL;
	if (!use_exact(m, n))
		return 0;
	d->cdf = exact_cdf(m, n);
	return 0;
}

double ranktest_cdf(size_t m, size_t n, long u)
{
	struct dist d;
	double p;

	if (!m || !n)
		return u < 0 ? 0 : 1;
	if (dist_init(&d, m, n))
		return NAN;
	p = dist_cdf(&d, u);
	free(d.cdf);
	return p;
}

int ranktest_ratio(const double *a, size_t m, const double *b, size_t n,
		   double conf, struct ranktest *out)
{
	size_t mn = m * n, k = 0;
	double *d, above = 0, tail;
	struct dist dist;

	*out = (struct ranktest){ .m = m,
				  .n = n,
				  .ratio = NAN,
				  .lo = NAN,
				  .hi = NAN,
				  .p = NAN,
				  .level = NAN };
	if (!m || !n)
		return 0;
	d = xmalloc(mn * sizeof(*d));
	for (size_t i = 0; i < m; i++)
		for (size_t j = 0; j < n; j++) {
			if (!(a[i] > 0) || !(b[j] > 0)) {
				free(d);
				return -1;
			}
			d[i * n + j] = log(b[j]) - log(a[i]);
			above += d[i * n + j] > 0  ? 1 :
				 d[i * n + j] == 0 ? 0.5 :
						     0;
		}
	qsort(d, mn, sizeof(*d), stats_cmp_double);
	out->ratio = exp(stats_quantile(d, mn, 0.5));
	if (dist_init(&dist, m, n)) {
		free(d);
		return -1;
	}
	out->exact = dist.cdf != NULL;
	/* The widest k whose interval still covers at least conf. */
	while (k < mn / 2 && dist_cdf(&dist, (long)k) <= (1 - conf) / 2)
		k++;
	if (k) {
		out->lo = exp(d[k - 1]);
		out->hi = exp(d[mn - k]);
		out->level = 1 - 2 * dist_cdf(&dist, (long)k - 1);
	}
	/* Two-sided: the smaller tail at the observed U, doubled. */
	tail = fmin(dist_cdf(&dist, (long)floor(above)),
		    dist_cdf(&dist, (long)(mn - (size_t)ceil(above))));
	out->p = fmin(1, 2 * tail);
	free(dist.cdf);
	free(d);
	return 0;
}
