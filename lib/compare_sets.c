// SPDX-License-Identifier: GPL-2.0
/*
 * Lining up two result sets: both are sorted by cell key, so one merge
 * pass finds the cells timed in both, the cells whose outcome changed and
 * the cells only one set has.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"

/* Each cell and operation gets its own stream, the same on every run. */
static uint64_t cell_seed(uint64_t seed, const char *key, int op)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (const unsigned char *p = (const unsigned char *)key; *p; p++)
		h = (h ^ *p) * 0x100000001b3ULL;
	return seed ^ h ^ ((uint64_t)op << 56);
}

static int time_pair(struct compare_pair *p, const struct compare_opts *o)
{
	for (int op = 0; op < 2; op++) {
		const struct results_op *a = &p->a->op[op], *b = &p->b->op[op];
		struct compare_ratio *r = &p->op[op];

		if (a->n && b->n) {
			if (compare_samples(
				    a->samples, a->n, b->samples, b->n, o,
				    cell_seed(o->seed, p->a->key, op), r))
				return -1;
			continue;
		}
		/* Records without samples: the medians they state, no interval. */
		memset(r, 0, sizeof(*r));
		r->med_a = a->p50;
		r->med_b = b->p50;
		r->ratio = a->p50 > 0 ? b->p50 / a->p50 : NAN;
		r->lo = r->hi = NAN;
		r->verdict = CMP_NONE;
	}
	return 0;
}

static bool same_outcome(const struct results_cell *a,
			 const struct results_cell *b)
{
	return a->status == b->status &&
	       !strcmp(results_outcome(a), results_outcome(b));
}

int compare_sets(const struct results_set *a, const struct results_set *b,
		 const struct compare_opts *o, struct compare_result *out)
{
	size_t i = 0, j = 0, both = a->n < b->n ? a->n : b->n;

	memset(out, 0, sizeof(*out));
	out->timed = calloc(both + 1, sizeof(*out->timed));
	out->changed = calloc(both + 1, sizeof(*out->changed));
	out->only_a = calloc(a->n + 1, sizeof(*out->only_a));
	out->only_b = calloc(b->n + 1, sizeof(*out->only_b));
	if (!out->timed || !out->changed || !out->only_a || !out->only_b)
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
		else if (p.a->status != RES_OK)
			out->same_refusal++;
		else if (time_pair(&p, o))
			goto oom;
		else
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
	memset(r, 0, sizeof(*r));
}
