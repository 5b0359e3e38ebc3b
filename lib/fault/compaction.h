/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_FAULT_COMPACTION_H
#define MRBENCH_FAULT_COMPACTION_H

#include <stdbool.h>
#include <stdint.h>

#include "fault/fault.h"

/*
 * The supply of huge pages as the compaction scenario sees it
 * (lib/fault/compaction_supply.c): the buddy allocator's free lists,
 * debugfs's fragmentation indexes, and what the hugetlb pool gets when
 * it asks for nearly all free memory.
 */

/* Base pages in a 2 MiB block, as a buddy order (9 with 4 KiB pages). */
int supply_huge_order(void);

struct supply {
	unsigned long free_huge; /* free memory in whole 2 MiB blocks */
	unsigned long free_pages; /* all free base pages of the lists */
	unsigned long pcp_pages; /* free pages on the per-cpu lists */
	json_object *unusable, *extfrag; /* order 9 per zone, or NULL */
};

/*
 * debugfs for the fragmentation indexes, mounted when it is not (and
 * unmounted at the end through the undo log): 0, or -1 with the reason.
 */
int supply_debugfs(char *why, size_t len);
/* A snapshot; the indexes only when with_index. 0, or an errno when
 * /proc/buddyinfo cannot be read. */
int supply_take(struct supply *s, bool with_index);
/* s into rec->extra, each key with suffix ("_before"); takes s's
 * objects. */
void supply_put(struct record *rec, const char *suffix, struct supply *s);

struct pool_growth {
	int node; /* whose pool, -1 for the system's */
	long target, got; /* 2 MiB pages asked for, and given */
	long left; /* pages the shrink did not give back */
	uint64_t ns; /* the growth, from the write to its return */
	struct kstat_window w;
};

/*
 * Ask node's hugetlb pool (node < 0: the system's) for nearly all the
 * node's free memory at once, then give it back: 0, or an errno with
 * err set (no 2 MiB pool, not root).
 */
int supply_pool_grow(int node, struct pool_growth *g, char *err, size_t len);
/* g into rec->extra as "pool": target, got, ns, compaction counters. */
void supply_pool_put(struct record *rec, const struct pool_growth *g);

#endif
