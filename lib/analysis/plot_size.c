// SPDX-License-Identifier: GPL-2.0
/*
 * Figures against region size, from the reg records: median latency and
 * cost per base page, one figure per registrar and access set (and
 * prefault, threads), one panel per memory source, in each a line per
 * result set for registration (solid) and deregistration (dashed). Past
 * three sets that would be more than six lines a panel: the operations
 * then get a figure each.
 */
#include <math.h>
#include <string.h>

#include "analysis/plot_facet.h"

static void put_num(FILE *f, double v)
{
	if (isfinite(v))
		fprintf(f, " %.6g", v);
	else
		fprintf(f, " NaN");
}

/* One row: size, then the median and its interval, whole or per page. */
static void put_row(FILE *f, const struct results_cell *cell, int op,
		    bool per_page)
{
	const struct results_op *o = &cell->op[op];
	double div = per_page ? (cell->pages ? (double)cell->pages : NAN) : 1;

	fprintf(f, "%llu", (unsigned long long)cell->size);
	put_num(f, o->p50 / div);
	put_num(f, (isfinite(o->ci95_lo) ? o->ci95_lo : o->p50) / div);
	put_num(f, (isfinite(o->ci95_hi) ? o->ci95_hi : o->p50) / div);
	fputc('\n', f);
}

/* ops: bit 0 registration, bit 1 deregistration. */
static int one_figure(struct plot_ctx *c, const struct combo *k, bool per_page,
		      unsigned ops)
{
	const char *mems[FACET_MAX_PANELS];
	struct plot_fig f;
	char name[200], what[200], title[400];
	size_t npanels;

	facet_name(k, per_page ? "per-page" : "latency", name, sizeof(name));
	if (ops != 3)
		snprintf(name + strlen(name), sizeof(name) - strlen(name),
			 "-%s", ops == 1 ? "reg" : "dereg");
	if (plot_fig_open(c, &f, name))
		return -1;
	facet_describe(k, what, sizeof(what));
	snprintf(title, sizeof(title), "%s%s against region size: %s",
		 per_page ? "Median time per base page" : "Median latency",
		 ops == 3 ? "" :
		 ops == 1 ? " of registration" :
			    " of deregistration",
		 what);
	plot_set_str(&f, "fig_title", title);
	plot_set_str(&f, "ylabel_text",
		     per_page ? "ns per base page (log)" : "median (µs, log)");
	fprintf(f.params, "yscale = %g\n", per_page ? 1.0 : 1000.0);
	facet_xtics(&f, c, k);
	npanels = facet_panels(&f, c, k, mems);
	/* The series are the same in every panel: set x operation. */
	for (size_t s = 0; s < c->nsets; s++)
		for (int op = 0; op < 2; op++) {
			char legend[300];

			if (!(ops & (1u << op)) || !facet_set_has(c, s, k))
				continue;
			snprintf(legend, sizeof(legend), "%s %s", c->labels[s],
				 op ? "dereg" : "reg");
			plot_series(&f, legend, (unsigned)s, (unsigned)op);
		}
	/* A block per panel and series, in that order; one with no cell
	 * holds a blank point so the blocks keep their numbers. */
	for (size_t p = 0; p < npanels; p++)
		for (size_t s = 0; s < c->nsets; s++)
			for (int op = 0; op < 2; op++) {
				size_t rows = 0;

				if (!(ops & (1u << op)) ||
				    !facet_set_has(c, s, k))
					continue;
				for (size_t i = 0; i < c->sets[s].n; i++) {
					const struct results_cell *cell =
						&c->sets[s].cells[i];

					if (!facet_in_combo(cell, k) ||
					    strcmp(cell->mem_label, mems[p]))
						continue;
					put_row(f.data, cell, op, per_page);
					rows++;
				}
				if (!rows)
					fputs("1 NaN NaN NaN\n", f.data);
				fputs("\n\n", f.data);
			}
	return plot_fig_draw(c, &f, "vs-size");
}

static int one_combo(struct plot_ctx *c, const struct combo *k)
{
	/* Two lines a set; past three sets, one operation a figure. */
	bool together = 2 * facet_nsets(c, k) <= FACET_MAX_SERIES;
	int rc = 0;

	for (int per_page = 0; per_page < 2 && !rc; per_page++) {
		if (together) {
			rc = one_figure(c, k, per_page, 3);
			continue;
		}
		rc = one_figure(c, k, per_page, 1);
		if (!rc)
			rc = one_figure(c, k, per_page, 2);
	}
	return rc;
}

int plot_vs_size(struct plot_ctx *c)
{
	return facet_each_combo(c, one_combo);
}
