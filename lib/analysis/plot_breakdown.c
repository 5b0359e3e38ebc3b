// SPDX-License-Identifier: GPL-2.0
/*
 * Where the time goes (mrbench reg --breakdown): for each result set,
 * bench, memory source and registrar, the share of a traced registration
 * (left) and deregistration (right) spent in each phase, stacked, one bar
 * per cell in size order. The shares hide what tracing cost, so the
 * range of traced / untraced times is in the subtitle. A phase no record
 * could trace is not drawn, and is named with its reason under the bars:
 * an empty segment would read as "no time there".
 */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/plot.h"
#include "results/phases.h"
#include "cli/cli.h"
#include "cli/size.h"

#define MAX_NOTES 12
#define NOTE_LEN  400

static const char *const op_names[PHASE_NOPS] = { "registration",
						  "deregistration" };

/* One figure: cells [first, end) of one set, by set order contiguous. */
struct group {
	size_t set, first, end;
	const struct results_cell *cells;
	const struct phase_cell *ph;
	bool vary_access, vary_prefault, vary_threads;
	size_t rows, unsupported;
	size_t nop[PHASE_NOPS]; /* rows with a breakdown of the op */
	size_t unknown[PHASE_NOPS][PHASE_N]; /* of those, not traced */
};

struct notes {
	char line[MAX_NOTES][NOTE_LEN];
	unsigned n;
};

static void note(struct notes *n, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void note(struct notes *n, const char *fmt, ...)
{
	va_list ap;

	if (n->n == MAX_NOTES)
		return;
	va_start(ap, fmt);
	vsnprintf(n->line[n->n++], NOTE_LEN, fmt, ap);
	va_end(ap);
}

/* The figure's key: cells that differ only in size, access, prefault, threads. */
static bool same_group(const struct results_cell *a,
		       const struct results_cell *b)
{
	return !strcmp(a->bench, b->bench) &&
	       !strcmp(a->scenario, b->scenario) &&
	       !strcmp(a->mem_label, b->mem_label) &&
	       !strcmp(a->reg ? a->reg : "-", b->reg ? b->reg : "-");
}

static bool is_row(const struct group *g, size_t i)
{
	const struct phase_cell *p = &g->ph[i];

	return g->cells[i].status == RES_OK && p->has &&
	       (p->op[PHASE_REG].records || p->op[PHASE_DEREG].records);
}

/* What the rows share and where they differ, what was traced in each. */
static void survey(struct group *g)
{
	const struct results_cell *first = NULL;

	for (size_t i = g->first; i < g->end; i++) {
		const struct results_cell *c = &g->cells[i];

		if (!is_row(g, i)) {
			g->unsupported +=
				c->status == RES_OK && g->ph[i].unsupported;
			continue;
		}
		g->rows++;
		if (!first)
			first = c;
		g->vary_access |= strcmp(c->access ? c->access : "-",
					 first->access ? first->access : "-");
		g->vary_prefault |= c->prefault != first->prefault;
		g->vary_threads |= c->threads != first->threads;
		for (int k = 0; k < PHASE_NOPS; k++) {
			const struct phase_op *o = &g->ph[i].op[k];

			if (!o->records)
				continue;
			g->nop[k]++;
			for (int p = 0; p < PHASE_N; p++)
				g->unknown[k][p] += !o->known[p];
		}
	}
}

/* The first reason a row gives for not tracing phase p of op k. */
static const char *reason(const struct group *g, int k, int p)
{
	for (size_t i = g->first; i < g->end; i++)
		if (is_row(g, i) && g->ph[i].op[k].reason[p])
			return g->ph[i].op[k].reason[p];
	return "not traced";
}

static bool fully_unknown(const struct group *g, int k, int p)
{
	return g->nop[k] && g->unknown[k][p] == g->nop[k];
}

static bool drawn(const struct group *g, int p)
{
	for (int k = 0; k < PHASE_NOPS; k++)
		if (g->unknown[k][p] < g->nop[k])
			return true;
	return false;
}

/* The cells whose breakdown could not run: their sizes, the first reason. */
static void unsupported_note(const struct group *g, struct notes *n)
{
	const char *why = NULL;
	char sizes[160] = "";
	size_t used = 0;

	for (size_t i = g->first; i < g->end; i++) {
		char sz[16];

		if (g->cells[i].status != RES_OK || !g->ph[i].unsupported ||
		    is_row(g, i))
			continue;
		why = why ? why : g->ph[i].unsupported;
		size_format(g->cells[i].size, sz, sizeof(sz));
		if (used < sizeof(sizes))
			used += (size_t)snprintf(sizes + used,
						 sizeof(sizes) - used, "%s%s",
						 used ? ", " : "", sz);
	}
	note(n, "the breakdown could not run in %zu cell%s (%s): %s",
	     g->unsupported, g->unsupported > 1 ? "s" : "", sizes, why);
}

/* Each phase not traced somewhere, with its reason. */
static void phase_notes(const struct group *g, struct notes *n)
{
	for (int p = 0; p < PHASE_N; p++) {
		bool both = fully_unknown(g, PHASE_REG, p) &&
			    fully_unknown(g, PHASE_DEREG, p) &&
			    !strcmp(reason(g, PHASE_REG, p),
				    reason(g, PHASE_DEREG, p));

		if (both) {
			note(n, "%s (%s and %s): %s", phase_table[p].label,
			     op_names[0], op_names[1], reason(g, PHASE_REG, p));
			continue;
		}
		for (int k = 0; k < PHASE_NOPS; k++) {
			if (fully_unknown(g, k, p))
				note(n, "%s (%s): %s", phase_table[p].label,
				     op_names[k], reason(g, k, p));
			else if (g->unknown[k][p])
				note(n,
				     "%s (%s): no bar in %zu of %zu cells: %s",
				     phase_table[p].label, op_names[k],
				     g->unknown[k][p], g->nop[k],
				     reason(g, k, p));
		}
	}
	for (int k = 0; k < PHASE_NOPS; k++)
		if (!g->nop[k])
			note(n, "%s: no breakdown in these records",
			     op_names[k]);
	if (g->unsupported)
		unsupported_note(g, n);
}

/* "a traced registration took 6.2-9.1x the untraced median, ..." */
static void honesty(const struct group *g, char *buf, size_t len)
{
	size_t used = 0;

	for (int k = 0; k < PHASE_NOPS; k++) {
		double lo = NAN, hi = NAN;
		char r[48];

		for (size_t i = g->first; i < g->end; i++) {
			const struct phase_op *o = &g->ph[i].op[k];

			if (!is_row(g, i) || isnan(o->ratio_lo))
				continue;
			lo = isnan(lo) ? o->ratio_lo : fmin(lo, o->ratio_lo);
			hi = isnan(hi) ? o->ratio_hi : fmax(hi, o->ratio_hi);
		}
		if (isnan(lo))
			snprintf(r, sizeof(r), "? (no untraced median)");
		else if (lo == hi)
			snprintf(r, sizeof(r), "%.3gx", lo);
		else
			snprintf(r, sizeof(r), "%.3g-%.3gx", lo, hi);
		used += (size_t)snprintf(buf + used, len - used, "%s%s %s",
					 k ? ", a " : "a traced ", op_names[k],
					 r);
		if (used >= len)
			return;
	}
	snprintf(buf + used, len - used, " the untraced median");
}

static void titles(struct plot_ctx *c, struct plot_fig *f,
		   const struct group *g)
{
	const struct results_cell *k = &g->cells[g->first];
	const struct phase_cell *p = &g->ph[g->first];
	char title[600], sub[600], hon[300], lost[300] = "";
	size_t used = 0;

	for (size_t i = g->first; i < g->end && !p->method; i++)
		p = &g->ph[i];
	snprintf(
		title, sizeof(title),
		"Where the time goes: share of a traced operation per phase, %s, %s, %s%s%s%s%s",
		c->labels[g->set], k->mem_label, k->reg ? k->reg : "-",
		g->vary_access ? "" : ", access ",
		g->vary_access ? "" : (k->access ? k->access : "-"),
		*k->scenario ? ", " : "", k->scenario);
	if (strcmp(k->bench, "reg"))
		snprintf(title + strlen(title), sizeof(title) - strlen(title),
			 " (%s)", k->bench);
	for (int ph = 0; ph < PHASE_N; ph++)
		if (!drawn(g, ph) && used < sizeof(lost))
			used += (size_t)snprintf(
				lost + used, sizeof(lost) - used, "%s%s",
				used ? ", " : "; not traceable here: ",
				phase_table[ph].label);
	honesty(g, hon, sizeof(hon));
	if (p->ops)
		snprintf(sub, sizeof(sub), "%s, %llu traced ops per cell: %s%s",
			 p->method ? p->method : "traced",
			 (unsigned long long)p->ops, hon, lost);
	else
		snprintf(sub, sizeof(sub), "%s: %s%s",
			 p->method ? p->method : "traced", hon, lost);
	plot_set_str(f, "fig_title", title);
	plot_set_str(f, "fig_subtitle", sub);
}

/* One row: its label, then each phase's share in %, reg then dereg. */
static void put_row(FILE *d, const struct group *g, size_t i)
{
	const struct results_cell *cell = &g->cells[i];
	char size[16], thr[16] = "";

	size_format(cell->size, size, sizeof(size));
	if (g->vary_threads)
		snprintf(thr, sizeof(thr), " t%u", cell->threads);
	plot_data_label(d, "%s%s%s%s%s", size, g->vary_access ? " " : "",
			g->vary_access && cell->access ? cell->access : "",
			g->vary_prefault && !cell->prefault ? " nopf" : "",
			thr);
	for (int k = 0; k < PHASE_NOPS; k++)
		for (int p = 0; p < PHASE_N; p++) {
			double s = phase_share(&g->ph[i].op[k], p);

			/* Not traced: no segment, and a note says why. */
			fprintf(d, " %.5g", isfinite(s) ? 100 * s : 0);
		}
	fputc('\n', d);
}

static void fig_name(const struct plot_ctx *c, const struct group *g, char *buf,
		     size_t len)
{
	const struct results_cell *k = &g->cells[g->first];

	snprintf(buf, len, "phases-%s%s%s%s%s-%s%s%s",
		 c->nsets > 1 ? c->labels[g->set] : "", c->nsets > 1 ? "-" : "",
		 strcmp(k->bench, "reg") ? k->bench : "",
		 strcmp(k->bench, "reg") ? "-" : "", k->reg ? k->reg : "-",
		 k->mem_label, *k->scenario ? "-" : "", k->scenario);
}

static int draw_group(struct plot_ctx *c, struct group *g)
{
	struct plot_fig f;
	struct notes n = { .n = 0 };
	char name[300];
	unsigned col[PHASE_N], ncol = 0;

	survey(g);
	fig_name(c, g, name, sizeof(name));
	if (!g->rows) {
		if (g->unsupported)
			cli_warn(
				"%s not drawn: the breakdown could not run: %s",
				name,
				g->ph[g->first].unsupported ?
					g->ph[g->first].unsupported :
					"see the records");
		return 0;
	}
	if (plot_fig_open(c, &f, name))
		return -1;
	titles(c, &f, g);
	phase_notes(g, &n);
	for (int p = 0; p < PHASE_N; p++)
		if (drawn(g, p)) {
			plot_series(&f, phase_table[p].label, (unsigned)p, 0);
			col[ncol++] = (unsigned)p + 2;
		}
	fprintf(f.params, "nphases = %d\narray pcol[%u]\n", PHASE_N,
		ncol ? ncol : 1);
	for (unsigned i = 0; i < ncol; i++)
		fprintf(f.params, "pcol[%u] = %u\n", i + 1, col[i]);
	fprintf(f.params, "nnotes = %u\narray notes[%u]\n", n.n, n.n ? n.n : 1);
	for (unsigned i = 0; i < n.n; i++) {
		char var[32];

		snprintf(var, sizeof(var), "notes[%u]", i + 1);
		plot_set_str(&f, var, n.line[i]);
	}
	fprintf(f.params, "fig_w = %zu\nfig_h = %u\n",
		g->rows * 70 + 900 > 1400 ? g->rows * 70 + 900 : 1400,
		620 + 22 * n.n);
	for (size_t i = g->first; i < g->end; i++)
		if (is_row(g, i))
			put_row(f.data, g, i);
	return plot_fig_draw(c, &f, "phases");
}

int plot_breakdown(struct plot_ctx *c)
{
	int rc = 0;

	for (size_t s = 0; s < c->nsets && !rc; s++) {
		const struct results_set *set = &c->sets[s];

		if (!c->phases || !c->phases[s].with)
			continue;
		for (size_t i = 0; i < set->n && !rc;) {
			struct group g = { .set = s,
					   .first = i,
					   .cells = set->cells,
					   .ph = c->phases[s].cells };

			while (i < set->n &&
			       same_group(&set->cells[g.first], &set->cells[i]))
				i++;
			g.end = i;
			rc = draw_group(c, &g);
		}
	}
	return rc;
}
