/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_COMPARE_PHASES_H
#define MRBENCH_COMPARE_PHASES_H

#include <stdbool.h>
#include <stddef.h>

#include "analysis/compare.h"
#include "results/phases.h"

/*
 * Where the time went: the cells timed in both sets, phase by phase
 * (mrbench reg --breakdown). A record's phases are those of its median
 * traced operation, so a run gives one figure per phase, and the phases
 * are compared as the totals are: the run figures of B against those of
 * A (compare_runs). The phase with the largest |B - A| is the one that
 * accounts for most of the operation's change.
 *
 * A phase at 0 ns in some run has no ratio (B/A from or to nothing); it
 * is ranked one nanosecond up, the trace clock's resolution, which keeps
 * every order between runs as it was, so the verdict stands, and no
 * ratio or interval is claimed for it.
 */

struct phase_cmp {
	struct compare_ratio r; /* med_a, med_b in ns; ratio NAN when zero */
	double delta_ns; /* med_b - med_a; NAN when a side did not trace it */
	bool a_known, b_known; /* traced in some run of that side */
	const char *a_reason, *b_reason; /* why not, when not */
	bool zero; /* some run spent 0 ns in it: ranks, no ratio */
	bool idle; /* 0 ns in every run of both sides */
};

struct op_phases {
	bool present; /* both sides have a breakdown of the operation */
	const struct compare_ratio *total; /* the timed figure, or NULL */
	struct compare_ratio traced; /* the traced totals, run by run */
	struct phase_cmp ph[PHASE_N];
	int leading; /* the phase with the largest |delta_ns|, -1: none */
};

/* Parallel to compare_result.timed. */
struct pair_phases {
	bool has_a, has_b; /* some record of the cell had "phases" */
	const char *unsupported_a,
		*unsupported_b; /* the breakdown could not run */
	struct op_phases op[PHASE_NOPS];
};

/*
 * Fill r->phases from the two sets' breakdowns, which must outlive r:
 * its reasons are theirs. Leaves r->phases NULL when neither set has a
 * cell timed in both with phases. -1 when out of memory.
 */
int compare_phases(struct compare_result *r, const struct results_set *a,
		   const struct results_phases *pa, const struct results_set *b,
		   const struct results_phases *pb,
		   const struct compare_opts *o);

/* Whether the cell has anything to say about its phases. */
bool pair_phases_shown(const struct pair_phases *p);

#endif
