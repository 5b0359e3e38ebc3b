// SPDX-License-Identifier: GPL-2.0
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "cli/size.h"

static char err[256];

static uint64_t one(const char *s)
{
	uint64_t v = 0;

	assert_int_equal(size_parse(s, &v, err, sizeof(err)), 0);
	return v;
}

static void single_sizes(void **state)
{
	assert_int_equal(one("1"), 1);
	assert_int_equal(one("4096"), 4096);
	assert_int_equal(one("4K"), 4096);
	assert_int_equal(one("4k"), 4096);
	assert_int_equal(one("4KiB"), 4096);
	assert_int_equal(one("4KB"), 4096);
	assert_int_equal(one("64M"), 64ULL << 20);
	assert_int_equal(one("1G"), 1ULL << 30);
	assert_int_equal(one("2T"), 2ULL << 40);
	assert_int_equal(one("1P"), 1ULL << 50);
}

static void bad_sizes(void **state)
{
	const char *bad[] = { "", "12Q", "K", "-4K", "4 K", "4KX", "4Kb2",
			      "0", "0K", "2P", "99999999999999999999",
			      "18446744073709551616", "4.5K", "0x10", "4KiBB" };
	uint64_t v;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		assert_int_not_equal(size_parse(bad[i], &v, err, sizeof(err)), 0);
		/* The message names the bad value. */
		assert_non_null(strstr(err, bad[i]));
	}
	/* Whatever was typed, the message stays one printable line. */
	size_parse("4K\n\x1b[2J", &v, err, sizeof(err));
	assert_string_equal(err, "invalid size '4K\\x0a\\x1b[2J': expected NUMBER[K|M|G|T], LO..HI, LO..HI:xN or LO..HI:+STEP");
	size_parse("12Q", &v, err, sizeof(err));
	assert_string_equal(err, "invalid size '12Q': expected NUMBER[K|M|G|T], LO..HI, LO..HI:xN or LO..HI:+STEP");
}

static void ranges(void **state)
{
	struct size_list l;

	assert_int_equal(size_list_parse("4K..64M", &l, err, sizeof(err)), 0);
	assert_int_equal(l.n, 15);
	assert_int_equal(l.v[0], 4096);
	assert_int_equal(l.v[14], 64ULL << 20);
	size_list_free(&l);

	assert_int_equal(size_list_parse("4K..64M:x4", &l, err, sizeof(err)), 0);
	assert_int_equal(l.n, 8);
	assert_int_equal(l.v[7], 64ULL << 20);
	size_list_free(&l);

	/* A range whose step overshoots stops below the end. */
	assert_int_equal(size_list_parse("4K..32K:x4", &l, err, sizeof(err)), 0);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.v[1], 16384);
	size_list_free(&l);

	assert_int_equal(size_list_parse("1M..4M:+1M,4K,2M..2M", &l, err, sizeof(err)), 0);
	assert_int_equal(l.n, 6);
	assert_int_equal(l.v[3], 4ULL << 20);
	assert_int_equal(l.v[4], 4096);
	assert_int_equal(l.v[5], 2ULL << 20);
	size_list_free(&l);

	/* Ranges near the limit must not overflow. */
	assert_int_equal(size_list_parse("512T..1P", &l, err, sizeof(err)), 0);
	assert_int_equal(l.n, 2);
	size_list_free(&l);
}

static void bad_lists(void **state)
{
	const char *bad[] = { "4K,", ",4K", "4K,,8K", "64M..4K", "4K..",
			      "..4K", "4K..64M:x1", "4K..64M:x", "4K..64M:y2",
			      "4K..64M:+0", "4K..64M:", "1..1P:+1", "4K...8K" };
	struct size_list l;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		assert_int_not_equal(size_list_parse(bad[i], &l, err, sizeof(err)), 0);
		assert_non_null(strstr(err, "invalid size '"));
		assert_null(strchr(err, '\n'));
	}
}

static void formatting(void **state)
{
	char b[32];

	size_format(4096, b, sizeof(b));
	assert_string_equal(b, "4K");
	size_format(64ULL << 20, b, sizeof(b));
	assert_string_equal(b, "64M");
	size_format(1536, b, sizeof(b));
	assert_string_equal(b, "1536");
	size_format(3ULL << 30, b, sizeof(b));
	assert_string_equal(b, "3G");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(single_sizes), cmocka_unit_test(bad_sizes),
		cmocka_unit_test(ranges),	cmocka_unit_test(bad_lists),
		cmocka_unit_test(formatting),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
