// SPDX-License-Identifier: GPL-2.0
/* The timed loop's stopping rules, with operations that do nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>

#include "clock.h"
#include "measure.h"

static int calls, a_calls;

static int nothing(void *arg)
{
	calls++;
	return 0;
}

static int fail_third(void *arg)
{
	return ++a_calls == 3 ? EFAULT : 0;
}

static const struct measure_pair_ops ops = { NULL, nothing, nothing };

static void bounds(void **state)
{
	struct measure_opts m;
	struct measure_result r;

	measure_opts_default(&m);
	m.min_time = 0;
	m.ci_target = 0;
	m.min_iters = 7;
	assert_int_equal(measure_pairs(&m, &ops, NULL, &r), 0);
	assert_int_equal(r.n, 7);
	measure_result_free(&r);

	/* The sample bound wins over time and count. */
	m.min_iters = 1000;
	m.max_samples = 50;
	assert_int_equal(measure_pairs(&m, &ops, NULL, &r), 0);
	assert_int_equal(r.n, 50);
	measure_result_free(&r);
}

static void time_cap(void **state)
{
	struct measure_opts m;
	struct measure_result r;
	uint64_t t0;

	measure_opts_default(&m);
	m.min_iters = 100000000;
	m.max_samples = 100000000;
	m.min_time = 100;
	m.max_time = 0.05;
	t0 = clock_ns();
	assert_int_equal(measure_pairs(&m, &ops, NULL, &r), 0);
	assert_true(clock_ns() - t0 < 2000000000ULL);
	assert_true(r.n >= 2);
	measure_result_free(&r);
}

static void ci_target(void **state)
{
	struct measure_opts m;
	struct measure_result r;

	measure_opts_default(&m);
	m.min_time = 0;
	m.min_iters = 20;
	m.ci_target = 0.5; /* loose: met as soon as it is looked at */
	assert_int_equal(measure_pairs(&m, &ops, NULL, &r), 0);
	assert_true(r.ci_met);
	assert_true(r.ci_rel <= 0.5);
	assert_true(r.n >= 20);
	measure_result_free(&r);
}

static void failure(void **state)
{
	const struct measure_pair_ops bad = { NULL, fail_third, nothing };
	struct measure_opts m;
	struct measure_result r;

	measure_opts_default(&m);
	m.warmup = 0;
	a_calls = 0;
	assert_int_equal(measure_pairs(&m, &bad, NULL, &r), -1);
	assert_int_equal(r.err, EFAULT);
	assert_int_equal(r.failed_op, 'a');
	assert_int_equal(r.n, 2);
	measure_result_free(&r);
}

/* The stop flag set during warm-up ends it there: no timed sample. */
static int stop_on_tenth(void *arg)
{
	if (++a_calls == 10)
		measure_stop = 1;
	return 0;
}

static void stop_in_warmup(void **state)
{
	const struct measure_pair_ops stopping = { NULL, stop_on_tenth,
						   nothing };
	struct measure_opts m;
	struct measure_result r;

	measure_opts_default(&m);
	m.warmup = 1000000;
	a_calls = 0;
	assert_int_equal(measure_pairs(&m, &stopping, NULL, &r), 0);
	measure_stop = 0;
	assert_true(r.interrupted);
	assert_int_equal(r.n, 0);
	/* Ten a's and their b's, then the flag is seen. */
	assert_int_equal(a_calls, 10);
	measure_result_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bounds),
		cmocka_unit_test(time_cap),
		cmocka_unit_test(ci_target),
		cmocka_unit_test(failure),
		cmocka_unit_test(stop_in_warmup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
