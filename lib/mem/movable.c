// SPDX-License-Identifier: GPL-2.0
/*
 * movable[:4k|thp|hugetlb-2m[+starve]]: pages in ZONE_MOVABLE, which a
 * long-term pin may not hold, so every registration first migrates them
 * out. The kernel must be booted with movablecore= (or kernelcore=).
 *
 * The placement leans on the zonelist: user pages, THP and (where huge
 * pages migrate, as 2 MiB ones do on x86-64 and arm64) the hugetlb pool
 * are allocated __GFP_MOVABLE, and a movable allocation tries
 * ZONE_MOVABLE first while that zone is above its watermarks. So the
 * source checks the zone has room for the region beyond its high
 * watermark, touches the pages (the hugetlb pool is emptied of free
 * pages and grown anew first: its free list would otherwise hand back
 * the pages an earlier pin migrated out), and counts them by frame
 * number in /proc/self/pagemap against the zone spans of
 * /proc/zoneinfo. The zone's free pages, read around the touch, drop by
 * the region's size once the pages that went onto the per-cpu lists
 * are allowed for (target_free_drop_pcp).
 *
 * Each registration moves the pages out, and they stay out: the region
 * is flagged MEM_REPLACE, and populate discards and places it again
 * before every registration, outside the timed region.
 *
 * +starve (hugetlb-2m only) leaves the zones outside ZONE_MOVABLE only
 * half the region free, so the pin's migration runs out of targets and
 * the registration fails (ENOMEM) with pgmigrate_fail counting why.
 */
#include "mem/place/place.h"

PLACE_SOURCE(movable, PLACE_MOVABLE, "movable",
	     "pages placed in ZONE_MOVABLE (movablecore=)" PLACE_ARG_HELP);
