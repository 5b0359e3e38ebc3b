// SPDX-License-Identifier: GPL-2.0
/*
 * Lining up two result sets: both are sorted by cell key, so one merge
 * pass finds the cells timed in both, the cells whose outcome changed and
 * the cells only one set has.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/xalloc.h"
#include "analysis/compare.h"

/* Every figure both cells have, by name, in A's order. */
static int time_pair(struct compare_pair *p, const struct compare_opts *o)
{
	for (unsigned i = 0; i < p->a->nops; i++) {
		const struct results_op *a = &p->a->op[i];
		const struct results_op *b = results_op_find(p->b, a->name);
		struct compare_ratio *r = &p->op[p->nops];

		if (!b || (!a->nruns && !b->nruns))
			continue;
		r->op = a->name;
		if (compare_runs(a->runs, a->nruns, b->runs, b->nruns, o, r))
			return -1;
		p->nops++;
	}
	return 0;
}

/* Runs that disagree are compared by the set of outcomes they had. */
static bool same_outcome(const struct results_cell *a,
			 const struct results_cell *b)
{
	return (a->outcomes || b->outcomes || a->status == b->status) &&
	       !strcmp(results_outcome(a), results_outcome(b));
}

int compare_sets(const struct results_set *a, const struct results_set *b,
		 const struct compare_opts *o, struct compare_result *out)
{
	size_t i = 0, j = 0, both = a->n < b->n ? a->n : b->n;

	memset(out, 0, sizeof(*out));
	out->timed = xcalloc(both + 1, sizeof(*out->timed));
	out->changed = xcalloc(both + 1, sizeof(*out->changed));
	out->only_a = xcalloc(a->n + 1, sizeof(*out->only_a));
	out->only_b = xcalloc(b->n + 1, sizeof(*out->only_b));
	/* Before any kernel: did both sides run on a machine alike? */
	out->calib.op = "calibration";
	if (compare_runs(a->calib, a->ncalib, b->calib, b->ncalib, o,
			 &out->calib))
		goto oom;
	while (i < a->n || j < b->n) {
		int c = i == a->n ? 1 :
			j == b->n ? -1 :
				    strcmp(a->cells[i].key, b->cells[j].key);
		struct compare_pair p = { 0 };

		if (c < 0) {
			out->only_a[out->nonly_a++] = &a->cells[i++];
			continue;
		}
		if (c > 0) {
			out->only_b[out->nonly_b++] = &b->cells[j++];
			continue;
		}
		p.a = &a->cells[i++];
		p.b = &b->cells[j++];
		if (!same_outcome(p.a, p.b))
			out->changed[out->nchanged++] = p;
		else if (p.a->outcomes)
			out->unstable_alike++;
		else if (p.a->status != RES_OK)
			out->same_refusal++;
		else if (time_pair(&p, o))
			goto oom;
		else if (p.nops)
			out->timed[out->ntimed++] = p;
	}
	return 0;
oom:
	compare_result_free(out);
	return -1;
}

void compare_result_free(struct compare_result *r)
{
	free(r->timed);
	free(r->changed);
	free(r->only_a);
	free(r->only_b);
	free(r->phases);
	free(r->prov);
	memset(r, 0, sizeof(*r));
}
