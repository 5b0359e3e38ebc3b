// SPDX-License-Identifier: GPL-2.0
/*
 * "Where the time went", the section of mrbench compare's report that
 * follows the timings when the sets carry breakdowns: per operation,
 * first the phase that moved most in each cell (the answer most readers
 * came for), then one table that backs it, phase by phase. A phase a
 * side could not trace says so, with the reason below the table: a 0
 * there would read as "no time spent".
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/compare_phases.h"
#include "analysis/compare_report.h"
#include "cli/size.h"
#include "out/table.h"

#define CELL_MIN  16 /* the cell column is cut no shorter */
#define MAX_NOTES 16

static const char *const op_titles[PHASE_NOPS] = { "Registration",
						   "Deregistration" };

/* The reasons under a table, each once. */
struct notes {
	const char *phase[MAX_NOTES], *side[MAX_NOTES], *reason[MAX_NOTES];
	unsigned n, more;
	bool one_run, zero;
};

static bool is_change(enum compare_verdict v)
{
	return v == CMP_FASTER || v == CMP_SLOWER;
}

/*
 * The operations listed: those the timings table lists (a change, or
 * all with --all), and also those inconclusive by more than the
 * threshold. A single run never gives a verdict, and where an
 * unconfirmed thousandfold change went is still worth the lines.
 */
static bool total_listed(const struct report_opts *ro,
			 const struct op_phases *op, int k,
			 const struct compare_opts *o)
{
	const struct compare_ratio *t = op->total;

	if (!report_shows(ro, phase_op_keys[k]))
		return false;
	if (ro->all)
		return true;
	return t &&
	       (is_change(t->verdict) || (t->verdict == CMP_INCONCLUSIVE &&
					  fabs(t->ratio - 1) > o->threshold));
}

static bool listed(const struct report_opts *ro, const struct op_phases *op,
		   int k, const struct compare_opts *o)
{
	return op->present && total_listed(ro, op, k, o);
}

/* "-11.98 ms", "+850 ns": a change in time, for people. */
static void signed_time(double ns, char *buf, size_t len)
{
	char t[24];

	ns_format(fabs(ns), t, sizeof(t));
	snprintf(buf, len, "%s%s", ns < 0 ? "-" : ns > 0 ? "+" : "", t);
}

/* "anon iouring 4K lw  dereg: wait -11.98 ms of -11.99 ms (100%)" */
static void leading_line(FILE *f, bool md, const char *cell, int k,
			 const struct op_phases *op)
{
	const struct phase_cmp *c;
	char d[32], t[32];
	double total;

	fprintf(f, "%s%s  %s: ", md ? "- " : "  ", cell, phase_op_keys[k]);
	if (op->leading < 0) {
		fputs("no phase moved\n", f);
		return;
	}
	c = &op->ph[op->leading];
	signed_time(c->delta_ns, d, sizeof(d));
	fprintf(f, "%s %s", phase_table[op->leading].key, d);
	total = op->total ? op->total->med_b - op->total->med_a : NAN;
	if (isfinite(total)) {
		signed_time(total, t, sizeof(t));
		fprintf(f, " of %s", t);
		if (total != 0)
			fprintf(f, " (%.0f%%)", 100 * c->delta_ns / total);
	}
	fputc('\n', f);
}

static void note_reason(struct notes *n, const char *phase, const char *side,
			const char *reason)
{
	for (unsigned i = 0; i < n->n; i++)
		if (!strcmp(n->phase[i], phase) && !strcmp(n->side[i], side) &&
		    !strcmp(n->reason[i], reason))
			return;
	if (n->n == MAX_NOTES) {
		n->more++;
		return;
	}
	n->phase[n->n] = phase;
	n->side[n->n] = side;
	n->reason[n->n++] = reason;
}

/* One row: a phase, or the traced total (known on both sides). */
static int add_row(struct table *t, const char *cell, const char *name,
		   const struct compare_ratio *x, bool a_known, bool b_known,
		   bool zero, struct notes *n)
{
	char ma[32], mb[32], d[32], ratio[32], ci[48];
	const char *row[8] = {
		cell, name,  ma, mb,
		d,    ratio, ci, compare_verdict_name(x->verdict)
	};

	snprintf(ma, sizeof(ma), "not traced");
	snprintf(mb, sizeof(mb), "not traced");
	snprintf(d, sizeof(d), "-");
	if (a_known)
		report_us(x->med_a, ma, sizeof(ma));
	if (b_known)
		report_us(x->med_b, mb, sizeof(mb));
	if (a_known && b_known)
		snprintf(d, sizeof(d), "%+.1f", (x->med_b - x->med_a) / 1e3);
	report_ratio(x->ratio, ratio, sizeof(ratio));
	snprintf(ci, sizeof(ci), "-");
	if (isfinite(x->lo)) {
		char lo[16], hi[16];

		report_ratio(x->lo, lo, sizeof(lo));
		report_ratio(x->hi, hi, sizeof(hi));
		snprintf(ci, sizeof(ci), "%s..%s", lo, hi);
	}
	n->zero |= zero && a_known && b_known;
	n->one_run |= a_known && b_known && (x->n_a == 1 || x->n_b == 1);
	return table_add(t, row);
}

static int cell_rows(struct table *t, const char *cell,
		     const struct op_phases *op, const char *la, const char *lb,
		     struct notes *n)
{
	int rc = 0;

	for (int i = 0; i < PHASE_N && !rc; i++) {
		const struct phase_cmp *c = &op->ph[i];

		/* No time in any run of either side: nothing to read. */
		if (c->idle)
			continue;
		if (!c->a_known && c->a_reason)
			note_reason(n, phase_table[i].key, la, c->a_reason);
		if (!c->b_known && c->b_reason)
			note_reason(n, phase_table[i].key, lb, c->b_reason);
		rc = add_row(t, cell, phase_table[i].key, &c->r, c->a_known,
			     c->b_known, c->zero, n);
		cell = ""; /* the cell's name once, on its first row */
	}
	return rc ? rc :
		    add_row(t, "", "(traced)", &op->traced, true, true, false,
			    n);
}

static void print_notes(FILE *f, bool md, bool all, const struct notes *n,
			const char *la, const char *lb)
{
	const char *p = md ? "- " : "  ";

	fprintf(f,
		"%s%sphases at 0 ns in every run of both sets are left out; (traced): their sum\n"
		"%s\"of\": the timed total's change; the traced operation is not the timed\n"
		"%s  one, and tracing costs time, so a phase's share can pass 100%%\n",
		md ? "\n" : "", p, p, md ? "" : "  ");
	if (n->zero)
		fprintf(f,
			"%s%s/%s -: a run spent 0 ns there, so no ratio; the verdict is the rank test's\n",
			p, lb, la);
	if (n->one_run)
		fprintf(f,
			"%sone run a side: no interval, so every verdict is inconclusive\n",
			p);
	for (unsigned i = 0; i < n->n; i++) {
		char line[600];

		snprintf(line, sizeof(line), "%s%s not traced in %s: %s", p,
			 n->phase[i], n->side[i], n->reason[i]);
		/* Whole with --all, as the changed cells' reasons are. */
		if (!all)
			report_clip(line, REPORT_LINE_WIDTH, md);
		fprintf(f, "%s\n", line);
	}
	if (n->more)
		fprintf(f,
			"%sand %u more phases not traced (see the records)\n",
			p, n->more);
}

/* The cell column gets what the others leave of a line. */
static void fit_cells(struct table *t, bool md)
{
	size_t used = 2 * (t->ncols - 1), width;

	for (size_t c = 1; c < t->ncols; c++) {
		size_t w = strlen(t->head[c]);

		for (size_t row = 0; row < t->nrows; row++) {
			size_t n = strlen(t->cells[row * t->ncols + c]);

			w = n > w ? n : w;
		}
		used += w;
	}
	width = used + CELL_MIN < REPORT_LINE_WIDTH ? REPORT_LINE_WIDTH - used :
						      CELL_MIN;
	for (size_t row = 0; row < t->nrows; row++)
		report_clip(t->cells[row * t->ncols], width, md);
}

static int op_section(FILE *f, bool md, const struct report_opts *ro,
		      const struct compare_result *r, int k, const char *la,
		      const char *lb, const struct compare_opts *o)
{
	char ha[96], hb[96], hr[170];
	const char *cols[] = { "CELL", "PHASE",	 ha,	    hb,	 ">CHANGE us",
			       hr,     "95% CI", "VERDICT", NULL };
	struct notes n = { 0 };
	struct table t;
	size_t shown = 0;
	int rc = 0;

	snprintf(ha, sizeof(ha), ">%s us", la);
	snprintf(hb, sizeof(hb), ">%s us", lb);
	snprintf(hr, sizeof(hr), ">%s/%s", lb, la);
	for (size_t i = 0; i < r->ntimed; i++)
		shown += listed(ro, &r->phases[i].op[k], k, o);
	if (!shown)
		return 0;
	fprintf(f, "\n%s%s\n%s", md ? "#### " : "", op_titles[k],
		md ? "\n" : "");
	table_init(&t, cols);
	for (size_t i = 0; i < r->ntimed && !rc; i++) {
		const struct op_phases *op = &r->phases[i].op[k];
		char cell[300];

		if (!listed(ro, op, k, o))
			continue;
		report_cell_label(r->timed[i].a, cell, sizeof(cell));
		/* What "dereg: wait -11.98 ms of -11.99 ms (100%)" leaves. */
		report_clip(cell, REPORT_LINE_WIDTH / 2, md);
		leading_line(f, md, cell, k, op);
		rc = cell_rows(&t, cell, op, la, lb, &n);
	}
	fputc('\n', f);
	if (!rc) {
		fit_cells(&t, md);
		table_print(&t, f, md);
	}
	table_free(&t);
	print_notes(f, md, ro->all, &n, la, lb);
	return rc;
}

/* Listed cells whose breakdown one side lacks, or could not make. */
static void missing(FILE *f, bool md, const struct report_opts *ro,
		    const struct compare_result *r, const char *la,
		    const char *lb, const struct compare_opts *o)
{
	for (size_t i = 0; i < r->ntimed; i++) {
		const struct pair_phases *p = &r->phases[i];
		const char *why =
			p->unsupported_a ? p->unsupported_a : p->unsupported_b;
		bool any = false;
		char cell[300];

		for (int k = 0; k < PHASE_NOPS; k++)
			any |= total_listed(ro, &p->op[k], k, o);
		if (!any || !pair_phases_shown(p) ||
		    (p->has_a && p->has_b && !why))
			continue;
		report_cell_label(r->timed[i].a, cell, sizeof(cell));
		if (!p->has_a || !p->has_b)
			fprintf(f, "%s%s: a breakdown in %s only\n",
				md ? "- " : "  ", cell, p->has_a ? la : lb);
		else
			fprintf(f, "%s%s: no breakdown in %s: %s\n",
				md ? "- " : "  ", cell,
				p->unsupported_a ? la : lb, why);
	}
}

int compare_phases_text(FILE *f, bool md, const struct report_opts *ro,
			const struct compare_result *r, const char *la,
			const char *lb, const struct compare_opts *o)
{
	size_t listed_ops = 0;
	int rc = 0;

	if (!r->phases)
		return 0;
	fprintf(f,
		"\n%sWhere the time went (kernel-side breakdown)\n%s"
		"%seach run's figure is a phase of its median traced operation; %s and %s\n"
		"%sare the medians over the runs, compared as the timings are.\n",
		md ? "### " : "", md ? "\n" : "", md ? "- " : "", la, lb,
		md ? "  " : "");
	if (!ro->all)
		fprintf(f,
			"%slisted: the timings that changed, and the inconclusive ones more than\n"
			"%s%g%% apart (--all lists every cell)\n",
			md ? "- " : "", md ? "  " : "", o->threshold * 100);
	for (int k = 0; k < PHASE_NOPS; k++)
		for (size_t i = 0; i < r->ntimed; i++)
			listed_ops += listed(ro, &r->phases[i].op[k], k, o);
	if (!listed_ops)
		fprintf(f,
			"%sno cell listed above has a breakdown on both sides; --all lists every one\n",
			md ? "- " : "");
	for (int k = 0; k < PHASE_NOPS && !rc; k++)
		rc = op_section(f, md, ro, r, k, la, lb, o);
	missing(f, md, ro, r, la, lb, o);
	return rc || ferror(f) ? -1 : 0;
}
