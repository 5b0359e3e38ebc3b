/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_MEM_PLACE_BALLOON_H
#define MRBENCH_MEM_PLACE_BALLOON_H

#include <stdbool.h>
#include <stddef.h>
#ifdef HAVE_LIBURING
#include <liburing.h>
#endif

#include "mem/place/place.h"
#include "kernel/zoneinfo.h"

/*
 * The memory a placement holds to push the allocator where it wants:
 * untouched anonymous memory faulted in by a long-term pin (io_uring
 * fixed buffers), which the kernel allocates outside ZONE_MOVABLE and
 * CMA and cannot move while pinned.
 */
#define BALLOON_MAX 64
/* Pages left free above the high watermark, beyond the region's own. */
#define SLACK_PAGES 4096UL

struct balloon {
	void *addr[BALLOON_MAX];
	size_t len[BALLOON_MAX];
#ifdef HAVE_LIBURING
	struct io_uring ring[BALLOON_MAX];
#endif
	unsigned n;
	size_t bytes;
};

/*
 * How far the balloon squeezes for a region of pages pages, 0 for no
 * balloon: what balloon_squeeze() takes as its target.
 */
unsigned long balloon_target(enum place_target t, bool starve, size_t pages,
			     const struct zones *zs);
/* The least the balloon may leave outside: room for the migration. */
unsigned long balloon_outside_need(const struct zones *zs, size_t pages);
/* Grow the balloon down to target; err says why it stopped short. */
int balloon_squeeze(struct balloon *b, bool starve, unsigned long target,
		    char *err, size_t len);
void balloon_free(struct balloon *b);
/* Clean page cache only; not a setting, so nothing to put back. */
void drop_page_cache(void);

#ifdef HAVE_LIBURING
/* A long-term pin of [addr, addr + len) as io_uring fixed buffers. */
int longterm_pin(struct io_uring *ring, void *addr, size_t len);
#endif

#endif
