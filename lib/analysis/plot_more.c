// SPDX-License-Identifier: GPL-2.0
/*
 * The figures beyond latency against size: migration cost per page size
 * (bench=migrate), ODP first touch against prefetched pages
 * (bench=fault), and each set against the first as ratio bars with
 * their rank-test intervals over the runs (from compare). A figure
 * without records is skipped.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/compare.h"
#include "analysis/plot.h"
#include "cli/size.h"

static void put_num(FILE *f, double v)
{
	if (isfinite(v))
		fprintf(f, " %.6g", v);
	else
		fprintf(f, " NaN");
}

/* ---- migration: ns per migrated page against size ---- */

static bool migrate_cell(const struct results_cell *c)
{
	return !strcmp(c->bench, "migrate") && c->status == RES_OK &&
	       c->migrated > 0 && isfinite(c->op[0].p50);
}

int plot_migrate(struct plot_ctx *c)
{
	struct plot_fig f;
	unsigned colour = 0;
	bool any = false;

	for (size_t s = 0; s < c->nsets; s++)
		for (size_t i = 0; i < c->sets[s].n; i++)
			any |= migrate_cell(&c->sets[s].cells[i]);
	if (!any)
		return 0;
	if (plot_fig_open(c, &f, "migrate-per-page"))
		return -1;
	plot_set_str(
		&f, "fig_title",
		"Long-term pin that migrates: median registration time per migrated page");
	/* One series per set, memory source and page size, in key order. */
	for (size_t s = 0; s < c->nsets; s++) {
		const struct results_cell *prev = NULL;

		for (size_t i = 0; i < c->sets[s].n; i++) {
			const struct results_cell *cell = &c->sets[s].cells[i];
			double lo, hi;

			if (!migrate_cell(cell))
				continue;
			if (!prev || strcmp(prev->mem_label, cell->mem_label) ||
			    strcmp(prev->reg ? prev->reg : "",
				   cell->reg ? cell->reg : "") ||
			    prev->page_size != cell->page_size ||
			    strcmp(prev->access ? prev->access : "",
				   cell->access ? cell->access : "")) {
				char legend[300], ps[16];

				if (prev)
					fputs("\n\n", f.data);
				size_format(cell->page_size, ps, sizeof(ps));
				snprintf(legend, sizeof(legend),
					 "%s %s %s pages, %s", c->labels[s],
					 cell->mem_label, ps,
					 cell->reg ? cell->reg : "-");
				plot_series(&f, legend, colour++, (unsigned)s);
			}
			prev = cell;
			lo = isfinite(cell->op[0].ci95_lo) ?
				     cell->op[0].ci95_lo :
				     cell->op[0].p50;
			hi = isfinite(cell->op[0].ci95_hi) ?
				     cell->op[0].ci95_hi :
				     cell->op[0].p50;
			fprintf(f.data, "%llu", (unsigned long long)cell->size);
			put_num(f.data, cell->op[0].p50 / cell->migrated);
			put_num(f.data, lo / cell->migrated);
			put_num(f.data, hi / cell->migrated);
			fputc('\n', f.data);
		}
		if (prev)
			fputs("\n\n", f.data);
	}
	return plot_fig_draw(c, &f, "migrate");
}

/* ---- ODP: latency of the first touch against the other states ---- */

/* The median latency of one page state, NAN when the cell has none. */
static double state_p50(const struct results_cell *c, int state)
{
	const struct results_op *op =
		results_op_find(c, results_fault_states[state]);

	return op ? op->p50 : NAN;
}

static bool touch_cell(const struct results_cell *c)
{
	if (strcmp(c->bench, "fault") || c->status != RES_OK ||
	    strncmp(c->scenario, "odp-first-touch/", 16))
		return false;
	for (int i = 0; i < FAULT_NSTATES; i++)
		if (isfinite(state_p50(c, i)))
			return true;
	return false;
}

int plot_fault(struct plot_ctx *c)
{
	struct plot_fig f;
	size_t rows = 0;

	for (size_t s = 0; s < c->nsets; s++)
		for (size_t i = 0; i < c->sets[s].n; i++)
			rows += touch_cell(&c->sets[s].cells[i]);
	if (!rows)
		return 0;
	if (plot_fig_open(c, &f, "odp-first-touch"))
		return -1;
	plot_set_str(
		&f, "fig_title",
		"ODP: median latency of one RDMA operation by the state of its page");
	fprintf(f.params, "fig_w = %zu\n",
		rows * 110 + 500 > 1400 ? rows * 110 + 500 : 1400);
	for (int i = 0; i < FAULT_NSTATES; i++) {
		char state[64];

		snprintf(state, sizeof(state), "%s", results_fault_states[i]);
		if (!strcmp(state, "cpu"))
			snprintf(state, sizeof(state), "CPU-touched");
		else if (!strcmp(state, "present"))
			snprintf(state, sizeof(state), "device-present");
		plot_series(&f, state, (unsigned)i, 0);
	}
	for (size_t s = 0; s < c->nsets; s++)
		for (size_t i = 0; i < c->sets[s].n; i++) {
			const struct results_cell *cell = &c->sets[s].cells[i];

			if (!touch_cell(cell))
				continue;
			/* "6.12 anon read": kernel, memory source, operation. */
			plot_data_label(f.data, "%s %s %s", c->labels[s],
					cell->mem_label, cell->scenario + 16);
			for (int k = 0; k < FAULT_NSTATES; k++)
				put_num(f.data, state_p50(cell, k) / 1000);
			fputc('\n', f.data);
		}
	return plot_fig_draw(c, &f, "fault");
}

/* ---- each set against the first: ratio bars with intervals ---- */

static const char *verdict_colour(enum compare_verdict v)
{
	switch (v) {
	case CMP_FASTER:
		return "0x009E73";
	case CMP_SLOWER:
		return "0xD55E00";
	case CMP_SAME:
		return "0x999999";
	default:
		return "0xCCCCCC";
	}
}

static int compare_reg(struct plot_ctx *c, size_t b,
		       const struct compare_result *r, const char *reg)
{
	char name[200], title[400], la[64], lb[64], size[16];
	struct plot_fig f;
	unsigned rows = 0;

	snprintf(la, sizeof(la), "%s", c->labels[0]);
	snprintf(lb, sizeof(lb), "%s", c->labels[b]);
	snprintf(name, sizeof(name), "compare-%s-%s-vs-%s", reg, lb, la);
	if (plot_fig_open(c, &f, name))
		return -1;
	snprintf(
		title, sizeof(title),
		"Registration time with %s, %s relative to %s: B/A over runs, 95%% rank-test interval",
		reg, lb, la);
	plot_set_str(&f, "fig_title", title);
	snprintf(title, sizeof(title), "median time %s / %s (log scale)", lb,
		 la);
	plot_set_str(&f, "ylabel_text", title);
	for (size_t i = 0; i < r->ntimed; i++) {
		const struct compare_pair *p = &r->timed[i];
		const struct compare_ratio *x = &p->op[0];

		if (!p->nops || strcmp(x->op, "reg") ||
		    strcmp(p->a->bench, "reg") || !p->a->reg ||
		    strcmp(p->a->reg, reg) || !isfinite(x->ratio) ||
		    x->ratio <= 0)
			continue;
		size_format(p->a->size, size, sizeof(size));
		fprintf(f.data, "%u", rows++);
		put_num(f.data, x->ratio);
		put_num(f.data, isfinite(x->lo) ? x->lo : x->ratio);
		put_num(f.data, isfinite(x->hi) ? x->hi : x->ratio);
		fprintf(f.data, " %s ", verdict_colour(x->verdict));
		plot_data_label(f.data, "%s %s %s%s", p->a->mem_label, size,
				p->a->access ? p->a->access : "-",
				p->a->prefault ? "" : " nopf");
		fputc('\n', f.data);
	}
	fprintf(f.params, "nrows = %u\nfig_w = %u\n", rows,
		rows * 22 + 400 > 1400 ? rows * 22 + 400 : 1400);
	/* The legend: what the colours say. */
	for (int v = CMP_FASTER; v >= CMP_INCONCLUSIVE; v--) {
		static const char *const names[CMP_NVERDICTS] = {
			"n/a", "too few runs", "no change", "faster", "slower"
		};
		char rgb[8];

		snprintf(rgb, sizeof(rgb), "#%s", verdict_colour(v) + 2);
		plot_series_rgb(&f, names[v], rgb);
		if (v == CMP_FASTER) {
			snprintf(rgb, sizeof(rgb), "#%s",
				 verdict_colour(CMP_SLOWER) + 2);
			plot_series_rgb(&f, names[CMP_SLOWER], rgb);
		}
	}
	return plot_fig_draw(c, &f, "compare");
}

int plot_compare(struct plot_ctx *c)
{
	int rc = 0;

	for (size_t b = 1; b < c->nsets && !rc; b++) {
		struct compare_opts o;
		struct compare_result r;
		const char *regs[64];
		size_t nregs = 0;

		compare_opts_init(&o);
		if (compare_sets(&c->sets[0], &c->sets[b], &o, &r)) {
			snprintf(c->err, sizeof(c->err), "out of memory");
			return -1;
		}
		for (size_t i = 0; i < r.ntimed; i++) {
			const char *reg = r.timed[i].a->reg;
			bool seen = false;

			if (!reg || strcmp(r.timed[i].a->bench, "reg"))
				continue;
			for (size_t j = 0; j < nregs; j++)
				seen |= !strcmp(regs[j], reg);
			if (!seen && nregs < 64)
				regs[nregs++] = reg;
		}
		for (size_t j = 0; j < nregs && !rc; j++)
			rc = compare_reg(c, b, &r, regs[j]);
		compare_result_free(&r);
	}
	return rc;
}
