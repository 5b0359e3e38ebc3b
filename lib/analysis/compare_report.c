// SPDX-License-Identifier: GPL-2.0
/*
 * What "mrbench compare" prints for a person: a header that names both
 * sides, the machine, the runs and the method; the timings that changed;
 * the cells whose outcome changed; a count of the rest. Fits 100 columns
 * (a mail), one unit per column; --all lists every figure and cell.
 * Markdown is the same tables for a README or a review.
 */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli/xalloc.h"
#include "analysis/compare_report.h"
#include "cli/size.h"
#include "out/table.h"

#define LINE_WIDTH REPORT_LINE_WIDTH
#define CELL_MIN   24 /* the cell column is cut no shorter */

void report_kernel_short(const char *kernel, char *buf, size_t len)
{
	unsigned major, minor;
	int used = 0;

	if (kernel && sscanf(kernel, "%u.%u%n", &major, &minor, &used) == 2)
		snprintf(buf, len, "%u.%u", major, minor);
	else
		snprintf(buf, len, "%s", kernel ? kernel : "?");
}

void report_labels(const struct results_set *a, const struct results_set *b,
		   char *la, char *lb, size_t len)
{
	report_kernel_short(a->label, la, len);
	report_kernel_short(b->label, lb, len);
	if (!strcmp(la, lb)) {
		snprintf(la, len, "A");
		snprintf(lb, len, "B");
	}
}

bool report_shows(const struct report_opts *r, const char *op)
{
	char key[RESULTS_OP_NAME + 2];

	if (!r->ops)
		return true;
	snprintf(key, sizeof(key), ",%s,", op);
	return strstr(r->ops, key) != NULL;
}

/* Append to buf, never past its end, whatever the values' lengths. */
static void put(char *buf, size_t len, size_t *n, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void put(char *buf, size_t len, size_t *n, const char *fmt, ...)
{
	va_list ap;
	int w;

	if (*n + 1 >= len)
		return;
	va_start(ap, fmt);
	w = vsnprintf(buf + *n, len - *n, fmt, ap);
	va_end(ap);
	if (w > 0)
		*n = *n + (size_t)w < len ? *n + (size_t)w : len - 1;
}

/* "migrate movable thp regular 4M lw": what tells the cell from others. */
void report_cell_label(const struct results_cell *c, char *buf, size_t len)
{
	char size[16];
	size_t n = 0;

	buf[0] = '\0';
	size_format(c->size, size, sizeof(size));
	/* A fault scenario names its bench; a migrate page kind follows mem. */
	if (strcmp(c->bench, "fault")) {
		if (strcmp(c->bench, "reg"))
			put(buf, len, &n, "%s ", c->bench);
		put(buf, len, &n, "%s", c->mem_label);
		if (*c->scenario)
			put(buf, len, &n, " %s", c->scenario);
	} else {
		put(buf, len, &n, "%s%s%s", c->scenario,
		    *c->scenario ? " " : "", c->mem_label);
	}
	if (c->reg)
		put(buf, len, &n, " %s", c->reg);
	if (c->size)
		put(buf, len, &n, " %s", size);
	if (c->access)
		put(buf, len, &n, " %s", c->access);
	if (!c->prefault && strcmp(c->bench, "fault"))
		put(buf, len, &n, " untouched");
	if (c->threads != 1)
		put(buf, len, &n, " x%u threads", c->threads);
}

/* Cut a cell for the terminal: "...", so the row keeps its width. */
void report_clip(char *s, size_t width, bool md)
{
	if (!md && strlen(s) > width)
		strcpy(s + width - 3, "...");
}

void report_us(double ns, char *buf, size_t len)
{
	if (!isfinite(ns))
		snprintf(buf, len, "-");
	else if (ns >= 1e8)
		snprintf(buf, len, "%.0f", ns / 1e3);
	else
		snprintf(buf, len, "%.1f", ns / 1e3);
}

/* Three decimals, or two significant digits for the tiny ratios. */
void report_ratio(double r, char *buf, size_t len)
{
	if (!isfinite(r))
		snprintf(buf, len, "-");
	else if (r < 0.1)
		snprintf(buf, len, "%.2g", r);
	else
		snprintf(buf, len, "%.3f", r);
}

static bool is_change(enum compare_verdict v)
{
	return v == CMP_FASTER || v == CMP_SLOWER;
}

/* One row of the timings table, the cell column still whole. */
struct timed_row {
	char cell[300], ma[32], mb[32], ratio[32], ci[48];
	const struct compare_ratio *x;
};

static void timed_row(const struct compare_pair *p,
		      const struct compare_ratio *x, struct timed_row *w)
{
	w->x = x;
	report_cell_label(p->a, w->cell, sizeof(w->cell));
	report_us(x->med_a, w->ma, sizeof(w->ma));
	report_us(x->med_b, w->mb, sizeof(w->mb));
	report_ratio(x->ratio, w->ratio, sizeof(w->ratio));
	if (isfinite(x->lo)) {
		char lo[16], hi[16];

		report_ratio(x->lo, lo, sizeof(lo));
		report_ratio(x->hi, hi, sizeof(hi));
		snprintf(w->ci, sizeof(w->ci), "%s..%s", lo, hi);
	} else {
		snprintf(w->ci, sizeof(w->ci), "-");
	}
}

static size_t widest(size_t w, const char *s)
{
	return strlen(s) > w ? strlen(s) : w;
}

/* What is left of a line for the cell once the other columns have theirs. */
static size_t cell_width(const struct timed_row *w, size_t n,
			 const char *const *cols)
{
	size_t other[6] = { 0 }, used = 2 * 6;

	for (int c = 0; c < 6; c++)
		other[c] = strlen(cols[c + 1]) - (cols[c + 1][0] == '>');
	for (size_t i = 0; i < n; i++) {
		other[0] = widest(other[0], w[i].x->op);
		other[1] = widest(other[1], w[i].ma);
		other[2] = widest(other[2], w[i].mb);
		other[3] = widest(other[3], w[i].ratio);
		other[4] = widest(other[4], w[i].ci);
		other[5] =
			widest(other[5], compare_verdict_name(w[i].x->verdict));
	}
	for (int c = 0; c < 6; c++)
		used += other[c];
	return used + CELL_MIN < LINE_WIDTH ? LINE_WIDTH - used : CELL_MIN;
}

static int timed_table(FILE *f, bool md, const struct report_opts *ro,
		       const struct compare_result *r, const char *la,
		       const char *lb)
{
	char ha[96], hb[96], hr[170];
	const char *cols[] = { "CELL", "OP",	 ha,	    hb,
			       hr,     "95% CI", "VERDICT", NULL };
	struct timed_row *rows = NULL;
	size_t n = 0, cap = 0, width;
	struct table t;
	int rc = 0;

	snprintf(ha, sizeof(ha), ">%s us", la);
	snprintf(hb, sizeof(hb), ">%s us", lb);
	snprintf(hr, sizeof(hr), ">%s/%s", lb, la);
	for (size_t i = 0; i < r->ntimed; i++)
		for (unsigned k = 0; k < r->timed[i].nops; k++) {
			const struct compare_ratio *x = &r->timed[i].op[k];

			if (!report_shows(ro, x->op) ||
			    (!ro->all && !is_change(x->verdict)))
				continue;
			if (n == cap) {
				cap = cap ? cap * 2 : 64;
				rows = xrealloc(rows, cap * sizeof(*rows));
			}
			timed_row(&r->timed[i], x, &rows[n++]);
		}
	width = cell_width(rows, n, cols);
	table_init(&t, cols);
	for (size_t i = 0; i < n && !rc; i++) {
		const char *row[7] = { rows[i].cell,
				       rows[i].x->op,
				       rows[i].ma,
				       rows[i].mb,
				       rows[i].ratio,
				       rows[i].ci,
				       compare_verdict_name(
					       rows[i].x->verdict) };

		report_clip(rows[i].cell, width, md);
		rc = table_add(&t, row);
	}
	if (!rc && t.nrows)
		table_print(&t, f, md);
	table_free(&t);
	free(rows);
	return rc;
}

/*
 * For a person: one line per cell, "CELL: A ok -> B EFAULT", and the
 * reason the refusing side gave on the line below, cut to the width
 * unless --all. Markdown keeps a table, which has no width to keep.
 */
static int changed_list(FILE *f, const struct report_opts *ro,
			const struct compare_result *r, const char *la,
			const char *lb)
{
	for (size_t i = 0; i < r->nchanged; i++) {
		const struct compare_pair *p = &r->changed[i];
		const struct results_cell *why = p->b->reason ? p->b : p->a;
		char cell[300], reason[400];

		report_cell_label(p->a, cell, sizeof(cell));
		fprintf(f, "  %s: %s %s -> %s %s\n", cell, la,
			results_outcome(p->a), lb, results_outcome(p->b));
		if (!why->reason)
			continue;
		snprintf(reason, sizeof(reason), "%s", why->reason);
		if (!ro->all)
			report_clip(reason, LINE_WIDTH - 6, false);
		fprintf(f, "      %s\n", reason);
	}
	return ferror(f) ? -1 : 0;
}

static int changed_table(FILE *f, const struct compare_result *r,
			 const char *la, const char *lb)
{
	char ha[96], hb[96];
	const char *cols[] = { "CELL", ha, hb, "REASON", NULL };
	struct table t;
	int rc = 0;

	snprintf(ha, sizeof(ha), "%s", la);
	snprintf(hb, sizeof(hb), "%s", lb);
	table_init(&t, cols);
	for (size_t i = 0; i < r->nchanged && !rc; i++) {
		const struct compare_pair *p = &r->changed[i];
		const struct results_cell *why = p->b->reason ? p->b : p->a;
		char cell[300];
		const char *row[4];

		report_cell_label(p->a, cell, sizeof(cell));
		row[0] = cell;
		row[1] = results_outcome(p->a);
		row[2] = results_outcome(p->b);
		row[3] = why->reason ? why->reason : "";
		rc = table_add(&t, row);
	}
	if (!rc)
		table_print(&t, f, true);
	table_free(&t);
	return rc;
}

static int only_table(FILE *f, bool md, const struct results_cell *const *cells,
		      size_t n)
{
	const char *cols[] = { "CELL", "OUTCOME", NULL };
	struct table t;
	int rc = 0;

	table_init(&t, cols);
	for (size_t i = 0; i < n && !rc; i++) {
		char cell[300];
		const char *row[2];

		report_cell_label(cells[i], cell, sizeof(cell));
		row[0] = cell;
		row[1] = results_outcome(cells[i]);
		rc = table_add(&t, row);
	}
	if (!rc)
		table_print(&t, f, md);
	table_free(&t);
	return rc;
}

static void count_verdicts(const struct report_opts *ro,
			   const struct compare_result *r, size_t *n)
{
	memset(n, 0, CMP_NVERDICTS * sizeof(*n));
	for (size_t i = 0; i < r->ntimed; i++)
		for (unsigned k = 0; k < r->timed[i].nops; k++)
			if (report_shows(ro, r->timed[i].op[k].op))
				n[r->timed[i].op[k].verdict]++;
}

static size_t figures(const size_t *n)
{
	size_t sum = 0;

	for (int v = 0; v < CMP_NVERDICTS; v++)
		sum += n[v];
	return sum;
}

void report_side(FILE *f, bool md, const char *name,
		 const struct results_set *s)
{
	char line[600], path[400], *base;
	size_t n;

	/* The set's own name: the directories above it are the reader's. */
	snprintf(path, sizeof(path), "%s", s->path);
	n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		path[--n] = '\0';
	base = strrchr(path, '/');
	snprintf(line, sizeof(line), "%s = %s, %zu run%s, %zu cells: %s", name,
		 s->kernel ? s->kernel : "?", s->nruns,
		 s->nruns == 1 ? " (single-run set)" : "s", s->n,
		 base && base[1] ? base + 1 : path);
	report_clip(line, LINE_WIDTH - (md ? 2 : 0), md);
	fprintf(f, "%s%s\n", md ? "- " : "", line);
}

static void where(FILE *f, bool md, const struct results_set *a,
		  const struct results_set *b)
{
	const char *ha = a->host ? a->host : "?", *hb = b->host ? b->host : "?";
	const char *ea = a->emulation ? a->emulation : "unrecorded";
	const char *eb = b->emulation ? b->emulation : "unrecorded";

	if (!strcmp(ha, hb) && !strcmp(ea, eb))
		fprintf(f, "%smeasured on %s, %s\n", md ? "- " : "", ha, ea);
	else
		fprintf(f, "%smeasured on A: %s, %s; B: %s, %s\n",
			md ? "- " : "", ha, ea, hb, eb);
}

/* The fixed user-space loop each process timed: a slow boot shows here. */
static void calibration(FILE *f, bool md, const struct compare_ratio *c)
{
	const char *p = md ? "- " : "";

	if (c->verdict == CMP_NONE) {
		fprintf(f, "%scalibration: not recorded on both sides\n", p);
		return;
	}
	fprintf(f,
		"%scalibration (a fixed user-space loop, %zu and %zu processes): B/A %.3f",
		p, c->n_a, c->n_b, c->ratio);
	if (isfinite(c->lo))
		fprintf(f, " (%.3f..%.3f)", c->lo, c->hi);
	if (c->verdict == CMP_FASTER || c->verdict == CMP_SLOWER)
		fprintf(f,
			"\n%s  the machines differ: B ran it %s; read every ratio below with that in mind\n",
			p, c->verdict == CMP_SLOWER ? "slower" : "faster");
	else
		fputc('\n', f);
}

static void method(FILE *f, bool md, const struct compare_opts *o)
{
	fprintf(f,
		"%smethod: a figure per run (its median); B/A is the median of the ratios\n"
		"  of every run of B to every run of A, with a %g%% interval from the\n"
		"  Mann-Whitney rank test on the runs. A change needs the interval to\n"
		"  exclude 1 and B/A more than %g%% from 1; fewer than 4 runs a side\n"
		"  (3 against 5) is inconclusive. See mrbench-compare(1).\n",
		md ? "- " : "", o->confidence * 100, o->threshold * 100);
}

static int text_report(FILE *f, const struct report_opts *ro,
		       const struct results_set *a, const struct results_set *b,
		       const struct compare_result *r,
		       const struct compare_opts *o)
{
	bool md = ro->fmt == REPORT_MARKDOWN;
	const char *h = md ? "### " : "";
	size_t n[CMP_NVERDICTS];
	char la[80], lb[80];
	int rc = 0;

	report_labels(a, b, la, lb, sizeof(la));
	count_verdicts(ro, r, n);
	fprintf(f, "%smrbench compare: %s against %s\n\n", md ? "## " : "", lb,
		la);
	report_side(f, md, la, a);
	report_side(f, md, lb, b);
	where(f, md, a, b);
	calibration(f, md, &r->calib);
	method(f, md, o);
	if (a->nruns < 2 || b->nruns < 2)
		fprintf(f,
			"%s%s is a single run: no interval, so no verdict. Add runs (mrbench run --runs N).\n",
			md ? "- " : "", a->nruns < 2 ? la : lb);
	fprintf(f, "\n%s%s (%zu of %zu figures)\n%s", h,
		ro->all ? "Timings" : "Timings that changed",
		ro->all ? figures(n) : n[CMP_FASTER] + n[CMP_SLOWER],
		figures(n), md ? "\n" : "");
	rc |= timed_table(f, md, ro, r, la, lb);
	fprintf(f, "\n%sBehaviour changed (%zu cells)\n%s", h, r->nchanged,
		md && r->nchanged ? "\n" : "");
	if (r->nchanged)
		rc |= md ? changed_table(f, r, la, lb) :
			   changed_list(f, ro, r, la, lb);
	if (ro->all && r->nonly_a) {
		fprintf(f, "\n%sOnly in %s (%zu cells)\n%s", h, la, r->nonly_a,
			md ? "\n" : "");
		rc |= only_table(f, md, r->only_a, r->nonly_a);
	}
	if (ro->all && r->nonly_b) {
		fprintf(f, "\n%sOnly in %s (%zu cells)\n%s", h, lb, r->nonly_b,
			md ? "\n" : "");
		rc |= only_table(f, md, r->only_b, r->nonly_b);
	}
	rc |= compare_phases_text(f, md, ro, r, la, lb, o);
	fprintf(f,
		"\n%zu figures in %zu cells timed in both: %zu slower, %zu faster, %zu no change, %zu inconclusive.\n"
		"%zu cells changed behaviour, %zu refused alike, %zu only in %s, %zu only in %s.\n",
		figures(n), r->ntimed, n[CMP_SLOWER], n[CMP_FASTER],
		n[CMP_SAME], n[CMP_INCONCLUSIVE] + n[CMP_NONE], r->nchanged,
		r->same_refusal, r->nonly_a, la, r->nonly_b, lb);
	if (r->unstable_alike)
		fprintf(f,
			"%zu cells had runs with different outcomes, alike in both: not timed.\n",
			r->unstable_alike);
	return rc;
}

int compare_report(FILE *f, const struct report_opts *ro,
		   const struct results_set *a, const struct results_set *b,
		   const struct compare_result *r, const struct compare_opts *o)
{
	if (ro->fmt == REPORT_JSON)
		return compare_json(f, ro, a, b, r, o);
	return text_report(f, ro, a, b, r, o) ? -1 : 0;
}
