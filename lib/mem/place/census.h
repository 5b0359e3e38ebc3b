/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_MEM_PLACE_CENSUS_H
#define MRBENCH_MEM_PLACE_CENSUS_H

#include "mem/place/place.h"
#include "kernel/zoneinfo.h"

/*
 * Where the pages are: the zones' free pages as a placement reads them,
 * and the census of a region, page by page, by frame number.
 */

/* Where the pages of a region are, by frame number. */
struct census {
	size_t pages, target, movable, cma, absent;
	unsigned long by_zone[ZONES_MAX];
	char where[160];
};

/* The CMA areas of the boot log, which a census counts pages against. */
#define CMA_AREAS 8
struct cma_areas {
	struct pfn_range r[CMA_AREAS];
	size_t n;
};

/* Free pages outside ZONE_MOVABLE and CMA, and their high watermarks. */
void outside_free(const struct zones *zs, unsigned long *free_pages,
		  unsigned long *high);
unsigned long outside_usable(const struct zones *zs);
unsigned long cma_zone_other_free(const struct zones *zs);
/* The target's free pages and per-cpu pages, from one zoneinfo read. */
void target_free(enum place_target t, const struct zones *zs,
		 long long *free_pages, long long *pcp);

/*
 * Every base page of the region by frame number, counted in t's target
 * when it is there. Returns EPERM when the kernel hides the frame
 * numbers (not root), another errno when pagemap cannot be read.
 */
int census_take(enum place_target t, const struct cma_areas *cma,
		const struct mem_region *r, struct census *c);
/* Can this process see frame numbers? Asked of a page of its own. */
bool pfns_visible(void);

#endif
