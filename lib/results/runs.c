// SPDX-License-Identifier: GPL-2.0
/*
 * Several runs of one cell in a set become one cell: the samples pooled,
 * a figure per run, and the outcomes of runs that disagreed.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/xalloc.h"
#include "results/results.h"
#include "measure/stats.h"

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * "EFAULT|ok": the distinct outcomes of a cell's runs, sorted, so that
 * two sets whose runs disagree alike compare equal whatever the order.
 */
static int add_outcome(struct results_cell *c, const char *now)
{
	char *all, *parts[64], *save = NULL, *joined;
	size_t n = 0, used = 0, len;

	if (asprintf(&all, "%s|%s", results_outcome(c), now) < 0)
		return -1;
	for (char *t = strtok_r(all, "|", &save); t && n < 64;
	     t = strtok_r(NULL, "|", &save))
		parts[n++] = t;
	qsort(parts, n, sizeof(*parts), cmp_str);
	len = strlen(results_outcome(c)) + strlen(now) + 2;
	joined = xmalloc(len);
	for (size_t i = 0; i < n; i++)
		if (!i || strcmp(parts[i], parts[i - 1]))
			used += (size_t)snprintf(joined + used, len - used,
						 "%s%s", used ? "|" : "",
						 parts[i]);
	free(all);
	free(c->outcomes);
	c->outcomes = joined;
	return 0;
}

/* Pooled samples, and the run's figure beside the others. */
static int merge_op(struct results_op *into, struct results_op *from)
{
	double *s, *r, lo = INFINITY, hi = -INFINITY;

	if (from->n) {
		s = xrealloc(into->samples,
			     (into->n + from->n) * sizeof(*into->samples));
		memcpy(s + into->n, from->samples, from->n * sizeof(*s));
		into->samples = s;
		into->n += from->n;
	}
	if (!from->nruns || into->nruns + from->nruns > RESULTS_MAX_RUNS)
		return 0;
	r = xrealloc(into->runs, (into->nruns + from->nruns) * sizeof(*r));
	memcpy(r + into->nruns, from->runs, from->nruns * sizeof(*r));
	into->runs = r;
	into->nruns += from->nruns;
	/* Several runs: the median of theirs, and their range. */
	for (size_t i = 0; i < into->nruns; i++) {
		lo = fmin(lo, r[i]);
		hi = fmax(hi, r[i]);
	}
	into->p50 = stats_median(r, into->nruns);
	into->ci95_lo = lo;
	into->ci95_hi = hi;
	return 0;
}

int results_cell_merge(struct results_cell *c, struct results_cell *later)
{
	bool timed = c->status == RES_OK && later->status == RES_OK;

	if (strcmp(results_outcome(c), results_outcome(later)) &&
	    add_outcome(c, results_outcome(later)))
		return -1;
	c->nruns += later->nruns;
	c->unexpected |= later->unexpected;
	/* The cell was measured when its first run was. */
	if (later->time && (!c->time || strcmp(later->time, c->time) < 0)) {
		free(c->time);
		c->time = later->time;
		later->time = NULL;
	}
	for (unsigned i = 0; timed && i < later->nops; i++) {
		struct results_op *from = &later->op[i], *into = NULL;

		for (unsigned j = 0; j < c->nops && !into; j++)
			if (!strcmp(c->op[j].name, from->name))
				into = &c->op[j];
		if (!into && c->nops < RESULTS_MAX_OPS) {
			into = &c->op[c->nops++];
			*into = (struct results_op){ .p50 = from->p50,
						     .ci95_lo = NAN,
						     .ci95_hi = NAN };
			memcpy(into->name, from->name, sizeof(into->name));
		}
		if (into && merge_op(into, from))
			return -1;
	}
	return 0;
}
