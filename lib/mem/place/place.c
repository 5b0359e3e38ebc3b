// SPDX-License-Identifier: GPL-2.0
/*
 * Placing pages on purpose, and proving where they are.
 *
 * How the page allocator decides, and how each target uses it:
 * - ZONE_MOVABLE: user pages are allocated __GFP_MOVABLE, and the
 *   zonelist of a movable allocation starts at ZONE_MOVABLE, so a page
 *   touched while that zone is above its watermarks comes from it. The
 *   placement checks the zone has room, then touches; nothing else is
 *   needed, per-cpu lists included (they are per zone).
 * - CMA: a movable allocation takes CMA pageblocks first only while the
 *   zone's free CMA pages outweigh half of its free pages (__rmqueue's
 *   balance rule), that is while free CMA exceeds the zone's other free
 *   memory; otherwise only when nothing else is left. So a balloon
 *   squeezes the other free memory first: untouched anonymous memory
 *   faulted in by a long-term pin (io_uring fixed buffers), which the
 *   kernel allocates outside ZONE_MOVABLE and CMA and cannot move. It
 *   leaves the region's size plus the high watermark plus a margin free
 *   outside CMA, so the registrations still find migration targets
 *   without waking kswapd, and it stays for the region's life. The
 *   per-cpu lists of the zone mix CMA and other pages; a scratch
 *   buffer as large as this cpu's list is touched first and kept until
 *   the region is placed, so the region is served by fresh refills.
 * - normal (outside both): touch, then one long-term pin and unpin,
 *   which migrates whatever the allocator put in ZONE_MOVABLE or CMA.
 * - starve: the page cache is dropped (kswapd would otherwise reclaim
 *   it into migration targets) and the balloon takes every page the
 *   zones outside ZONE_MOVABLE and CMA can give above their low
 *   watermarks and reserves, so the registration's migration runs out of
 *   target pages after the few between the low and min watermarks. Only for hugetlb pages, whose
 *   migration targets are allocated __GFP_RETRY_MAYFAIL and fail
 *   cleanly; a 4K or THP migration target is allocated with reclaim and
 *   the OOM killer behind it, so starving those kills a process instead.
 * - 2 MiB hugetlb pages come from the pool, whose free list is LIFO and
 *   holds whatever earlier pins migrated: for ZONE_MOVABLE and CMA the
 *   pool's unreserved free pages are given back and the pool grown anew,
 *   so the new pages come from the allocator under the rules above.
 *   (hugetlb allocates its pool __GFP_MOVABLE where the architecture
 *   migrates huge pages, as x86-64 and arm64 do for 2 MiB.)
 *
 * Every placement is then counted page by page: the frame numbers of
 * /proc/self/pagemap (root only) against the zone spans of
 * /proc/zoneinfo and the CMA areas of the boot log. A placement that
 * does not hold after a few tries fails with EADDRNOTAVAIL and says why;
 * it is never measured as if it had worked.
 *
 * This file places and describes; the checks before alloc are in
 * probe.c, the counting in census.c, the balloon in balloon.c and the
 * hugetlb pool in lib/mem/hugepool.c.
 */
#include <errno.h>
#include <json-c/json.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#ifdef HAVE_LIBURING
#include <liburing.h>
#endif

#include "cli/xalloc.h"
#include "mem/hugepool.h"
#include "mem/place/balloon.h"
#include "mem/place/census.h"
#include "mem/place/kind.h"
#include "mem/place/place.h"

static const char *const target_names[] = { "normal", "movable", "cma" };

#define PLACE_TRIES 3

struct placed {
	enum place_target target;
	enum place_kind kind;
	bool starve;
	struct cma_areas cma;
	struct balloon balloon;
	bool balloon_done;
	void *held; /* free hugetlb pool pages found at the start */
	size_t held_len;
	bool verified;
	const char *check; /* how the placement was checked */
	char error[240];
	struct census before;
	/* The target's free pages (buddy, and on the per-cpu lists) around
	 * the last placement's touch; CmaFree from /proc/meminfo too. */
	long long free_before, free_placed, pcp_before, pcp_placed;
	long long cma_kb_before, cma_kb_placed;
#ifdef HAVE_LIBURING
	struct io_uring ring; /* normal: the pin that moves pages out */
	bool ring_ready;
#endif
};

/* ------------------------------------------------------------ hugetlb pool */

/*
 * The pool's free pages at the start (an earlier cell's, migrated out of
 * the target) are held in a mapping of their own for the region's life.
 * Given back, they would sit on the per-cpu lists as 2 MiB blocks, out
 * of the balloon's sight, until an allocation under pressure drains the
 * lists and the starved migration finds them; left free, the migration
 * would take them from the pool.
 */
static int pool_hold(struct placed *p)
{
	unsigned long avail;
	int rc;

	hugepool_avail(HUGE_2M, &avail);
	if (!avail)
		return 0;
	if ((rc = hugepool_hold(HUGE_2M, avail, &p->held, &p->held_len)))
		snprintf(p->error, sizeof(p->error),
			 "cannot hold the free hugetlb pages: %s",
			 strerror(rc));
	return rc;
}

/* ------------------------------------------------------------ the sources */

int place_alloc(const struct mem_source *self, struct mem_region *r,
		size_t size)
{
	enum place_target t = *(const enum place_target *)self->data;
	struct placed *p = xcalloc(1, sizeof(*p));
	int flags = MAP_PRIVATE | MAP_ANONYMOUS, advice = -1;

	p->target = t;
	place_parse_arg(r->arg, &p->kind, &p->starve);
	if (t == PLACE_CMA)
		p->cma.n = cma_ranges_read(p->cma.r, CMA_AREAS);
	r->priv = p;
	r->size = size;
	r->fd = -1;
	r->flags = MEM_REPLACE;
	r->page_size = p->kind == KIND_4K ? mem_base_page() : HUGE_2M;
	r->map_len = mem_round_up(size, r->page_size);
	switch (p->kind) {
	case KIND_4K:
		r->addr = mmap(NULL, r->map_len, PROT_READ | PROT_WRITE, flags,
			       -1, 0);
		advice = MADV_NOHUGEPAGE;
		break;
	case KIND_THP:
		r->flags |= MEM_THP;
		r->addr = mem_map_aligned(r->map_len, HUGE_2M,
					  PROT_READ | PROT_WRITE, MAP_PRIVATE);
		advice = MADV_HUGEPAGE;
		break;
	case KIND_HUGETLB_2M:
		/* No reservation, so that the pool's free pages can be given
		 * back between placements; populate makes sure the pool has
		 * them before touching. */
		r->flags |= MEM_HUGETLB;
		r->addr = hugepool_map(HUGE_2M, r->map_len, MAP_NORESERVE);
		break;
	}
	if (r->addr == MAP_FAILED) {
		r->addr = NULL;
		return errno;
	}
	if (advice >= 0)
		madvise(r->addr, r->map_len, advice);
	return 0;
}

int place_discard(struct mem_region *r)
{
	if (r->flags & MEM_HUGETLB)
		return hugepool_discard(r, MAP_NORESERVE);
	return madvise(r->addr, r->map_len, MADV_DONTNEED) ? errno : 0;
}

static void touch(struct mem_region *r, size_t step)
{
	volatile char *c = r->addr;

	for (size_t off = 0; off < r->map_len; off += step)
		c[off] = 1;
}

/* One attempt: the pages touched under the target's rule. */
static int place_once(struct mem_region *r, struct placed *p)
{
	size_t ps = mem_base_page(), pages = r->map_len / ps;
	struct zones zs;
	cpu_set_t saved, one;
	void *scratch = NULL;
	size_t scratch_len = 0;
	int cpu = sched_getcpu(), rc;
	bool bound;

	if ((rc = place_discard(r)))
		return rc;
	/* hugetlb pages leave the allocator when the pool grows. */
	if (p->kind == KIND_HUGETLB_2M) {
		zoneinfo_read(cpu, &zs);
		target_free(p->target, &zs, &p->free_before, &p->pcp_before);
		p->cma_kb_before = meminfo_read_kb("CmaFree");
	}
	if (p->kind == KIND_HUGETLB_2M &&
	    (rc = hugepool_refill(HUGE_2M, r->map_len / HUGE_2M,
				  p->target != PLACE_NORMAL, p->error,
				  sizeof(p->error))))
		return rc;
	/* One cpu, so that the per-cpu lists drained are the ones used. */
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	bound = !sched_getaffinity(0, sizeof(saved), &saved) &&
		!sched_setaffinity(0, sizeof(one), &one);
	zoneinfo_read(cpu, &zs);
	if (p->target == PLACE_CMA) {
		unsigned long stale = 0;

		for (size_t i = 0; i < zs.n; i++)
			if (zs.z[i].free_cma)
				stale += zs.z[i].pcp_cpu + zs.z[i].pcp_batch;
		scratch_len = stale * ps;
		if (scratch_len) {
			scratch =
				mmap(NULL, scratch_len, PROT_READ | PROT_WRITE,
				     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (scratch == MAP_FAILED) {
				scratch = NULL;
			} else {
				madvise(scratch, scratch_len, MADV_NOHUGEPAGE);
				memset(scratch, 1, scratch_len);
			}
		}
		zoneinfo_read(cpu, &zs);
	}
	if (p->kind != KIND_HUGETLB_2M) {
		target_free(p->target, &zs, &p->free_before, &p->pcp_before);
		p->cma_kb_before = meminfo_read_kb("CmaFree");
	}
	touch(r, p->kind == KIND_HUGETLB_2M ? HUGE_2M : ps);
	zoneinfo_read(cpu, &zs);
	target_free(p->target, &zs, &p->free_placed, &p->pcp_placed);
	p->cma_kb_placed = meminfo_read_kb("CmaFree");
	if (scratch)
		munmap(scratch, scratch_len);
	if (bound)
		sched_setaffinity(0, sizeof(saved), &saved);
#ifdef HAVE_LIBURING
	if (p->target == PLACE_NORMAL) {
		if (!p->ring_ready &&
		    (rc = -io_uring_queue_init(1, &p->ring, 0)))
			return rc;
		p->ring_ready = true;
		if ((rc = longterm_pin(&p->ring, r->addr, r->map_len))) {
			snprintf(
				p->error, sizeof(p->error),
				"the long-term pin that moves the pages out failed: %s",
				strerror(rc));
			return rc;
		}
		io_uring_unregister_buffers(&p->ring);
	}
#endif
	(void)pages;
	return 0;
}

/* Without the CMA areas' addresses, CmaFree must have dropped by the
 * region, less the per-cpu pages it took and one page table page per
 * 512 pages (those are never CMA). */
static bool cma_drop_holds(const struct placed *p, size_t pages)
{
	long long drop = (p->free_before - p->free_placed) -
			 (p->pcp_placed - p->pcp_before);

	return drop + (long long)(pages / 512) + 2 >= (long long)pages;
}

int place_populate(struct mem_region *r)
{
	struct placed *p = r->priv;
	size_t pages = r->map_len / mem_base_page();
	struct zones zs;
	unsigned long target;
	int rc = 0;

	p->verified = false;
	p->error[0] = '\0';
	if (!p->balloon_done) {
		p->balloon_done = true;
		if (zoneinfo_read(-1, &zs))
			return EIO;
		target = balloon_target(p->target, p->starve, pages, &zs);
		if (p->kind == KIND_HUGETLB_2M && p->target != PLACE_NORMAL &&
		    (rc = pool_hold(p)))
			return EADDRNOTAVAIL;
		if (p->starve)
			drop_page_cache();
		if (target &&
		    (rc = balloon_squeeze(&p->balloon, p->starve, target,
					  p->error, sizeof(p->error))))
			return EADDRNOTAVAIL;
	}
	for (int i = 0; i < PLACE_TRIES; i++) {
		if ((rc = place_once(r, p))) {
			if (!p->error[0])
				snprintf(p->error, sizeof(p->error),
					 "placing failed: %s", strerror(rc));
			return EADDRNOTAVAIL;
		}
		rc = census_take(p->target, &p->cma, r, &p->before);
		p->check = "pagemap";
		if (!rc && p->target == PLACE_CMA && !p->cma.n) {
			p->check = "CmaFree";
			p->verified = p->before.absent == 0 &&
				      cma_drop_holds(p, pages);
		} else {
			p->verified =
				!rc && p->before.target == p->before.pages;
		}
		if (p->verified)
			return 0;
	}
	if (rc)
		snprintf(p->error, sizeof(p->error),
			 "cannot read /proc/self/pagemap: %s", strerror(rc));
	else
		snprintf(p->error, sizeof(p->error),
			 "%zu of %zu pages in %s after %d tries (%s)",
			 p->before.target, p->before.pages,
			 target_names[p->target], PLACE_TRIES, p->before.where);
	return EADDRNOTAVAIL;
}

void place_free(struct mem_region *r)
{
	struct placed *p = r->priv;

	if (r->addr)
		munmap(r->addr, r->map_len);
	r->addr = NULL;
	if (!p)
		return;
	balloon_free(&p->balloon);
	if (p->held)
		munmap(p->held, p->held_len);
#ifdef HAVE_LIBURING
	if (p->ring_ready)
		io_uring_queue_exit(&p->ring);
#endif
	free(p);
	r->priv = NULL;
}

void place_unsqueeze(struct mem_region *r)
{
	struct placed *p = r->priv;

	if (p)
		balloon_free(&p->balloon);
}

static json_object *ll_or_null(long long v)
{
	return v >= 0 ? json_object_new_int64(v) : NULL;
}

void place_placement(const struct mem_region *r, struct mem_placement *out)
{
	const struct placed *p = r->priv;

	*out = (struct mem_placement){ .verified = p && p->verified,
				       .check = p ? p->check : NULL,
				       .error = p && p->error[0] ? p->error :
								   NULL };
}

void place_describe(const struct mem_region *r, json_object *extra)
{
	const struct placed *p = r->priv;
	struct census after;
	struct zones zs;
	long long free_after = -1, pcp;
	bool have_after;

	if (!p)
		return;
	have_after = r->addr && !census_take(p->target, &p->cma, r, &after);
	if (!zoneinfo_read(-1, &zs))
		target_free(p->target, &zs, &free_after, &pcp);
#define ADD(k, v) json_object_object_add(extra, k, v)
	ADD("placement", json_object_new_string(target_names[p->target]));
	ADD("page_kind", json_object_new_string(place_kind_names[p->kind]));
	ADD("starved", json_object_new_boolean(p->starve));
	ADD("placement_verified", json_object_new_boolean(p->verified));
	ADD("placement_check",
	    p->check ? json_object_new_string(p->check) : NULL);
	ADD("placement_error",
	    p->error[0] ? json_object_new_string(p->error) : NULL);
	ADD("placed_pages", json_object_new_int64((int64_t)p->before.target));
	ADD("where_before", json_object_new_string(p->before.where));
	ADD("target_pages_after",
	    have_after ? json_object_new_int64((int64_t)after.target) : NULL);
	ADD("where_after",
	    have_after ? json_object_new_string(after.where) : NULL);
	ADD("movable_pages_after",
	    have_after ? json_object_new_int64((int64_t)after.movable) : NULL);
	ADD("cma_pages_after",
	    have_after ? json_object_new_int64((int64_t)after.cma) : NULL);
	/* The target's free pages (Movable zone, or CMA) around the last
	 * placement and after the registrations, and the drop corrected
	 * for the pages that moved onto the per-cpu lists. */
	if (p->target != PLACE_NORMAL) {
		ADD("target_free_before", ll_or_null(p->free_before));
		ADD("target_free_placed", ll_or_null(p->free_placed));
		ADD("target_free_after", ll_or_null(free_after));
		ADD("target_free_drop",
		    json_object_new_int64(p->free_before - p->free_placed));
		ADD("target_free_drop_pcp",
		    json_object_new_int64((p->free_before - p->free_placed) -
					  (p->pcp_placed - p->pcp_before)));
	} else {
		ADD("target_free_before", NULL);
		ADD("target_free_placed", NULL);
		ADD("target_free_after", NULL);
		ADD("target_free_drop", NULL);
		ADD("target_free_drop_pcp", NULL);
	}
	ADD("cma_free_kb_before", ll_or_null(p->cma_kb_before));
	ADD("cma_free_kb_placed", ll_or_null(p->cma_kb_placed));
	ADD("cma_free_kb_after", ll_or_null(meminfo_read_kb("CmaFree")));
	ADD("balloon_bytes", json_object_new_int64((int64_t)p->balloon.bytes));
	if (p->kind == KIND_THP) {
		long long huge = r->addr ? mem_smaps_sum(r->addr, r->map_len,
							 "AnonHugePages") :
					   -1;

		ADD("huge_bytes", ll_or_null(huge));
	} else if (p->kind == KIND_HUGETLB_2M) {
		ADD("huge_bytes", json_object_new_int64((int64_t)r->map_len));
	} else {
		ADD("huge_bytes", json_object_new_int64(0));
	}
#undef ADD
}
