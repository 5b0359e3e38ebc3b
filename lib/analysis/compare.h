/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_COMPARE_H
#define MRBENCH_COMPARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "results/results.h"

/*
 * Two result sets side by side, with the run as the unit. Each run of a
 * cell gives one figure per timed operation, the run's median; B/A is the
 * median of the ratios of every run of B to every run of A, and its 95%
 * interval comes from the Mann-Whitney rank test on the run figures
 * (lib/analysis/ranktest.c). A verdict claims a change only when the
 * interval excludes 1 and B/A is further than the threshold from 1; runs
 * too few for a 95% interval (fewer than 4 a side, or 3 against 5) are
 * "inconclusive", whatever their ratio.
 */

#define COMPARE_THRESHOLD  0.02 /* 2%: below this a change is no change */
#define COMPARE_CONFIDENCE 0.95

struct compare_opts {
	double threshold; /* fraction: 0.02 is 2% */
	double confidence;
};

enum compare_verdict {
	CMP_NONE, /* nothing to compare: a side has no figure */
	CMP_INCONCLUSIVE, /* too few runs for an interval */
	CMP_SAME, /* no change the interval supports */
	CMP_FASTER, /* B takes less time than A */
	CMP_SLOWER,
	CMP_NVERDICTS
};

struct compare_ratio {
	const char *op; /* the figure's name: "reg", "dereg", "fork", ... */
	double med_a, med_b; /* medians of the run figures */
	double ratio; /* B/A: the median of the run-by-run ratios */
	double lo, hi; /* its interval, NAN without one */
	double p; /* the rank test's two-sided p-value, NAN without one */
	size_t n_a, n_b; /* runs */
	enum compare_verdict verdict;
};

/* A cell present in both sets, with one ratio per figure both have. */
struct compare_pair {
	const struct results_cell *a, *b;
	struct compare_ratio op[RESULTS_MAX_OPS];
	unsigned nops;
};

struct pair_phases;

/*
 * A way the two sets differ besides what they were meant to compare
 * (lib/analysis/compare_prov.c): a warning when it changes what the
 * comparison means, a note when it is expected of two releases.
 */
struct compare_prov {
	const char *key; /* "kernel_build_id", "libibverbs", "CONFIG_KSM"... */
	const char *a, *b; /* the sets' values; NULL: not in the .config */
	bool warn;
};

struct compare_result {
	struct compare_pair *timed; /* ok in both */
	struct compare_pair *changed; /* outcome differs: status or errno */
	const struct results_cell **only_a, **only_b;
	size_t ntimed, nchanged, nonly_a, nonly_b;
	size_t same_refusal; /* refused alike in both: not listed */
	size_t unstable_alike; /* runs disagreed, alike in both: not timed */
	struct compare_ratio calib; /* the processes' fixed reference work */
	/* Parallel to timed: phase by phase (analysis/compare_phases.h);
	 * NULL when no cell timed in both has a breakdown. */
	struct pair_phases *phases;
	struct compare_prov *prov; /* borrowed from the sets */
	size_t nprov;
};

void compare_opts_init(struct compare_opts *o);
const char *compare_verdict_name(enum compare_verdict v);
/* Run figures of b against those of a; -1 when out of memory. */
int compare_runs(const double *a, size_t na, const double *b, size_t nb,
		 const struct compare_opts *o, struct compare_ratio *out);
/* Line up two sets; -1 when out of memory. */
int compare_sets(const struct results_set *a, const struct results_set *b,
		 const struct compare_opts *o, struct compare_result *out);
void compare_result_free(struct compare_result *r);

/* Fill r->prov from the sets' provenance; the sets must outlive r. */
void compare_provenance(struct compare_result *r, const struct results_set *a,
			const struct results_set *b);
/*
 * The differences for people, one line each on f, each begun with
 * prefix: a line per key, the CONFIG_ options together on one.
 */
void compare_prov_print(FILE *f, const char *prefix,
			const struct compare_result *r, const char *la,
			const char *lb);

#endif
