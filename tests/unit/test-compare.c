// SPDX-License-Identifier: GPL-2.0
/* The statistics of mrbench compare, on samples with a known answer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"

/* Latency-like samples: lognormal around median, with a heavy tail. */
static double *latencies(size_t n, double median, uint64_t seed)
{
	struct compare_rng r = { seed };
	double *v = malloc(n * sizeof(*v));

	for (size_t i = 0; i < n; i++) {
		double u = compare_rng_unit(&r), w = compare_rng_unit(&r);
		double z = sqrt(-2 * log(u)) * cos(2 * M_PI * w);

		v[i] = median * exp(0.2 * z);
		if (compare_rng_unit(&r) < 0.02) /* an interrupt */
			v[i] *= 20;
	}
	return v;
}

static struct compare_opts opts(void)
{
	struct compare_opts o;

	compare_opts_init(&o);
	return o;
}

static void equal_distributions_give_no_verdict(void **state)
{
	struct compare_opts o = opts();
	struct compare_ratio r;

	/* Several independent pairs: none may claim a change. */
	for (uint64_t s = 1; s <= 10; s++) {
		double *a = latencies(400, 50000, s),
		       *b = latencies(400, 50000, s + 100);

		assert_int_equal(compare_samples(a, 400, b, 400, &o, s, &r), 0);
		assert_int_equal(r.verdict, CMP_SAME);
		assert_true(r.lo <= 1 && r.hi >= 1);
		free(a);
		free(b);
	}
}

static void a_2x_shift_is_found(void **state)
{
	struct compare_opts o = opts();
	double *a = latencies(300, 40000, 7), *b = latencies(300, 80000, 8);
	struct compare_ratio r;

	assert_int_equal(compare_samples(a, 300, b, 300, &o, 1, &r), 0);
	assert_int_equal(r.verdict, CMP_SLOWER);
	assert_true(r.lo > 1);
	assert_true(r.lo <= 2 && r.hi >= 2);
	assert_true(r.ratio > 1.8 && r.ratio < 2.2);
	/* The other way round: faster, around one half. */
	assert_int_equal(compare_samples(b, 300, a, 300, &o, 1, &r), 0);
	assert_int_equal(r.verdict, CMP_FASTER);
	assert_true(r.lo <= 0.5 && r.hi >= 0.5 && r.hi < 1);
	free(a);
	free(b);
}

/* A real but tiny change is no change: below the practical threshold. */
static void below_threshold_is_no_change(void **state)
{
	struct compare_opts o = opts();
	size_t n = 20000;
	double *a = malloc(n * sizeof(double)), *b = malloc(n * sizeof(double));
	struct compare_ratio r;

	for (size_t i = 0; i < n; i++) {
		a[i] = 100000 + (double)(i % 100);
		b[i] = a[i] * 1.01;
	}
	assert_int_equal(compare_samples(a, n, b, n, &o, 3, &r), 0);
	assert_true(r.lo > 1); /* the interval sees the change... */
	assert_int_equal(r.verdict, CMP_SAME); /* ...too small to claim */
	o.threshold = 0.005;
	assert_int_equal(compare_samples(a, n, b, n, &o, 3, &r), 0);
	assert_int_equal(r.verdict, CMP_SLOWER);
	free(a);
	free(b);
}

static void few_samples_give_no_interval(void **state)
{
	struct compare_opts o = opts();
	double a[] = { 10, 11, 12, 13 }, b[] = { 20, 21, 22, 23 };
	struct compare_ratio r;

	assert_int_equal(compare_samples(a, 4, b, 4, &o, 1, &r), 0);
	assert_int_equal(r.verdict, CMP_NONE);
	assert_true(isnan(r.lo) && isnan(r.hi));
	assert_true(fabs(r.ratio - 21.5 / 11.5) < 1e-9);
	assert_int_equal(compare_samples(a, 0, b, 4, &o, 1, &r), 0);
	assert_int_equal(r.verdict, CMP_NONE);
}

static void same_seed_same_answer(void **state)
{
	struct compare_opts o = opts();
	double *a = latencies(200, 1000, 1), *b = latencies(200, 1100, 2);
	struct compare_ratio r1, r2;

	compare_samples(a, 200, b, 200, &o, 42, &r1);
	compare_samples(a, 200, b, 200, &o, 42, &r2);
	assert_true(r1.lo == r2.lo && r1.hi == r2.hi);
	free(a);
	free(b);
}

/* The textbook bootstrap median: draw n with replacement, sort, middle. */
static int cmp_d(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return (a > b) - (a < b);
}

static double naive_median(const double *v, size_t n, struct compare_rng *r,
			   double *tmp)
{
	for (size_t i = 0; i < n; i++)
		tmp[i] = v[compare_rng_next(r) % n];
	qsort(tmp, n, sizeof(*tmp), cmp_d);
	return n % 2 ? tmp[n / 2] : (tmp[n / 2 - 1] + tmp[n / 2]) / 2;
}

/*
 * The order-statistic shortcut must draw resampled medians from the same
 * distribution as resampling: compare P(median <= x) at every sample.
 */
static void shortcut_matches_resampling(void **state)
{
	static const size_t sizes[] = { 7, 31, 40 };
	enum { DRAWS = 20000 };

	for (size_t s = 0; s < 3; s++) {
		size_t n = sizes[s];
		double *v = latencies(n, 1000, 9 + s), tmp[64], worst = 0;
		double *fast = malloc(DRAWS * sizeof(double)),
		       *slow = malloc(DRAWS * sizeof(double));
		struct compare_rng r1 = { 1 }, r2 = { 2 };

		qsort(v, n, sizeof(*v), cmp_d);
		for (int i = 0; i < DRAWS; i++) {
			fast[i] = compare_boot_median(v, n, &r1);
			slow[i] = naive_median(v, n, &r2, tmp);
		}
		for (size_t j = 0; j < n; j++) {
			size_t cf = 0, cs = 0;

			for (int i = 0; i < DRAWS; i++) {
				cf += fast[i] <= v[j];
				cs += slow[i] <= v[j];
			}
			worst = fmax(worst,
				     fabs((double)cf - (double)cs) / DRAWS);
		}
		assert_true(worst < 0.02);
		free(v);
		free(fast);
		free(slow);
	}
}

/* A cell of 100000 samples a side: the cost does not grow with n. */
static void large_cells_work(void **state)
{
	struct compare_opts o = opts();
	double *a = latencies(100000, 5000, 5),
	       *b = latencies(100000, 5000 * 1.5, 6);
	struct compare_ratio r;

	assert_int_equal(compare_samples(a, 100000, b, 100000, &o, 1, &r), 0);
	assert_int_equal(r.verdict, CMP_SLOWER);
	assert_true(r.lo <= 1.5 && r.hi >= 1.5 && r.hi - r.lo < 0.05);
	free(a);
	free(b);
}

static void beta_has_its_mean(void **state)
{
	struct compare_rng r = { 11 };
	double sum = 0;

	for (int i = 0; i < 20000; i++)
		sum += compare_rng_beta(&r, 3, 7);
	assert_true(fabs(sum / 20000 - 0.3) < 0.01);
}

/* Sets lined up: timed, changed, refused alike, only in one. */
static void add(struct results_set *s, const char *mem, const char *status,
		const char *errname, double ns)
{
	char line[1024], err[256];
	char samples[256] = "";
	size_t used = 0;

	for (int i = 0; i < 9; i++)
		used += (size_t)snprintf(samples + used, sizeof(samples) - used,
					 "%s%.0f", i ? "," : "", ns + i);
	snprintf(
		line, sizeof(line),
		"{\"bench\":\"reg\",\"mem\":\"%s\",\"reg\":\"regular\",\"size\":4096,"
		"\"access\":\"lw\",\"prefault\":true,\"threads\":1,\"status\":\"%s\","
		"\"errno\":%s,\"reason\":null,\"kernel\":\"6.1\",\"reg_ns\":null,"
		"\"dereg_ns\":null,\"samples\":{\"reg_ns\":[%s],\"dereg_ns\":[%s]}}",
		mem, status, errname, samples, samples);
	s->cells = realloc(s->cells, (s->n + 1) * sizeof(*s->cells));
	assert_int_equal(results_parse_line(line, strlen(line), &s->cells[s->n],
					    NULL, err, sizeof(err)),
			 1);
	s->n++;
}

static int cmp_cell(const void *a, const void *b)
{
	return strcmp(((const struct results_cell *)a)->key,
		      ((const struct results_cell *)b)->key);
}

static void sets_line_up(void **state)
{
	struct results_set a = { 0 }, b = { 0 };
	struct compare_opts o = opts();
	struct compare_result r;

	add(&a, "anon", "ok", "null", 1000);
	add(&b, "anon", "ok", "null", 3000);
	add(&a, "file", "ok", "null", 1000);
	add(&b, "file", "failed", "\"EFAULT\"", 0);
	add(&a, "dax", "failed", "\"EOPNOTSUPP\"", 0);
	add(&b, "dax", "failed", "\"EOPNOTSUPP\"", 0);
	add(&a, "thp", "ok", "null", 1000);
	add(&b, "memfd", "ok", "null", 1000);
	qsort(a.cells, a.n, sizeof(*a.cells), cmp_cell);
	qsort(b.cells, b.n, sizeof(*b.cells), cmp_cell);
	assert_int_equal(compare_sets(&a, &b, &o, &r), 0);
	assert_int_equal(r.ntimed, 1);
	assert_string_equal(r.timed[0].a->mem, "anon");
	assert_int_equal(r.timed[0].op[0].verdict, CMP_SLOWER);
	assert_int_equal(r.nchanged, 1);
	assert_string_equal(results_outcome(r.changed[0].a), "ok");
	assert_string_equal(results_outcome(r.changed[0].b), "EFAULT");
	assert_int_equal(r.same_refusal, 1);
	assert_int_equal(r.nonly_a, 1);
	assert_string_equal(r.only_a[0]->mem, "thp");
	assert_int_equal(r.nonly_b, 1);
	assert_string_equal(r.only_b[0]->mem, "memfd");
	compare_result_free(&r);
	results_free(&a);
	results_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(equal_distributions_give_no_verdict),
		cmocka_unit_test(a_2x_shift_is_found),
		cmocka_unit_test(below_threshold_is_no_change),
		cmocka_unit_test(few_samples_give_no_interval),
		cmocka_unit_test(same_seed_same_answer),
		cmocka_unit_test(shortcut_matches_resampling),
		cmocka_unit_test(large_cells_work),
		cmocka_unit_test(beta_has_its_mean),
		cmocka_unit_test(sets_line_up),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
