// SPDX-License-Identifier: GPL-2.0
/* The long-term pin rules of lib/reg/longterm.c, kernel by kernel. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "kernel/kver.h"
#include "reg/longterm.h"

#define K6_1  KVER(6, 1, 0)
#define K6_4  KVER(6, 4, 0)
#define K6_12 KVER(6, 12, 0)

static struct reg_expect pin(unsigned flags, unsigned gup, int kv)
{
	struct mem_region r = { .size = 2UL << 20, .flags = flags };
	struct reg_expect e = { NULL, -1 };

	longterm_expect(&r, gup, kv, &e);
	return e;
}

static void assert_outcome(struct reg_expect e, const char *outcome)
{
	assert_string_equal(e.outcome, outcome);
	assert_int_equal(e.pins, strcmp(outcome, "ok") ?
					 0 :
					 (2UL << 20) / mem_base_page());
}

static void plain_memory(void **state)
{
	assert_outcome(pin(0, LONGTERM_WRITE, K6_12), "ok");
	assert_outcome(pin(0, 0, K6_12), "ok");
	assert_outcome(pin(MEM_THP, LONGTERM_WRITE, K6_1), "ok");
	assert_outcome(
		pin(MEM_FILE | MEM_SHARED | MEM_SHMEM, LONGTERM_WRITE, K6_12),
		"ok");
}

static void fsdax(void **state)
{
	unsigned dax = MEM_FILE | MEM_SHARED | MEM_FSDAX | MEM_DIRTY_TRACKED;

	assert_outcome(pin(dax, LONGTERM_WRITE, K6_12), "EOPNOTSUPP");
	assert_outcome(pin(dax, 0, K6_1), "EOPNOTSUPP");
}

/* A dmabuf heap's remap_pfn_range() mapping: nothing to pin, read or write. */
static void pfnmap(void **state)
{
	unsigned heap = MEM_FILE | MEM_SHARED | MEM_PFNMAP;

	assert_outcome(pin(heap, LONGTERM_WRITE | LONGTERM_FAST, K6_12), "EFAULT");
	assert_outcome(pin(heap, 0, K6_1), "EFAULT");
}

static void read_only_mapping(void **state)
{
	unsigned ro = MEM_READONLY, shared = MEM_READONLY | MEM_SHARED,
		 huge = MEM_READONLY | MEM_HUGETLB,
		 force = LONGTERM_WRITE | LONGTERM_FORCE;

	assert_outcome(pin(ro, LONGTERM_WRITE, K6_12), "EFAULT");
	assert_outcome(pin(ro, 0, K6_12), "ok");
	/* FOLL_FORCE breaks COW on a private mapping, not on the others. */
	assert_outcome(pin(ro, force, K6_1), "ok");
	assert_outcome(pin(shared, force, K6_1), "EFAULT");
	assert_outcome(pin(huge, force, K6_1), "EFAULT");
}

static void dirty_tracked_shared_file(void **state)
{
	unsigned ext4 = MEM_FILE | MEM_SHARED | MEM_DIRTY_TRACKED;

	assert_outcome(pin(ext4, LONGTERM_WRITE, K6_12), "EFAULT");
	assert_outcome(pin(ext4, LONGTERM_WRITE, K6_4), "ok");
	assert_outcome(pin(ext4, 0, K6_12), "ok");
	assert_outcome(pin(MEM_FILE | MEM_DIRTY_TRACKED, LONGTERM_WRITE, K6_12),
		       "ok");
}

/* A read-only pin of untouched anonymous memory: the zero page until 6.2. */
static void zero_page(void **state)
{
	unsigned untouched = LONGTERM_UNTOUCHED;

	assert_int_equal(pin(0, untouched, K6_1).pins, 0);
	assert_string_equal(pin(0, untouched, K6_1).outcome, "ok");
	assert_outcome(pin(0, untouched, K6_12), "ok");
	assert_outcome(pin(0, untouched | LONGTERM_WRITE, K6_1), "ok");
	assert_outcome(pin(0, 0, K6_1), "ok");
	/* Page cache, hugetlb and the huge zero page are counted. */
	assert_outcome(pin(MEM_FILE | MEM_SHARED | MEM_SHMEM, untouched, K6_1),
		       "ok");
	assert_outcome(pin(MEM_HUGETLB, untouched, K6_1), "ok");
	assert_outcome(pin(MEM_THP, untouched, K6_1), "ok");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(plain_memory),
		cmocka_unit_test(fsdax),
		cmocka_unit_test(pfnmap),
		cmocka_unit_test(read_only_mapping),
		cmocka_unit_test(dirty_tracked_shared_file),
		cmocka_unit_test(zero_page),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
