/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_COMPARE_MANY_H
#define MRBENCH_COMPARE_MANY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "analysis/compare.h"
#include "analysis/compare_report.h"

/*
 * More than two result sets, as a fleet gives them: hosts with their
 * own kernels and NICs. The first set is the baseline and every further
 * set is compared against it exactly as two sets are (compare_sets, the
 * same rank test, threshold and "inconclusive" rule), so a column of the
 * many-set report says what "mrbench compare BASE SET" would say. The
 * pairs are then lined up by the baseline's cells: one row per baseline
 * cell and figure, one slot per further set.
 */

/* A baseline, and one set per column of a table (lib/out/table.h). */
#define COMPARE_MANY_MAX 14

/* What one further set has of a baseline cell. */
enum many_kind {
	MANY_ABSENT, /* the set has no such cell */
	MANY_TIMED, /* ok in both: a ratio per figure */
	MANY_CHANGED, /* the outcome differs: status or errno */
	MANY_ALIKE, /* refused alike, or runs that disagreed alike */
};

struct many_slot {
	enum many_kind kind;
	const struct compare_pair *pair; /* NULL when absent or alike */
	const struct results_cell *cell; /* the set's own, NULL when absent */
};

struct compare_many {
	const struct results_set *base;
	const struct results_set *const *sets; /* the further sets */
	size_t nsets;
	struct compare_result *r; /* r[k]: sets[k] against base */
	struct many_slot *slot; /* [i * nsets + k]: base cell i in set k */
	/* Cells of further sets the baseline lacks, one per key, by key. */
	const struct results_cell **extra;
	size_t nextra;
	char label[COMPARE_MANY_MAX][80]; /* [0] the baseline, then the sets */
};

/*
 * Compare every set against base and line them up; the sets must
 * outlive m. Fills each pair's provenance too. -1 when out of memory.
 */
int compare_many(struct compare_many *m, const struct results_set *base,
		 const struct results_set *const *sets, size_t nsets,
		 const struct compare_opts *o);
void compare_many_free(struct compare_many *m);

/* Base cell i in set k. */
const struct many_slot *many_slot(const struct compare_many *m, size_t i,
				  size_t k);
/* Figure op of base cell i in set k, or NULL when that set has none. */
const struct compare_ratio *many_ratio(const struct compare_many *m, size_t i,
				       size_t k, const char *op);
/* Whether some further set gives base cell i another outcome. */
bool many_changed(const struct compare_many *m, size_t i);
/* Whether some further set lacks base cell i. */
bool many_absent(const struct compare_many *m, size_t i);

/*
 * Names in tables, [0] the baseline: the kernels' X.Y when they differ;
 * else the hosts when they differ and are short; else A, B, C...
 * Two sets are named as report_labels names them.
 */
void many_labels(const struct results_set *const *all, size_t n,
		 char (*label)[80]);

/* The report (lib/analysis/compare_many_text.c, compare_many_json.c). */
int compare_many_report(FILE *f, const struct report_opts *ro,
			const struct compare_many *m,
			const struct compare_opts *o);
int compare_many_json(FILE *f, const struct report_opts *ro,
		      const struct compare_many *m,
		      const struct compare_opts *o);

#endif
