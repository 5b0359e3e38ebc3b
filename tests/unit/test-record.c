// SPDX-License-Identifier: GPL-2.0
/* The writers against the mrbench/1 schema. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "measure/measure.h"
#include "out/record.h"
#include "results/results.h"
#include "out/sink/sink.h"

static const char *const required[] = {
	"schema", "run_id", "run_index", "time", "measured_on", "host", "kernel", "cmdline", "device",
	"provider", "transport", "mrbench_version", "bench", "mem", "reg",
	"size", "page_size", "prefault", "access", "threads", "status",
	"errno", "reason", "expected", "as_expected", "iters", "reg_ns",
	"dereg_ns", "pins", "unpins", "migrated", "migrate_failed", NULL
};

static struct run_meta meta;
static uint64_t reg_s[5] = { 500, 100, 300, 200, 400 };
static uint64_t dereg_s[5] = { 50, 10, 30, 20, 40 };

static void ok_record(struct record *r)
{
	record_init(r, "reg");
	r->mem = "anon";
	r->reg = "regular";
	r->access = "lw";
	r->size = 8192;
	r->page_size = 4096;
	r->pages = 2;
	r->prefault = true;
	r->iters = 5;
	r->have_stats = true;
	stats_compute(reg_s, 5, &r->reg_ns);
	stats_compute(dereg_s, 5, &r->dereg_ns);
	r->reg_samples = reg_s;
	r->dereg_samples = dereg_s;
	r->nsamples = 5;
	r->pins = 2;
	r->unpins = 2;
	r->migrated = 0;
	r->migrate_failed = 0;
}

static int setup(void **state)
{
	char *argv[] = { "mrbench-reg", "-s", "4K,8K", "--access", "lw rr", NULL };

	run_meta_init(&meta, 5, argv);
	snprintf(meta.device, sizeof(meta.device), "rxe0");
	return 0;
}

static int teardown(void **state)
{
	run_meta_free(&meta);
	return 0;
}

static void required_keys(void **state)
{
	struct record r;
	json_object *j, *v, *s;

	ok_record(&r);
	j = record_to_json(&meta, &r);
	for (int i = 0; required[i]; i++)
		assert_true(json_object_object_get_ex(j, required[i], NULL));
	assert_string_equal(json_object_get_string(json_object_object_get(j, "schema")),
			    "mrbench/1");
	assert_string_equal(json_object_get_string(json_object_object_get(j, "status")), "ok");
	json_object_object_get_ex(j, "reg_ns", &v);
	assert_int_equal(json_object_get_int(json_object_object_get(v, "p50")), 300);
	assert_int_equal(json_object_get_int(json_object_object_get(v, "min")), 100);
	/* Raw samples, in the order they were taken. */
	json_object_object_get_ex(j, "samples", &s);
	json_object_object_get_ex(s, "reg_ns", &v);
	assert_int_equal(json_object_array_length(v), 5);
	assert_int_equal(json_object_get_int(json_object_array_get_idx(v, 0)), 500);
	/* Shell-quoted where needed, so the command line can be rerun. */
	assert_string_equal(meta.cmdline, "mrbench-reg -s 4K,8K --access 'lw rr'");
	json_object_put(j);
	record_free(&r);
}

/*
 * The longest record the writer can make, every sample as long as an
 * int64 gets, is one line the reader takes (it refused 24 MB lines).
 */
static void longest_record_reads_back(void **state)
{
	uint64_t *big = malloc(MEASURE_MAX_SAMPLES * sizeof(*big));
	struct results_cell c;
	struct record r;
	const char *line;
	char err[400] = "";
	json_object *j;

	assert_non_null(big);
	for (size_t i = 0; i < MEASURE_MAX_SAMPLES; i++)
		big[i] = INT64_MAX - 1; /* INT64_MAX is json-c's overflow */
	ok_record(&r);
	r.reg_samples = r.dereg_samples = big;
	r.nsamples = MEASURE_MAX_SAMPLES;
	j = record_to_json(&meta, &r);
	line = json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN);
	assert_true(strlen(line) > (16u << 20));
	assert_int_equal(results_parse_line(line, strlen(line), &c, NULL, err,
					    sizeof(err)),
			 1);
	assert_int_equal(c.op[0].n, RESULTS_MAX_SAMPLES);
	results_cell_free(&c);
	json_object_put(j);
	free(big);
}

static void refusal_record(void **state)
{
	struct record r;
	json_object *j;

	record_init(&r, "reg");
	r.mem = "file";
	r.reg = "regular";
	r.expected = "EFAULT";
	record_set_status(&r, STATUS_FAILED, 14, "regular failed: %s", "Bad address");
	j = record_to_json(&meta, &r);
	assert_string_equal(json_object_get_string(json_object_object_get(j, "errno")), "EFAULT");
	assert_true(json_object_get_boolean(json_object_object_get(j, "as_expected")));
	assert_null(json_object_object_get(j, "reg_ns"));
	assert_true(json_object_object_get_ex(j, "reg_ns", NULL));
	json_object_put(j);
	r.expected = "ok";
	j = record_to_json(&meta, &r);
	assert_false(json_object_get_boolean(json_object_object_get(j, "as_expected")));
	json_object_put(j);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	static char buf[65536];
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static size_t count_fields(const char *line)
{
	size_t n = 1;
	int quoted = 0;

	for (; *line && *line != '\r' && *line != '\n'; line++) {
		if (*line == '"')
			quoted = !quoted;
		else if (*line == ',' && !quoted)
			n++;
	}
	return n;
}

static void files_written(void **state)
{
	char dir[] = "/tmp/mrbench-test-XXXXXX", base[128], path[160];
	struct sink_opts so;
	struct sink_set set;
	struct record r, bad;
	json_object *j;
	char err[256], *text, *row;
	size_t ncols = 0;

	assert_non_null(mkdtemp(dir));
	snprintf(base, sizeof(base), "%s/out", dir);
	sink_opts_default(&so);
	/* A bare -o FILE writes FILE.jsonl and FILE.csv; no table here. */
	so.formats = 0;
	so.out = base;
	assert_int_equal(sinks_open(&so, &set, err, sizeof(err)), 0);
	ok_record(&r);
	j = record_to_json(&meta, &r);
	sinks_write(&set, j);
	json_object_put(j);
	record_init(&bad, "reg");
	bad.mem = "anon, \"quoted\"";
	record_set_status(&bad, STATUS_UNSUPPORTED, 0, "no RDMA device");
	j = record_to_json(&meta, &bad);
	sinks_write(&set, j);
	json_object_put(j);
	/* Nothing under the final names until the run ends. */
	snprintf(path, sizeof(path), "%s.jsonl", base);
	assert_int_not_equal(access(path, F_OK), 0);
	assert_int_equal(sinks_close(&set), 0);
	assert_int_equal(access(path, F_OK), 0);

	/* JSON Lines: two objects, each parseable on its own. */
	text = slurp(path);
	row = strchr(text, '\n');
	assert_non_null(row);
	*row = '\0';
	j = json_tokener_parse(text);
	assert_non_null(j);
	for (int i = 0; required[i]; i++)
		assert_true(json_object_object_get_ex(j, required[i], NULL));
	json_object_put(j);
	j = json_tokener_parse(row + 1);
	assert_non_null(j);
	json_object_put(j);

	/* CSV: the schema's columns first, and every row as wide as the
	 * header; the unsupported record's null reg_ns and dereg_ns are
	 * columns too, as pandas' json_normalize makes them. */
	snprintf(path, sizeof(path), "%s.csv", base);
	text = slurp(path);
	ncols = count_fields(text);
	assert_non_null(strstr(text, ",reg_ns,dereg_ns"));
	assert_non_null(strstr(text, ",kernel_build_id,"));
	assert_int_equal(strncmp(text, "schema,run_id,run_index,time,", 29), 0);
	assert_non_null(strstr(text, ",reg_ns_p50,"));
	assert_int_equal(count_fields(text), ncols);
	row = strstr(text, "\r\n") + 2;
	assert_int_equal(count_fields(row), ncols);
	row = strstr(row, "\r\n") + 2;
	assert_int_equal(count_fields(row), ncols);
	assert_non_null(strstr(row, "\"anon, \"\"quoted\"\"\""));
	record_free(&r);
	unlink(path);
	snprintf(path, sizeof(path), "%s.jsonl", base);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(required_keys),
		cmocka_unit_test(longest_record_reads_back),
		cmocka_unit_test(refusal_record),
		cmocka_unit_test(files_written),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
