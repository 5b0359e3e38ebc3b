// SPDX-License-Identifier: GPL-2.0
/*
 * normal[:4k|thp|hugetlb-2m]: pages outside ZONE_MOVABLE and CMA, the
 * baseline of mrbench migrate. On a kernel booted with movablecore=,
 * plain anonymous memory lands in ZONE_MOVABLE (the zonelist of a
 * movable allocation starts there), so "anon" would migrate too. This
 * source touches the pages, then pins them once long-term (io_uring)
 * and unpins them: the pin migrates whatever the allocator put in
 * ZONE_MOVABLE or CMA, and the pages stay where it moved them. They are
 * then counted by frame number (/proc/self/pagemap) like the other
 * placements, and placed again before every registration, so that all
 * three start each registration from freshly touched pages.
 */
#include "mem/place/place.h"

static int normal_probe(const char *arg, char *reason, size_t len)
{
	return place_probe(PLACE_NORMAL, arg, reason, len);
}

static int normal_probe_size(const char *arg, size_t size, char *reason,
			     size_t len)
{
	return place_probe_size(PLACE_NORMAL, arg, size, reason, len);
}

static int normal_alloc(struct mem_region *r, size_t size)
{
	return place_alloc(PLACE_NORMAL, r, size);
}

const struct mem_source mem_normal = {
	.name = "normal",
	.help = "pages placed outside ZONE_MOVABLE and CMA, :4k (default), :thp, :hugetlb-2m",
	.probe = normal_probe,
	.probe_size = normal_probe_size,
	.alloc = normal_alloc,
	.populate = place_populate,
	.discard = place_discard,
	.free = place_free,
	.describe = place_describe,
};
