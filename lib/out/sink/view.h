/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_VIEW_H
#define MRBENCH_VIEW_H

#include <json-c/json.h>
#include <stddef.h>
#include <stdio.h>

/* How a column shows its key's value; "-" when the record has none. */
enum col_fmt {
	COL_TEXT, /* as it is */
	COL_SIZE, /* bytes: 4K, 2M */
	COL_NS, /* nanoseconds: 1.20 us, 3.41 ms */
	COL_COUNT, /* a whole number, or one decimal */
	COL_WHOLE, /* rounded to a whole number */
	COL_FIXED2, /* two decimals */
	COL_YESNO, /* a boolean: yes, no */
	COL_YESNO_LOUD, /* a verdict: yes, NO */
	COL_PERCENT, /* a share: 0.634 as 63% */
};

/*
 * One column of a bench's table for a person: its head, its width (as a
 * printf field width: negative is left-aligned), and either the key of
 * the flattened record it shows or, for what one key cannot say, a
 * function that writes the cell.
 */
struct column {
	const char *head;
	int width;
	const char *key;
	enum col_fmt fmt;
	void (*cell)(json_object *flat, char *buf, size_t len);
};

#define COL(h, w, k, f)                                           \
	{                                                         \
		.head = (h), .width = (w), .key = (k), .fmt = (f) \
	}
#define COL_FN(h, w, fn)                                \
	{                                               \
		.head = (h), .width = (w), .cell = (fn) \
	}
#define COL_END              \
	{                    \
		.head = NULL \
	}

/*
 * A bench's table: its columns, and optionally a title printed once
 * above it and sections. Without sections each row is printed as its
 * cell ends; with them the rows wait for the end and are printed under
 * their section's heading, sections in the order first seen.
 */
struct view {
	const struct column *cols; /* ends with a NULL head */
	void (*title)(FILE *f, json_object *first);
	void (*section)(json_object *flat, char *buf, size_t len);
	/*
	 * Optional: a further table at the end, of the records that have
	 * its "only" key (the breakdown of the cells that were traced),
	 * under its heading.
	 */
	const struct view *more;
	const char *only, *heading;
};

/* Registration cells, in the columns every record has, then where the
 * time of the traced ones went (--breakdown). */
extern const struct view view_cells;
extern const struct view view_reg_phases;

/* The text of one column for one flattened record. */
void view_cell(const struct column *c, json_object *flat, char *buf,
	       size_t len);
/* Shared by cells: a key's string, "" when absent or null. */
const char *view_str(json_object *flat, const char *key);
/* A key's number, < 0 when absent or null. */
double view_num(json_object *flat, const char *key);
/* "errno: reason" of a record whose status is not ok, "" otherwise. */
void view_why(json_object *flat, char *buf, size_t len);

#endif
