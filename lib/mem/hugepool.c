// SPDX-License-Identifier: GPL-2.0
/*
 * The hugetlb pool of one page size, shared by the hugetlb-2m and
 * hugetlb-1g sources and by the placed hugetlb-2m pages (lib/mem/place/).
 * Both grow the pool the same way, by a delta under the undo log's lock,
 * so that overlapping runs each take back only what they added.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <linux/mman.h>

#include "mem/hugepool.h"
#include "kernel/restore.h"

void hugepool_path(size_t page, const char *file, char *buf, size_t len)
{
	snprintf(buf, len, "/sys/kernel/mm/hugepages/hugepages-%zukB/%s",
		 page >> 10, file);
}

int hugepool_read(size_t page, const char *file, unsigned long *v)
{
	char path[128];

	hugepool_path(page, file, path, sizeof(path));
	return mem_read_ulong(path, v);
}

int hugepool_avail(size_t page, unsigned long *avail)
{
	unsigned long free_pages = 0, resv = 0;
	int rc = hugepool_read(page, "free_hugepages", &free_pages);
	int rc_resv = hugepool_read(page, "resv_hugepages", &resv);

	*avail = free_pages > resv ? free_pages - resv : 0;
	return rc ? rc : rc_resv;
}

int hugepool_add(size_t page, long delta, long *before, long *after, char *err,
		 size_t len)
{
	char path[128];

	hugepool_path(page, "nr_hugepages", path, sizeof(path));
	return restore_add(path, delta, before, after, err, len);
}

/*
 * By the shortfall, as a delta under the shared lock: runs that overlap
 * each take back only what they added. Another run may still map the new
 * pages before this one does; its mmap then fails with ENOMEM, a failed
 * cell, and the pool is still put back. After SIGKILL nothing is taken
 * back: the pool stays grown by this run's delta (nr_hugepages says how
 * much).
 */
int hugepool_grow(size_t page, unsigned long need, unsigned long avail,
		  long *before, long *after, char *err, size_t len)
{
	if (avail >= need)
		return 0;
	return hugepool_add(page, (long)(need - avail), before, after, err,
			    len);
}

/*
 * With fresh, the unreserved free pages are first given back, so that
 * the new ones come from the page allocator, under whatever rule the
 * caller set up, rather than from the pool's free list: that list is
 * LIFO and hands back first the pages freed last, such as those an
 * earlier pin migrated.
 */
int hugepool_refill(size_t page, unsigned long need, bool fresh, char *err,
		    size_t len)
{
	unsigned long nr, avail;
	char why[200];
	int rc;

	if ((rc = hugepool_read(page, "nr_hugepages", &nr))) {
		snprintf(err, len, "cannot read the hugetlb pool: %s",
			 strerror(rc));
		return rc;
	}
	hugepool_avail(page, &avail);
	if (fresh && avail) {
		if ((rc = hugepool_add(page, -(long)avail, NULL, NULL, why,
				       sizeof(why))))
			goto fail_w;
		hugepool_avail(page, &avail);
	}
	if ((rc = hugepool_grow(page, need, avail, NULL, NULL, why,
				sizeof(why))))
		goto fail_w;
	hugepool_avail(page, &avail);
	if (avail >= need)
		return 0;
	snprintf(
		err, len,
		"the %zu MiB hugetlb pool has %lu free pages of the %lu needed",
		page >> 20, avail, need);
	return ENOMEM;
fail_w:
	snprintf(err, len, "cannot resize the hugetlb pool: %s", why);
	return rc;
}

/* MAP_HUGE_2MB, MAP_HUGE_1GB: log2 of the page size in the flag bits. */
int hugepool_map_flags(size_t page)
{
	return MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB |
	       (__builtin_ctzl(page) << MAP_HUGE_SHIFT);
}

void *hugepool_map(size_t page, size_t len, int extra)
{
	return mmap(NULL, len, PROT_READ | PROT_WRITE,
		    hugepool_map_flags(page) | extra, -1, 0);
}

/*
 * MADV_DONTNEED frees hugetlb pages since Linux 5.18; before that it
 * fails with EINVAL, and a new mapping over the old one does the same.
 */
int hugepool_discard(struct mem_region *r, int extra)
{
	if (!madvise(r->addr, r->map_len, MADV_DONTNEED))
		return 0;
	if (errno != EINVAL)
		return errno;
	if (mmap(r->addr, r->map_len, PROT_READ | PROT_WRITE,
		 hugepool_map_flags(r->page_size) | extra | MAP_FIXED, -1,
		 0) == MAP_FAILED)
		return errno;
	return 0;
}

/* No reservation: the pages are taken by touching them, one by one. */
int hugepool_hold(size_t page, unsigned long n, void **addr, size_t *len)
{
	*len = n * page;
	*addr = hugepool_map(page, *len, MAP_NORESERVE);
	if (*addr == MAP_FAILED) {
		*addr = NULL;
		return errno;
	}
	for (size_t off = 0; off < *len; off += page)
		((volatile char *)*addr)[off] = 1;
	return 0;
}
