/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_MEM_PLACE_H
#define MRBENCH_MEM_PLACE_H

#include "mem/mem.h"

/*
 * Memory placed on purpose, for the sources movable, cma and normal:
 * pages of one kind (4K, THP, 2 MiB hugetlb) put in ZONE_MOVABLE, in a
 * CMA area, or outside both, and checked page by page through
 * /proc/self/pagemap before every registration. A long-term pin
 * migrates such pages out, so the sources flag their regions
 * MEM_REPLACE and populate puts them back each time.
 */
enum place_target { PLACE_NORMAL, PLACE_MOVABLE, PLACE_CMA };

int place_probe(const struct mem_source *self, const char *arg, char *reason,
		size_t len);
int place_probe_size(const struct mem_source *self, const char *arg,
		     size_t size, char *reason, size_t len);
int place_alloc(const struct mem_source *self, struct mem_region *r,
		size_t size);
/* Discard, place and check; EADDRNOTAVAIL when the pages are elsewhere. */
int place_populate(struct mem_region *r);
int place_discard(struct mem_region *r);
void place_free(struct mem_region *r);
/*
 * Give back the balloon a CMA placement squeezed the other memory with,
 * the region staying where it is: for a user that next needs the
 * migration targets (a CMA allocation moving the area's pages out).
 */
void place_unsqueeze(struct mem_region *r);
void place_describe(const struct mem_region *r, struct json_object *extra);
void place_placement(const struct mem_region *r, struct mem_placement *p);

/* The source arguments: 4k (default), thp, hugetlb-2m, each +starve. */
#define PLACE_ARG_HELP ", :4k (default), :thp, :hugetlb-2m[+starve]"

/* A placed source, mem_ID, for target: one line in its own file. */
#define PLACE_SOURCE(id, target, name_, help_)                 \
	static const enum place_target id##_target = (target); \
	const struct mem_source mem_##id = {                   \
		.name = name_,                                 \
		.help = help_,                                 \
		.data = &id##_target,                          \
		.probe = place_probe,                          \
		.probe_size = place_probe_size,                \
		.alloc = place_alloc,                          \
		.populate = place_populate,                    \
		.discard = place_discard,                      \
		.free = place_free,                            \
		.describe = place_describe,                    \
		.placement = place_placement,                  \
	}

#endif
