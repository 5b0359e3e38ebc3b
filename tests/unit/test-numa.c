// SPDX-License-Identifier: GPL-2.0
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "fault/numa.h"

/* sysfs node and CPU lists, as has_memory and cpulist show them. */
static void test_parse_list(void **state)
{
	cpu_set_t s;

	assert_int_equal(numa_parse_list("0-1\n", &s), 0);
	assert_int_equal(CPU_COUNT(&s), 2);
	assert_true(CPU_ISSET(0, &s) && CPU_ISSET(1, &s));
	assert_int_equal(numa_parse_list("0,2-4,7", &s), 0);
	assert_int_equal(CPU_COUNT(&s), 5);
	assert_true(CPU_ISSET(3, &s) && CPU_ISSET(7, &s) && !CPU_ISSET(5, &s));
	/* A node without CPUs has an empty cpulist. */
	assert_int_equal(numa_parse_list("\n", &s), 0);
	assert_int_equal(CPU_COUNT(&s), 0);
	assert_int_equal(numa_parse_list("3-1", &s), -1);
	assert_int_equal(numa_parse_list("x", &s), -1);
	assert_int_equal(numa_parse_list("1-", &s), -1);
}

static void test_count_and_tally(void **state)
{
	const int v[] = { 1, 1, 0, NUMA_UNWRITTEN, -14, 1 };
	json_object *t = numa_tally(v, 6);

	assert_int_equal(numa_count(v, 6, 1), 3);
	assert_int_equal(numa_count(v, 6, 2), 0);
	assert_string_equal(
		json_object_to_json_string_ext(t, JSON_C_TO_STRING_PLAIN),
		"{\"1\":3,\"0\":1,\"unwritten\":1,\"EFAULT\":1}");
	json_object_put(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_list),
		cmocka_unit_test(test_count_and_tally),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
