// SPDX-License-Identifier: GPL-2.0
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "kernel/buddyinfo.h"

/* A 6.12 host's /proc/buddyinfo: orders 0..10. */
static const char buddyinfo[] =
	"Node 0, zone      DMA      0      0      0      0      0      0      0      0      1      1      3 \n"
	"Node 0, zone    DMA32      0      4      2      2      1      2      0      3      3      1    753 \n"
	"Node 1, zone   Normal   1318   3148   1845   1304   1069    909    522    206     95      1    299 \n";

/* debugfs's extfrag/unusable_index prints the same way, with fractions. */
static const char unusable[] =
	"Node 0, zone      DMA 0.000 0.000 0.000 0.000 0.000 0.000 0.000 0.000 0.010 0.030 0.120 \n"
	"Node 0, zone    DMA32 0.000 0.000 0.000 0.000 0.000 0.000 0.000 0.000 0.000 0.000 0.001 \n";

static void buddy_table(void **state)
{
	struct order_table t;

	(void)state;
	assert_int_equal(order_table_parse(buddyinfo, &t), 0);
	assert_int_equal(t.n, 3);
	assert_int_equal(t.r[2].node, 1);
	assert_string_equal(t.r[1].zone, "DMA32");
	assert_int_equal(t.r[0].orders, 11);
	assert_int_equal((int)t.r[2].v[0], 1318);
	/* Order 9 and 10, in 2 MiB blocks: 1 + 2*3, 1 + 2*753, 1 + 2*299. */
	assert_int_equal(buddy_free_blocks(&t, 9), 7 + 1507 + 599);
	assert_int_equal(buddy_free_blocks(&t, 10), 3 + 753 + 299);
	assert_int_equal(buddy_free_pages(&t),
			 (1 << 8) + (1 << 9) + 3 * (1 << 10) +
				 (4 * 2 + 2 * 4 + 2 * 8 + 16 + 2 * 32 +
				  3 * 128 + 3 * 256 + 512 + 753 * 1024) +
				 (1318 + 3148 * 2 + 1845 * 4 + 1304 * 8 +
				  1069 * 16 + 909 * 32 + 522 * 64 + 206 * 128 +
				  95 * 256 + 512 + 299 * 1024));
}

static void fractions(void **state)
{
	struct order_table t;

	(void)state;
	assert_int_equal(order_table_parse(unusable, &t), 0);
	assert_int_equal(t.n, 2);
	assert_true(t.r[0].v[9] > 0.029 && t.r[0].v[9] < 0.031);
	assert_true(t.r[1].v[10] > 0.0009 && t.r[1].v[10] < 0.0011);
}

static void garbage(void **state)
{
	struct order_table t;

	(void)state;
	assert_int_equal(order_table_parse("", &t), -1);
	assert_int_equal(order_table_parse("Node 0, zone DMA\nnothing\n", &t),
			 -1);
	assert_int_equal(t.n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(buddy_table),
		cmocka_unit_test(fractions),
		cmocka_unit_test(garbage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
