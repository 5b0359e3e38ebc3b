// SPDX-License-Identifier: GPL-2.0
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "kernel/kstat.h"

static void parse(void **state)
{
	const char *text = "nr_free_pages 1000\n"
			   "nr_foll_pin_acquired 4096\n"
			   "nr_foll_pin_acquired_x 1\n"
			   "nr_foll_pin_released 4000\n"
			   "pgmigrate_success 17\n"
			   "pgfault 123456789012\n";
	struct kstat_snap s, t, d;

	kstat_parse(text, &s);
	assert_true(s.have[KSTAT_FOLL_PIN_ACQUIRED]);
	assert_int_equal(s.v[KSTAT_FOLL_PIN_ACQUIRED], 4096);
	assert_int_equal(s.v[KSTAT_FOLL_PIN_RELEASED], 4000);
	assert_int_equal(s.v[KSTAT_PGMIGRATE_SUCCESS], 17);
	assert_int_equal(s.v[KSTAT_PGFAULT], 123456789012LL);
	/* A counter this kernel lacks is missing, not zero. */
	assert_false(s.have[KSTAT_PGMIGRATE_FAIL]);

	kstat_parse("nr_foll_pin_acquired 5120\npgmigrate_fail 3\n", &t);
	kstat_delta(&s, &t, &d);
	assert_true(d.have[KSTAT_FOLL_PIN_ACQUIRED]);
	assert_int_equal(d.v[KSTAT_FOLL_PIN_ACQUIRED], 1024);
	assert_false(d.have[KSTAT_PGMIGRATE_FAIL]);
	assert_false(d.have[KSTAT_FOLL_PIN_RELEASED]);
}

static void live(void **state)
{
	struct kstat_snap s;

	/* Every Linux with /proc has pgfault. */
	assert_int_equal(kstat_snapshot(&s), 0);
	assert_true(s.have[KSTAT_PGFAULT]);
	assert_true(s.v[KSTAT_PGFAULT] > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse),
		cmocka_unit_test(live),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
