// SPDX-License-Identifier: GPL-2.0
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "kernel/sysstate.h"

/* CPU lists as /sys/devices/system/cpu/isolated and nohz_full write them. */
static void cpulists(void **state)
{
	(void)state;
	assert_true(cpulist_has("0-3,8", 0));
	assert_true(cpulist_has("0-3,8", 3));
	assert_false(cpulist_has("0-3,8", 4));
	assert_true(cpulist_has("0-3,8", 8));
	assert_false(cpulist_has("0-3,8", 9));
	assert_true(cpulist_has("5", 5));
	assert_true(cpulist_has("2,4-6,10-11", 11));
	assert_false(cpulist_has("2,4-6,10-11", 7));
	/* An empty list (no isolcpus) and junk hold nothing. */
	assert_false(cpulist_has("", 0));
	assert_false(cpulist_has("x", 0));
	assert_false(cpulist_has("1-", 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cpulists),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
