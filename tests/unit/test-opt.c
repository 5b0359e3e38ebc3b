// SPDX-License-Identifier: GPL-2.0
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdbool.h>
#include <string.h>

#include "measure/measure.h"
#include "cli/opt.h"
#include "out/sink/sink.h"

struct owner {
	const char *name;
	const char *opt;
	int flag;
};

static int set_name(void *o, const char *arg, char *err, size_t len)
{
	((struct owner *)o)->name = arg;
	return 0;
}

static int set_opt(void *o, const char *arg, char *err, size_t len)
{
	((struct owner *)o)->opt = arg ? arg : "(none)";
	return 0;
}

static int set_flag(void *o, const char *arg, char *err, size_t len)
{
	((struct owner *)o)->flag++;
	return 0;
}

static const struct opt table[] = {
	OPT_SET("name", 'N', "X", "a name", set_name),
	OPT_SET("maybe", 0, "[W]", "optional value", set_opt),
	OPT_SET("flag", 'F', NULL, "a flag", set_flag),
	OPT_END,
};

static char err[256];

static int parse(struct owner *o, struct measure_opts *m, int argc, char **argv)
{
	const struct opt_group g[] = {
		{ "A", table, o },
		{ "Measurement", measure_opt_table, m },
		{ NULL },
	};

	memset(o, 0, sizeof(*o));
	measure_opts_default(m);
	err[0] = '\0';
	return opt_parse(argc, argv, g, err, sizeof(err));
}

static void groups_share_argv(void **state)
{
	char *argv[] = { "p", "-N", "x", "--iters=50", "-FF", "--maybe",
			 "--min-time", "0.5", "rest", NULL };
	struct owner o;
	struct measure_opts m;

	assert_int_equal(parse(&o, &m, 9, argv), 8);
	assert_string_equal(o.name, "x");
	assert_string_equal(o.opt, "(none)");
	assert_int_equal(o.flag, 2);
	assert_int_equal(m.min_iters, 50);
	assert_float_equal(m.min_time, 0.5, 1e-12);
}

static void errors_name_the_value(void **state)
{
	char *a1[] = { "p", "--nosuch", NULL };
	char *a2[] = { "p", "-N", NULL };
	char *a3[] = { "p", "--iters", "ten", NULL };
	char *a4[] = { "p", "-q", NULL };
	char *a5[] = { "p", "--min-time", "-1", NULL };
	struct owner o;
	struct measure_opts m;

	assert_int_equal(parse(&o, &m, 2, a1), -1);
	assert_string_equal(err, "unknown option '--nosuch'");
	assert_int_equal(parse(&o, &m, 2, a2), -1);
	assert_string_equal(err, "option '-N' needs a value");
	assert_int_equal(parse(&o, &m, 3, a3), -1);
	assert_non_null(strstr(err, "'ten'"));
	assert_int_equal(parse(&o, &m, 2, a4), -1);
	assert_string_equal(err, "unknown option '-q'");
	assert_int_equal(parse(&o, &m, 3, a5), -1);
	assert_non_null(strstr(err, "'-1'"));
}

static void format_option(void **state)
{
	char *ok[] = { "p", "--format", "csv,json", NULL };
	char *bad[] = { "p", "-f", "human,xml", NULL };
	struct sink_opts so;
	const struct opt_group g[] = { { "Output", sink_opt_table, &so }, { NULL } };

	sink_opts_default(&so);
	assert_int_equal(opt_parse(3, ok, g, err, sizeof(err)), 3);
	assert_int_equal(so.formats, 6);
	assert_int_equal(opt_parse(3, bad, g, err, sizeof(err)), -1);
	assert_string_equal(err, "invalid format 'xml': expected human, csv, json or ktap");
}

/* Typed rows: the value lands in its field, a bad one reads the same. */
struct typed {
	unsigned count;
	double secs, frac;
	bool flag;
	int pick;
	bool set[3];
	const char *str;
};

static const char *const abc[] = { "a", "b", "c", NULL };

#define T(n, k, a, t, f, ...) OPT_ROW(n, k, a, "", t, struct typed, f, __VA_ARGS__)

static const struct opt typed_table[] = {
	T("count", 'c', "N", OPT_UINT, count, .lo = 2, .hi = 9, .what = "count"),
	T("secs", 0, "S", OPT_SECONDS, secs, .what = "time"),
	T("pct", 0, "P", OPT_PERCENT, frac, .what = "share"),
	T("flag", 'f', NULL, OPT_FLAG, flag),
	T("pick", 0, "X", OPT_CHOICE, pick, .names = abc, .what = "pick"),
	T("set", 0, "L", OPT_NAMES, set, .names = abc, .what = "letter"),
	T("str", 0, "S", OPT_STR, str),
	OPT_END,
};

static int parse_typed(struct typed *t, int argc, char **argv)
{
	const struct opt_group g[] = { { "T", typed_table, t }, { NULL } };

	memset(t, 0, sizeof(*t));
	return opt_parse(argc, argv, g, err, sizeof(err));
}

static void typed_rows(void **state)
{
	char *ok[] = { "p", "-c", "7", "--secs", "1.5", "--pct", "2%", "-f",
		       "--pick", "c", "--set", "c,a", "--str", "x y", NULL };
	char *bad_count[] = { "p", "-c", "10", NULL };
	char *bad_pick[] = { "p", "--pick", "d", NULL };
	char *bad_set[] = { "p", "--set", "a,,b", NULL };
	char *bad_secs[] = { "p", "--secs", "1e6", NULL };
	struct typed t;

	assert_int_equal(parse_typed(&t, 14, ok), 14);
	assert_int_equal(t.count, 7);
	assert_float_equal(t.secs, 1.5, 1e-12);
	assert_float_equal(t.frac, 0.02, 1e-12);
	assert_true(t.flag);
	assert_int_equal(t.pick, 2);
	assert_true(t.set[0] && !t.set[1] && t.set[2]);
	assert_string_equal(t.str, "x y");
	assert_int_equal(parse_typed(&t, 3, bad_count), -1);
	assert_string_equal(err, "invalid count '10': expected a whole number from 2 to 9");
	assert_int_equal(parse_typed(&t, 3, bad_pick), -1);
	assert_string_equal(err, "invalid pick 'd': expected a, b or c");
	assert_int_equal(parse_typed(&t, 3, bad_set), -1);
	assert_string_equal(err, "invalid letter '': expected a, b or c");
	assert_int_equal(parse_typed(&t, 3, bad_secs), -1);
	assert_string_equal(err, "invalid time '1e6': expected seconds from 0 to 86400");
}

/* Two groups declaring one option: refused whatever argv says. */
static void collisions(void **state)
{
	static const struct opt other[] = {
		OPT_SET("number", 'n', "N", "", set_name),
		OPT_END,
	};
	static const struct opt same_long[] = {
		OPT_SET("iters", 0, "N", "", set_name),
		OPT_END,
	};
	char *argv[] = { "p", NULL };
	struct measure_opts m;
	struct owner o;
	const struct opt_group g1[] = { { "Measurement", measure_opt_table, &m },
					{ "Mine", other, &o },
					{ NULL } };
	const struct opt_group g2[] = { { "Measurement", measure_opt_table, &m },
					{ "Mine", same_long, &o },
					{ NULL } };

	assert_int_equal(opt_parse(1, argv, g1, err, sizeof(err)), -1);
	assert_string_equal(err, "option -n is declared twice: --iters (Measurement) and --number (Mine)");
	assert_int_equal(opt_parse(1, argv, g2, err, sizeof(err)), -1);
	assert_string_equal(err, "option --iters is declared twice: in Measurement and in Mine");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(groups_share_argv),
		cmocka_unit_test(errors_name_the_value),
		cmocka_unit_test(format_option),
		cmocka_unit_test(typed_rows),
		cmocka_unit_test(collisions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
