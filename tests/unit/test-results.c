// SPDX-License-Identifier: GPL-2.0
/* The result-set reader: good records, and every way a line can be bad. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "results/phases.h"
#include "results/results.h"

#define GOOD                                                                               \
	"{\"schema\":\"mrbench/1\",\"kernel\":\"6.12.117+deb12-amd64\",\"bench\":\"reg\"," \
	"\"mem\":\"file\",\"reg\":\"regular\",\"size\":2097152,\"page_size\":4096,"        \
	"\"pages\":512,\"prefault\":true,\"access\":\"lw\",\"threads\":1,"                 \
	"\"status\":\"ok\",\"errno\":null,\"reason\":null,\"fstype\":\"ext4\","            \
	"\"reg_ns\":{\"p50\":300,\"ci95_lo\":200,\"ci95_hi\":400.5},"                      \
	"\"dereg_ns\":{\"p50\":30},\"reg_ns_per_page\":0.5859,\"migrated\":0,"             \
	"\"samples\":{\"reg_ns\":[500,100,300,200,400],\"dereg_ns\":[50,10,30,20,40]}}"

static char err[512];

static int parse(const char *line, struct results_cell *c)
{
	err[0] = '\0';
	return results_parse_line(line, strlen(line), c, NULL, err,
				  sizeof(err));
}

static void good_record(void **state)
{
	struct results_cell c;

	assert_int_equal(parse(GOOD, &c), 1);
	assert_string_equal(c.bench, "reg");
	assert_string_equal(c.mem, "file");
	assert_string_equal(c.mem_label, "file(ext4)");
	assert_string_equal(c.reg, "regular");
	assert_int_equal(c.size, 2097152);
	assert_int_equal(c.page_size, 4096);
	assert_true(c.prefault);
	assert_int_equal(c.threads, 1);
	assert_int_equal(c.status, RES_OK);
	assert_null(c.err);
	assert_string_equal(results_outcome(&c), "ok");
	assert_string_equal(c.kernel, "6.12.117+deb12-amd64");
	assert_true(c.op[0].p50 == 300 && c.op[0].ci95_hi == 400.5);
	assert_true(c.op[1].p50 == 30 && isnan(c.op[1].ci95_lo));
	assert_int_equal(c.op[0].n, 5);
	assert_true(c.op[0].samples[0] == 500 && c.op[1].samples[4] == 40);
	assert_true(c.per_page_ns == 0.5859 && c.migrated == 0);
	assert_string_equal(c.scenario, "");
	results_cell_free(&c);
}

static void blank_lines_are_skipped(void **state)
{
	struct results_cell c;

	assert_int_equal(parse("", &c), 0);
	assert_int_equal(parse("  \t\r", &c), 0);
}

static void failed_record_and_nulls(void **state)
{
	struct results_cell c;

	assert_int_equal(
		parse("{\"schema\":\"mrbench/1\",\"bench\":\"reg\",\"mem\":null,\"reg\":\"iouring\",\"size\":0,"
		      "\"access\":null,\"prefault\":false,\"threads\":4,\"status\":\"failed\","
		      "\"errno\":\"EFAULT\",\"reason\":\"iouring failed: Bad address\","
		      "\"kernel\":\"6.12\",\"reg_ns\":null,\"dereg_ns\":null}",
		      &c),
		1);
	assert_int_equal(c.status, RES_FAILED);
	assert_string_equal(results_outcome(&c), "EFAULT");
	assert_string_equal(c.reason, "iouring failed: Bad address");
	assert_string_equal(c.mem_label, "-");
	assert_int_equal(c.threads, 4);
	assert_null(c.op[0].samples);
	assert_true(isnan(c.op[0].p50) && isnan(c.per_page_ns));
	results_cell_free(&c);
}

/* When, and the verdict: absent or null is no verdict; false in any run
 * of a cell is one that did not come true; the earliest time stays. */
static void time_and_verdict(void **state)
{
	static const char *const tail[] = {
		"}",
		",\"time\":\"2026-12-03T12:33:01Z\",\"expected\":\"EFAULT\",\"as_expected\":false}",
		",\"time\":\"2026-12-03T12:30:00Z\",\"expected\":\"ok\",\"as_expected\":null}",
	};
	struct results_cell c[3];
	char line[2048];

	for (int i = 0; i < 3; i++) {
		snprintf(line, sizeof(line), "%.*s%s", (int)strlen(GOOD) - 1,
			 GOOD, tail[i]);
		assert_int_equal(parse(line, &c[i]), 1);
	}
	assert_null(c[0].time);
	assert_false(c[0].unexpected);
	assert_string_equal(c[1].expected, "EFAULT");
	assert_true(c[1].unexpected);
	assert_false(c[2].unexpected);
	assert_int_equal(results_cell_merge(&c[0], &c[1]), 0);
	assert_int_equal(results_cell_merge(&c[0], &c[2]), 0);
	assert_true(c[0].unexpected);
	assert_string_equal(c[0].time, "2026-12-03T12:30:00Z");
	for (int i = 0; i < 3; i++)
		results_cell_free(&c[i]);
}

/* Cells that differ only in one key field must have different keys. */
static void keys_tell_cells_apart(void **state)
{
	struct results_cell a, b;
	char line[sizeof(GOOD) + 16];
	char *p;

	assert_int_equal(parse(GOOD, &a), 1);
	snprintf(line, sizeof(line), "%s", GOOD);
	p = strstr(line, "\"prefault\":true");
	memcpy(p, "\"prefault\":1==1", 15); /* not JSON: must fail */
	assert_int_equal(parse(line, &b), -1);
	snprintf(line, sizeof(line), "%s", GOOD);
	p = strstr(line, "ext4");
	memcpy(p, "xfs ", 4);
	assert_int_equal(parse(line, &b), 1);
	assert_string_not_equal(a.key, b.key);
	results_cell_free(&b);
	snprintf(line, sizeof(line), "%s", GOOD);
	p = strstr(line, "\"lw\"");
	memcpy(p, "\"ro\"", 4);
	assert_int_equal(parse(line, &b), 1);
	assert_string_not_equal(a.key, b.key);
	results_cell_free(&b);
	results_cell_free(&a);
}

static void fault_records_key_on_scenario(void **state)
{
	struct results_cell c;

	assert_int_equal(
		parse("{\"schema\":\"mrbench/1\",\"bench\":\"fault\",\"mem\":\"anon\",\"reg\":\"odp\",\"size\":65536,"
		      "\"access\":\"lw+rr+rw\",\"prefault\":false,\"threads\":1,"
		      "\"status\":\"ok\",\"errno\":null,\"reason\":null,\"kernel\":\"7.2\","
		      "\"reg_ns\":null,\"dereg_ns\":null,\"scenario\":\"odp-first-touch\","
		      "\"case\":\"write\",\"latency_ns\":{\"cold\":{\"p50\":9000},"
		      "\"cpu\":{\"p50\":7000},\"present\":{\"p50\":3000},\"prefetched\":null}}",
		      &c),
		1);
	assert_string_equal(c.scenario, "odp-first-touch/write");
	assert_true(strstr(c.key, "odp-first-touch/write") != NULL);
	/* Each state a figure of its own, compared like a latency. */
	assert_true(results_op_find(&c, "cold")->p50 == 9000 &&
		    results_op_find(&c, "present")->p50 == 3000);
	assert_true(results_op_find(&c, "cold")->nruns == 1);
	assert_null(results_op_find(&c, "prefetched"));
	results_cell_free(&c);
}

/* The line is refused, with a message that names what was expected. */
static void refused(const char *line, const char *says, const char *or_says)
{
	struct results_cell c;

	if (parse(line, &c) != -1 ||
	    (!strstr(err, says) && !(or_says && strstr(err, or_says))))
		fail_msg("'%s' gave '%s', expected '%s'", line, err, says);
	assert_null(c.key);
}

/* Each bad line: refused, with a message that names what was expected. */
static void bad_lines(void **state)
{
	static const struct {
		const char *line, *says;
		const char *or_says; /* what another json-c says instead */
	} big[] = {
		/*
		 * json-c 0.16 (Debian 12) reads these as INT64_MAX and
		 * INT64_MIN without a word; 0.18 (Debian 13) refuses them
		 * itself in strict mode. Refused either way.
		 */
		{ "{\"schema\":\"mrbench/1\",\"size\":99999999999999999999}",
		  "\"size\" to be a 64-bit integer, got one out of range",
		  "expected one JSON object: number expected at column 50" },
		{ "{\"schema\":\"mrbench/1\",\"samples\":{\"reg_ns\":[1,-99999999999999999999]}}",
		  "\"samples.reg_ns[1]\" to be a 64-bit integer",
		  "expected one JSON object: number expected at column" },
	};
	static const struct {
		const char *line, *says;
	} bad[] = {
		{ "not json", "expected one JSON object" },
		{ "{\"schema\":\"mrbench/1\",\"bench\":\"reg\"",
		  "ends inside it" },
		{ "{} {}", "expected one JSON object" },
		{ "[1,2]", "expected a JSON object, got an array" },
		{ "42", "got a number" },
		{ "{}", "expected key \"schema\"" },
		{ "{\"schema\":\"mrbench/2\"}",
		  "\"schema\" to be \"mrbench/1\", got \"mrbench/2\"" },
		{ "{\"schema\":\"mrbench/1\",\"bench\":1}",
		  "\"bench\" to be a string, got a number" },
		{ "{\"schema\":\"mrbench/1\",\"bench\":\"reg\",\"mem\":\"anon\",\"reg\":\"regular\",\"size\":\"4K\"}",
		  "\"size\" to be an integer" },
		{ "{\"schema\":\"mrbench/1\",\"bench\":\"reg\",\"mem\":\"anon\",\"reg\":\"regular\",\"size\":-1}",
		  "\"size\" to be an integer >= 0" },
		{ "{\"schema\":\"mrbench/1\",\"bench\":\"reg\",\"mem\":\"anon\",\"reg\":\"regular\",\"size\":1,"
		  "\"access\":\"lw\",\"prefault\":\"yes\"}",
		  "\"prefault\" to be a boolean, got a string" },
		{ "{\"schema\":\"mrbench/1\",\"bench\":\"reg\",\"mem\":\"anon\",\"reg\":\"regular\",\"size\":1,"
		  "\"access\":\"lw\",\"prefault\":true,\"threads\":0}",
		  "\"threads\" to be an integer >= 1" },
		{ "{\"schema\":\"mrbench/1\",\"bench\":\"reg\",\"mem\":\"anon\",\"reg\":\"regular\",\"size\":1,"
		  "\"access\":\"lw\",\"prefault\":true,\"threads\":1}",
		  "expected key \"status\"" },
		{ "{\"schema\":\"mrbench/1\",\"bench\":\"reg\",\"mem\":\"anon\",\"reg\":\"regular\",\"size\":1,"
		  "\"access\":\"lw\",\"prefault\":true,\"threads\":1,\"status\":\"great\"}",
		  "ok, unsupported, failed or hung" },
		{ "{\"schema\":\"mrbench/1\",\"bench\":\"reg\",\"mem\":\"anon\",\"reg\":\"regular\",\"size\":1,"
		  "\"access\":\"lw\",\"prefault\":true,\"threads\":1,\"status\":\"ok\","
		  "\"errno\":null,\"reason\":null}",
		  "expected key \"kernel\"" },
		{ "{\"schema\":\"mrbench/1\",\"bench\":\"reg\",\"mem\":\"anon\",\"reg\":\"regular\",\"size\":1,"
		  "\"access\":\"lw\",\"prefault\":true,\"threads\":1,\"status\":\"ok\","
		  "\"errno\":null,\"reason\":null,\"kernel\":\"6.1\",\"reg_ns\":[1]}",
		  "\"reg_ns\" to be an object or null" },
		{ "{\"schema\":\"mrbench/1\",\"bench\":\"reg\",\"mem\":\"anon\",\"reg\":\"regular\",\"size\":1,"
		  "\"access\":\"lw\",\"prefault\":true,\"threads\":1,\"status\":\"ok\","
		  "\"errno\":null,\"reason\":null,\"kernel\":\"6.1\",\"reg_ns\":{\"p50\":\"x\"}}",
		  "in \"reg_ns\": expected \"p50\" to be a number" },
		{ "{\"schema\":\"mrbench/1\",\"bench\":\"reg\",\"mem\":\"anon\",\"reg\":\"regular\",\"size\":1,"
		  "\"access\":\"lw\",\"prefault\":true,\"threads\":1,\"status\":\"ok\","
		  "\"errno\":null,\"reason\":null,\"kernel\":\"6.1\",\"samples\":{\"reg_ns\":[1,-2]}}",
		  "\"samples.reg_ns\" to hold numbers >= 0, got a number at index 1" },
		{ "{\"schema\":\"mrbench/1\",\"bench\":\"reg\",\"mem\":\"anon\",\"reg\":\"regular\",\"size\":1,"
		  "\"access\":\"lw\",\"prefault\":true,\"threads\":1,\"status\":\"ok\","
		  "\"errno\":null,\"reason\":null,\"kernel\":\"6.1\",\"samples\":{\"reg_ns\":5}}",
		  "\"samples.reg_ns\" to be an array" },
		{ "{\"schema\":\"mrbench/1\",\"bench\":\"reg\",\"mem\":\"anon\",\"reg\":\"regular\",\"size\":1,"
		  "\"access\":\"lw\",\"prefault\":true,\"threads\":1,\"status\":\"ok\","
		  "\"errno\":null,\"reason\":null,\"kernel\":\"6.1\",\"reg_ns\":{\"p50\":NaN}}",
		  "\"p50\" to be a number or null, got NaN or infinity" },
		/* What a terminal would obey: ESC, CR, a C1 CSI. */
		{ "{\"schema\":\"mrbench/1\",\"bench\":\"reg\",\"mem\":\"anon\",\"reg\":\"regular\",\"size\":1,"
		  "\"access\":\"lw\",\"prefault\":true,\"threads\":1,\"status\":\"ok\","
		  "\"errno\":null,\"reason\":\"x\\u001b[2J\"}",
		  "\"reason\" to be printable text, got a control character (\\x1b) at byte 1" },
		{ "{\"schema\":\"mrbench/1\",\"bench\":\"reg\",\"mem\":\"an\\ron\"}",
		  "\"mem\" to be printable text, got a control character (\\x0d) at byte 2" },
		{ "{\"schema\":\"mrbench/1\",\"bench\":\"re\\u009bg\"}",
		  "\"bench\" to be printable text, got a control character (\\xc2\\x9b) at byte 2" },
		{ "{\"schema\":\"mrbench/2\",\"bench\":\"reg\"}",
		  "\"schema\" to be \"mrbench/1\"" },
		{ "{\"a\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}",
		  "expected one JSON object" },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		refused(bad[i].line, bad[i].says, NULL);
	for (size_t i = 0; i < sizeof(big) / sizeof(big[0]); i++)
		refused(big[i].line, big[i].says, big[i].or_says);
}

static void nul_bytes_are_refused(void **state)
{
	struct results_cell c;

	assert_int_equal(results_parse_line("{\"a\0\":1}", 8, &c, NULL, err,
					    sizeof(err)),
			 -1);
	assert_non_null(strstr(err, "NUL"));
}

/* More samples than the bound: every k-th kept, first and spread. */
static void samples_are_bounded(void **state)
{
	size_t n = RESULTS_MAX_SAMPLES + RESULTS_MAX_SAMPLES / 2,
	       cap = n * 8 + 1024, used;
	char *line = malloc(cap);
	struct results_cell c;
	size_t budget = 1000;

	used = (size_t)snprintf(
		line, cap,
		"{\"schema\":\"mrbench/1\",\"bench\":\"reg\",\"mem\":\"anon\",\"reg\":\"regular\",\"size\":1,"
		"\"access\":\"lw\",\"prefault\":true,\"threads\":1,\"status\":\"ok\","
		"\"errno\":null,\"reason\":null,\"kernel\":\"6.1\","
		"\"samples\":{\"reg_ns\":[");
	for (size_t i = 0; i < n; i++)
		used += (size_t)snprintf(line + used, cap - used, "%s%zu",
					 i ? "," : "", i);
	snprintf(line + used, cap - used, "]}}");
	assert_int_equal(parse(line, &c), 1);
	assert_true(c.op[0].n <= RESULTS_MAX_SAMPLES &&
		    c.op[0].n >= RESULTS_MAX_SAMPLES / 2);
	assert_true(c.op[0].samples[0] == 0);
	assert_true(c.op[0].samples[c.op[0].n - 1] > (double)n * 0.9);
	results_cell_free(&c);
	/* The set's budget bounds it further. */
	assert_int_equal(results_parse_line(line, strlen(line), &c, &budget,
					    err, sizeof(err)),
			 1);
	assert_int_equal(c.op[0].n, 1000);
	assert_int_equal(budget, 0);
	results_cell_free(&c);
	free(line);
}

/* Loading from disk: directories, meta.json, line numbers, duplicates. */
static char dir[64];

static void write_file(const char *name, const char *text)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void load_sets(void **state)
{
	struct results_set s;
	char path[128], msg[600];

	snprintf(dir, sizeof(dir), "/tmp/test-results.XXXXXX");
	assert_non_null(mkdtemp(dir));
	/* A directory without results.jsonl. */
	assert_int_equal(results_load(dir, &s, msg, sizeof(msg)), -1);
	assert_non_null(strstr(msg, "no results.jsonl"));
	results_free(&s);
	/* A good set with meta.json naming the kernel, a duplicate line. */
	write_file("results.jsonl", GOOD "\n\n" GOOD "\n");
	write_file("meta.json", "{\"kernel\":\"6.99-test\"}");
	assert_int_equal(results_load(dir, &s, msg, sizeof(msg)), 0);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.dupes, 1);
	assert_string_equal(s.kernel, "6.99-test");
	assert_non_null(results_find(&s, s.cells[0].key));
	assert_null(results_find(&s, "nope"));
	results_free(&s);
	/* A bad third line: file and line number in one message. */
	write_file("bad.jsonl",
		   GOOD "\n" GOOD
			"\n{\"schema\":\"mrbench/1\",\"bench\":\"reg\"}\n");
	snprintf(path, sizeof(path), "%s/bad.jsonl", dir);
	assert_int_equal(results_load(path, &s, msg, sizeof(msg)), -1);
	assert_non_null(strstr(msg, "bad.jsonl:3: expected key \"mem\""));
	assert_null(strchr(msg, '\n'));
	results_free(&s);
	/* An empty file. */
	write_file("empty.jsonl", "");
	snprintf(path, sizeof(path), "%s/empty.jsonl", dir);
	assert_int_equal(results_load(path, &s, msg, sizeof(msg)), -1);
	assert_non_null(strstr(msg, "found none"));
	results_free(&s);
	/* meta.json that is not an object. */
	write_file("meta.json", "[1]");
	assert_int_equal(results_load(dir, &s, msg, sizeof(msg)), -1);
	assert_non_null(strstr(msg, "meta.json: expected a JSON object"));
	results_free(&s);
	/* Without meta.json, the first record names the kernel. */
	snprintf(path, sizeof(path), "%s/meta.json", dir);
	unlink(path);
	assert_int_equal(results_load(dir, &s, msg, sizeof(msg)), 0);
	assert_string_equal(s.label, "6.12.117+deb12-amd64");
	results_free(&s);
	for (const char *const *n =
		     (const char *const[]){ "results.jsonl", "bad.jsonl",
					    "empty.jsonl", NULL };
	     *n; n++) {
		snprintf(path, sizeof(path), "%s/%s", dir, *n);
		unlink(path);
	}
	rmdir(dir);
}

/*
 * The breakdowns of tests/unit/data/phases-set.jsonl: sums for the
 * figure, and each record's own figures beside them for compare.
 */
static void phases_per_record(void **state)
{
	const char *srcdir = getenv("srcdir");
	struct results_phases p;
	struct results_set s;
	const struct results_cell *c;
	const struct phase_op *o;
	char path[4096], msg[600];
	size_t at;

	snprintf(path, sizeof(path), "%s/tests/unit/data/phases-set.jsonl",
		 srcdir ? srcdir : ".");
	assert_int_equal(results_load(path, &s, msg, sizeof(msg)), 0);
	assert_int_equal(results_phases_load(&s, &p, msg, sizeof(msg)), 0);
	assert_int_equal(p.n, s.n);
	/* anon regular 2M: two runs, two records, pin 3.52 and 4.224 ms. */
	for (at = 0; at < s.n; at++) {
		c = &s.cells[at];
		if (!strcmp(c->mem, "anon") && !strcmp(c->reg, "regular") &&
		    c->size == 2097152)
			break;
	}
	assert_true(at < s.n);
	o = &p.cells[at].op[PHASE_REG];
	assert_int_equal(o->records, 2);
	assert_int_equal(o->nrun_ns[PHASE_PIN], 2);
	assert_true(o->run_ns[PHASE_PIN][0] == 3520000);
	assert_true(o->run_ns[PHASE_PIN][1] == 4224000);
	assert_true(o->ns[PHASE_PIN] == 3520000 + 4224000);
	assert_int_equal(o->nrun_traced, 2);
	assert_true(o->run_traced[1] == 7040000);
	/* Not traceable: no figure kept, the reason instead. */
	assert_int_equal(o->nrun_ns[PHASE_MIGRATE], 0);
	assert_non_null(strstr(o->reason[PHASE_MIGRATE], "not traceable"));
	results_phases_free(&p);
	results_free(&s);
}

/* What the set was measured with, besides its kernel release. */
static void provenance(void **state)
{
	static const char line[] =
		"{\"kernel_build_id\":\"6a2b4ac7\",\"libibverbs\":\"1.14.44.0\","
		"\"provider\":\"rxe\",\"firmware\":\"\",\"kernel_config\":"
		"{\"fnv1a64\":\"2c87967d45b96c73\",\"CONFIG_TRANSPARENT_HUGEPAGE\":\"y\","
		"\"CONFIG_DMA_CMA\":null,\"CONFIG_CMA\":\"n\",\"other\":1}}";
	static const char bad[] = "{\"kernel_config\":{\"CONFIG_X\":1}}";
	struct results_prov p;
	struct results_set s;
	char msg[600], path[4096];
	const char *srcdir = getenv("srcdir");

	assert_int_equal(
		results_parse_prov(line, strlen(line), &p, msg, sizeof(msg)),
		0);
	assert_string_equal(p.v[PROV_BUILD_ID], "6a2b4ac7");
	assert_string_equal(p.v[PROV_CONFIG], "2c87967d45b96c73");
	assert_string_equal(p.v[PROV_LIBIBVERBS], "1.14.44.0");
	assert_string_equal(p.v[PROV_PROVIDER], "rxe");
	/* An empty firmware says nothing, as null does. */
	assert_null(p.v[PROV_FIRMWARE]);
	/* The CONFIG_ options by name; not the hash, not other keys. */
	assert_int_equal(p.nconfig, 3);
	assert_string_equal(p.config[0].name, "CONFIG_CMA");
	assert_string_equal(p.config[0].value, "n");
	assert_string_equal(p.config[1].name, "CONFIG_DMA_CMA");
	assert_null(p.config[1].value);
	assert_string_equal(p.config[2].name, "CONFIG_TRANSPARENT_HUGEPAGE");
	results_prov_free(&p);
	/* Records from before these keys: nothing known, no error. */
	assert_int_equal(results_parse_prov("{}", 2, &p, msg, sizeof(msg)), 0);
	for (int k = 0; k < PROV_NKEYS; k++)
		assert_null(p.v[k]);
	results_prov_free(&p);
	/* A wrong type is bad input, named. */
	assert_int_equal(
		results_parse_prov(bad, strlen(bad), &p, msg, sizeof(msg)), -1);
	assert_non_null(strstr(
		msg,
		"in \"kernel_config\": expected \"CONFIG_X\" to be a string"));
	/* A set: its first record's. */
	snprintf(path, sizeof(path), "%s/results/breakdown-6.1-6.12/6.12.jsonl",
		 srcdir ? srcdir : ".");
	assert_int_equal(results_load(path, &s, msg, sizeof(msg)), 0);
	assert_string_equal(s.prov.v[PROV_BUILD_ID],
			    "3d9e6765e77a7a4c4f29554a6c700ba448a481a8");
	assert_string_equal(s.prov.v[PROV_CONFIG], "9ad9c9d48cbdd561");
	assert_string_equal(s.prov.v[PROV_FIRMWARE], "0.0.0");
	assert_true(s.prov.nconfig > 10);
	results_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(good_record),
		cmocka_unit_test(blank_lines_are_skipped),
		cmocka_unit_test(failed_record_and_nulls),
		cmocka_unit_test(time_and_verdict),
		cmocka_unit_test(keys_tell_cells_apart),
		cmocka_unit_test(fault_records_key_on_scenario),
		cmocka_unit_test(bad_lines),
		cmocka_unit_test(nul_bytes_are_refused),
		cmocka_unit_test(samples_are_bounded),
		cmocka_unit_test(load_sets),
		cmocka_unit_test(phases_per_record),
		cmocka_unit_test(provenance),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
