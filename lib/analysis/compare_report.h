/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_COMPARE_REPORT_H
#define MRBENCH_COMPARE_REPORT_H

#include <stdio.h>

#include "analysis/compare.h"

enum report_format { REPORT_HUMAN, REPORT_MARKDOWN, REPORT_JSON };

#define REPORT_LINE_WIDTH 100 /* a mail's width: no human line is longer */

struct report_opts {
	enum report_format fmt;
	bool all; /* every figure and cell, not only the changes */
	const char *ops; /* ",reg,dereg," figures to show, or NULL for all */
};

/* "6.1.0-56-amd64" -> "6.1"; the whole release when it has no X.Y. */
void report_kernel_short(const char *kernel, char *buf, size_t len);
/* The two sets' names in tables: short kernels, else the full ones. */
void report_labels(const struct results_set *a, const struct results_set *b,
		   char *la, char *lb, size_t len);
/* Whether the report shows figure op. */
bool report_shows(const struct report_opts *r, const char *op);

/* The pieces the report's sections share. */
/* "migrate movable thp regular 4M lw": what tells the cell from others. */
void report_cell_label(const struct results_cell *c, char *buf, size_t len);
/* Cut to width for a terminal ("..." at the end); Markdown is not cut. */
void report_clip(char *s, size_t width, bool md);
/* ns as us for a table column; "-" when not finite. */
void report_us(double ns, char *buf, size_t len);
void report_ratio(double r, char *buf, size_t len);
/* "6.12 = 6.12.118+deb12-amd64, 5 runs, 110 cells: DIR": a set's header line. */
void report_side(FILE *f, bool md, const char *name,
		 const struct results_set *s);

/* Where the time went, phase by phase (lib/analysis/compare_phases_text.c). */
int compare_phases_text(FILE *f, bool md, const struct report_opts *ro,
			const struct compare_result *r, const char *la,
			const char *lb, const struct compare_opts *o);

/* The same as one JSON object, for scripts (lib/analysis/compare_json.c). */
int compare_json(FILE *f, const struct report_opts *ro,
		 const struct results_set *a, const struct results_set *b,
		 const struct compare_result *r, const struct compare_opts *o);
int compare_report(FILE *f, const struct report_opts *ro,
		   const struct results_set *a, const struct results_set *b,
		   const struct compare_result *r,
		   const struct compare_opts *o);

#endif
