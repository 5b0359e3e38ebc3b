/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_FAULT_RECLAIM_H
#define MRBENCH_FAULT_RECLAIM_H

#include <stdbool.h>
#include <stddef.h>

#include "fault/fault.h"

#define RECLAIM_NO_SWAP \
	"no swap: /proc/swaps lists no device (boot with mrbench vm --profile swap)"

/*
 * Why a pinned page stays resident, the rule of every case: reclaim
 * never gives a maybe-pinned anonymous page a swap slot, and rmap would
 * not unmap it if it did.
 */
#define RECLAIM_PIN_BECAUSE \
	"reclaim keeps a maybe-DMA-pinned anonymous folio out of the swap cache: shrink_folio_list() skips it before add_to_swap() (\"mm: don't put pinned pages into the swap cache\", 5.11), and try_to_unmap_one() would not unmap it anyway: folio_try_share_anon_rmap_pte() (page_try_share_anon_rmap() in older kernels) is -EBUSY for a pinned exclusive page (\"mm: remember exclusively mapped anonymous pages with PG_anon_exclusive\", 5.19); so the pinned pages stay resident and the unpinned ones go to swap"

/* Where the base pages of a range are, by pagemap. */
struct reclaim_census {
	size_t resident, swapped, other; /* other: neither (never touched) */
};

/* 0, or an errno when pagemap cannot be read. */
int reclaim_census(const void *p, size_t len, struct reclaim_census *c);
/* Add NAME_resident and NAME_swapped to rec's figures. */
void reclaim_census_add(struct record *rec, const char *name,
			const struct reclaim_census *c);
/*
 * MADV_PAGEOUT over [p, p + len) until at least want of its pages are in
 * swap, at most RECLAIM_ADVICES times: the advice is best effort, and a
 * page it could not isolate from its LRU that once is left resident.
 * *advices says how many it took. 0, or the advice's errno.
 */
#define RECLAIM_ADVICES 4
int reclaim_page_out(void *p, size_t len, size_t want, unsigned *advices);
/* True when a swap device is on; else false with the reason. */
bool reclaim_have_swap(char *reason, size_t len);

/*
 * The CPU writes tag 2 at the first pinned page and the device reads it;
 * the device writes tag 3 at the last and the CPU reads it. 0 with what
 * each saw, or -1 with err (the QP reset).
 */
int reclaim_share(struct fault_env *env, struct ibv_mr *mr, char *pin,
		  size_t pin_len, const char **dev, const char **cpu, char *err,
		  size_t errlen);

/* A record of this scenario on anonymous base pages, regular MR. */
void reclaim_record(struct record *rec, const char *what, size_t size);

/* The cases beside pageout. */
int fault_reclaim_pressure(struct fault_env *env);
int fault_reclaim_cost(struct fault_env *env);

/*
 * A cgroup v2 directory with memory.max, for the pressure case: cgroup2
 * mounted and the memory controller enabled for the root's children if
 * they were not, the directory made, and one undo command noted first
 * (lib/kernel/restore.c) so that every way out removes it all. 0, or -1
 * with the reason (the case is then unsupported).
 */
struct reclaim_cgroup {
	char root[128], dir[192];
	bool mounted, enabled; /* by us */
	bool noted; /* the undo is the undo log's newest entry */
};

int reclaim_cgroup_make(struct reclaim_cgroup *cg, const char *max,
			char *reason, size_t len);
/* Move the calling process into it: 0 or an errno. */
int reclaim_cgroup_join(const struct reclaim_cgroup *cg);
/* Read a cgroup file's first number (memory.swap.current); -1 if none. */
long long reclaim_cgroup_read(const struct reclaim_cgroup *cg, const char *file,
			      const char *key);
/* Undo now; restore_all() has nothing left to do for it. */
void reclaim_cgroup_remove(struct reclaim_cgroup *cg);

#endif
