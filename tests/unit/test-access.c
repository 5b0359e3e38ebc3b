// SPDX-License-Identifier: GPL-2.0
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <infiniband/verbs.h>
#include <string.h>

#include "cli/access.h"

static char err[256];

static void good(void **state)
{
	struct access_list l;

	assert_int_equal(access_list_parse("lw,rr+lw,lw+rr+rw+ra,ro", &l, err, sizeof(err)), 0);
	assert_int_equal(l.n, 4);
	assert_int_equal(l.v[0].flags, IBV_ACCESS_LOCAL_WRITE);
	assert_string_equal(l.v[1].name, "lw+rr");
	assert_int_equal(l.v[1].flags, IBV_ACCESS_LOCAL_WRITE | IBV_ACCESS_REMOTE_READ);
	assert_string_equal(l.v[2].name, "lw+rr+rw+ra");
	assert_int_equal(l.v[3].flags, 0);
	assert_string_equal(l.v[3].name, "ro");
	/* relaxed is its own word, named after the flags it joins. */
	assert_int_equal(access_list_parse("relaxed+lw,relaxed", &l, err, sizeof(err)), 0);
	assert_string_equal(l.v[0].name, "lw+relaxed");
	assert_int_equal(l.v[0].flags, IBV_ACCESS_LOCAL_WRITE | IBV_ACCESS_RELAXED_ORDERING);
	assert_int_equal(l.v[1].flags, IBV_ACCESS_RELAXED_ORDERING);
}

static void bad(void **state)
{
	const char *bad[] = { "", "xx", "lw+", "+lw", "lw+lw", "ro+lw",
			      "lw+ro", "ro+ro", "lw,,rr", "LW",
			      "ro+relaxed", "relaxed+ro", "rlx" };
	struct access_list l;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_not_equal(access_list_parse(bad[i], &l, err, sizeof(err)), 0);
		assert_non_null(strstr(err, "invalid access '"));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(good),
		cmocka_unit_test(bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
