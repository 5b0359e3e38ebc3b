// SPDX-License-Identifier: GPL-2.0
/*
 * The phases of the cells timed in both sets, run figure against run
 * figure, and the phase that moved most. Which phase "accounts for" a
 * change is decided in time, not in ratio: a phase that doubles from
 * 100 ns says nothing about a registration that lost 12 ms.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/xalloc.h"
#include "analysis/compare_phases.h"
#include "measure/stats.h"

static bool any_zero(const double *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!(v[i] > 0))
			return true;
	return false;
}

static bool all_zero(const double *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] != 0)
			return false;
	return true;
}

/* Runs at 0 ns: ranked a nanosecond up, no ratio claimed. */
static int rank_with_zeros(const double *a, size_t na, const double *b,
			   size_t nb, const struct compare_opts *o,
			   struct phase_cmp *c)
{
	double *up = xmalloc((na + nb) * sizeof(*up));
	int rc;

	for (size_t i = 0; i < na; i++)
		up[i] = a[i] + 1;
	for (size_t j = 0; j < nb; j++)
		up[na + j] = b[j] + 1;
	rc = compare_runs(up, na, up + na, nb, o, &c->r);
	free(up);
	c->r.med_a = stats_median(a, na);
	c->r.med_b = stats_median(b, nb);
	c->r.ratio = c->r.lo = c->r.hi = NAN;
	return rc;
}

static int compare_phase(const struct phase_op *a, const struct phase_op *b,
			 int i, const struct compare_opts *o,
			 struct phase_cmp *c)
{
	const double *ra = a->run_ns[i], *rb = b->run_ns[i];
	size_t na = a->nrun_ns[i], nb = b->nrun_ns[i];

	c->r.op = phase_table[i].key;
	c->a_known = na > 0;
	c->b_known = nb > 0;
	c->a_reason = c->a_known ? NULL : a->reason[i];
	c->b_reason = c->b_known ? NULL : b->reason[i];
	c->delta_ns = NAN;
	if (!c->a_known || !c->b_known) {
		/* Nothing to compare; the side that traced it still says. */
		compare_runs(NULL, 0, NULL, 0, o, &c->r);
		c->r.n_a = na;
		c->r.n_b = nb;
		c->r.med_a = na ? stats_median(ra, na) : NAN;
		c->r.med_b = nb ? stats_median(rb, nb) : NAN;
		return 0;
	}
	c->zero = any_zero(ra, na) || any_zero(rb, nb);
	c->idle = all_zero(ra, na) && all_zero(rb, nb);
	if (c->idle) {
		compare_runs(NULL, 0, NULL, 0, o, &c->r);
		c->r.n_a = na;
		c->r.n_b = nb;
		c->r.med_a = c->r.med_b = c->delta_ns = 0;
		return 0;
	}
	if (c->zero ? rank_with_zeros(ra, na, rb, nb, o, c) :
		      compare_runs(ra, na, rb, nb, o, &c->r))
		return -1;
	c->delta_ns = c->r.med_b - c->r.med_a;
	return 0;
}

static const struct compare_ratio *find_total(const struct compare_pair *p,
					      const char *op)
{
	for (unsigned k = 0; k < p->nops; k++)
		if (!strcmp(p->op[k].op, op))
			return &p->op[k];
	return NULL;
}

static int compare_op(const struct compare_pair *p, int k,
		      const struct phase_op *a, const struct phase_op *b,
		      const struct compare_opts *o, struct op_phases *out)
{
	double most = 0;

	out->leading = -1;
	out->present = a->records && b->records;
	if (!out->present)
		return 0;
	out->total = find_total(p, phase_op_keys[k]);
	out->traced.op = "traced";
	if (compare_runs(a->run_traced, a->nrun_traced, b->run_traced,
			 b->nrun_traced, o, &out->traced))
		return -1;
	for (int i = 0; i < PHASE_N; i++) {
		struct phase_cmp *c = &out->ph[i];

		if (compare_phase(a, b, i, o, c))
			return -1;
		/* The first of equals: phase_table's order breaks a tie. */
		if (isfinite(c->delta_ns) && fabs(c->delta_ns) > most) {
			most = fabs(c->delta_ns);
			out->leading = i;
		}
	}
	return 0;
}

bool pair_phases_shown(const struct pair_phases *p)
{
	return p->has_a || p->has_b;
}

int compare_phases(struct compare_result *r, const struct results_set *a,
		   const struct results_phases *pa, const struct results_set *b,
		   const struct results_phases *pb,
		   const struct compare_opts *o)
{
	struct pair_phases *out;
	bool any = false;

	r->phases = NULL;
	if (!pa->with && !pb->with)
		return 0;
	out = xcalloc(r->ntimed + 1, sizeof(*out));
	for (size_t i = 0; i < r->ntimed; i++) {
		const struct compare_pair *p = &r->timed[i];
		const struct phase_cell *ca = &pa->cells[p->a - a->cells];
		const struct phase_cell *cb = &pb->cells[p->b - b->cells];
		struct pair_phases *q = &out[i];

		q->has_a = ca->has;
		q->has_b = cb->has;
		q->unsupported_a = ca->unsupported;
		q->unsupported_b = cb->unsupported;
		any |= pair_phases_shown(q);
		for (int k = 0; k < PHASE_NOPS; k++)
			if (compare_op(p, k, &ca->op[k], &cb->op[k], o,
				       &q->op[k])) {
				free(out);
				return -1;
			}
	}
	if (any)
		r->phases = out;
	else
		free(out);
	return 0;
}
