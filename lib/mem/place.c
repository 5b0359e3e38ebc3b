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
 */
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>
#ifdef HAVE_LIBURING
#include <liburing.h>
#endif

#include "mem/hugepool.h"
#include "mem/place.h"
#include "zoneinfo.h"

enum place_kind { KIND_4K, KIND_THP, KIND_HUGETLB_2M };

static const char *const kind_names[] = { "4k", "thp", "hugetlb-2m" };
static const char *const target_names[] = { "normal", "movable", "cma" };

#define HUGE_2M	      (2UL << 20)
#define BALLOON_MAX   64
#define BALLOON_CHUNK (256UL << 20)
#define PLACE_TRIES   3
#define CMA_AREAS     8
/* Pages left free above the high watermark, beyond the region's own. */
#define SLACK_PAGES 4096UL

/* Where the pages of a region are, by frame number. */
struct census {
	size_t pages, target, movable, cma, absent;
	unsigned long by_zone[ZONES_MAX];
	char where[160];
};

struct balloon {
	void *addr[BALLOON_MAX];
	size_t len[BALLOON_MAX];
#ifdef HAVE_LIBURING
	struct io_uring ring[BALLOON_MAX];
#endif
	unsigned n;
	size_t bytes;
};

struct placed {
	enum place_target target;
	enum place_kind kind;
	bool starve;
	struct pfn_range cma[CMA_AREAS];
	size_t ncma;
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

/* ------------------------------------------------------------ arguments */

static int parse_arg(const char *arg, enum place_kind *kind, bool *starve)
{
	char buf[32], *plus;

	*kind = KIND_4K;
	*starve = false;
	if (!arg || !*arg)
		return 0;
	snprintf(buf, sizeof(buf), "%s", arg);
	plus = strchr(buf, '+');
	if (plus) {
		if (strcmp(plus, "+starve"))
			return -1;
		*plus = '\0';
		*starve = true;
	}
	for (int k = 0; k <= KIND_HUGETLB_2M; k++)
		if (!strcmp(buf, kind_names[k])) {
			*kind = (enum place_kind)k;
			return 0;
		}
	return -1;
}

/* ------------------------------------------------------------ counting */

/* The zones a migration target may come from: not ZONE_MOVABLE (nor
 * their CMA pages). */
static bool target_zone(const struct zone_info *z)
{
	return z->present && strcmp(z->name, "Movable");
}

/* Free pages outside ZONE_MOVABLE and CMA, and their high watermarks. */
static void outside_free(const struct zones *zs, unsigned long *free_pages,
			 unsigned long *high)
{
	*free_pages = *high = 0;
	for (size_t i = 0; i < zs->n; i++)
		if (target_zone(&zs->z[i])) {
			*free_pages += zs->z[i].free - zs->z[i].free_cma;
			*high += zs->z[i].wmark_high;
		}
}

/*
 * Of those, the pages an allocation from a higher zone can have without
 * going under a zone's low watermark and its reserve against higher
 * zones (ZONE_DMA keeps most of itself back that way). A balloon that
 * took more would reclaim, and at the min watermark call the OOM killer.
 */
static unsigned long outside_usable(const struct zones *zs)
{
	unsigned long n = 0;

	for (size_t i = 0; i < zs->n; i++) {
		const struct zone_info *z = &zs->z[i];
		unsigned long keep = z->free_cma + z->wmark_low + z->protection;

		if (target_zone(z) && z->free > keep)
			n += z->free - keep;
	}
	return n;
}

/* What the CMA balance rule compares: free pages outside CMA in the
 * zones that hold CMA areas. */
static unsigned long cma_zone_other_free(const struct zones *zs)
{
	unsigned long n = 0;

	for (size_t i = 0; i < zs->n; i++)
		if (zs->z[i].free_cma)
			n += zs->z[i].free - zs->z[i].free_cma;
	return n;
}

/* The target's free pages and per-cpu pages, from one zoneinfo read. */
static void target_free(const struct placed *p, const struct zones *zs,
			long long *free_pages, long long *pcp)
{
	*free_pages = *pcp = 0;
	for (size_t i = 0; i < zs->n; i++) {
		const struct zone_info *z = &zs->z[i];

		if (p->target == PLACE_MOVABLE && !strcmp(z->name, "Movable")) {
			*free_pages += (long long)z->free;
			*pcp += (long long)z->pcp_count;
		} else if (p->target == PLACE_CMA && z->free_cma) {
			*free_pages += (long long)z->free_cma;
			*pcp += (long long)z->pcp_count;
		}
	}
}

static bool in_target(const struct placed *p, const struct zone_info *z,
		      bool cma)
{
	bool movable = z && !strcmp(z->name, "Movable");

	switch (p->target) {
	case PLACE_MOVABLE:
		return movable;
	case PLACE_CMA:
		return cma;
	default:
		return !movable && !cma;
	}
}

static void census_where(const struct zones *zs, struct census *c)
{
	size_t len = 0;

	c->where[0] = '\0';
	for (size_t i = 0; i < zs->n && len < sizeof(c->where); i++)
		if (c->by_zone[i])
			len += (size_t)snprintf(c->where + len,
						sizeof(c->where) - len,
						"%s%s:%lu", len ? " " : "",
						zs->z[i].name, c->by_zone[i]);
	if (c->cma && len < sizeof(c->where))
		len += (size_t)snprintf(c->where + len, sizeof(c->where) - len,
					"%sCMA:%zu", len ? " " : "", c->cma);
	if (c->absent && len < sizeof(c->where))
		snprintf(c->where + len, sizeof(c->where) - len, "%sabsent:%zu",
			 len ? " " : "", c->absent);
}

/*
 * Every base page of the region by frame number. Returns EPERM when the
 * kernel hides the frame numbers (not root), another errno when
 * pagemap cannot be read.
 */
static int census_take(const struct placed *p, const struct mem_region *r,
		       struct census *c)
{
	enum { BATCH = 4096 };
	static uint64_t e[BATCH];
	size_t ps = mem_base_page(), first = (uintptr_t)r->addr / ps;
	struct zones zs;
	int fd, rc = 0;

	memset(c, 0, sizeof(*c));
	if (zoneinfo_read(-1, &zs))
		return EIO;
	fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	c->pages = r->map_len / ps;
	for (size_t done = 0; done < c->pages && !rc;) {
		size_t n = c->pages - done < BATCH ? c->pages - done : BATCH;
		ssize_t got = pread(fd, e, n * 8, (off_t)((first + done) * 8));

		if (got != (ssize_t)(n * 8)) {
			rc = got < 0 ? errno : EIO;
			break;
		}
		for (size_t i = 0; i < n; i++) {
			unsigned long pfn =
				(unsigned long)(e[i] & ((1ULL << 55) - 1));
			const struct zone_info *z;
			bool cma;

			if (!(e[i] >> 63)) {
				c->absent++;
				continue;
			}
			if (!pfn) {
				rc = EPERM;
				break;
			}
			z = zones_of_pfn(&zs, pfn);
			cma = pfn_in_ranges(pfn, p->cma, p->ncma);
			if (z)
				c->by_zone[z - zs.z]++;
			c->movable += z && !strcmp(z->name, "Movable");
			c->cma += cma;
			c->target += in_target(p, z, cma);
		}
		done += n;
	}
	close(fd);
	census_where(&zs, c);
	return rc;
}

/* Can this process see frame numbers? Asked of a page of its own. */
static bool pfns_visible(void)
{
	static volatile char probe_page[8192];
	struct mem_region r = { 0 };
	struct placed p = { .target = PLACE_NORMAL };
	struct census c;
	size_t ps = mem_base_page();

	probe_page[ps] = 1;
	r.addr = (void *)(((uintptr_t)probe_page + ps - 1) / ps * ps);
	r.map_len = ps;
	return !census_take(&p, &r, &c);
}

/* ------------------------------------------------------------ pinning */

#ifdef HAVE_LIBURING
/* A long-term pin of [addr, addr + len): io_uring takes at most 1 GiB a
 * buffer, so longer ranges go as several. */
static int pin_range(struct io_uring *ring, void *addr, size_t len)
{
	struct iovec iov[16];
	unsigned n = 0;
	int rc;

	for (size_t off = 0; off < len && n < 16; n++) {
		size_t l = len - off < (1UL << 30) ? len - off : (1UL << 30);

		iov[n] = (struct iovec){ (char *)addr + off, l };
		off += l;
	}
	rc = io_uring_register_buffers(ring, iov, n);
	return rc < 0 ? -rc : 0;
}
#endif

static int balloon_grow(struct balloon *b, size_t len)
{
#ifdef HAVE_LIBURING
	void *a;
	int rc;

	if (b->n == BALLOON_MAX)
		return ENOSPC;
	a = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		 -1, 0);
	if (a == MAP_FAILED)
		return errno;
	madvise(a, len, MADV_NOHUGEPAGE);
	if ((rc = -io_uring_queue_init(1, &b->ring[b->n], 0))) {
		munmap(a, len);
		return rc;
	}
	/* Untouched: the pin faults every page in, outside ZONE_MOVABLE
	 * and CMA, and holds it there. */
	if ((rc = pin_range(&b->ring[b->n], a, len))) {
		io_uring_queue_exit(&b->ring[b->n]);
		munmap(a, len);
		return rc;
	}
	b->addr[b->n] = a;
	b->len[b->n++] = len;
	b->bytes += len;
	return 0;
#else
	return EOPNOTSUPP;
#endif
}

static void balloon_free(struct balloon *b)
{
	for (unsigned i = 0; i < b->n; i++) {
#ifdef HAVE_LIBURING
		io_uring_queue_exit(&b->ring[i]);
#endif
		munmap(b->addr[i], b->len[i]);
	}
	b->n = 0;
	b->bytes = 0;
}

/* Clean page cache only; not a setting, so nothing to put back. */
static void drop_page_cache(void)
{
	int fd = open("/proc/sys/vm/drop_caches", O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	sync();
	if (write(fd, "1", 1) < 0) {
		/* the balloon then has more to squeeze, no more */
	}
	close(fd);
}

static unsigned long squeeze_level(const struct placed *p,
				   const struct zones *zs)
{
	return p->starve ? outside_usable(zs) : cma_zone_other_free(zs);
}

/*
 * Squeeze until squeeze_level() is down to target pages, and never more
 * than the usable pages (outside_usable) allow.
 */
static int balloon_squeeze(struct placed *p, unsigned long target)
{
	size_t ps = mem_base_page(), len;
	unsigned long level, usable;
	struct zones zs;
	int rc, settled = 0;

	for (;;) {
		if (zoneinfo_read(-1, &zs))
			return EIO;
		level = squeeze_level(p, &zs);
		usable = outside_usable(&zs);
		/* kswapd may still be freeing pages: look again a few times. */
		if (level <= target || (level - target) * ps < (1UL << 20)) {
			if (++settled == 4)
				return 0;
			usleep(20000);
			continue;
		}
		len = (level - target) * ps;
		if (len > usable * ps)
			len = usable * ps;
		if (len < (1UL << 20))
			return 0;

		if (len > BALLOON_CHUNK)
			len = BALLOON_CHUNK;
		if ((rc = balloon_grow(&p->balloon, len))) {
			snprintf(p->error, sizeof(p->error),
				 "the balloon stopped at %zu MiB: %s",
				 p->balloon.bytes >> 20, strerror(rc));
			return rc;
		}
	}
}

/*
 * How far the balloon squeezes (squeeze_level), 0 for no balloon. CMA:
 * the other free pages of the CMA zones below the free CMA pages less
 * the region and a margin, so that CMA still outweighs the rest when
 * the last page is touched. Starving: nothing usable above the low
 * watermarks (hugetlb's migration targets may still go down to the min
 * watermark).
 */
static unsigned long squeeze_target(const struct placed *p, size_t pages,
				    const struct zones *zs)
{
	long long cma = 0, pcp;

	if (p->starve)
		return 1;
	if (p->target != PLACE_CMA)
		return 0;
	target_free(p, zs, &cma, &pcp);
	if ((unsigned long)cma < pages + 2 * SLACK_PAGES)
		return 1;
	return (unsigned long)cma - pages - 2 * SLACK_PAGES;
}

/* The least the balloon may leave outside: room for the migration. */
static unsigned long outside_need(const struct zones *zs, size_t pages)
{
	unsigned long free_pages, high;

	outside_free(zs, &free_pages, &high);
	return high + pages + SLACK_PAGES;
}

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

int place_probe(enum place_target t, const char *arg, char *reason, size_t len)
{
	enum place_kind kind;
	struct zones zs;
	const struct zone_info *mz;
	char line[64], pool[128];
	bool starve;
	long long cma;

	if (parse_arg(arg, &kind, &starve)) {
		snprintf(
			reason, len,
			"invalid argument '%s': expected 4k, thp or hugetlb-2m (+starve after hugetlb-2m)",
			arg);
		return 1;
	}
	if (starve && t == PLACE_NORMAL) {
		snprintf(
			reason, len,
			"+starve is for movable and cma: normal pages need no migration");
		return 1;
	}
	if (starve && kind != KIND_HUGETLB_2M) {
		snprintf(
			reason, len,
			"+starve is for hugetlb-2m only: a %s migration target is allocated with reclaim and the OOM killer behind it",
			kind_names[kind]);
		return 1;
	}
#ifndef HAVE_LIBURING
	if (t == PLACE_NORMAL || t == PLACE_CMA || starve) {
		snprintf(
			reason, len,
			"mrbench was built without liburing: the placement pins with io_uring");
		return 1;
	}
#endif
	if (zoneinfo_read(-1, &zs)) {
		snprintf(reason, len, "cannot read /proc/zoneinfo");
		return 1;
	}
	mz = zones_find(&zs, "Movable");
	if (t == PLACE_MOVABLE && (!mz || !mz->managed)) {
		snprintf(
			reason, len,
			"no ZONE_MOVABLE: boot with movablecore=SIZE|N%% (mrbench vm --profile movable)");
		return 1;
	}
	cma = meminfo_read_kb("CmaTotal");
	if (t == PLACE_CMA && cma <= 0) {
		snprintf(
			reason, len,
			cma < 0 ?
				"kernel without CMA (CONFIG_CMA): no CmaTotal in /proc/meminfo" :
				"no CMA area: boot with cma=SIZE (mrbench vm --profile cma, on debian:sid)");
		return 1;
	}
	if (!pfns_visible()) {
		snprintf(
			reason, len,
			"the placement is checked page by page in /proc/self/pagemap, whose frame numbers only root sees");
		return 1;
	}
	if (kind == KIND_THP &&
	    (mem_read_line("/sys/kernel/mm/transparent_hugepage/enabled", line,
			   sizeof(line)) ||
	     strstr(line, "[never]"))) {
		snprintf(reason, len,
			 "transparent huge pages are off or missing");
		return 1;
	}
	hugepool_path(HUGE_2M, "nr_hugepages", pool, sizeof(pool));
	if (kind == KIND_HUGETLB_2M && access(pool, W_OK)) {
		snprintf(
			reason, len,
			"no writable 2 MiB hugetlb pool (%s): root and CONFIG_HUGETLBFS",
			pool);
		return 1;
	}
	return 0;
}

int place_probe_size(enum place_target t, const char *arg, size_t size,
		     char *reason, size_t len)
{
	size_t ps = mem_base_page(), pages = mem_round_up(size, HUGE_2M) / ps;
	unsigned long free_pages, high, need;
	struct placed p = { .target = t };
	const struct zone_info *mz;
	struct zones zs;
	long long cma = 0, pcp;

	parse_arg(arg, &p.kind, &p.starve);
	if (zoneinfo_read(-1, &zs))
		return 0;
	outside_free(&zs, &free_pages, &high);
	if (t == PLACE_MOVABLE && (mz = zones_find(&zs, "Movable")) &&
	    mz->free < pages + mz->wmark_high + SLACK_PAGES) {
		snprintf(
			reason, len,
			"ZONE_MOVABLE has %lu free pages: %zu for the region, its high watermark %lu and %lu spare needed",
			mz->free, pages, mz->wmark_high, SLACK_PAGES);
		return 1;
	}
	if (t == PLACE_CMA) {
		target_free(&p, &zs, &cma, &pcp);
		need = outside_need(&zs, pages) + pages + 2 * SLACK_PAGES;
		if (!p.starve && (unsigned long)cma < need) {
			snprintf(
				reason, len,
				"the CMA areas have %lld free pages; placing %zu there while %lu stay free outside for the migration needs %lu: boot with a larger cma=",
				cma, pages, outside_need(&zs, pages), need);
			return 1;
		}
	}
	if ((t == PLACE_NORMAL || !p.starve) &&
	    free_pages < high + pages + SLACK_PAGES) {
		snprintf(
			reason, len,
			"%lu free pages outside ZONE_MOVABLE and CMA: the region (%zu pages) would not fit above the watermarks (%lu)",
			free_pages, pages, high);
		return 1;
	}
	return 0;
}

int place_alloc(enum place_target t, struct mem_region *r, size_t size)
{
	struct placed *p = calloc(1, sizeof(*p));
	int flags = MAP_PRIVATE | MAP_ANONYMOUS;

	if (!p)
		return ENOMEM;
	p->target = t;
	parse_arg(r->arg, &p->kind, &p->starve);
	if (t == PLACE_CMA)
		p->ncma = cma_ranges_read(p->cma, CMA_AREAS);
	r->priv = p;
	r->size = size;
	r->fd = -1;
	r->flags = MEM_REPLACE;
	switch (p->kind) {
	case KIND_4K:
		r->page_size = mem_base_page();
		r->map_len = mem_round_up(size, r->page_size);
		r->addr = mmap(NULL, r->map_len, PROT_READ | PROT_WRITE, flags,
			       -1, 0);
		if (r->addr != MAP_FAILED)
			madvise(r->addr, r->map_len, MADV_NOHUGEPAGE);
		break;
	case KIND_THP:
		r->page_size = HUGE_2M;
		r->map_len = mem_round_up(size, HUGE_2M);
		r->flags |= MEM_THP;
		r->addr = mem_map_aligned(r->map_len, HUGE_2M,
					  PROT_READ | PROT_WRITE, MAP_PRIVATE);
		if (r->addr != MAP_FAILED)
			madvise(r->addr, r->map_len, MADV_HUGEPAGE);
		break;
	case KIND_HUGETLB_2M:
		/* No reservation, so that the pool's free pages can be given
		 * back between placements; populate makes sure the pool has
		 * them before touching. */
		r->page_size = HUGE_2M;
		r->map_len = mem_round_up(size, HUGE_2M);
		r->flags |= MEM_HUGETLB;
		r->addr = hugepool_map(HUGE_2M, r->map_len, MAP_NORESERVE);
		break;
	}
	if (r->addr == MAP_FAILED) {
		r->addr = NULL;
		return errno;
	}
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
		target_free(p, &zs, &p->free_before, &p->pcp_before);
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
		target_free(p, &zs, &p->free_before, &p->pcp_before);
		p->cma_kb_before = meminfo_read_kb("CmaFree");
	}
	touch(r, p->kind == KIND_HUGETLB_2M ? HUGE_2M : ps);
	zoneinfo_read(cpu, &zs);
	target_free(p, &zs, &p->free_placed, &p->pcp_placed);
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
		if ((rc = pin_range(&p->ring, r->addr, r->map_len))) {
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
		target = squeeze_target(p, pages, &zs);
		if (p->kind == KIND_HUGETLB_2M && p->target != PLACE_NORMAL &&
		    (rc = pool_hold(p)))
			return EADDRNOTAVAIL;
		if (p->starve)
			drop_page_cache();
		if (target && (rc = balloon_squeeze(p, target)))
			return EADDRNOTAVAIL;
	}
	for (int i = 0; i < PLACE_TRIES; i++) {
		if ((rc = place_once(r, p))) {
			if (!p->error[0])
				snprintf(p->error, sizeof(p->error),
					 "placing failed: %s", strerror(rc));
			return EADDRNOTAVAIL;
		}
		rc = census_take(p, r, &p->before);
		p->check = "pagemap";
		if (!rc && p->target == PLACE_CMA && !p->ncma) {
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

static json_object *ll_or_null(long long v)
{
	return v >= 0 ? json_object_new_int64(v) : NULL;
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
	have_after = r->addr && !census_take(p, r, &after);
	if (!zoneinfo_read(-1, &zs))
		target_free(p, &zs, &free_after, &pcp);
#define ADD(k, v) json_object_object_add(extra, k, v)
	ADD("placement", json_object_new_string(target_names[p->target]));
	ADD("page_kind", json_object_new_string(kind_names[p->kind]));
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
