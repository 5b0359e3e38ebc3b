// SPDX-License-Identifier: GPL-2.0
/*
 * The distribution of registration latency from the raw samples: an
 * empirical CDF per cell, one figure per registrar and access set, one
 * panel per memory source, in each a line per result set (colour) and
 * region size (dash). A median hides a bimodal cell, a long tail or
 * runs that disagree; the CDF shows them. At most six lines a panel:
 * with more sets x sizes than that, sizes spread over the range are
 * kept (the smallest and the largest first).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/plot_facet.h"
#include "cli/size.h"
#include "cli/xalloc.h"

#define CDF_POINTS 200 /* per line: enough for steps, small SVGs */
#define MAX_SIZES  64

static bool has_samples(const struct results_cell *c, const struct combo *k)
{
	return facet_in_combo(c, k) && c->op[0].samples && c->op[0].n;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* The sizes drawn: all, or keep of them spread from first to last. */
static size_t pick_sizes(const struct plot_ctx *c, const struct combo *k,
			 uint64_t *sizes, size_t keep)
{
	uint64_t all[MAX_SIZES];
	size_t n = 0;

	for (size_t s = 0; s < c->nsets; s++)
		for (size_t i = 0; i < c->sets[s].n; i++) {
			const struct results_cell *cell = &c->sets[s].cells[i];
			bool seen = false;

			if (!has_samples(cell, k))
				continue;
			for (size_t j = 0; j < n; j++)
				seen |= all[j] == cell->size;
			if (!seen && n < MAX_SIZES)
				all[n++] = cell->size;
		}
	qsort(all, n, sizeof(*all), cmp_u64);
	if (n <= keep) {
		memcpy(sizes, all, n * sizeof(*all));
		return n;
	}
	for (size_t j = 0; j < keep; j++)
		sizes[j] = all[keep > 1 ? j * (n - 1) / (keep - 1) : 0];
	return keep;
}

/* One line: the samples sorted, at most CDF_POINTS steps of them. */
static void put_cdf(FILE *f, const struct results_op *op)
{
	double *v = xmalloc(op->n * sizeof(*v));
	size_t m = op->n < CDF_POINTS ? op->n : CDF_POINTS;

	memcpy(v, op->samples, op->n * sizeof(*v));
	qsort(v, op->n, sizeof(*v), cmp_double);
	fprintf(f, "%.6g 0\n", v[0] / 1000);
	for (size_t j = 0; j < m; j++) {
		size_t idx = (j + 1) * op->n / m - 1;

		fprintf(f, "%.6g %.6g\n", v[idx] / 1000,
			(double)(idx + 1) / (double)op->n);
	}
	free(v);
}

static const struct results_cell *find_cell(const struct results_set *set,
					    const struct combo *k,
					    const char *mem, uint64_t size)
{
	for (size_t i = 0; i < set->n; i++)
		if (has_samples(&set->cells[i], k) &&
		    set->cells[i].size == size &&
		    !strcmp(set->cells[i].mem_label, mem))
			return &set->cells[i];
	return NULL;
}

static int one_combo(struct plot_ctx *c, const struct combo *k)
{
	const char *mems[FACET_MAX_PANELS];
	uint64_t sizes[MAX_SIZES];
	size_t nsets = facet_nsets(c, k);
	size_t keep = FACET_MAX_SERIES / (nsets ? nsets : 1);
	size_t nsizes, npanels;
	struct plot_fig f;
	char name[200], what[200], title[400];

	nsizes = pick_sizes(c, k, sizes, keep ? keep : 1);
	if (!nsizes)
		return 0;
	facet_name(k, "cdf", name, sizeof(name));
	if (plot_fig_open(c, &f, name))
		return -1;
	facet_describe(k, what, sizeof(what));
	snprintf(title, sizeof(title),
		 "Distribution of registration latency (every sample): %s",
		 what);
	plot_set_str(&f, "fig_title", title);
	npanels = facet_panels(&f, c, k, mems);
	for (size_t s = 0; s < c->nsets; s++)
		for (size_t z = 0; z < nsizes && facet_set_has(c, s, k); z++) {
			char legend[300], sz[16];

			size_format(sizes[z], sz, sizeof(sz));
			snprintf(legend, sizeof(legend), "%s %s", c->labels[s],
				 sz);
			plot_series(&f, legend, (unsigned)s, (unsigned)z);
		}
	for (size_t p = 0; p < npanels; p++)
		for (size_t s = 0; s < c->nsets; s++)
			for (size_t z = 0; z < nsizes && facet_set_has(c, s, k);
			     z++) {
				const struct results_cell *cell = find_cell(
					&c->sets[s], k, mems[p], sizes[z]);

				if (cell)
					put_cdf(f.data, &cell->op[0]);
				else
					fputs("1 NaN\n", f.data);
				fputs("\n\n", f.data);
			}
	return plot_fig_draw(c, &f, "cdf");
}

int plot_cdf(struct plot_ctx *c)
{
	return facet_each_combo(c, one_combo);
}
