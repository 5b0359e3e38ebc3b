// SPDX-License-Identifier: GPL-2.0
/*
 * The statistics of mrbench compare, on synthetic run sets with a known
 * answer: runs drawn as the lab shows them (a run effect larger than the
 * sample noise, and kernel-state modes), a planted shift that must be
 * found, A/A sets that must not be called changed, and too few runs;
 * and what else two sets differ in (build, libibverbs, firmware).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "analysis/compare.h"
#include "analysis/compare_report.h"
#include "analysis/ranktest.h"

/* splitmix64: the test's own deterministic generator. */
static uint64_t next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double unit(uint64_t *s)
{
	return ((double)(next(s) >> 11) + 0.5) * 0x1p-53;
}

static double gauss(uint64_t *s)
{
	return sqrt(-2 * log(unit(s))) * cos(2 * M_PI * unit(s));
}

/*
 * n run figures around median: each run its own level (sd between runs,
 * lognormal), and with probability mode_p the run lands in the slower
 * kernel-state mode, 26% up, as 221052 against 278994 ns did in the lab.
 */
static void runs(double *v, size_t n, double median, double sd, double mode_p,
		 uint64_t *s)
{
	for (size_t i = 0; i < n; i++) {
		v[i] = median * exp(sd * gauss(s));
		if (unit(s) < mode_p)
			v[i] *= 278994.0 / 221052.0;
	}
}

static struct compare_opts opts(void)
{
	struct compare_opts o;

	compare_opts_init(&o);
	return o;
}

/* How often, over trials, a comparison of b = shift * a says changed. */
static double change_rate(size_t n, double shift, double sd, double mode_p,
			  enum compare_verdict want, uint64_t seed)
{
	struct compare_opts o = opts();
	int hits = 0, trials = 2000;

	for (int t = 0; t < trials; t++) {
		double a[64], b[64];
		struct compare_ratio r = { .op = "reg" };

		runs(a, n, 100000, sd, mode_p, &seed);
		runs(b, n, 100000 * shift, sd, mode_p, &seed);
		assert_int_equal(compare_runs(a, n, b, n, &o, &r), 0);
		hits += want == CMP_NONE ? (r.verdict == CMP_FASTER ||
					    r.verdict == CMP_SLOWER) :
					   r.verdict == want;
	}
	return (double)hits / trials;
}

static void exact_distribution(void **state)
{
	/* 3 and 3: the most extreme order has probability 1/C(6,3). */
	assert_true(fabs(ranktest_cdf(3, 3, 0) - 1.0 / 20) < 1e-12);
	/* 5 and 5: U <= 2 in 4 of the 252 orders. */
	assert_true(fabs(ranktest_cdf(5, 5, 2) - 4.0 / 252) < 1e-12);
	assert_true(ranktest_cdf(5, 5, -1) == 0 && ranktest_cdf(5, 5, 25) == 1);
	/* Symmetric: P(U <= u) = P(U >= mn - u). */
	for (long u = 0; u < 35; u++)
		assert_true(fabs(ranktest_cdf(5, 7, u) -
				 (1 - ranktest_cdf(5, 7, 34 - u))) < 1e-12);
	/* Counted and approximated agree where both are used. */
	assert_true(fabs(ranktest_cdf(60, 60, 1500) -
			 ranktest_cdf(61, 60, 1525)) < 0.02);
}

static void a_planted_shift_is_found(void **state)
{
	/* 5 runs a side, 2% between runs: a 10% shift nearly always. */
	assert_true(change_rate(5, 1.10, 0.02, 0, CMP_SLOWER, 1) > 0.95);
	assert_true(change_rate(5, 1 / 1.10, 0.02, 0, CMP_FASTER, 2) > 0.95);
}

/*
 * The same thing twice: no more than the interval's 5%, give or take
 * the trials' own error (3 sigma of 2000 trials at 5% is 1.5%). Exactly:
 * 5 runs a side err 3.2% of the time, 8 runs 5.0%, before the threshold.
 */
#define AA_BOUND 0.065

static void aa_is_not_called_changed(void **state)
{
	assert_true(change_rate(5, 1, 0.02, 0, CMP_NONE, 3) <= AA_BOUND);
	assert_true(change_rate(8, 1, 0.10, 0, CMP_NONE, 4) <= AA_BOUND);
	/* Kernel-state modes taken by a third of the runs, at random. */
	assert_true(change_rate(5, 1, 0.005, 0.33, CMP_NONE, 5) <= AA_BOUND);
}

static void too_few_runs_is_inconclusive(void **state)
{
	struct compare_opts o = opts();
	double a[3] = { 100, 101, 102 }, b[5] = { 200, 201, 202, 203, 204 };
	struct compare_ratio r = { .op = "reg" };

	/* A doubling, but 3 runs a side cannot reach 95%. */
	assert_int_equal(compare_runs(a, 3, b, 3, &o, &r), 0);
	assert_int_equal(r.verdict, CMP_INCONCLUSIVE);
	assert_true(fabs(r.ratio - 2) < 0.05);
	assert_true(isnan(r.lo));
	/* One run each: a single-run set. */
	assert_int_equal(compare_runs(a, 1, b, 1, &o, &r), 0);
	assert_int_equal(r.verdict, CMP_INCONCLUSIVE);
	/* 3 against 5 can (1 - 2/56 > 95%), and finds it. */
	assert_int_equal(compare_runs(a, 3, b, 5, &o, &r), 0);
	assert_int_equal(r.verdict, CMP_SLOWER);
	assert_true(r.lo > 1.9 && r.hi < 2.1);
	/* No runs on a side: nothing to compare. */
	assert_int_equal(compare_runs(a, 0, b, 5, &o, &r), 0);
	assert_int_equal(r.verdict, CMP_NONE);
}

static void below_threshold_is_no_change(void **state)
{
	struct compare_opts o = opts();
	double a[6], b[6];
	struct compare_ratio r = { .op = "reg" };

	/* 1% apart, without any noise: sure, but too small to count. */
	for (int i = 0; i < 6; i++) {
		a[i] = 1000 + i;
		b[i] = (1000 + i) * 1.01;
	}
	assert_int_equal(compare_runs(a, 6, b, 6, &o, &r), 0);
	assert_true(r.lo > 1);
	assert_int_equal(r.verdict, CMP_SAME);
}

/* A result file of records, written to a temporary path. */
static char *set_file(const char *const *lines)
{
	char *path = strdup("/tmp/mrbench-test-compare.XXXXXX");
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");

	for (; *lines; lines++)
		fprintf(f, "%s\n", *lines);
	fclose(f);
	return path;
}

#define REC(run, mem, kind, status, err, p50)                                       \
	"{\"schema\":\"mrbench/1\",\"run_id\":\"" run "\",\"bench\":\"migrate\",\"mem\":\"" mem "\","        \
	"\"reg\":\"regular\",\"size\":4194304,\"access\":\"lw\",\"prefault\":true," \
	"\"threads\":1,\"page_size\":2097152,\"page_kind\":\"" kind "\","           \
	"\"status\":\"" status "\",\"errno\":" err ",\"reason\":null,"              \
	"\"kernel\":\"6.12\",\"reg_ns\":{\"p50\":" p50 "},\"dereg_ns\":null}"

static void load(const char *const *lines, struct results_set *s)
{
	char err[512], *path = set_file(lines);

	assert_int_equal(results_load(path, s, err, sizeof(err)), 0);
	unlink(path);
	free(path);
}

static void sets_line_up(void **state)
{
	/* THP and hugetlb-2m share a page size: two cells, not one. */
	static const char *const a_lines[] = {
		REC("r1", "movable", "thp", "ok", "null", "1000"),
		REC("r1", "movable", "hugetlb-2m", "ok", "null", "500"),
		REC("r1", "cma", "thp", "ok", "null", "800"),
		REC("r2", "movable", "thp", "ok", "null", "1010"),
		REC("r2", "movable", "hugetlb-2m", "ok", "null", "505"),
		REC("r2", "cma", "thp", "ok", "null", "805"),
		REC("r3", "movable", "thp", "ok", "null", "990"),
		REC("r3", "movable", "hugetlb-2m", "ok", "null", "495"),
		REC("r3", "cma", "thp", "ok", "null", "795"),
		REC("r4", "movable", "thp", "ok", "null", "1005"),
		REC("r4", "movable", "hugetlb-2m", "ok", "null", "500"),
		REC("r4", "cma", "thp", "ok", "null", "800"),
		NULL
	};
	/* B: hugetlb twice as slow; cma went ok -> unsupported. */
	static const char *const b_lines[] = {
		REC("s1", "movable", "thp", "ok", "null", "1000"),
		REC("s1", "movable", "hugetlb-2m", "ok", "null", "1000"),
		REC("s1", "cma", "thp", "unsupported", "null", "null"),
		REC("s2", "movable", "thp", "ok", "null", "1003"),
		REC("s2", "movable", "hugetlb-2m", "ok", "null", "1010"),
		REC("s2", "cma", "thp", "unsupported", "null", "null"),
		REC("s3", "movable", "thp", "ok", "null", "997"),
		REC("s3", "movable", "hugetlb-2m", "ok", "null", "990"),
		REC("s3", "cma", "thp", "unsupported", "null", "null"),
		REC("s4", "movable", "thp", "ok", "null", "1001"),
		REC("s4", "movable", "hugetlb-2m", "ok", "null", "1000"),
		REC("s4", "cma", "thp", "unsupported", "null", "null"),
		NULL
	};
	struct results_set a, b;
	struct compare_opts o = opts();
	struct compare_result r;

	load(a_lines, &a);
	load(b_lines, &b);
	assert_int_equal(a.n, 3);
	assert_int_equal(a.nruns, 4);
	assert_int_equal(a.dupes, 0);
	assert_int_equal(compare_sets(&a, &b, &o, &r), 0);
	assert_int_equal(r.ntimed, 2);
	for (size_t i = 0; i < r.ntimed; i++) {
		const struct compare_ratio *x = &r.timed[i].op[0];

		assert_int_equal(x->n_a, 4);
		assert_string_equal(x->op, "reg");
		if (!strcmp(r.timed[i].a->scenario, "hugetlb-2m"))
			assert_int_equal(x->verdict, CMP_SLOWER);
		else
			assert_int_equal(x->verdict, CMP_SAME);
	}
	/* ok -> unsupported is a behaviour change, not "only in A". */
	assert_int_equal(r.nchanged, 1);
	assert_string_equal(r.changed[0].a->mem, "cma");
	assert_string_equal(results_outcome(r.changed[0].b), "unsupported");
	assert_int_equal(r.nonly_a + r.nonly_b, 0);
	compare_result_free(&r);
	results_free(&a);
	results_free(&b);
}

static void one_run_repeated_is_a_repeat(void **state)
{
	static const char *const lines[] = {
		REC("r1", "movable", "thp", "ok", "null", "1000"),
		REC("r1", "movable", "thp", "ok", "null", "2000"),
		REC("r2", "movable", "thp", "failed", "\"ENOMEM\"", "null"),
		NULL
	};
	struct results_set s;

	load(lines, &s);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.dupes, 1);
	assert_int_equal(s.cells[0].nruns, 2);
	/* Runs that disagree say so: the cell is not timed as if whole. */
	assert_string_equal(results_outcome(&s.cells[0]), "ENOMEM|ok");
	results_free(&s);
}

static void runs_that_disagree_alike_are_no_change(void **state)
{
	/* The same flaky cell, its runs in another order on each side. */
	static const char *const a_lines[] = {
		REC("r1", "normal", "hugetlb-2m", "ok", "null", "1000"),
		REC("r2", "normal", "hugetlb-2m", "unsupported", "null",
		    "null"),
		NULL
	};
	static const char *const b_lines[] = {
		REC("s1", "normal", "hugetlb-2m", "unsupported", "null",
		    "null"),
		REC("s2", "normal", "hugetlb-2m", "ok", "null", "1000"), NULL
	};
	struct results_set a, b;
	struct compare_opts o = opts();
	struct compare_result r;

	load(a_lines, &a);
	load(b_lines, &b);
	assert_string_equal(results_outcome(&a.cells[0]),
			    results_outcome(&b.cells[0]));
	assert_int_equal(compare_sets(&a, &b, &o, &r), 0);
	assert_int_equal(r.nchanged, 0);
	assert_int_equal(r.ntimed, 0);
	assert_int_equal(r.unstable_alike, 1);
	compare_result_free(&r);
	results_free(&a);
	results_free(&b);
}

static void old_single_run_sets_say_so(void **state)
{
	/* Written before run_index and page_kind: one run, still read. */
	static const char *const lines[] = {
		"{\"schema\":\"mrbench/1\",\"run_id\":\"20261122T055649Z-1a2b3\",\"bench\":\"migrate\","
		"\"mem\":\"normal\",\"reg\":\"regular\",\"size\":4194304,"
		"\"access\":\"lw\",\"prefault\":true,\"threads\":1,"
		"\"page_size\":4096,\"status\":\"ok\",\"errno\":null,"
		"\"reason\":null,\"kernel\":\"6.1\",\"reg_ns\":{\"p50\":1000},"
		"\"dereg_ns\":{\"p50\":100}}",
		NULL
	};
	struct results_set a, b;
	struct compare_opts o = opts();
	struct compare_result r;

	load(lines, &a);
	load(lines, &b);
	assert_int_equal(a.nruns, 1);
	assert_string_equal(a.cells[0].scenario, "page_size=4096");
	assert_int_equal(compare_sets(&a, &b, &o, &r), 0);
	assert_int_equal(r.ntimed, 1);
	assert_int_equal(r.timed[0].nops, 2);
	assert_int_equal(r.timed[0].op[0].verdict, CMP_INCONCLUSIVE);
	assert_true(fabs(r.timed[0].op[0].ratio - 1) < 1e-12);
	compare_result_free(&r);
	results_free(&a);
	results_free(&b);
}

/* A record with its provenance: release, build, .config, THP, stack. */
#define PREC(run, kernel, build, cfg, thp, verbs, prov, fw)                     \
	"{\"schema\":\"mrbench/1\",\"run_id\":\"" run "\",\"bench\":\"reg\","   \
	"\"mem\":\"anon\",\"reg\":\"regular\",\"size\":4096,\"access\":\"lw\"," \
	"\"prefault\":true,\"threads\":1,\"status\":\"ok\",\"errno\":null,"     \
	"\"reason\":null,\"kernel\":\"" kernel                                  \
	"\",\"kernel_build_id\":\"" build "\","                                 \
	"\"kernel_config\":{\"fnv1a64\":\"" cfg "\",\"CONFIG_KSM\":\"y\","      \
	"\"CONFIG_TRANSPARENT_HUGEPAGE\":\"" thp                                \
	"\",\"CONFIG_DMA_CMA\":null},"                                          \
	"\"libibverbs\":\"" verbs "\",\"provider\":\"" prov                     \
	"\",\"firmware\":\"" fw "\","                                           \
	"\"reg_ns\":{\"p50\":1000},\"dereg_ns\":{\"p50\":100}}"

/* The differences of two one-record sets, and their lines for people. */
static char *prov_of(const char *la, const char *lb, struct compare_result *r,
		     struct results_set *a, struct results_set *b)
{
	const char *const al[] = { la, NULL }, *const bl[] = { lb, NULL };
	struct compare_opts o = opts();
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	load(al, a);
	load(bl, b);
	assert_int_equal(compare_sets(a, b, &o, r), 0);
	compare_provenance(r, a, b);
	f = open_memstream(&text, &len);
	compare_prov_print(f, "x: ", r, "A", "B");
	fclose(f);
	return text;
}

static size_t lines(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void prov_free(char *text, struct compare_result *r,
		      struct results_set *a, struct results_set *b)
{
	free(text);
	compare_result_free(r);
	results_free(a);
	results_free(b);
}

static void same_kernel_two_builds_is_warned(void **state)
{
	struct results_set a, b;
	struct compare_result r;
	char *text = prov_of(
		PREC("r1", "6.1.0-57-amd64", "6a2b4ac77585b8cf",
		     "2c87967d45b96c73", "y", "1.14.44.0", "rxe", "0.0.0"),
		PREC("s1", "6.1.0-57-amd64", "3d9e6765e77a7a4c",
		     "9ad9c9d48cbdd561", "n", "1.14.44.0", "rxe", "0.0.0"),
		&r, &a, &b);

	assert_int_equal(r.nprov, 3);
	assert_string_equal(r.prov[0].key, "kernel_build_id");
	assert_string_equal(r.prov[0].a, "6a2b4ac77585b8cf");
	assert_string_equal(r.prov[0].b, "3d9e6765e77a7a4c");
	assert_true(r.prov[0].warn);
	assert_string_equal(r.prov[1].key, "kernel_config");
	assert_string_equal(r.prov[2].key, "CONFIG_TRANSPARENT_HUGEPAGE");
	assert_true(r.prov[2].warn);
	/* One line each: the build, the config with its options. */
	assert_int_equal(lines(text), 2);
	assert_non_null(strstr(
		text,
		"x: warning: A and B are one kernel release from two builds (kernel_build_id 6a2b4ac77585 against 3d9e6765e77a)"));
	assert_non_null(strstr(
		text,
		"x: warning: A and B are one kernel release configured two ways (.config fnv1a64 2c87967d45b96c73 against 9ad9c9d48cbdd561): CONFIG_TRANSPARENT_HUGEPAGE y -> n\n"));
	prov_free(text, &r, &a, &b);
}

static void two_releases_note_their_options(void **state)
{
	struct results_set a, b;
	struct compare_result r;
	char *text = prov_of(
		PREC("r1", "6.1.0-57-amd64", "6a2b4ac77585b8cf",
		     "2c87967d45b96c73", "y", "1.14.44.0", "rxe", "0.0.0"),
		PREC("s1", "6.12.118+deb12-amd64", "3d9e6765e77a7a4c",
		     "9ad9c9d48cbdd561", "n", "1.14.44.0", "rxe", "0.0.0"),
		&r, &a, &b);

	/* Two builds are what two releases are: no warning for that. */
	assert_int_equal(r.nprov, 1);
	assert_string_equal(r.prov[0].key, "CONFIG_TRANSPARENT_HUGEPAGE");
	assert_false(r.prov[0].warn);
	assert_int_equal(lines(text), 1);
	assert_string_equal(
		text,
		"x: note: A and B differ in these recorded options: CONFIG_TRANSPARENT_HUGEPAGE y -> n\n");
	prov_free(text, &r, &a, &b);
}

static void another_stack_is_warned(void **state)
{
	struct results_set a, b;
	struct compare_result r;
	char *text = prov_of(PREC("r1", "6.12.118+deb12-amd64",
				  "3d9e6765e77a7a4c", "9ad9c9d48cbdd561", "y",
				  "1.14.44.0", "rxe", "0.0.0"),
			     PREC("s1", "6.12.118+deb12-amd64",
				  "3d9e6765e77a7a4c", "9ad9c9d48cbdd561", "y",
				  "1.15.50.0", "mlx5", "28.39.1002"),
			     &r, &a, &b);

	assert_int_equal(r.nprov, 3);
	assert_int_equal(lines(text), 3);
	assert_non_null(strstr(
		text,
		"x: warning: libibverbs differs: 1.14.44.0 in A, 1.15.50.0 in B"));
	assert_non_null(strstr(
		text, "x: warning: provider differs: rxe in A, mlx5 in B"));
	assert_non_null(strstr(
		text,
		"x: warning: firmware differs: 0.0.0 in A, 28.39.1002 in B"));
	prov_free(text, &r, &a, &b);
}

static void alike_or_unrecorded_is_quiet(void **state)
{
	struct results_set a, b;
	struct compare_result r;
	char *text = prov_of(
		PREC("r1", "6.1.0-57-amd64", "6a2b4ac77585b8cf",
		     "2c87967d45b96c73", "y", "1.14.44.0", "rxe", "0.0.0"),
		PREC("s1", "6.1.0-57-amd64", "6a2b4ac77585b8cf",
		     "2c87967d45b96c73", "y", "1.14.44.0", "rxe", "0.0.0"),
		&r, &a, &b);

	assert_int_equal(r.nprov, 0);
	assert_string_equal(text, "");
	prov_free(text, &r, &a, &b);
	/* Records from before the keys: nothing to tell, nothing said. */
	text = prov_of(REC("r1", "movable", "thp", "ok", "null", "1000"),
		       PREC("s1", "6.12", "3d9e6765e77a7a4c",
			    "9ad9c9d48cbdd561", "y", "1.14.44.0", "rxe",
			    "0.0.0"),
		       &r, &a, &b);
	assert_int_equal(r.nprov, 0);
	assert_string_equal(text, "");
	prov_free(text, &r, &a, &b);
}

static void the_json_lists_them(void **state)
{
	struct results_set a, b;
	struct compare_result r;
	struct compare_opts o = opts();
	struct report_opts ro = { .fmt = REPORT_JSON };
	char *text = prov_of(
		PREC("r1", "6.1.0-57-amd64", "6a2b4ac77585b8cf",
		     "2c87967d45b96c73", "y", "1.14.44.0", "rxe", "0.0.0"),
		PREC("s1", "6.1.0-57-amd64", "3d9e6765e77a7a4c",
		     "2c87967d45b96c73", "y", "1.14.44.0", "rxe", "0.0.0"),
		&r, &a, &b);
	json_object *root, *p, *d, *v;
	char *json = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&json, &len);

	assert_int_equal(compare_report(f, &ro, &a, &b, &r, &o), 0);
	fclose(f);
	root = json_tokener_parse(json);
	assert_true(json_object_object_get_ex(root, "provenance", &p));
	assert_int_equal(json_object_array_length(p), 1);
	d = json_object_array_get_idx(p, 0);
	assert_true(json_object_object_get_ex(d, "key", &v));
	assert_string_equal(json_object_get_string(v), "kernel_build_id");
	assert_true(json_object_object_get_ex(d, "a", &v));
	assert_string_equal(json_object_get_string(v), "6a2b4ac77585b8cf");
	assert_true(json_object_object_get_ex(d, "b", &v));
	assert_string_equal(json_object_get_string(v), "3d9e6765e77a7a4c");
	assert_true(json_object_object_get_ex(d, "warning", &v));
	assert_true(json_object_get_boolean(v));
	json_object_put(root);
	free(json);
	prov_free(text, &r, &a, &b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(exact_distribution),
		cmocka_unit_test(a_planted_shift_is_found),
		cmocka_unit_test(aa_is_not_called_changed),
		cmocka_unit_test(too_few_runs_is_inconclusive),
		cmocka_unit_test(below_threshold_is_no_change),
		cmocka_unit_test(sets_line_up),
		cmocka_unit_test(one_run_repeated_is_a_repeat),
		cmocka_unit_test(runs_that_disagree_alike_are_no_change),
		cmocka_unit_test(old_single_run_sets_say_so),
		cmocka_unit_test(same_kernel_two_builds_is_warned),
		cmocka_unit_test(two_releases_note_their_options),
		cmocka_unit_test(another_stack_is_warned),
		cmocka_unit_test(alike_or_unrecorded_is_quiet),
		cmocka_unit_test(the_json_lists_them),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
