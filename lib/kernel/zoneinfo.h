/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_ZONEINFO_H
#define MRBENCH_ZONEINFO_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Where the kernel keeps its pages: the zones of /proc/zoneinfo, the CMA
 * figures of /proc/meminfo and the CMA areas the boot log names. The
 * parsers take text so the unit tests can feed them; the readers fetch
 * the text.
 */
struct zone_info {
	char name[16];
	int node;
	unsigned long start_pfn, spanned, present, managed;
	unsigned long free, free_cma; /* buddy pages; per-cpu lists excluded */
	unsigned long wmark_min, wmark_low, wmark_high;
	unsigned long
		protection; /* lowmem_reserve: the largest, against higher zones */
	unsigned long pcp_count; /* pages on the per-cpu lists, all cpus */
	unsigned long pcp_cpu; /* ... of the cpu asked for */
	unsigned long pcp_batch; /* refill batch (largest of the cpus) */
};

#define ZONES_MAX 16

struct zones {
	struct zone_info z[ZONES_MAX];
	size_t n;
};

/* A range of page frames [start, end). */
struct pfn_range {
	unsigned long start, end;
};

/* Parse /proc/zoneinfo; cpu picks the pcp_cpu figure (-1: none). */
int zoneinfo_parse(const char *text, int cpu, struct zones *zs);
int zoneinfo_read(int cpu, struct zones *zs);
/* The populated zone of that name (first node), or NULL. */
const struct zone_info *zones_find(const struct zones *zs, const char *name);
/* The populated zone whose span holds pfn, or NULL. */
const struct zone_info *zones_of_pfn(const struct zones *zs, unsigned long pfn);

/* A "Field:  N kB" line of /proc/meminfo in kB, -1 when absent. */
long long meminfo_parse_kb(const char *text, const char *field);
long long meminfo_read_kb(const char *field);

/*
 * The CMA areas from the kernel log lines "cma: Reserved N MiB at 0xADDR"
 * (the CMA core prints one per area at boot); pages of page_size bytes.
 */
size_t cma_ranges_parse(const char *log, size_t page_size, struct pfn_range *r,
			size_t max);
/* From the kernel's log buffer (root); 0 areas when unreadable. */
size_t cma_ranges_read(struct pfn_range *r, size_t max);
bool pfn_in_ranges(unsigned long pfn, const struct pfn_range *r, size_t n);

#endif
