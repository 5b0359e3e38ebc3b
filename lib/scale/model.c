// SPDX-License-Identifier: GPL-2.0
/*
 * The cost model of a size sweep. Sizes double from 4K, so the points
 * span six decades: a plain least-squares line would be the two largest
 * sizes alone. Each point is weighted by 1/t^2, which makes the fit
 * minimise relative errors, and the small sizes decide the fixed cost
 * while the large ones decide the per-page cost. One bend is allowed
 * because the per-page cost is not one number everywhere (the caches,
 * THP and the allocator's zones all change with size); it is kept only
 * when the data ask for it. Pure logic: tests/unit/test-model.c.
 */
#include <math.h>
#include <string.h>

#include "scale/model.h"

/* Solve the 3x3 system a x = b (Gaussian elimination, partial pivot). */
static int solve3(double a[3][3], double b[3], double x[3])
{
	for (int c = 0; c < 3; c++) {
		int piv = c;

		for (int r = c + 1; r < 3; r++)
			if (fabs(a[r][c]) > fabs(a[piv][c]))
				piv = r;
		if (fabs(a[piv][c]) < 1e-300)
			return -1;
		for (int k = 0; k < 3; k++) {
			double t = a[c][k];

			a[c][k] = a[piv][k];
			a[piv][k] = t;
		}
		double t = b[c];

		b[c] = b[piv];
		b[piv] = t;
		for (int r = c + 1; r < 3; r++) {
			double f = a[r][c] / a[c][c];

			for (int k = c; k < 3; k++)
				a[r][k] -= f * a[c][k];
			b[r] -= f * b[c];
		}
	}
	for (int r = 2; r >= 0; r--) {
		double s = b[r];

		for (int k = r + 1; k < 3; k++)
			s -= a[r][k] * x[k];
		x[r] = s / a[r][r];
	}
	return 0;
}

/* The relative residuals' sum of squares of f over the points. */
static double rel_sse(const struct model_fit *f, const struct model_point *p,
		      size_t n)
{
	double s = 0;

	for (size_t i = 0; i < n; i++) {
		double r = (p[i].ns - model_predict(f, p[i].pages)) / p[i].ns;

		s += r * r;
	}
	return s;
}

/*
 * Weighted least squares on the basis 1, min(x, bend), max(x - bend, 0);
 * with bend 0 the last column is x itself and the second is dropped.
 * A negative coefficient is no cost: it is refitted without that term.
 */
static int fit_bend(const struct model_point *p, size_t n, double bend,
		    struct model_fit *f)
{
	bool use[3] = { true, bend > 0, true };

	for (int tries = 0; tries < 3; tries++) {
		double a[3][3] = { { 0 } }, b[3] = { 0 }, x[3] = { 0 };

		for (size_t i = 0; i < n; i++) {
			double w = 1 / (p[i].ns * p[i].ns);
			double v[3] = { 1,
					bend > 0 ? fmin(p[i].pages, bend) : 0,
					bend > 0 ? fmax(p[i].pages - bend, 0) :
						   p[i].pages };

			for (int r = 0; r < 3; r++) {
				if (!use[r])
					v[r] = 0;
			}
			for (int r = 0; r < 3; r++) {
				for (int c = 0; c < 3; c++)
					a[r][c] += w * v[r] * v[c];
				b[r] += w * v[r] * p[i].ns;
			}
		}
		/* An unused term: x = 0 by an identity row. */
		for (int r = 0; r < 3; r++)
			if (!use[r]) {
				a[r][r] = 1;
				b[r] = 0;
			}
		if (solve3(a, b, x))
			return -1;
		bool neg = false;

		for (int r = 0; r < 3; r++)
			if (use[r] && x[r] < 0) {
				use[r] = false;
				neg = true;
			}
		if (neg)
			continue;
		*f = (struct model_fit){
			.fixed_ns = x[0],
			.per_page_ns = bend > 0 ? x[1] : x[2],
			.bend_pages = bend,
			.after_ns = x[2],
			.n = n,
		};
		return 0;
	}
	return -1;
}

int model_fit(const struct model_point *p, size_t n, struct model_fit *f)
{
	struct model_fit best, line;
	double sse_line, sse_best;

	for (size_t i = 0; i < n; i++)
		if (!(p[i].ns > 0) || !(p[i].pages > 0))
			return -1;
	if (n < 3 || fit_bend(p, n, 0, &line))
		return -1;
	sse_line = sse_best = rel_sse(&line, p, n);
	best = line;
	/* A bend at a measured size, with three points on either side. */
	for (size_t k = 2; n >= 6 && k + 3 < n; k++) {
		struct model_fit seg;
		double sse;

		if (fit_bend(p, n, p[k].pages, &seg))
			continue;
		sse = rel_sse(&seg, p, n);
		if (sse < sse_best) {
			sse_best = sse;
			best = seg;
		}
	}
	if (best.bend_pages > 0 &&
	    (sse_best > sse_line / 2 ||
	     fabs(best.after_ns - best.per_page_ns) <
		     0.25 * fmax(best.after_ns, best.per_page_ns))) {
		best = line;
		sse_best = sse_line;
	}
	*f = best;
	f->rel_rms = sqrt(sse_best / (double)n);
	return 0;
}

double model_predict(const struct model_fit *f, double pages)
{
	if (f->bend_pages <= 0)
		return f->fixed_ns + f->per_page_ns * pages;
	return f->fixed_ns + f->per_page_ns * fmin(pages, f->bend_pages) +
	       f->after_ns * fmax(pages - f->bend_pages, 0);
}

double model_knee(const struct model_fit *f)
{
	return f->per_page_ns > 0 ? f->fixed_ns / f->per_page_ns : NAN;
}

/* Student's t at 97.5% for df degrees of freedom. */
static double t975(size_t df)
{
	static const double t[] = { 0,	   12.706, 4.303, 3.182, 2.776, 2.571,
				    2.447, 2.365,  2.306, 2.262, 2.228, 2.201,
				    2.179, 2.160,  2.145, 2.131, 2.120, 2.110,
				    2.101, 2.093,  2.086, 2.080, 2.074, 2.069,
				    2.064, 2.060,  2.056, 2.052, 2.048, 2.045,
				    2.042 };

	return df < sizeof(t) / sizeof(t[0]) ? t[df] : 1.96;
}

void model_interval(const double *v, size_t k, double *mean, double *lo,
		    double *hi)
{
	double m = 0, var = 0, half;

	for (size_t i = 0; i < k; i++)
		m += v[i] / (double)k;
	*mean = k ? m : NAN;
	*lo = *hi = NAN;
	if (k < 2)
		return;
	for (size_t i = 0; i < k; i++)
		var += (v[i] - m) * (v[i] - m) / (double)(k - 1);
	half = t975(k - 1) * sqrt(var) * sqrt(1 + 1 / (double)k);
	*lo = m - half;
	*hi = m + half;
}
