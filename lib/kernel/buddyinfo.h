/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_BUDDYINFO_H
#define MRBENCH_BUDDYINFO_H

#include <stddef.h>

/*
 * Tables of one value per zone and page order, in the layout
 * /proc/buddyinfo shares with debugfs's extfrag/unusable_index and
 * extfrag/extfrag_index: "Node 0, zone   Normal v0 v1 ... v10", the
 * order-0 value first. The parser takes text for the unit tests.
 */
#define ORDERS_MAX	16
#define ORDER_ZONES_MAX 16

struct order_row {
	int node;
	char zone[16];
	double v[ORDERS_MAX];
	int orders; /* values on the line */
};

struct order_table {
	struct order_row r[ORDER_ZONES_MAX];
	size_t n;
};

/* 0, or -1 when no line parses. */
int order_table_parse(const char *text, struct order_table *t);
/* The file read and parsed: 0 or an errno (ENODATA when nothing parsed). */
int order_table_read(const char *path, struct order_table *t);
/*
 * From a buddyinfo table: free memory in whole blocks of 2^order pages,
 * counted in such blocks (a free block of order + 1 counts two), over
 * every zone.
 */
unsigned long buddy_free_blocks(const struct order_table *t, int order);
/* Every free page the table counts, in base pages. */
unsigned long buddy_free_pages(const struct order_table *t);

#endif
