// SPDX-License-Identifier: GPL-2.0
/* The kernel's build id and configuration, from recorded bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "kernel/kbuild.h"

/* The start of /sys/kernel/notes on a 6.18 host: a Xen note first on
 * some builds, here the build id, then another note. */
static const unsigned char notes[] = {
	0x06, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x01, 0x01, 0x00, 0x00,
	0x4c, 0x69, 0x6e, 0x75, 0x78, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x04, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00,
	0x47, 0x4e, 0x55, 0x00, 0x24, 0x01, 0x38, 0x18, 0x8b, 0x56, 0x21, 0x0d,
	0x7f, 0x18, 0x5b, 0x8e, 0x01, 0x9a, 0x16, 0x5b, 0x7c, 0x9b, 0x4b, 0xfa,
};

static void build_id(void **state)
{
	char hex[96];

	assert_int_equal(
		kbuild_parse_notes(notes, sizeof(notes), hex, sizeof(hex)), 0);
	assert_string_equal(hex, "240138188b56210d7f185b8e019a165b7c9b4bfa");
	/* Cut inside the build id's bytes: not a note. */
	assert_int_equal(kbuild_parse_notes(notes, 50, hex, sizeof(hex)), -1);
	assert_int_equal(kbuild_parse_notes(notes, 24, hex, sizeof(hex)), -1);
}

/* Lines of Debian's 6.12 config. */
static const char config[] = "# CONFIG_CMA is not set\n"
			     "CONFIG_CMA_SIZE_MBYTES=0\n"
			     "CONFIG_INFINIBAND_ON_DEMAND_PAGING=y\n"
			     "# CONFIG_RDMA_RXE_DEBUG is not set\n"
			     "CONFIG_RDMA_RXE=m\n"
			     "CONFIG_HUGETLBFS=y\n";

static const char *get(json_object *o, const char *key)
{
	json_object *v = NULL;

	if (!json_object_object_get_ex(o, key, &v))
		return "(absent)";
	return v ? json_object_get_string(v) : "(null)";
}

static void options(void **state)
{
	json_object *c = kbuild_parse_config(config, sizeof(config) - 1);
	json_object *again = kbuild_parse_config(config, sizeof(config) - 1);
	json_object *other = kbuild_parse_config(config, sizeof(config) - 2);

	assert_string_equal(get(c, "CONFIG_CMA"), "n");
	assert_string_equal(get(c, "CONFIG_INFINIBAND_ON_DEMAND_PAGING"), "y");
	assert_string_equal(get(c, "CONFIG_RDMA_RXE"), "m");
	assert_string_equal(get(c, "CONFIG_HUGETLBFS"), "y");
	/* Not in the file: unknown, not "n". */
	assert_string_equal(get(c, "CONFIG_UDMABUF"), "(null)");
	/* The hash is of the whole file: the same text, the same hash. */
	assert_string_equal(get(c, "fnv1a64"), get(again, "fnv1a64"));
	assert_string_not_equal(get(c, "fnv1a64"), get(other, "fnv1a64"));
	json_object_put(c);
	json_object_put(again);
	json_object_put(other);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(build_id),
		cmocka_unit_test(options),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
