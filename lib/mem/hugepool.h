/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_MEM_HUGEPOOL_H
#define MRBENCH_MEM_HUGEPOOL_H

#include <stdbool.h>
#include <stddef.h>

#include "mem/mem.h"

/*
 * The kernel's pool of huge pages of one size (page bytes), as the
 * hugetlb sources and the placed hugetlb-2m pages use it: its sysfs
 * files, its changes through the undo log, and mappings of its pages.
 * Every change is a delta (restore_add), since runs that overlap share
 * the pool.
 */

/* /sys/kernel/mm/hugepages/hugepages-NkB/FILE ("" for the folder). */
void hugepool_path(size_t page, const char *file, char *buf, size_t len);
int hugepool_read(size_t page, const char *file, unsigned long *v);
/*
 * Pages a new mapping can still have: free, less those promised to
 * mappings made earlier. *avail is set from what could be read even
 * when a read fails.
 */
int hugepool_avail(size_t page, unsigned long *avail);
/* nr_hugepages += delta (may be negative), taken back at exit. */
int hugepool_add(size_t page, long delta, long *before, long *after, char *err,
		 size_t len);
/*
 * Grow the pool by the shortfall of avail (hugepool_avail) below need;
 * nothing when there is none. The kernel may give less than asked:
 * callers read hugepool_avail again.
 */
int hugepool_grow(size_t page, unsigned long need, unsigned long avail,
		  long *before, long *after, char *err, size_t len);
/*
 * Make the pool hold need pages a new mapping can have, fresh ones from
 * the page allocator with fresh; err says why not (ENOMEM: the kernel
 * found too few).
 */
int hugepool_refill(size_t page, unsigned long need, bool fresh, char *err,
		    size_t len);

/* MAP_* flags of a private anonymous mapping of the pool's pages. */
int hugepool_map_flags(size_t page);
/* As mmap: a mapping of len bytes, extra added to the flags. */
void *hugepool_map(size_t page, size_t len, int extra);
/* Drop a hugetlb region's pages; extra as the region was mapped. */
int hugepool_discard(struct mem_region *r, int extra);
/*
 * Take n of the pool's free pages into a mapping of their own (held for
 * as long as it stays); *addr NULL and an errno when that fails.
 */
int hugepool_hold(size_t page, unsigned long n, void **addr, size_t *len);

#endif
