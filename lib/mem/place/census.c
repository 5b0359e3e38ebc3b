// SPDX-License-Identifier: GPL-2.0
/*
 * The page census of a placement: the zones' free pages as the page
 * allocator weighs them (outside ZONE_MOVABLE and CMA, in the CMA zones,
 * in the target), and every page of a region by frame number, from
 * /proc/self/pagemap (root only) against the zone spans of
 * /proc/zoneinfo and the CMA areas of the boot log.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "mem/place/census.h"

/* The zones a migration target may come from: not ZONE_MOVABLE (nor
 * their CMA pages). */
static bool target_zone(const struct zone_info *z)
{
	return z->present && strcmp(z->name, "Movable");
}

void outside_free(const struct zones *zs, unsigned long *free_pages,
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
unsigned long outside_usable(const struct zones *zs)
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
unsigned long cma_zone_other_free(const struct zones *zs)
{
	unsigned long n = 0;

	for (size_t i = 0; i < zs->n; i++)
		if (zs->z[i].free_cma)
			n += zs->z[i].free - zs->z[i].free_cma;
	return n;
}

void target_free(enum place_target t, const struct zones *zs,
		 long long *free_pages, long long *pcp)
{
	*free_pages = *pcp = 0;
	for (size_t i = 0; i < zs->n; i++) {
		const struct zone_info *z = &zs->z[i];

		if (t == PLACE_MOVABLE && !strcmp(z->name, "Movable")) {
			*free_pages += (long long)z->free;
			*pcp += (long long)z->pcp_count;
		} else if (t == PLACE_CMA && z->free_cma) {
			*free_pages += (long long)z->free_cma;
			*pcp += (long long)z->pcp_count;
		}
	}
}

static bool in_target(enum place_target t, const struct zone_info *z, bool cma)
{
	bool movable = z && !strcmp(z->name, "Movable");

	switch (t) {
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

int census_take(enum place_target t, const struct cma_areas *cma_areas,
		const struct mem_region *r, struct census *c)
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
			cma = pfn_in_ranges(pfn, cma_areas->r, cma_areas->n);
			if (z)
				c->by_zone[z - zs.z]++;
			c->movable += z && !strcmp(z->name, "Movable");
			c->cma += cma;
			c->target += in_target(t, z, cma);
		}
		done += n;
	}
	close(fd);
	census_where(&zs, c);
	return rc;
}

bool pfns_visible(void)
{
	static volatile char probe_page[8192];
	struct mem_region r = { 0 };
	struct cma_areas none = { .n = 0 };
	struct census c;
	size_t ps = mem_base_page();

	probe_page[ps] = 1;
	r.addr = (void *)(((uintptr_t)probe_page + ps - 1) / ps * ps);
	r.map_len = ps;
	return !census_take(PLACE_NORMAL, &none, &r, &c);
}
