// SPDX-License-Identifier: GPL-2.0
/* The IOVA windows of lib/reg/iova_space.c, on the ranges intel-iommu reports. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "reg/iova_space.h"

#define M2 (2ULL << 20)

/* qemu's intel-iommu (39 address bits), less the MSI window, as 6.12
 * reports it through VFIO_IOMMU_GET_INFO. */
static void intel(struct iova_space *s)
{
	*s = (struct iova_space){ 0 };
	assert_int_equal(iova_add_range(s, 0, 0xfedfffff), 0);
	assert_int_equal(iova_add_range(s, 0xfef00000, (1ULL << 39) - 1), 0);
}

static void windows_in_order(void **state)
{
	struct iova_space s;
	uint64_t a, b, c;

	intel(&s);
	assert_int_equal(iova_alloc(&s, 4096, M2, &a), 0);
	assert_int_equal(iova_alloc(&s, 4096, M2, &b), 0);
	assert_int_equal(iova_alloc(&s, 1ULL << 30, 1ULL << 30, &c), 0);
	assert_true(a == 0 && b == M2);
	/* Aligned, and clear of the one before. */
	assert_true(c == 1ULL << 30);
}

static void around_the_hole(void **state)
{
	struct iova_space s;
	uint64_t a, b;

	intel(&s);
	/* 4G does not fit below the MSI window: the next range holds it. */
	assert_int_equal(iova_alloc(&s, 4ULL << 30, M2, &a), 0);
	assert_true(a >= 0xfef00000 && a % M2 == 0);
	/* Once past the hole, the low range is not handed out again. */
	assert_int_equal(iova_alloc(&s, 4096, M2, &b), 0);
	assert_true(b > a);
}

static void full(void **state)
{
	struct iova_space s = { 0 };
	uint64_t a;

	assert_int_equal(iova_alloc(&s, 4096, 4096, &a), ENOSPC);
	assert_int_equal(iova_add_range(&s, 0, UINT64_MAX), 0);
	assert_int_equal(iova_alloc(&s, 4096, 3, &a), EINVAL);
	assert_int_equal(iova_alloc(&s, 0, 4096, &a), EINVAL);
	/* Up to the very top, then nothing more, without wrapping. */
	assert_int_equal(iova_alloc(&s, UINT64_MAX - 4095, 4096, &a), 0);
	assert_int_equal(iova_alloc(&s, 4096, 4096, &a), 0);
	assert_true(a == UINT64_MAX - 4095);
	assert_int_equal(iova_alloc(&s, 4096, 4096, &a), ENOSPC);
	assert_int_equal(iova_add_range(&s, 5, 4), -1);
}

/* A region's window: whole base pages, aligned to 2M or its huge page. */
static void region_windows(void **state)
{
	struct iova_space s;
	struct iova_window a, b, c;

	intel(&s);
	assert_int_equal(iova_window_for(&s, 100, 4096, 4096, &a), 0);
	assert_int_equal(a.iova, 0);
	assert_int_equal(a.len, 4096);
	assert_int_equal(iova_window_for(&s, 3 * M2, 4096, 1ULL << 30, &b), 0);
	assert_int_equal(b.iova, 1ULL << 30);
	assert_int_equal(b.len, 3 * M2);
	assert_int_equal(iova_window_for(&s, 4097, 4096, 4096, &c), 0);
	assert_int_equal(c.iova, (1ULL << 30) + 3 * M2);
	assert_int_equal(c.len, 8192);
	assert_int_equal(iova_window_for(&s, 1, 3000, 4096, &c), EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(windows_in_order),
		cmocka_unit_test(around_the_hole),
		cmocka_unit_test(full),
		cmocka_unit_test(region_windows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
