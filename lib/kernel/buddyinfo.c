// SPDX-License-Identifier: GPL-2.0
/*
 * The free lists of the buddy allocator, zone by zone and order by
 * order (/proc/buddyinfo), and debugfs's fragmentation indexes, which
 * print the same way. What compaction is for shows here: free memory
 * that sits in blocks too small for a huge page.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/buddyinfo.h"

/* One "Node N, zone NAME v0 v1 ..." line into r; 0 or -1. */
static int parse_line(const char *line, struct order_row *r)
{
	const char *s;
	char *end;
	int used;

	memset(r, 0, sizeof(*r));
	if (sscanf(line, "Node %d, zone %15s%n", &r->node, r->zone, &used) < 2)
		return -1;
	s = line + used;
	while (r->orders < ORDERS_MAX) {
		double v = strtod(s, &end);

		if (end == s)
			break;
		r->v[r->orders++] = v;
		s = end;
	}
	return r->orders ? 0 : -1;
}

int order_table_parse(const char *text, struct order_table *t)
{
	const char *line = text;

	t->n = 0;
	while (line && *line && t->n < ORDER_ZONES_MAX) {
		const char *nl = strchr(line, '\n');
		char buf[512];
		size_t len = nl ? (size_t)(nl - line) : strlen(line);

		if (len >= sizeof(buf))
			len = sizeof(buf) - 1;
		memcpy(buf, line, len);
		buf[len] = '\0';
		if (!parse_line(buf, &t->r[t->n]))
			t->n++;
		line = nl ? nl + 1 : NULL;
	}
	return t->n ? 0 : -1;
}

int order_table_read(const char *path, struct order_table *t)
{
	char text[8192];
	FILE *f = fopen(path, "re");
	size_t n;

	t->n = 0;
	if (!f)
		return errno;
	n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	return order_table_parse(text, t) ? ENODATA : 0;
}

unsigned long buddy_free_blocks(const struct order_table *t, int order)
{
	unsigned long blocks = 0;

	for (size_t z = 0; z < t->n; z++)
		for (int o = order; o < t->r[z].orders; o++)
			blocks += (unsigned long)t->r[z].v[o] << (o - order);
	return blocks;
}

unsigned long buddy_free_pages(const struct order_table *t)
{
	unsigned long pages = 0;

	for (size_t z = 0; z < t->n; z++)
		for (int o = 0; o < t->r[z].orders; o++)
			pages += (unsigned long)t->r[z].v[o] << o;
	return pages;
}
