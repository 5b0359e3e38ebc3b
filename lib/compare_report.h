/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_COMPARE_REPORT_H
#define MRBENCH_COMPARE_REPORT_H

#include <stdio.h>

#include "compare.h"

enum report_format { REPORT_HUMAN, REPORT_MARKDOWN, REPORT_JSON };

/* Which operations the timed table shows: bit 0 reg, bit 1 dereg. */
#define REPORT_OP_REG	1u
#define REPORT_OP_DEREG 2u

/* "6.1.0-56-amd64" -> "6.1"; the whole release when it has no X.Y. */
void report_kernel_short(const char *kernel, char *buf, size_t len);
/* The two sets' names in tables: short kernels, else the full ones. */
void report_labels(const struct results_set *a, const struct results_set *b,
		   char *la, char *lb, size_t len);

int compare_report(FILE *f, enum report_format fmt, const struct results_set *a,
		   const struct results_set *b, const struct compare_result *r,
		   const struct compare_opts *o, unsigned ops);

#endif
