// SPDX-License-Identifier: GPL-2.0
/*
 * Many result sets against one baseline. Each further set is compared
 * with the baseline by compare_sets, as if it were the B of two, so no
 * verdict of the many-set report can differ from the two-set one; what
 * this file adds is the lineup: for every cell of the baseline, what each
 * set made of it. A cell the baseline lacks cannot be set against it,
 * and is only listed (extra).
 */
#include <stdlib.h>
#include <string.h>

#include "analysis/compare_many.h"
#include "cli/xalloc.h"

#define HOST_LABEL_MAX 20 /* a longer host name is no column heading */

static bool all_differ(char (*label)[80], size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (!strcmp(label[i], label[j]))
				return false;
	return true;
}

void many_labels(const struct results_set *const *all, size_t n,
		 char (*label)[80])
{
	if (n == 2) {
		report_labels(all[0], all[1], label[0], label[1], 80);
		return;
	}
	for (size_t i = 0; i < n; i++)
		report_kernel_short(all[i]->label, label[i], 80);
	if (all_differ(label, n))
		return;
	/* One kernel across a fleet: the hosts tell the sets apart. */
	for (size_t i = 0; i < n; i++) {
		const char *h = all[i]->host;

		if (!h || !*h || strlen(h) > HOST_LABEL_MAX)
			break;
		snprintf(label[i], 80, "%s", h);
		if (i + 1 == n && all_differ(label, n))
			return;
	}
	for (size_t i = 0; i < n; i++)
		snprintf(label[i], 80, "%c", (char)('A' + i));
}

const struct many_slot *many_slot(const struct compare_many *m, size_t i,
				  size_t k)
{
	return &m->slot[i * m->nsets + k];
}

const struct compare_ratio *many_ratio(const struct compare_many *m, size_t i,
				       size_t k, const char *op)
{
	const struct many_slot *s = many_slot(m, i, k);

	if (s->kind != MANY_TIMED)
		return NULL;
	for (unsigned j = 0; j < s->pair->nops; j++)
		if (!strcmp(s->pair->op[j].op, op))
			return &s->pair->op[j];
	return NULL;
}

bool many_changed(const struct compare_many *m, size_t i)
{
	for (size_t k = 0; k < m->nsets; k++)
		if (many_slot(m, i, k)->kind == MANY_CHANGED)
			return true;
	return false;
}

bool many_absent(const struct compare_many *m, size_t i)
{
	for (size_t k = 0; k < m->nsets; k++)
		if (many_slot(m, i, k)->kind == MANY_ABSENT)
			return true;
	return false;
}

/* Pairs point at the baseline's own cells: their index is the row. */
static void place(struct compare_many *m, size_t k,
		  const struct compare_pair *p, size_t n, enum many_kind kind)
{
	for (size_t j = 0; j < n; j++) {
		size_t i = (size_t)(p[j].a - m->base->cells);
		struct many_slot *s = &m->slot[i * m->nsets + k];

		*s = (struct many_slot){ kind, &p[j], p[j].b };
	}
}

static int by_key(const void *x, const void *y)
{
	const struct results_cell *a = *(const struct results_cell *const *)x;
	const struct results_cell *b = *(const struct results_cell *const *)y;

	return strcmp(a->key, b->key);
}

/* The cells only further sets have, each key once, in key order. */
static void extra_cells(struct compare_many *m)
{
	size_t n = 0, kept = 0;

	for (size_t k = 0; k < m->nsets; k++)
		n += m->r[k].nonly_b;
	m->extra = xcalloc(n + 1, sizeof(*m->extra));
	for (size_t k = 0; k < m->nsets; k++)
		for (size_t j = 0; j < m->r[k].nonly_b; j++)
			m->extra[kept++] = m->r[k].only_b[j];
	qsort(m->extra, kept, sizeof(*m->extra), by_key);
	for (size_t j = 0; j < kept; j++)
		if (!m->nextra ||
		    strcmp(m->extra[m->nextra - 1]->key, m->extra[j]->key))
			m->extra[m->nextra++] = m->extra[j];
}

int compare_many(struct compare_many *m, const struct results_set *base,
		 const struct results_set *const *sets, size_t nsets,
		 const struct compare_opts *o)
{
	const struct results_set *all[COMPARE_MANY_MAX];

	memset(m, 0, sizeof(*m));
	if (!nsets || nsets + 1 > COMPARE_MANY_MAX)
		return -1;
	m->base = base;
	m->sets = sets;
	m->nsets = nsets;
	m->r = xcalloc(nsets, sizeof(*m->r));
	m->slot = xcalloc(base->n * nsets + 1, sizeof(*m->slot));
	for (size_t k = 0; k < nsets; k++) {
		if (compare_sets(base, sets[k], o, &m->r[k])) {
			compare_many_free(m);
			return -1;
		}
		compare_provenance(&m->r[k], base, sets[k]);
		/* Refused alike and unstable alike are not kept as pairs. */
		for (size_t i = 0; i < base->n; i++) {
			const struct results_cell *c =
				results_find(sets[k], base->cells[i].key);

			m->slot[i * nsets + k] = (struct many_slot){
				c ? MANY_ALIKE : MANY_ABSENT, NULL, c
			};
		}
		place(m, k, m->r[k].timed, m->r[k].ntimed, MANY_TIMED);
		place(m, k, m->r[k].changed, m->r[k].nchanged, MANY_CHANGED);
	}
	extra_cells(m);
	all[0] = base;
	for (size_t k = 0; k < nsets; k++)
		all[k + 1] = sets[k];
	many_labels(all, nsets + 1, m->label);
	return 0;
}

void compare_many_free(struct compare_many *m)
{
	for (size_t k = 0; m->r && k < m->nsets; k++)
		compare_result_free(&m->r[k]);
	free(m->r);
	free(m->slot);
	free(m->extra);
	memset(m, 0, sizeof(*m));
}
