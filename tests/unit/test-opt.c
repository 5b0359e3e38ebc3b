// SPDX-License-Identifier: GPL-2.0
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "measure.h"
#include "opt.h"
#include "sink/sink.h"

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
	{ "name", 'N', "X", "a name", set_name },
	{ "maybe", 0, "[W]", "optional value", set_opt },
	{ "flag", 'F', NULL, "a flag", set_flag },
	{ NULL },
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
	assert_string_equal(err, "invalid format 'xml': expected human, csv or json");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(groups_share_argv),
		cmocka_unit_test(errors_name_the_value),
		cmocka_unit_test(format_option),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
