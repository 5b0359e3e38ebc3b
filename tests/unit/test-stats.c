// SPDX-License-Identifier: GPL-2.0
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>

#include "measure/stats.h"

static void known_values(void **state)
{
	/* 1..100: median 50.5, p90 90.1, p99 99.01 (type 7). */
	uint64_t v[100];
	struct stats st;

	for (int i = 0; i < 100; i++)
		v[i] = (uint64_t)(100 - i); /* unsorted input */
	assert_int_equal(stats_compute(v, 100, &st), 0);
	assert_int_equal(st.n, 100);
	assert_float_equal(st.min, 1, 1e-9);
	assert_float_equal(st.max, 100, 1e-9);
	assert_float_equal(st.p50, 50.5, 1e-9);
	assert_float_equal(st.p90, 90.1, 1e-9);
	assert_float_equal(st.p99, 99.01, 1e-9);
	assert_float_equal(st.mean, 50.5, 1e-9);
	/* Sample stdev of 1..100 = sqrt(100*101/12) = 29.0115 */
	assert_float_equal(st.stdev, 29.011491975882016, 1e-9);
	/* Ranks floor(50 - 9.8) = 40 and ceil(51 + 9.8) = 61. */
	assert_float_equal(st.ci95_lo, 40, 1e-9);
	assert_float_equal(st.ci95_hi, 61, 1e-9);
	/* The samples themselves are left in their order. */
	assert_int_equal(v[0], 100);
}

static void small_sets(void **state)
{
	uint64_t one = 7, two[2] = { 10, 20 };
	struct stats st;

	assert_int_equal(stats_compute(&one, 1, &st), 0);
	assert_float_equal(st.p50, 7, 1e-9);
	assert_float_equal(st.p99, 7, 1e-9);
	assert_float_equal(st.stdev, 0, 1e-9);
	assert_float_equal(st.ci95_lo, 7, 1e-9);
	assert_float_equal(st.ci95_hi, 7, 1e-9);
	assert_int_equal(stats_compute(two, 2, &st), 0);
	assert_float_equal(st.p50, 15, 1e-9);
	assert_float_equal(st.ci95_lo, 10, 1e-9);
	assert_float_equal(st.ci95_hi, 20, 1e-9);
	assert_int_not_equal(stats_compute(two, 0, &st), 0);
}

static void median_ci_covers(void **state)
{
	/* The interval narrows as samples grow and always holds the median. */
	static uint64_t v[10000];
	struct stats a, b;

	for (int i = 0; i < 10000; i++)
		v[i] = (uint64_t)((i * 7919) % 10000);
	stats_compute(v, 100, &a);
	stats_compute(v, 10000, &b);
	assert_true(a.ci95_lo <= a.p50 && a.p50 <= a.ci95_hi);
	assert_true(b.ci95_lo <= b.p50 && b.p50 <= b.ci95_hi);
	assert_true((b.ci95_hi - b.ci95_lo) / b.p50 < (a.ci95_hi - a.ci95_lo) / a.p50);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(known_values),
		cmocka_unit_test(small_sets),
		cmocka_unit_test(median_ci_covers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
