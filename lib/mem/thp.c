// SPDX-License-Identifier: GPL-2.0
/*
 * thp: private anonymous memory advised MADV_HUGEPAGE and aligned to the
 * PMD size, so that every fault can take a transparent huge page. Whether
 * it did depends on the kernel's free memory and its defrag policy, so
 * the pages actually huge are read back from smaps (huge_bytes) rather
 * than assumed.
 */
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>

#include "mem/mem.h"

#define THP_SYSFS "/sys/kernel/mm/transparent_hugepage/"

/* 2 MiB on x86-64; arm64 with 64K base pages has 512 MiB PMDs. */
static size_t thp_pmd_size(void)
{
	unsigned long v;

	return mem_read_ulong(THP_SYSFS "hpage_pmd_size", &v) ? 2UL << 20 : v;
}

static int thp_probe(const struct mem_source *self, const char *arg,
		     char *reason, size_t len)
{
	char enabled[64];

	if (mem_read_line(THP_SYSFS "enabled", enabled, sizeof(enabled))) {
		snprintf(
			reason, len,
			"kernel without transparent huge pages (CONFIG_TRANSPARENT_HUGEPAGE)");
		return 1;
	}
	if (strstr(enabled, "[never]")) {
		snprintf(
			reason, len,
			"THP is off: %senabled is [never] (echo madvise > it as root)",
			THP_SYSFS);
		return 1;
	}
	if (prctl(PR_GET_THP_DISABLE, 0, 0, 0, 0) > 0) {
		snprintf(
			reason, len,
			"THP is disabled for this process (PR_SET_THP_DISABLE, inherited from the parent)");
		return 1;
	}
	return 0;
}

static int thp_alloc(const struct mem_source *self, struct mem_region *r,
		     size_t size)
{
	r->page_size = thp_pmd_size();
	r->size = size;
	/* Whole huge pages, so that the tail can be huge too. */
	r->map_len = mem_round_up(size, r->page_size);
	r->fd = -1;
	r->flags = MEM_THP;
	r->addr = mem_map_aligned(r->map_len, r->page_size,
				  PROT_READ | PROT_WRITE, MAP_PRIVATE);
	if (r->addr == MAP_FAILED) {
		r->addr = NULL;
		return errno;
	}
	if (madvise(r->addr, r->map_len, MADV_HUGEPAGE)) {
		int rc = errno;

		munmap(r->addr, r->map_len);
		r->addr = NULL;
		return rc;
	}
	return 0;
}

/* Every base page: where no huge page was available the fault falls
 * back to 4K pages, and one write per 2M would leave the rest empty. */
static int thp_populate(struct mem_region *r)
{
	volatile char *p = r->addr;
	size_t step = mem_base_page();

	for (size_t off = 0; off < r->map_len; off += step)
		p[off] = 1;
	return 0;
}

/* Zapping a whole PMD frees the huge page itself, not a split remnant. */
static int thp_discard(struct mem_region *r)
{
	return madvise(r->addr, r->map_len, MADV_DONTNEED) ? errno : 0;
}

static void thp_free(struct mem_region *r)
{
	if (r->addr)
		munmap(r->addr, r->map_len);
	r->addr = NULL;
}

static void thp_describe(const struct mem_region *r, struct json_object *extra)
{
	long long huge = mem_smaps_sum(r->addr, r->map_len, "AnonHugePages");

	if (huge >= 0)
		json_object_object_add(extra, "huge_bytes",
				       json_object_new_int64(huge));
}

const struct mem_source mem_thp = {
	.name = "thp",
	.help = "private anonymous memory, PMD-aligned, MADV_HUGEPAGE",
	.probe = thp_probe,
	.alloc = thp_alloc,
	.populate = thp_populate,
	.discard = thp_discard,
	.free = thp_free,
	.describe = thp_describe,
};
