/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_SCALE_MODEL_H
#define MRBENCH_SCALE_MODEL_H

#include <stdbool.h>
#include <stddef.h>

/* One size of a sweep: its pages (base pages) and its median time. */
struct model_point {
	double pages, ns;
};

/*
 * How one run's registration time grows with its size: a fixed cost and
 * a cost per page, which may change once, at the bend:
 *   t = fixed + per_page * min(pages, bend) + after * max(pages - bend, 0)
 * (bend 0: no bend, after == per_page).
 */
struct model_fit {
	double fixed_ns, per_page_ns;
	double bend_pages, after_ns;
	double rel_rms; /* the relative residuals' root mean square */
	size_t n; /* points fitted */
};

/*
 * Fit n points (n >= 3), each weighted by 1/ns^2 so that every size
 * counts by its relative error whatever its magnitude; a bend is kept
 * when it halves the residuals and the per-page cost changes by a
 * quarter or more. 0, or -1 when the points cannot carry a model.
 */
int model_fit(const struct model_point *p, size_t n, struct model_fit *f);
/* The fitted time for a size, in ns. */
double model_predict(const struct model_fit *f, double pages);
/* Where the fixed cost and the pages' cost are equal, in pages. */
double model_knee(const struct model_fit *f);

/*
 * What k runs' values say of the next run: their mean and the 95%
 * prediction interval, mean +- t(k-1) * s * sqrt(1 + 1/k). With k < 2
 * there is no interval: lo and hi are NAN.
 */
void model_interval(const double *v, size_t k, double *mean, double *lo,
		    double *hi);

#endif
