// SPDX-License-Identifier: GPL-2.0
/*
 * cma[:4k|thp|hugetlb-2m[+starve]]: pages in a CMA area, which a
 * long-term pin may not hold either. The kernel needs CONFIG_CMA and a
 * cma=SIZE boot argument.
 *
 * Touching memory is not enough here: the page allocator serves a
 * movable allocation from CMA pageblocks first only while the zone's
 * free CMA pages are more than half its free pages, and otherwise only
 * when nothing else is left (seen in the lab: 64 MiB touched on a 2 GiB
 * guest with cma=256M stayed out of CMA). So the source first squeezes
 * the free memory outside CMA with a balloon of pinned pages (untouched
 * memory faulted in by io_uring fixed buffers: allocated outside CMA
 * and ZONE_MOVABLE, and unmovable while pinned) until free CMA
 * outweighs the rest by the region's size, leaving the region plus the
 * high watermark plus a margin free outside CMA so that the pin's
 * migration finds its targets without waking kswapd. The balloon stays
 * for the region's life. Before each touch a scratch buffer as large as
 * this cpu's per-cpu list is touched and kept, because those lists mix
 * CMA and other pages; then the region's pages come from fresh refills,
 * from CMA.
 *
 * The pages are then counted by frame number (/proc/self/pagemap)
 * against the CMA areas the boot log names ("cma: Reserved N MiB at
 * ADDR"); without that line, CmaFree must have dropped by the region's
 * size. CmaFree before and after the touch and after the registrations
 * go into the record. As with movable, the region is placed again
 * before every registration (MEM_REPLACE).
 */
#include "mem/place/place.h"

PLACE_SOURCE(cma, PLACE_CMA, "cma",
	     "pages placed in a CMA area (cma=)" PLACE_ARG_HELP);
