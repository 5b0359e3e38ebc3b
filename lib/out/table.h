/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_TABLE_H
#define MRBENCH_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/*
 * A table of strings printed two ways: columns aligned for a terminal, or
 * Markdown. Columns can be dropped when every row leaves them empty.
 */
#define TABLE_MAX_COLS 16

struct table {
	size_t ncols, nrows, cap;
	const char *head[TABLE_MAX_COLS];
	bool right[TABLE_MAX_COLS]; /* numbers: aligned to the right */
	bool optional[TABLE_MAX_COLS]; /* hidden when no row fills it */
	char **cells; /* nrows * ncols, owned */
};

/* Columns: "NAME" left-aligned, ">NAME" right-aligned, "?NAME" optional. */
void table_init(struct table *t, const char *const *cols);
/* One row of ncols strings (NULL is empty); -1 when out of memory. */
int table_add(struct table *t, const char *const *row);
void table_print(const struct table *t, FILE *f, bool markdown);
void table_free(struct table *t);

#endif
