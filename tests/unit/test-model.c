// SPDX-License-Identifier: GPL-2.0
/* The size sweep's cost model (lib/scale/model.c) on made-up sweeps. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "scale/model.h"

/* A sweep from 1 page doubling n times, its times from a model. */
static size_t sweep(struct model_point *p, size_t n, const struct model_fit *m,
		    double wobble)
{
	for (size_t i = 0; i < n; i++) {
		p[i].pages = (double)(1ULL << i);
		/* Alternate up and down by wobble, as noise would. */
		p[i].ns = model_predict(m, p[i].pages) *
			  (1 + (i % 2 ? wobble : -wobble));
	}
	return n;
}

static void line_recovered(void **state)
{
	struct model_fit truth = { .fixed_ns = 5000, .per_page_ns = 100 }, f;
	struct model_point p[22];

	assert_int_equal(model_fit(p, sweep(p, 22, &truth, 0), &f), 0);
	assert_true(fabs(f.fixed_ns - 5000) < 1);
	assert_true(fabs(f.per_page_ns - 100) < 1e-6);
	assert_true(f.bend_pages == 0);
	assert_true(f.rel_rms < 1e-9);
	/* Where the two costs are equal: 50 pages. */
	assert_true(fabs(model_knee(&f) - 50) < 1e-3);
	/* 1 TiB of 4K pages. */
	assert_true(fabs(model_predict(&f, 268435456.0) -
			 (5000 + 100 * 268435456.0)) < 1);
}

/* A little noise keeps the line: no bend where none is. */
static void noise_is_no_bend(void **state)
{
	struct model_fit truth = { .fixed_ns = 2000, .per_page_ns = 80 }, f;
	struct model_point p[20];

	assert_int_equal(model_fit(p, sweep(p, 20, &truth, 0.03), &f), 0);
	assert_true(f.bend_pages == 0);
	assert_true(fabs(f.per_page_ns - 80) / 80 < 0.05);
}

/* The per-page cost triples past 4096 pages: the bend is found there. */
static void bend_found(void **state)
{
	struct model_fit truth = { .fixed_ns = 3000,
				   .per_page_ns = 50,
				   .bend_pages = 4096,
				   .after_ns = 150 },
			 f;
	struct model_point p[22];

	assert_int_equal(model_fit(p, sweep(p, 22, &truth, 0), &f), 0);
	assert_true(f.bend_pages == 4096);
	assert_true(fabs(f.after_ns - 150) < 1e-6);
	assert_true(fabs(f.per_page_ns - 50) < 1e-6);
}

/* No fixed cost: the negative intercept a plain fit gives is dropped. */
static void no_negative_cost(void **state)
{
	struct model_point p[] = {
		{ 1, 95 }, { 2, 205 }, { 4, 398 }, { 8, 810 }, { 16, 1590 },
	};
	struct model_fit f;

	assert_int_equal(model_fit(p, 5, &f), 0);
	assert_true(f.fixed_ns >= 0 && f.per_page_ns > 90);
}

static void too_few_or_bad(void **state)
{
	struct model_point p[] = { { 1, 100 }, { 2, 200 }, { 4, 0 } };
	struct model_fit f;

	assert_int_equal(model_fit(p, 2, &f), -1);
	assert_int_equal(model_fit(p, 3, &f), -1);
}

static void interval_of_runs(void **state)
{
	double v[] = { 10, 12, 11 }, m, lo, hi;

	model_interval(v, 3, &m, &lo, &hi);
	assert_true(fabs(m - 11) < 1e-12);
	/* t(2) = 4.303, s = 1: 4.303 * sqrt(4/3). */
	assert_true(fabs(hi - 11 - 4.303 * sqrt(4.0 / 3)) < 1e-9);
	assert_true(fabs(11 - lo - 4.303 * sqrt(4.0 / 3)) < 1e-9);
	model_interval(v, 1, &m, &lo, &hi);
	assert_true(m == 10 && isnan(lo) && isnan(hi));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(line_recovered),
		cmocka_unit_test(noise_is_no_bend),
		cmocka_unit_test(bend_found),
		cmocka_unit_test(no_negative_cost),
		cmocka_unit_test(too_few_or_bad),
		cmocka_unit_test(interval_of_runs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
