// SPDX-License-Identifier: GPL-2.0
/* The timed loop's stopping rules, with operations that do (almost) nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "measure/clock.h"
#include "measure/measure.h"

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

/* Threads: each has its own argument, as each has its own region. */
struct thread_arg {
	int prepares, as, bs;
	int fail_at; /* the a that fails, 0 for none */
	bool prepared; /* prepare ran since the last a */
};

static int t_prepare(void *arg)
{
	struct thread_arg *t = arg;

	t->prepares++;
	t->prepared = true;
	return 0;
}

/* A little work that varies, so that the samples are not all equal. */
static int t_a(void *arg)
{
	struct thread_arg *t = arg;
	volatile unsigned spin = 0;

	if (!t->prepared)
		return EPROTO;
	t->prepared = false;
	for (unsigned i = 0; i < (unsigned)(t->as * 7919) % 2000; i++)
		spin++;
	return ++t->as == t->fail_at ? EFAULT : 0;
}

static int t_b(void *arg)
{
	((struct thread_arg *)arg)->bs++;
	return 0;
}

static const struct measure_pair_ops t_ops = { t_prepare, t_a, t_b };

enum { NT = 3 };

static void run_threads(const struct measure_opts *m, struct thread_arg *t,
			const struct measure_watch *w, struct measure_result *r,
			int expect_rc)
{
	void *args[NT];
	struct measure_cell c = {
		.ops = &t_ops, .args = args, .threads = NT, .watch = w
	};

	for (int i = 0; i < NT; i++)
		args[i] = &t[i];
	assert_int_equal(measure_run(m, &c, r), expect_rc);
}

/* Stop on count alone: n timed rounds after warmup untimed ones. */
static void count_only(struct measure_opts *m, unsigned n, unsigned warmup)
{
	measure_opts_default(m);
	m->min_time = 0;
	m->ci_target = 0;
	m->min_iters = n;
	m->warmup = warmup;
}

/* Every pair on every thread is prepared first (MEM_REPLACE sources
 * are placed again before each registration). */
static void threads_prepare_every_pair(void **state)
{
	struct thread_arg t[NT] = { 0 };
	struct measure_opts m;
	struct measure_result r;

	count_only(&m, 12, 2);
	run_threads(&m, t, NULL, &r, 0);
	assert_int_equal(r.threads, NT);
	assert_int_equal(r.rounds, 12);
	assert_int_equal(r.n, 12 * NT);
	assert_int_equal(r.loop_pairs, 14 * NT);
	for (int i = 0; i < NT; i++) {
		assert_int_equal(t[i].prepares, 14);
		assert_int_equal(t[i].as, 14);
		assert_int_equal(t[i].bs, 14);
	}
	measure_result_free(&r);
}

/* The confidence target holds with threads as it does with one: a
 * target too tight to meet runs on to the sample bound. */
static void threads_ci_target(void **state)
{
	struct thread_arg t[NT] = { 0 };
	struct measure_opts m;
	struct measure_result r;

	count_only(&m, 10, 1);
	m.max_time = 60;
	m.max_samples = 3000;
	run_threads(&m, t, NULL, &r, 0);
	assert_int_equal(r.rounds, 10);
	measure_result_free(&r);

	memset(t, 0, sizeof(t));
	m.ci_target = 1e-9;
	run_threads(&m, t, NULL, &r, 0);
	assert_int_equal(r.rounds, 1000);
	assert_int_equal(r.n, 3000);
	assert_false(r.ci_met);
	measure_result_free(&r);
}

static enum measure_mark marks[8];
static int nmarks;

static void note_mark(void *ctx, enum measure_mark mark)
{
	struct thread_arg *t = ctx;

	/* Nothing runs while the watch reads its counters. */
	if (mark == MEASURE_FIRST_A)
		assert_int_equal(t[0].as + t[1].as + t[2].as, NT);
	if (mark == MEASURE_FIRST_B)
		assert_int_equal(t[0].bs + t[1].bs + t[2].bs, NT);
	if (nmarks < 8)
		marks[nmarks++] = mark;
}

static void threads_watch(void **state)
{
	struct thread_arg t[NT] = { 0 };
	const struct measure_watch w = { note_mark, t };
	struct measure_opts m;
	struct measure_result r;

	count_only(&m, 5, 1);
	nmarks = 0;
	run_threads(&m, t, &w, &r, 0);
	assert_int_equal(nmarks, 4);
	assert_int_equal(marks[0], MEASURE_FIRST_BEGIN);
	assert_int_equal(marks[1], MEASURE_FIRST_A);
	assert_int_equal(marks[2], MEASURE_FIRST_B);
	assert_int_equal(marks[3], MEASURE_LOOP_END);
	/* The observed pair is not a sample and not in the loop. */
	assert_int_equal(r.rounds, 5);
	assert_int_equal(r.loop_pairs, 6 * NT);
	assert_int_equal(t[0].as, 7);
	measure_result_free(&r);
}

/* Each worker thread starts once, with its own index (to bind it to a
 * core of its own); the calling thread alone never does. */
static unsigned started_mask, starts;

static void note_start(unsigned i)
{
	__atomic_fetch_or(&started_mask, 1u << i, __ATOMIC_RELAXED);
	__atomic_fetch_add(&starts, 1, __ATOMIC_RELAXED);
}

static void threads_start_once(void **state)
{
	struct thread_arg t[NT] = { 0 };
	void *args[NT] = { &t[0], &t[1], &t[2] };
	struct measure_cell c = { .ops = &t_ops, .args = args, .threads = NT,
				  .thread_start = note_start };
	struct measure_opts m;
	struct measure_result r;

	count_only(&m, 4, 1);
	assert_int_equal(measure_run(&m, &c, &r), 0);
	assert_int_equal(starts, NT);
	assert_int_equal(started_mask, (1u << NT) - 1);
	measure_result_free(&r);
	c.threads = 1;
	starts = 0;
	assert_int_equal(measure_run(&m, &c, &r), 0);
	assert_int_equal(starts, 0);
	measure_result_free(&r);
}

/* One thread's failure ends the cell; the others undo what they did. */
static void threads_failure(void **state)
{
	struct thread_arg t[NT] = { 0 };
	struct measure_opts m;
	struct measure_result r;

	count_only(&m, 100, 0);
	t[1].fail_at = 4;
	run_threads(&m, t, NULL, &r, -1);
	assert_int_equal(r.err, EFAULT);
	assert_int_equal(r.failed_op, 'a');
	assert_int_equal(r.rounds, 3);
	assert_int_equal(t[0].bs, 4);
	assert_int_equal(t[1].bs, 3);
	assert_int_equal(t[2].bs, 4);
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
		cmocka_unit_test(threads_prepare_every_pair),
		cmocka_unit_test(threads_ci_target),
		cmocka_unit_test(threads_watch),
		cmocka_unit_test(threads_failure),
		cmocka_unit_test(threads_start_once),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
