/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_RESULTS_PHASES_H
#define MRBENCH_RESULTS_PHASES_H

#include <stdbool.h>
#include <stddef.h>

#include "results/results.h"
#include "trace/phase.h"

/*
 * The "phases" objects of a set's records (mrbench reg --breakdown), for
 * the figure that stacks them (mrbench plot) and the comparison phase by
 * phase (mrbench compare). results_load drops them, so they are read
 * here from the set's file a second time, each one joined to its cell.
 */

/* The phases are trace/phase.h's, in its order, by its keys and labels. */
#define PHASE_N PHASE_COUNT
enum { PHASE_REG, PHASE_DEREG, PHASE_NOPS };

extern const char *const phase_op_keys[PHASE_NOPS];

/*
 * One operation of one cell, over its records (one per run). A phase's
 * share is its time over the traced time of the records that could trace
 * it, so a run that could not leaves the others' figure as it was.
 *
 * The sums draw a figure; a comparison needs the spread between runs,
 * so each record's own figures are kept beside them, in file order, up
 * to RESULTS_MAX_RUNS.
 */
struct phase_op {
	unsigned records; /* that had this operation */
	double ratio_lo, ratio_hi; /* traced / untraced, NAN when none */
	double ns[PHASE_N], traced_ns[PHASE_N]; /* sums over those records */
	unsigned known[PHASE_N]; /* records that traced the phase */
	char *reason[PHASE_N]; /* the first reason it could not be */
	double *run_ns[PHASE_N]; /* per record that traced the phase */
	size_t nrun_ns[PHASE_N];
	double *run_traced; /* per record: its traced_ns */
	size_t nrun_traced;
};

struct phase_cell {
	bool has; /* some record of the cell had "phases" */
	char *unsupported; /* the breakdown could not run: why, or NULL */
	char *method; /* how it was traced ("function_graph"), or NULL */
	uint64_t ops; /* traced operations per record, 0 when unsaid */
	struct phase_op op[PHASE_NOPS];
};

/* Parallel to set->cells. */
struct results_phases {
	struct phase_cell *cells;
	size_t n, with; /* cells, and those that have phases */
};

/* -1 with "FILE:LINE: what was expected" in err (the set's own file). */
int results_phases_load(const struct results_set *set, struct results_phases *p,
			char *err, size_t len);
void results_phases_free(struct results_phases *p);

/* A phase's share of the traced time, NAN when no record could trace it. */
double phase_share(const struct phase_op *o, int phase);

#endif
