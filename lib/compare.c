// SPDX-License-Identifier: GPL-2.0
/*
 * The statistics of "mrbench compare".
 *
 * Latency samples are skewed and heavy-tailed, so the figure compared is
 * the median, and its uncertainty comes from the samples themselves: a
 * percentile bootstrap of the ratio of medians, each side resampled with
 * replacement, the interval read at 2.5% and 97.5% of the resampled
 * ratios.
 *
 * A resample's median needs no resample: if the n draws are x[floor(n U)]
 * with U uniform on (0,1) and x sorted, the k-th smallest draw is
 * x[floor(n U(k))], and the k-th order statistic of n uniforms follows
 * Beta(k, n + 1 - k). For an even n the next order statistic is U(k) plus
 * the minimum of the n - k uniforms above it. So one resample costs a few
 * random numbers whatever n is, and a cell of 100000 samples is as quick
 * as one of 100; the result is the same distribution as the textbook
 * procedure (tests/unit/test-compare.c checks the two against each other).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "stats.h"

uint64_t compare_rng_next(struct compare_rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

double compare_rng_unit(struct compare_rng *r)
{
	return ((double)(compare_rng_next(r) >> 11) + 0.5) * 0x1p-53;
}

static double normal(struct compare_rng *r)
{
	double u = compare_rng_unit(r), v = compare_rng_unit(r);

	return sqrt(-2 * log(u)) * cos(2 * M_PI * v);
}

/* Marsaglia and Tsang's method; every shape here is at least 1. */
static double gamma_draw(struct compare_rng *r, double shape)
{
	double d = shape - 1.0 / 3, c = 1 / sqrt(9 * d);

	for (;;) {
		double x = normal(r), v = 1 + c * x, u;

		if (v <= 0)
			continue;
		v = v * v * v;
		u = compare_rng_unit(r);
		if (log(u) < 0.5 * x * x + d - d * v + d * log(v))
			return d * v;
	}
}

double compare_rng_beta(struct compare_rng *r, double a, double b)
{
	double x = gamma_draw(r, a), y = gamma_draw(r, b);

	return x / (x + y);
}

static size_t rank(double u, size_t n)
{
	size_t i = (size_t)(u * (double)n);

	return i < n ? i : n - 1;
}

double compare_boot_median(const double *sorted, size_t n,
			   struct compare_rng *r)
{
	size_t k = (n + 1) / 2;
	double u = compare_rng_beta(r, (double)k, (double)(n + 1 - k)), u2;

	if (n % 2)
		return sorted[rank(u, n)];
	/* The minimum of n - k uniforms on (u, 1). */
	u2 = u +
	     (1 - u) * (1 - pow(compare_rng_unit(r), 1.0 / (double)(n - k)));
	return (sorted[rank(u, n)] + sorted[rank(u2, n)]) / 2;
}

void compare_opts_init(struct compare_opts *o)
{
	o->threshold = COMPARE_THRESHOLD;
	o->resamples = COMPARE_RESAMPLES;
	o->seed = COMPARE_SEED;
}

const char *compare_verdict_name(enum compare_verdict v)
{
	static const char *const names[] = { "n/a", "no change", "faster",
					     "slower" };

	return names[v];
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double *sorted_copy(const double *v, size_t n)
{
	double *s = malloc((n ? n : 1) * sizeof(*s));

	if (!s)
		return NULL;
	memcpy(s, v, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_double);
	return s;
}

static enum compare_verdict judge(const struct compare_ratio *c,
				  double threshold)
{
	if (c->lo > 1 && c->ratio > 1 + threshold)
		return CMP_SLOWER;
	if (c->hi < 1 && c->ratio < 1 - threshold)
		return CMP_FASTER;
	return CMP_SAME;
}

int compare_samples(const double *a, size_t na, const double *b, size_t nb,
		    const struct compare_opts *o, uint64_t seed,
		    struct compare_ratio *out)
{
	struct compare_rng rng = { seed };
	unsigned nres = o->resamples < COMPARE_MAX_RESAMPLES ?
				o->resamples :
				COMPARE_MAX_RESAMPLES;
	double *sa, *sb, *ratios = NULL;
	size_t used = 0;

	memset(out, 0, sizeof(*out));
	out->lo = out->hi = out->ratio = out->med_a = out->med_b = NAN;
	out->n_a = na;
	out->n_b = nb;
	if (!na || !nb)
		return 0;
	sa = sorted_copy(a, na);
	sb = sorted_copy(b, nb);
	if (!sa || !sb)
		goto oom;
	out->med_a = stats_quantile(sa, na, 0.5);
	out->med_b = stats_quantile(sb, nb, 0.5);
	if (out->med_a > 0)
		out->ratio = out->med_b / out->med_a;
	if (na < COMPARE_MIN_SAMPLES || nb < COMPARE_MIN_SAMPLES ||
	    !(out->med_a > 0) || !nres)
		goto done;
	ratios = malloc(nres * sizeof(*ratios));
	if (!ratios)
		goto oom;
	for (unsigned i = 0; i < nres; i++) {
		double ma = compare_boot_median(sa, na, &rng);
		double mb = compare_boot_median(sb, nb, &rng);

		/* A resample whose A median is 0 has no ratio: leave it out. */
		if (ma > 0)
			ratios[used++] = mb / ma;
	}
	if (used < nres / 2)
		goto done;
	qsort(ratios, used, sizeof(*ratios), cmp_double);
	out->lo = stats_quantile(ratios, used, 0.025);
	out->hi = stats_quantile(ratios, used, 0.975);
	out->verdict = judge(out, o->threshold);
done:
	free(ratios);
	free(sa);
	free(sb);
	return 0;
oom:
	free(sa);
	free(sb);
	return -1;
}
