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

PLACE_SOURCE(
	normal, PLACE_NORMAL, "normal",
	"pages placed outside ZONE_MOVABLE and CMA, :4k (default), :thp, :hugetlb-2m");
