// SPDX-License-Identifier: GPL-2.0
/*
 * Before a placement is tried: its argument, whether this kernel and
 * this process can place and check pages at all (probe), and whether the
 * zones have room for a region of the size asked (probe_size). Each
 * refusal says what to boot or run instead.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "mem/hugepool.h"
#include "mem/place/balloon.h"
#include "mem/place/census.h"
#include "mem/place/kind.h"
#include "mem/place/place.h"

const char *const place_kind_names[] = { "4k", "thp", "hugetlb-2m" };

int place_parse_arg(const char *arg, enum place_kind *kind, bool *starve)
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
		if (!strcmp(buf, place_kind_names[k])) {
			*kind = (enum place_kind)k;
			return 0;
		}
	return -1;
}

int place_probe(const struct mem_source *self, const char *arg, char *reason,
		size_t len)
{
	enum place_target t = *(const enum place_target *)self->data;
	enum place_kind kind;
	struct zones zs;
	const struct zone_info *mz;
	char line[64], pool[128];
	bool starve;
	long long cma;

	if (place_parse_arg(arg, &kind, &starve)) {
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
			place_kind_names[kind]);
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

int place_probe_size(const struct mem_source *self, const char *arg,
		     size_t size, char *reason, size_t len)
{
	enum place_target t = *(const enum place_target *)self->data;
	size_t ps = mem_base_page(), pages = mem_round_up(size, HUGE_2M) / ps;
	unsigned long free_pages, high, need;
	enum place_kind kind;
	bool starve;
	const struct zone_info *mz;
	struct zones zs;
	long long cma = 0, pcp;

	place_parse_arg(arg, &kind, &starve);
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
		target_free(t, &zs, &cma, &pcp);
		need = balloon_outside_need(&zs, pages) + pages +
		       2 * SLACK_PAGES;
		if (!starve && (unsigned long)cma < need) {
			snprintf(
				reason, len,
				"the CMA areas have %lld free pages; placing %zu there while %lu stay free outside for the migration needs %lu: boot with a larger cma=",
				cma, pages, balloon_outside_need(&zs, pages),
				need);
			return 1;
		}
	}
	if ((t == PLACE_NORMAL || !starve) &&
	    free_pages < high + pages + SLACK_PAGES) {
		snprintf(
			reason, len,
			"%lu free pages outside ZONE_MOVABLE and CMA: the region (%zu pages) would not fit above the watermarks (%lu)",
			free_pages, pages, high);
		return 1;
	}
	return 0;
}
