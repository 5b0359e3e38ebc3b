// SPDX-License-Identifier: GPL-2.0
/*
 * mrbench compare over more than two sets, on the recorded reference
 * sets (results/: Debian 6.1, 6.12 and 7.2, five runs each): every column
 * must say what the two-set comparison of that set with the baseline
 * says, cell by cell and figure by figure, in the text and in the JSON;
 * and on small sets written here: the names of the columns, too few runs,
 * and provenance told set by set.
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
#include "analysis/compare_many.h"
#include "analysis/compare_report.h"

#define SET_61	"results/20261203T123217Z-6.1.0-57-amd64"
#define SET_612 "results/20261203T123217Z-6.12.118+deb12-amd64"
#define SET_72	"results/20261203T123217Z-7.2.13+deb14-amd64"

/* The baseline and two more, loaded once for the tests that read them. */
struct fleet {
	struct results_set s[3];
	const struct results_set *sets[2];
	struct compare_opts o;
	struct compare_many m;
};

static void load_path(const char *name, struct results_set *s)
{
	const char *dir = getenv("srcdir");
	char path[4096], err[1024];

	snprintf(path, sizeof(path), "%s/%s", dir ? dir : ".", name);
	if (results_load(path, s, err, sizeof(err)))
		fail_msg("%s", err);
}

static int fleet_setup(void **state)
{
	struct fleet *f = calloc(1, sizeof(*f));

	load_path(SET_61, &f->s[0]);
	load_path(SET_612, &f->s[1]);
	load_path(SET_72, &f->s[2]);
	f->sets[0] = &f->s[1];
	f->sets[1] = &f->s[2];
	compare_opts_init(&f->o);
	assert_int_equal(compare_many(&f->m, &f->s[0], f->sets, 2, &f->o), 0);
	*state = f;
	return 0;
}

static int fleet_teardown(void **state)
{
	struct fleet *f = *state;

	compare_many_free(&f->m);
	for (int i = 0; i < 3; i++)
		results_free(&f->s[i]);
	free(f);
	return 0;
}

/* The baseline cell a person calls "anon iouring 4K lw", by its label. */
static size_t cell_index(const struct compare_many *m, const char *label)
{
	for (size_t i = 0; i < m->base->n; i++) {
		char l[300];

		report_cell_label(&m->base->cells[i], l, sizeof(l));
		if (!strcmp(l, label))
			return i;
	}
	fail_msg("no cell '%s' in the baseline", label);
	return 0;
}

static void columns_are_the_pairs(void **state)
{
	struct fleet *f = *state;

	for (size_t k = 0; k < 2; k++) {
		const struct compare_result *mr = &f->m.r[k];
		struct compare_result r;
		size_t timed = 0;

		assert_int_equal(compare_sets(&f->s[0], f->sets[k], &f->o, &r),
				 0);
		assert_int_equal(mr->ntimed, r.ntimed);
		assert_int_equal(mr->nchanged, r.nchanged);
		assert_int_equal(mr->same_refusal, r.same_refusal);
		assert_int_equal(mr->nonly_a, r.nonly_a);
		assert_int_equal(mr->nonly_b, r.nonly_b);
		/* Every figure of the pair sits in the row of its cell. */
		for (size_t i = 0; i < r.ntimed; i++) {
			size_t row = (size_t)(r.timed[i].a - f->s[0].cells);

			for (unsigned j = 0; j < r.timed[i].nops; j++) {
				const struct compare_ratio *x =
					&r.timed[i].op[j];
				const struct compare_ratio *y =
					many_ratio(&f->m, row, k, x->op);

				assert_non_null(y);
				assert_int_equal(x->verdict, y->verdict);
				assert_true(x->ratio == y->ratio);
				assert_true(x->lo == y->lo || isnan(x->lo));
			}
		}
		/* And no row holds more than the pair: timed slots = pairs. */
		for (size_t i = 0; i < f->s[0].n; i++)
			timed += many_slot(&f->m, i, k)->kind == MANY_TIMED;
		assert_int_equal(timed, r.ntimed);
		compare_result_free(&r);
	}
}

static void slots_say_what_each_set_did(void **state)
{
	struct fleet *f = *state;
	size_t io = cell_index(&f->m, "anon iouring 4K lw");
	size_t ext4 = cell_index(&f->m, "file(ext4) regular 4K lw");
	size_t absent = 0, only = f->m.r[0].nonly_b + f->m.r[1].nonly_b;

	/* 6.1's 12 ms io_uring unregistration: gone on both. */
	for (size_t k = 0; k < 2; k++) {
		const struct compare_ratio *x =
			many_ratio(&f->m, io, k, "dereg");

		assert_int_equal(many_slot(&f->m, io, k)->kind, MANY_TIMED);
		assert_int_equal(x->verdict, CMP_FASTER);
		assert_true(x->ratio < 0.001);
		assert_int_equal(x->n_a, 5);
		assert_int_equal(x->n_b, 5);
	}
	/* Writable long-term pins of ext4: refused from 6.5 on. */
	assert_true(many_changed(&f->m, ext4));
	for (size_t k = 0; k < 2; k++) {
		assert_int_equal(many_slot(&f->m, ext4, k)->kind, MANY_CHANGED);
		assert_string_equal(
			results_outcome(many_slot(&f->m, ext4, k)->cell),
			"EFAULT");
		assert_null(many_ratio(&f->m, ext4, k, "reg"));
	}
	/* What 7.2 lacks is what its pair calls only in 6.1. */
	for (size_t i = 0; i < f->s[0].n; i++)
		absent += many_slot(&f->m, i, 1)->kind == MANY_ABSENT;
	assert_int_equal(absent, f->m.r[1].nonly_a);
	/* The cells the baseline lacks, each once. */
	assert_true(f->m.nextra >= f->m.r[1].nonly_b && f->m.nextra <= only);
	for (size_t j = 1; j < f->m.nextra; j++)
		assert_true(strcmp(f->m.extra[j - 1]->key, f->m.extra[j]->key) <
			    0);
	assert_string_equal(f->m.label[0], "6.1");
	assert_string_equal(f->m.label[1], "6.12");
	assert_string_equal(f->m.label[2], "7.2");
}

static char *render(const struct compare_many *m, enum report_format fmt,
		    bool all, const struct compare_opts *o)
{
	struct report_opts ro = { .fmt = fmt, .all = all };
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_int_equal(compare_many_report(f, &ro, m, o), 0);
	fclose(f);
	return text;
}

/* The line of text that starts with prefix, or NULL. */
static const char *line_of(const char *text, const char *prefix)
{
	for (const char *l = text; l && *l; l = strchr(l, '\n'), l += !!l)
		if (!strncmp(l, prefix, strlen(prefix)))
			return l;
	return NULL;
}

static void the_table_has_a_column_per_set(void **state)
{
	struct fleet *f = *state;
	char *text = render(&f->m, REPORT_HUMAN, false, &f->o);
	const char *row;

	assert_non_null(
		line_of(text, "mrbench compare: 6.12, 7.2 against 6.1\n"));
	row = line_of(text, "CELL ");
	assert_non_null(row);
	assert_non_null(strstr(row, "6.1 us"));
	assert_true(strstr(row, "6.12/6.1") < strstr(row, "7.2/6.1"));
	/* 11.99 ms against 1.3 and 0.8 us, both with confidence. */
	row = strstr(text, "\nanon iouring 4K lw ");
	assert_non_null(row);
	row = strstr(row + 1, "\nanon iouring 4K lw ");
	assert_non_null(row);
	assert_true(strstr(row, "dereg") < strchr(row + 1, '\n'));
	assert_true(strstr(row, "0.00011 faster") < strchr(row + 1, '\n'));
	assert_true(strstr(row, "6.8e-05 faster") < strchr(row + 1, '\n'));
	/* An outcome where the set's differs: the refused ext4 pins. */
	assert_non_null(strstr(
		text,
		"  file(ext4) regular 4K lw: 6.1 ok -> 6.12 EFAULT, 7.2 EFAULT\n"
		"      6.12, 7.2: regular failed: Bad address\n"));
	/* The closing counts are those of each pair's own report. */
	assert_non_null(strstr(
		text,
		"6.12/6.1: 80 figures in 46 cells: 30 slower, 38 faster, 12 no change, 0 inconclusive;\n"
		"  8 cells changed behaviour, 39 refused alike, 6 only in 6.1, 6 only in 6.12.\n"));
	/* A mail's width, but for the lines that name a whole cell's story. */
	for (const char *l = text; *l; l = strchr(l, '\n') + 1) {
		size_t len = (size_t)(strchr(l, '\n') - l);

		if (!strstr(l, " -> ") || strstr(l, " -> ") > l + len)
			assert_true(len <= REPORT_LINE_WIDTH);
	}
	free(text);
	/* --all: every figure, and the cells not every set has. */
	text = render(&f->m, REPORT_HUMAN, true, &f->o);
	assert_non_null(strstr(text, "\nTimings ("));
	assert_non_null(strstr(text, "\nNot in every set ("));
	free(text);
}

static void markdown_is_the_same_tables(void **state)
{
	struct fleet *f = *state;
	char *text = render(&f->m, REPORT_MARKDOWN, false, &f->o);

	assert_non_null(
		strstr(text, "## mrbench compare: 6.12, 7.2 against 6.1\n"));
	assert_non_null(strstr(text,
			       "| CELL | OP | 6.1 us | 6.12/6.1 | 7.2/6.1 |\n"
			       "|---|---|---:|---:|---:|\n"));
	assert_non_null(strstr(text, "| CELL | 6.1 | 6.12 | 7.2 | REASON |\n"));
	assert_non_null(strstr(
		text,
		"| file(ext4) regular 4K lw | ok | EFAULT | EFAULT | 6.12, 7.2: regular failed: Bad address |\n"));
	free(text);
}

static json_object *get(json_object *o, const char *key)
{
	json_object *v = NULL;

	assert_true(json_object_object_get_ex(o, key, &v));
	return v;
}

static void json_holds_each_pair(void **state)
{
	struct fleet *f = *state;
	struct report_opts ro = { .fmt = REPORT_JSON };
	char *text = render(&f->m, REPORT_JSON, false, &f->o), *pair = NULL;
	json_object *root = json_tokener_parse(text), *one, *cmp;
	size_t len = 0;
	FILE *mf;

	assert_non_null(root);
	assert_string_equal(json_object_get_string(get(root, "schema")),
			    "mrbench-compare-many/1");
	assert_string_equal(
		json_object_get_string(get(get(root, "base"), "label")), "6.1");
	assert_int_equal(json_object_array_length(get(root, "sets")), 2);
	cmp = get(root, "comparisons");
	assert_int_equal(json_object_array_length(cmp), 2);
	/* The 7.2 comparison is "mrbench compare -f json 6.1 7.2" from on. */
	mf = open_memstream(&pair, &len);
	assert_int_equal(
		compare_report(mf, &ro, &f->s[0], &f->s[2], &f->m.r[1], &f->o),
		0);
	fclose(mf);
	one = json_tokener_parse(pair);
	assert_non_null(one);
	assert_string_equal(json_object_get_string(get(
				    json_object_array_get_idx(cmp, 1), "set")),
			    "7.2");
	for (const char *const *k =
		     (const char *const[]){ "calibration", "provenance",
					    "timed", "changed", "only_a",
					    "only_b", "refused_alike",
					    "unstable_alike", NULL };
	     *k; k++)
		assert_true(json_object_equal(
			get(one, *k),
			get(json_object_array_get_idx(cmp, 1), *k)));
	json_object_put(one);
	json_object_put(root);
	free(pair);
	free(text);
}

/* A file of records, written to a temporary path, and loaded. */
static void load_lines(const char *const *lines, struct results_set *s)
{
	char path[] = "/tmp/mrbench-test-many.XXXXXX", err[512];
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");

	for (; *lines; lines++)
		fprintf(f, "%s\n", *lines);
	fclose(f);
	assert_int_equal(results_load(path, s, err, sizeof(err)), 0);
	unlink(path);
}

/* One registration cell: run, kernel, host, libibverbs, reg_ns p50. */
#define REC(run, kernel, host, verbs, p50)                                      \
	"{\"schema\":\"mrbench/1\",\"run_id\":\"" run "\",\"bench\":\"reg\","   \
	"\"mem\":\"anon\",\"reg\":\"regular\",\"size\":4096,\"access\":\"lw\"," \
	"\"prefault\":true,\"threads\":1,\"status\":\"ok\",\"errno\":null,"     \
	"\"reason\":null,\"kernel\":\"" kernel "\",\"host\":\"" host "\","      \
	"\"measured_on\":{\"host\":\"" host "\",\"emulation\":\"none\"},"       \
	"\"libibverbs\":\"" verbs "\",\"provider\":\"mlx5\","                   \
	"\"reg_ns\":{\"p50\":" p50 "},\"dereg_ns\":null}"

static void labels_name_kernels_hosts_or_letters(void **state)
{
	static const char *const a[] = {
		REC("a1", "6.12.1", "node1", "1.14", "1000"), NULL
	};
	static const char *const b[] = {
		REC("b1", "6.12.1", "node2", "1.14", "1000"), NULL
	};
	static const char *const c[] = {
		REC("c1", "6.12.1", "node3", "1.14", "1000"), NULL
	};
	static const char *const d[] = {
		REC("d1", "6.1.0", "node3", "1.14", "1000"), NULL
	};
	struct results_set s[4];
	const struct results_set *all[4] = { &s[0], &s[1], &s[2], &s[3] };
	char label[4][80];

	load_lines(a, &s[0]);
	load_lines(b, &s[1]);
	load_lines(c, &s[2]);
	load_lines(d, &s[3]);
	/* One kernel on three hosts: the hosts. */
	many_labels(all, 3, label);
	assert_string_equal(label[0], "node1");
	assert_string_equal(label[2], "node3");
	/* Two sets: as the two-set report has always named them. */
	many_labels(all, 2, label);
	assert_string_equal(label[0], "A");
	assert_string_equal(label[1], "B");
	/* Kernels and hosts both repeat: letters. */
	all[1] = &s[2];
	all[2] = &s[3];
	all[3] = &s[0];
	many_labels(all, 4, label);
	assert_string_equal(label[0], "A");
	assert_string_equal(label[3], "D");
	/* Kernels that differ win over hosts. */
	all[0] = &s[3];
	all[1] = &s[0];
	many_labels(all, 2, label);
	assert_string_equal(label[0], "6.1");
	assert_string_equal(label[1], "6.12");
	for (int i = 0; i < 4; i++)
		results_free(&s[i]);
}

static void few_runs_and_provenance_go_set_by_set(void **state)
{
	/* Four runs at 1000 ns; B doubled in four; C doubled in three. */
	static const char *const base[] = {
		REC("a1", "6.12.1", "node1", "1.14", "1000"),
		REC("a2", "6.12.1", "node1", "1.14", "1010"),
		REC("a3", "6.12.1", "node1", "1.14", "990"),
		REC("a4", "6.12.1", "node1", "1.14", "1005"), NULL
	};
	static const char *const b[] = {
		REC("b1", "6.12.1", "node2", "1.14", "2000"),
		REC("b2", "6.12.1", "node2", "1.14", "2010"),
		REC("b3", "6.12.1", "node2", "1.14", "1990"),
		REC("b4", "6.12.1", "node2", "1.14", "2005"), NULL
	};
	static const char *const c[] = {
		REC("c1", "6.12.1", "node3", "1.15", "2000"),
		REC("c2", "6.12.1", "node3", "1.15", "2010"),
		REC("c3", "6.12.1", "node3", "1.15", "1990"), NULL
	};
	struct results_set s[3];
	const struct results_set *sets[2] = { &s[1], &s[2] };
	struct compare_opts o;
	struct compare_many m;
	char *text;

	load_lines(base, &s[0]);
	load_lines(b, &s[1]);
	load_lines(c, &s[2]);
	compare_opts_init(&o);
	assert_int_equal(compare_many(&m, &s[0], sets, 2, &o), 0);
	assert_int_equal(many_ratio(&m, 0, 0, "reg")->verdict, CMP_SLOWER);
	/* 4 against 3 has a 95% interval only from 3 against 5 up. */
	assert_int_equal(many_ratio(&m, 0, 1, "reg")->verdict,
			 CMP_INCONCLUSIVE);
	/* Only node3 loaded another libibverbs. */
	assert_int_equal(m.r[0].nprov, 0);
	assert_int_equal(m.r[1].nprov, 1);
	assert_string_equal(m.r[1].prov[0].key, "libibverbs");
	text = render(&m, REPORT_HUMAN, false, &o);
	assert_non_null(
		strstr(text, "mrbench compare: node2, node3 against node1\n"));
	assert_non_null(strstr(
		text, "measured on node1, none (node1); node2, none (node2);\n"
		      "  node3, none (node3)\n"));
	/* node3's column is quiet ("?"), so the row is there for node2. */
	assert_non_null(strstr(text, "  1.998 slower      1.995 ?\n"));
	assert_non_null(
		strstr(text, "calibration: not recorded on both sides\n"));
	free(text);
	compare_many_free(&m);
	for (int i = 0; i < 3; i++)
		results_free(&s[i]);
}

int main(void)
{
	const struct CMUnitTest fleet[] = {
		cmocka_unit_test(columns_are_the_pairs),
		cmocka_unit_test(slots_say_what_each_set_did),
		cmocka_unit_test(the_table_has_a_column_per_set),
		cmocka_unit_test(markdown_is_the_same_tables),
		cmocka_unit_test(json_holds_each_pair),
	};
	const struct CMUnitTest small[] = {
		cmocka_unit_test(labels_name_kernels_hosts_or_letters),
		cmocka_unit_test(few_runs_and_provenance_go_set_by_set),
	};

	return cmocka_run_group_tests_name("recorded", fleet, fleet_setup,
					   fleet_teardown) |
	       cmocka_run_group_tests_name("small", small, NULL, NULL);
}
