// SPDX-License-Identifier: GPL-2.0
/*
 * mrbench compare phase by phase, on recorded breakdowns: two sets of
 * five runs (tests/unit/data/phases-wait-{a,b}.jsonl) in which only the
 * io_uring deregistration's wait moves, a phase B cannot trace, and a
 * phase at 0 ns in some runs; and the real single-run 6.1 and 6.12 sets
 * (results/breakdown-6.1-6.12/).
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
#include <json-c/json.h>

#include "analysis/compare.h"
#include "analysis/compare_phases.h"
#include "analysis/compare_report.h"

struct both {
	struct results_set a, b;
	struct results_phases pa, pb;
	struct compare_opts o;
	struct compare_result r;
};

static void load_one(const char *name, struct results_set *s,
		     struct results_phases *p)
{
	const char *dir = getenv("srcdir");
	char path[4096], err[1024];

	snprintf(path, sizeof(path), "%s/%s", dir ? dir : ".", name);
	if (results_load(path, s, err, sizeof(err)) ||
	    results_phases_load(s, p, err, sizeof(err)))
		fail_msg("%s", err);
}

static void load_both(struct both *t, const char *a, const char *b)
{
	load_one(a, &t->a, &t->pa);
	load_one(b, &t->b, &t->pb);
	compare_opts_init(&t->o);
	assert_int_equal(compare_sets(&t->a, &t->b, &t->o, &t->r), 0);
	assert_int_equal(
		compare_phases(&t->r, &t->a, &t->pa, &t->b, &t->pb, &t->o), 0);
}

static void free_both(struct both *t)
{
	compare_result_free(&t->r);
	results_phases_free(&t->pa);
	results_phases_free(&t->pb);
	results_free(&t->a);
	results_free(&t->b);
}

/* The report as text, for strstr; the caller frees it. */
static char *report(const struct both *t, enum report_format fmt, bool all)
{
	struct report_opts ro = { .fmt = fmt, .all = all };
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	assert_int_equal(compare_report(f, &ro, &t->a, &t->b, &t->r, &t->o), 0);
	fclose(f);
	return text;
}

/* The compared cell of that registrar (the fixtures have one size). */
static const struct pair_phases *cell(const struct both *t, const char *reg,
				      uint64_t size)
{
	for (size_t i = 0; i < t->r.ntimed; i++)
		if (!strcmp(t->r.timed[i].a->reg, reg) &&
		    t->r.timed[i].a->size == size)
			return &t->r.phases[i];
	fail_msg("no cell %s %llu", reg, (unsigned long long)size);
	return NULL;
}

static void only_wait_moves(void **state)
{
	struct both t;
	const struct op_phases *d, *g;

	load_both(&t, "tests/unit/data/phases-wait-a.jsonl",
		  "tests/unit/data/phases-wait-b.jsonl");
	assert_non_null(t.r.phases);
	d = &cell(&t, "iouring", 4096)->op[PHASE_DEREG];
	assert_true(d->present);
	assert_int_equal(d->leading, PHASE_WAIT);
	assert_int_equal(d->ph[PHASE_WAIT].r.n_a, 5);
	assert_int_equal(d->ph[PHASE_WAIT].r.verdict, CMP_FASTER);
	assert_true(isfinite(d->ph[PHASE_WAIT].r.lo));
	assert_true(d->ph[PHASE_WAIT].r.hi < 1);
	/* The medians of the runs: 11.98395 ms against 868 ns. */
	assert_true(d->ph[PHASE_WAIT].r.med_a == 11983950);
	assert_true(d->ph[PHASE_WAIT].r.med_b == 868);
	assert_true(d->ph[PHASE_WAIT].delta_ns == 868 - 11983950);
	/* Nearly all of the total's change. */
	assert_non_null(d->total);
	assert_true(d->ph[PHASE_WAIT].delta_ns /
			    (d->total->med_b - d->total->med_a) >
		    0.999);
	/* The rest did not move. */
	assert_int_equal(d->ph[PHASE_UNPIN].r.verdict, CMP_SAME);
	assert_int_equal(d->ph[PHASE_ENTRY].r.verdict, CMP_SAME);
	assert_int_equal(d->traced.verdict, CMP_FASTER);
	g = &cell(&t, "iouring", 4096)->op[PHASE_REG];
	assert_int_equal(g->ph[PHASE_PIN].r.verdict, CMP_SAME);
	/* Nothing moved: no phase leads. */
	assert_int_equal(g->leading, -1);
	free_both(&t);
}

static void untraceable_is_not_zero(void **state)
{
	struct both t;
	const struct phase_cmp *m;

	load_both(&t, "tests/unit/data/phases-wait-a.jsonl",
		  "tests/unit/data/phases-wait-b.jsonl");
	/* A traced migration (0 ns), B could not: no figure, B's reason. */
	m = &cell(&t, "iouring", 4096)->op[PHASE_DEREG].ph[PHASE_MIGRATE];
	assert_true(m->a_known);
	assert_false(m->b_known);
	assert_true(m->r.med_a == 0);
	assert_null(m->a_reason);
	assert_non_null(strstr(m->b_reason, "not traceable here"));
	assert_true(isnan(m->delta_ns));
	assert_true(isnan(m->r.med_b));
	assert_int_equal(m->r.verdict, CMP_NONE);
	free_both(&t);
}

static void zero_runs_have_no_ratio(void **state)
{
	struct both t;
	const struct op_phases *g;

	load_both(&t, "tests/unit/data/phases-wait-a.jsonl",
		  "tests/unit/data/phases-wait-b.jsonl");
	g = &cell(&t, "regular", 4096)->op[PHASE_REG];
	/* fault: 0 in every run of A, in three of B's five. */
	assert_true(g->ph[PHASE_FAULT].zero);
	assert_false(g->ph[PHASE_FAULT].idle);
	assert_true(isnan(g->ph[PHASE_FAULT].r.ratio));
	assert_true(isnan(g->ph[PHASE_FAULT].r.lo));
	assert_true(g->ph[PHASE_FAULT].delta_ns == 0);
	assert_int_equal(g->ph[PHASE_FAULT].r.verdict, CMP_SAME);
	/* unpin: 0 everywhere, nothing to compare. */
	assert_true(g->ph[PHASE_UNPIN].idle);
	assert_int_equal(g->ph[PHASE_UNPIN].r.verdict, CMP_NONE);
	free_both(&t);
}

static void real_sets_name_the_wait(void **state)
{
	struct both t;
	const struct op_phases *d;

	load_both(&t, "results/breakdown-6.1-6.12/6.1.jsonl",
		  "results/breakdown-6.1-6.12/6.12.jsonl");
	d = &cell(&t, "iouring", 4096)->op[PHASE_DEREG];
	assert_int_equal(d->leading, PHASE_WAIT);
	/* One run a side: inconclusive, and no interval made up. */
	assert_int_equal(d->ph[PHASE_WAIT].r.verdict, CMP_INCONCLUSIVE);
	assert_true(isnan(d->ph[PHASE_WAIT].r.lo));
	assert_true(d->ph[PHASE_WAIT].delta_ns < -11.98e6);
	free_both(&t);
}

static void no_phases_no_section(void **state)
{
	struct both t;

	/* A set without breakdowns, against itself. */
	load_both(&t, "tests/unit/data/run-set.jsonl",
		  "tests/unit/data/run-set.jsonl");
	assert_true(t.r.ntimed > 0);
	assert_null(t.r.phases);
	free_both(&t);
}

static void the_report_names_it(void **state)
{
	struct both t;
	char *text;

	load_both(&t, "tests/unit/data/phases-wait-a.jsonl",
		  "tests/unit/data/phases-wait-b.jsonl");
	text = report(&t, REPORT_HUMAN, false);
	assert_non_null(strstr(
		text, "\nWhere the time went (kernel-side breakdown)\n"));
	/* After the existing tables. */
	assert_true(strstr(text, "Where the time went") >
		    strstr(text, "Behaviour changed"));
	/* Only the deregistration changed: no registration table. */
	assert_null(strstr(text, "\nRegistration\n"));
	assert_non_null(strstr(text, "\nDeregistration\n"));
	assert_non_null(strstr(
		text,
		"anon iouring 4K lw  dereg: wait -11.98 ms of -11.98 ms (100%)"));
	assert_non_null(strstr(text, "7.2e-05..7.3e-05  faster"));
	assert_non_null(strstr(text, "not traced"));
	assert_non_null(
		strstr(text, "migrate not traced in 6.12: not traceable here"));
	assert_null(strstr(text, "one run a side"));
	/* A mail's width, as the rest of the report. */
	for (char *l = text, *e; *l; l = e + 1) {
		e = strchrnul(l, '\n');
		if (e - l > REPORT_LINE_WIDTH)
			fail_msg("%d columns: %.*s", (int)(e - l), (int)(e - l),
				 l);
		if (!*e)
			break;
	}
	free(text);
	/* --all: both operations, every cell; Markdown the same. */
	text = report(&t, REPORT_MARKDOWN, true);
	assert_non_null(strstr(
		text, "### Where the time went (kernel-side breakdown)"));
	assert_non_null(strstr(text, "#### Registration"));
	assert_non_null(
		strstr(text, "- anon regular 4K lw  reg: no phase moved"));
	assert_non_null(strstr(text, "| anon iouring 4K lw | user |"));
	assert_non_null(strstr(
		text, "| fault | 0.0 | 0.0 | +0.0 | - | - | no change |"));
	free(text);
	free_both(&t);
}

static void the_real_report_says_inconclusive(void **state)
{
	struct both t;
	char *text;

	load_both(&t, "results/breakdown-6.1-6.12/6.1.jsonl",
		  "results/breakdown-6.1-6.12/6.12.jsonl");
	/* Listed without --all: nothing has a verdict, much is far apart. */
	text = report(&t, REPORT_HUMAN, false);
	assert_non_null(strstr(
		text,
		"anon iouring 4K lw  dereg: wait -11.98 ms of -11.99 ms"));
	assert_non_null(strstr(text, "one run a side: no interval"));
	/* 6.1 to 6.12, regular 4K deregistration: 0.7% apart, not listed. */
	assert_null(strstr(text, "anon regular 4K lw  dereg:"));
	free(text);
	free_both(&t);
}

static void no_phases_no_words(void **state)
{
	struct both t;
	char *text;

	load_both(&t, "tests/unit/data/run-set.jsonl",
		  "tests/unit/data/run-set.jsonl");
	text = report(&t, REPORT_HUMAN, true);
	assert_null(strstr(text, "Where the time went"));
	assert_null(strstr(text, "breakdown"));
	free(text);
	free_both(&t);
}

/* A key path in the JSON report, "timed", 0, "phases", ... */
static json_object *at(json_object *o, const char *const *path)
{
	for (; *path && o; path++) {
		json_object *v = NULL;

		if (json_object_is_type(o, json_type_array))
			v = json_object_array_get_idx(o, (size_t)atoi(*path));
		else
			json_object_object_get_ex(o, *path, &v);
		o = v;
	}
	return o;
}

#define AT(o, ...) at(o, (const char *const[]){ __VA_ARGS__, NULL })

static void the_json_has_the_keys(void **state)
{
	struct both t;
	char *text, idx[24] = "";
	json_object *root, *d, *w, *m;

	load_both(&t, "tests/unit/data/phases-wait-a.jsonl",
		  "tests/unit/data/phases-wait-b.jsonl");
	text = report(&t, REPORT_JSON, false);
	root = json_tokener_parse(text);
	assert_non_null(root);
	for (size_t i = 0; i < t.r.ntimed; i++)
		if (!strcmp(t.r.timed[i].a->reg, "iouring"))
			snprintf(idx, sizeof(idx), "%zu", i);
	assert_true(*idx);
	d = AT(root, "timed", idx, "phases", "dereg");
	assert_non_null(d);
	assert_string_equal(json_object_get_string(AT(d, "leading")), "wait");
	assert_true(json_object_get_double(AT(d, "leading_share")) > 0.999);
	w = AT(d, "phases", "wait");
	assert_non_null(w);
	for (const char *const *k =
		     (const char *const[]){ "a_ns", "b_ns", "delta_ns", "ratio",
					    "lo", "hi", "verdict", NULL };
	     *k; k++)
		assert_true(json_object_object_get_ex(w, *k, NULL));
	assert_true(json_object_get_double(AT(w, "a_ns")) > 11.98e6);
	assert_true(json_object_get_double(AT(w, "hi")) < 1);
	assert_string_equal(json_object_get_string(AT(w, "verdict")), "faster");
	/* Not traceable in B: null there and the reason, never 0. */
	m = AT(d, "phases", "migrate");
	assert_true(json_object_object_get_ex(m, "b_ns", NULL));
	assert_null(AT(m, "b_ns"));
	assert_non_null(strstr(json_object_get_string(AT(m, "b_reason")),
			       "not traceable here"));
	assert_string_equal(json_object_get_string(AT(m, "verdict")), "n/a");
	/* Idle both sides: said so. */
	assert_true(json_object_get_boolean(AT(d, "phases", "pin", "idle")));
	assert_string_equal(
		json_object_get_string(AT(root, "timed", idx, "phases", "reg",
					  "phases", "pin", "verdict")),
		"no change");
	json_object_put(root);
	free(text);
	free_both(&t);
}

static void no_phases_no_json_key(void **state)
{
	struct both t;
	char *text;
	json_object *root;

	load_both(&t, "tests/unit/data/run-set.jsonl",
		  "tests/unit/data/run-set.jsonl");
	text = report(&t, REPORT_JSON, true);
	root = json_tokener_parse(text);
	assert_non_null(AT(root, "timed", "0", "figures"));
	assert_false(json_object_object_get_ex(AT(root, "timed", "0"), "phases",
					       NULL));
	json_object_put(root);
	free(text);
	free_both(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(only_wait_moves),
		cmocka_unit_test(untraceable_is_not_zero),
		cmocka_unit_test(zero_runs_have_no_ratio),
		cmocka_unit_test(real_sets_name_the_wait),
		cmocka_unit_test(no_phases_no_section),
		cmocka_unit_test(the_report_names_it),
		cmocka_unit_test(the_real_report_says_inconclusive),
		cmocka_unit_test(no_phases_no_words),
		cmocka_unit_test(the_json_has_the_keys),
		cmocka_unit_test(no_phases_no_json_key),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
