// SPDX-License-Identifier: GPL-2.0
/*
 * Zones, CMA areas and their free pages, as the kernel reports them. A
 * zone's "pages free" counts the buddy lists only: pages sitting on the
 * per-cpu lists are neither free there nor handed out yet, so the
 * per-cpu counts are kept too, to tell one from the other.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <unistd.h>

#include "cli/xalloc.h"
#include "kernel/kfile.h"
#include "kernel/zoneinfo.h"

/* The value after "key" at the start of a trimmed line, if it is there. */
static bool field(const char *line, const char *key, unsigned long *v)
{
	size_t n = strlen(key);
	char *end;

	if (strncmp(line, key, n) ||
	    (line[n] != ' ' && line[n] != ':' && line[n] != '\t'))
		return false;
	line += n;
	while (*line == ' ' || *line == ':' || *line == '\t')
		line++;
	*v = strtoul(line, &end, 10);
	return end != line;
}

int zoneinfo_parse(const char *text, int cpu, struct zones *zs)
{
	struct zone_info *z = NULL;
	const char *p = text;
	long cur_cpu = -1;
	unsigned long v;

	memset(zs, 0, sizeof(*zs));
	while (p && *p) {
		const char *nl = strchr(p, '\n');
		char line[256];
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char *s = line;
		int node;

		if (len >= sizeof(line))
			len = sizeof(line) - 1;
		memcpy(line, p, len);
		line[len] = '\0';
		p = nl ? nl + 1 : NULL;
		while (*s == ' ' || *s == '\t')
			s++;
		if (sscanf(s, "Node %d, zone %15s", &node, line) == 2) {
			if (zs->n == ZONES_MAX)
				return -1;
			z = &zs->z[zs->n++];
			z->node = node;
			snprintf(z->name, sizeof(z->name), "%.15s", line);
			cur_cpu = -1;
			continue;
		}
		if (!z)
			continue;
		if (field(s, "cpu", &v)) {
			cur_cpu = (long)v;
		} else if (field(s, "count", &v)) {
			z->pcp_count += v;
			if (cur_cpu == cpu)
				z->pcp_cpu = v;
		} else if (field(s, "batch", &v)) {
			if (v > z->pcp_batch)
				z->pcp_batch = v;
		} else if (!strncmp(s, "protection:", 11)) {
			/* "protection: (0, 1018, 1018, 1018, 1018)" */
			for (char *q = strchr(s, '('); q && *q;
			     q = strchr(q, ',')) {
				v = strtoul(q + 1, NULL, 10);
				if (v > z->protection)
					z->protection = v;
				q++;
			}
		} else if (!strncmp(s, "pages free", 10)) {
			z->free = strtoul(s + 10, NULL, 10);
		} else if (field(s, "nr_free_cma", &v)) {
			z->free_cma = v;
		} else if (field(s, "min", &v)) {
			z->wmark_min = v;
		} else if (field(s, "low", &v)) {
			z->wmark_low = v;
		} else if (field(s, "high", &v) && cur_cpu < 0) {
			z->wmark_high = v;
		} else if (field(s, "spanned", &v)) {
			z->spanned = v;
		} else if (field(s, "present", &v)) {
			z->present = v;
		} else if (field(s, "managed", &v)) {
			z->managed = v;
		} else if (field(s, "start_pfn", &v)) {
			z->start_pfn = v;
		}
	}
	return zs->n ? 0 : -1;
}

int zoneinfo_read(int cpu, struct zones *zs)
{
	char *t = kfile_read("/proc/zoneinfo", NULL);
	int rc;

	if (!t)
		return -1;
	rc = zoneinfo_parse(t, cpu, zs);
	free(t);
	return rc;
}

const struct zone_info *zones_find(const struct zones *zs, const char *name)
{
	for (size_t i = 0; i < zs->n; i++)
		if (!strcmp(zs->z[i].name, name) && zs->z[i].present)
			return &zs->z[i];
	return NULL;
}

/*
 * ZONE_MOVABLE is carved out of the top of a node's highest zone, whose
 * span may still cover it: the zones listed last (higher) are asked first.
 */
const struct zone_info *zones_of_pfn(const struct zones *zs, unsigned long pfn)
{
	for (size_t i = zs->n; i-- > 0;) {
		const struct zone_info *z = &zs->z[i];

		if (z->present && pfn >= z->start_pfn &&
		    pfn < z->start_pfn + z->spanned)
			return z;
	}
	return NULL;
}

long long meminfo_parse_kb(const char *text, const char *field_name)
{
	size_t n = strlen(field_name);

	for (const char *p = text; p && *p;
	     p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, field_name, n) && p[n] == ':')
			return strtoll(p + n + 1, NULL, 10);
	return -1;
}

long long meminfo_read_kb(const char *field_name)
{
	char *t = kfile_read("/proc/meminfo", NULL);
	long long v;

	if (!t)
		return -1;
	v = meminfo_parse_kb(t, field_name);
	free(t);
	return v;
}

size_t cma_ranges_parse(const char *log, size_t page_size, struct pfn_range *r,
			size_t max)
{
	static const char key[] = "cma: Reserved ";
	size_t n = 0;

	for (const char *p = strstr(log, key); p && n < max;
	     p = strstr(p + 1, key)) {
		unsigned long mib;
		unsigned long long addr;

		if (sscanf(p + sizeof(key) - 1, "%lu MiB at %llx", &mib,
			   &addr) != 2)
			continue;
		r[n].start = (unsigned long)(addr / page_size);
		r[n].end =
			r[n].start + (unsigned long)((mib << 20) / page_size);
		n++;
	}
	return n;
}

size_t cma_ranges_read(struct pfn_range *r, size_t max)
{
	/* SYSLOG_ACTION_SIZE_BUFFER, SYSLOG_ACTION_READ_ALL */
	int len = klogctl(10, NULL, 0), got;
	char *buf;
	size_t n = 0;

	if (len <= 0)
		return 0;
	buf = xmalloc((size_t)len + 1);
	got = klogctl(3, buf, len);
	if (got > 0) {
		buf[got] = '\0';
		n = cma_ranges_parse(buf, (size_t)sysconf(_SC_PAGESIZE), r,
				     max);
	}
	free(buf);
	return n;
}

bool pfn_in_ranges(unsigned long pfn, const struct pfn_range *r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (pfn >= r[i].start && pfn < r[i].end)
			return true;
	return false;
}
