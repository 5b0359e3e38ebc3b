// SPDX-License-Identifier: GPL-2.0
/*
 * What "mrbench compare BASE B C ..." prints for a person: the two-set
 * report's sections with a column per further set. A column holds the
 * set's figure over the baseline's and the verdict the pair would get on
 * its own; where the set's outcome differs, the outcome. A count per set
 * closes it, the same counts as "mrbench compare BASE SET" gives.
 * Markdown is the same tables.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/compare_many.h"
#include "cli/xalloc.h"
#include "out/table.h"

#define LINE_WIDTH REPORT_LINE_WIDTH
#define CELL_MIN   24 /* the cell column is cut no shorter */

static bool is_change(enum compare_verdict v)
{
	return v == CMP_FASTER || v == CMP_SLOWER;
}

/* "1.931 slower", "0.998 =", "1.050 ?": the verdict's mark after B/A. */
static void verdict_cell(const struct compare_ratio *x, char *buf, size_t len)
{
	char r[32];

	report_ratio(x->ratio, r, sizeof(r));
	switch (x->verdict) {
	case CMP_SLOWER:
	case CMP_FASTER:
		snprintf(buf, len, "%s %s", r,
			 compare_verdict_name(x->verdict));
		break;
	case CMP_SAME:
		snprintf(buf, len, "%s =", r);
		break;
	case CMP_INCONCLUSIVE:
		snprintf(buf, len, "%s ?", r);
		break;
	default:
		snprintf(buf, len, "-");
	}
}

/* What set k shows for figure op of base cell i. */
static void slot_cell(const struct compare_many *m, size_t i, size_t k,
		      const char *op, char *buf, size_t len)
{
	const struct many_slot *s = many_slot(m, i, k);
	const struct compare_ratio *x = many_ratio(m, i, k, op);

	if (x)
		verdict_cell(x, buf, len);
	else if (s->kind == MANY_ABSENT)
		snprintf(buf, len, "absent");
	else if (s->kind == MANY_CHANGED)
		snprintf(buf, len, "%s", results_outcome(s->cell));
	else
		snprintf(buf, len, "-");
}

/* Whether some set timed figure op of base cell i, and changed it. */
static void row_state(const struct compare_many *m, size_t i, const char *op,
		      bool *timed, bool *changed)
{
	*timed = *changed = false;
	for (size_t k = 0; k < m->nsets; k++) {
		const struct compare_ratio *x = many_ratio(m, i, k, op);

		*timed |= x != NULL;
		*changed |= x && is_change(x->verdict);
	}
}

struct many_row {
	char cell[300], base_us[32];
	const char *op;
	char col[COMPARE_MANY_MAX][40];
};

static size_t widest(size_t w, const char *s)
{
	return strlen(s) > w ? strlen(s) : w;
}

/* What is left of a line for the cell once the other columns have theirs. */
static size_t cell_width(const struct many_row *rows, size_t n,
			 const char *const *cols, size_t ncols)
{
	size_t used = 2 * (ncols - 1);

	for (size_t c = 1; c < ncols; c++) {
		size_t w = strlen(cols[c]) - (cols[c][0] == '>');

		for (size_t i = 0; i < n; i++)
			w = widest(w, c == 1 ? rows[i].op :
				      c == 2 ? rows[i].base_us :
					       rows[i].col[c - 3]);
		used += w;
	}
	return used + CELL_MIN < LINE_WIDTH ? LINE_WIDTH - used : CELL_MIN;
}

/* The rows of the timings table: every figure with --all, else changes. */
static struct many_row *timed_rows(const struct report_opts *ro,
				   const struct compare_many *m, size_t *nrows,
				   size_t *nfig, size_t *nchanged)
{
	struct many_row *rows = NULL;
	size_t cap = 0;

	*nrows = *nfig = *nchanged = 0;
	for (size_t i = 0; i < m->base->n; i++) {
		const struct results_cell *c = &m->base->cells[i];

		for (unsigned j = 0; j < c->nops; j++) {
			const char *op = c->op[j].name;
			struct many_row *w;
			bool timed, changed;

			if (!report_shows(ro, op))
				continue;
			row_state(m, i, op, &timed, &changed);
			*nfig += timed;
			*nchanged += changed;
			if (!timed || (!ro->all && !changed))
				continue;
			if (*nrows == cap) {
				cap = cap ? cap * 2 : 64;
				rows = xrealloc(rows, cap * sizeof(*rows));
			}
			w = &rows[(*nrows)++];
			report_cell_label(c, w->cell, sizeof(w->cell));
			w->op = op;
			snprintf(w->base_us, sizeof(w->base_us), "-");
			for (size_t k = 0; k < m->nsets; k++) {
				const struct compare_ratio *x =
					many_ratio(m, i, k, op);

				if (x)
					report_us(x->med_a, w->base_us,
						  sizeof(w->base_us));
				slot_cell(m, i, k, op, w->col[k],
					  sizeof(w->col[k]));
			}
		}
	}
	return rows;
}

static int timed_table(FILE *f, bool md, const struct report_opts *ro,
		       const struct compare_many *m, size_t *nfig,
		       size_t *nchanged)
{
	char head[COMPARE_MANY_MAX + 2][96];
	const char *cols[COMPARE_MANY_MAX + 3] = { "CELL", "OP" };
	size_t n, ncols = 3 + m->nsets, width;
	struct many_row *rows = timed_rows(ro, m, &n, nfig, nchanged);
	struct table t;
	int rc = 0;

	snprintf(head[0], sizeof(head[0]), ">%s us", m->label[0]);
	cols[2] = head[0];
	for (size_t k = 0; k < m->nsets; k++) {
		snprintf(head[k + 1], sizeof(head[k + 1]), ">%s/%s",
			 m->label[k + 1], m->label[0]);
		cols[3 + k] = head[k + 1];
	}
	cols[ncols] = NULL;
	width = cell_width(rows, n, cols, ncols);
	table_init(&t, cols);
	for (size_t i = 0; i < n && !rc; i++) {
		const char *row[COMPARE_MANY_MAX + 3] = { rows[i].cell,
							  rows[i].op,
							  rows[i].base_us };

		for (size_t k = 0; k < m->nsets; k++)
			row[3 + k] = rows[i].col[k];
		report_clip(rows[i].cell, width, md);
		rc = table_add(&t, row);
	}
	if (!rc && t.nrows)
		table_print(&t, f, md);
	table_free(&t);
	free(rows);
	return rc;
}

/* Set k's outcome of a cell of its own (NULL: the set lacks it). */
static const char *outcome_or_absent(const struct results_cell *c)
{
	return c ? results_outcome(c) : "absent";
}

/* The reason set k gave for its other outcome of base cell i, or NULL. */
static const char *why(const struct compare_many *m, size_t i, size_t k)
{
	const struct many_slot *s = many_slot(m, i, k);

	return s->kind == MANY_CHANGED ? s->pair->b->reason : NULL;
}

/*
 * The reasons for the outcomes that differ, each once with the sets that
 * gave it: "6.12, 7.2: regular failed: Bad address"; the baseline's own
 * first when a set that changed gave none (it succeeded where the
 * baseline did not).
 */
static void reasons(const struct compare_many *m, size_t i, char *buf,
		    size_t len, const char *sep)
{
	const char *own = m->base->cells[i].reason;
	size_t n = 0;

	buf[0] = '\0';
	for (size_t k = 0; k < m->nsets && own; k++)
		if (many_slot(m, i, k)->kind == MANY_CHANGED && !why(m, i, k)) {
			n = (size_t)snprintf(buf, len, "%s: %s", m->label[0],
					     own);
			break;
		}
	for (size_t k = 0; k < m->nsets && n + 1 < len; k++) {
		const char *r = why(m, i, k), *comma = "";
		bool seen = false;

		for (size_t j = 0; j < k && r; j++)
			seen |= why(m, i, j) && !strcmp(why(m, i, j), r);
		if (!r || seen)
			continue;
		n += (size_t)snprintf(buf + n, len - n, "%s", n ? sep : "");
		for (size_t j = k; j < m->nsets && n + 1 < len; j++) {
			if (!why(m, i, j) || strcmp(why(m, i, j), r))
				continue;
			n += (size_t)snprintf(buf + n, len - n, "%s%s", comma,
					      m->label[j + 1]);
			comma = ", ";
		}
		if (n + 1 < len)
			n += (size_t)snprintf(buf + n, len - n, ": %s", r);
	}
	if (n >= len)
		buf[len - 1] = '\0';
}

/* "  CELL: 6.1 ok -> 6.12 EFAULT, 7.2 EFAULT" and the reasons below. */
static int changed_list(FILE *f, const struct report_opts *ro,
			const struct compare_many *m)
{
	for (size_t i = 0; i < m->base->n; i++) {
		char cell[300], reason[1200], *line, *next;

		if (!many_changed(m, i))
			continue;
		report_cell_label(&m->base->cells[i], cell, sizeof(cell));
		fprintf(f, "  %s: %s %s ->", cell, m->label[0],
			results_outcome(&m->base->cells[i]));
		for (size_t k = 0; k < m->nsets; k++)
			fprintf(f, "%s %s %s", k ? "," : "", m->label[k + 1],
				outcome_or_absent(many_slot(m, i, k)->cell));
		fputc('\n', f);
		reasons(m, i, reason, sizeof(reason), "\n");
		for (line = reason; line && *line; line = next) {
			next = strchr(line, '\n');
			if (next)
				*next++ = '\0';
			if (!ro->all)
				report_clip(line, LINE_WIDTH - 6, false);
			fprintf(f, "      %s\n", line);
		}
	}
	return ferror(f) ? -1 : 0;
}

static int changed_table(FILE *f, const struct compare_many *m)
{
	const char *cols[COMPARE_MANY_MAX + 3] = { "CELL" };
	struct table t;
	int rc = 0;

	for (size_t k = 0; k <= m->nsets; k++)
		cols[1 + k] = m->label[k];
	cols[2 + m->nsets] = "REASON";
	cols[3 + m->nsets] = NULL;
	table_init(&t, cols);
	for (size_t i = 0; i < m->base->n && !rc; i++) {
		const char *row[COMPARE_MANY_MAX + 3];
		char cell[300], reason[1200];

		if (!many_changed(m, i))
			continue;
		report_cell_label(&m->base->cells[i], cell, sizeof(cell));
		reasons(m, i, reason, sizeof(reason), "; ");
		row[0] = cell;
		row[1] = results_outcome(&m->base->cells[i]);
		for (size_t k = 0; k < m->nsets; k++)
			row[2 + k] =
				outcome_or_absent(many_slot(m, i, k)->cell);
		row[2 + m->nsets] = reason;
		rc = table_add(&t, row);
	}
	if (!rc)
		table_print(&t, f, true);
	table_free(&t);
	return rc;
}

/* A cell's outcome in set s, or "-" when s lacks it. */
static const char *outcome_in(const struct results_set *s,
			      const struct results_cell *c)
{
	const struct results_cell *own = results_find(s, c->key);

	return own ? results_outcome(own) : "-";
}

/* The baseline's cells some set lacks and the cells it lacks, by key. */
static size_t absent_cells(const struct compare_many *m,
			   const struct results_cell **out)
{
	size_t i = 0, j = 0, n = 0;

	while (i < m->base->n || j < m->nextra) {
		const struct results_cell *b = &m->base->cells[i];

		if (j == m->nextra ||
		    (i < m->base->n && strcmp(b->key, m->extra[j]->key) < 0)) {
			if (many_absent(m, i++) && out)
				out[n] = b;
			n += many_absent(m, i - 1);
		} else {
			if (out)
				out[n] = m->extra[j];
			n++;
			j++;
		}
	}
	return n;
}

/* Each cell not every set has, with each set's outcome or "-". */
static int absent_table(FILE *f, bool md, const struct compare_many *m)
{
	const struct results_set *all[COMPARE_MANY_MAX];
	const char *cols[COMPARE_MANY_MAX + 2] = { "CELL" };
	size_t n = absent_cells(m, NULL), used = 0, width;
	const struct results_cell **cells = xcalloc(n + 1, sizeof(*cells));
	struct table t;
	int rc = 0;

	absent_cells(m, cells);
	all[0] = m->base;
	for (size_t k = 0; k < m->nsets; k++)
		all[k + 1] = m->sets[k];
	for (size_t k = 0; k <= m->nsets; k++) {
		size_t w = strlen(m->label[k]);

		for (size_t i = 0; i < n; i++)
			w = widest(w, outcome_in(all[k], cells[i]));
		used += w + 2;
		cols[1 + k] = m->label[k];
	}
	cols[2 + m->nsets] = NULL;
	width = used + CELL_MIN < LINE_WIDTH ? LINE_WIDTH - used : CELL_MIN;
	table_init(&t, cols);
	for (size_t i = 0; i < n && !rc; i++) {
		const char *row[COMPARE_MANY_MAX + 2];
		char cell[300];

		report_cell_label(cells[i], cell, sizeof(cell));
		report_clip(cell, width, md);
		row[0] = cell;
		for (size_t k = 0; k <= m->nsets; k++)
			row[1 + k] = outcome_in(all[k], cells[i]);
		rc = table_add(&t, row);
	}
	if (!rc)
		table_print(&t, f, md);
	table_free(&t);
	free(cells);
	return rc;
}

/* Where each set was measured: one group per host and emulation. */
static void where(FILE *f, bool md, const struct compare_many *m)
{
	const struct results_set *all[COMPARE_MANY_MAX];
	bool done[COMPARE_MANY_MAX] = { false };
	size_t n = m->nsets + 1, groups = 0;
	const char *sep = "";

	all[0] = m->base;
	for (size_t k = 0; k < m->nsets; k++)
		all[k + 1] = m->sets[k];
	fprintf(f, "%smeasured on ", md ? "- " : "");
	for (size_t i = 0; i < n; i++) {
		const char *h = all[i]->host ? all[i]->host : "?";
		const char *e =
			all[i]->emulation ? all[i]->emulation : "unrecorded";
		const char *comma = "";
		size_t members = 0;

		if (done[i])
			continue;
		for (size_t j = i; j < n; j++) {
			const char *hj = all[j]->host ? all[j]->host : "?";
			const char *ej = all[j]->emulation ? all[j]->emulation :
							     "unrecorded";

			done[j] = !strcmp(h, hj) && !strcmp(e, ej);
			members += done[j];
		}
		if (members == n) {
			fprintf(f, "%s, %s\n", h, e);
			return;
		}
		fprintf(f, "%s%s, %s (", sep, h, e);
		for (size_t j = i; j < n; j++) {
			const char *hj = all[j]->host ? all[j]->host : "?";
			const char *ej = all[j]->emulation ? all[j]->emulation :
							     "unrecorded";

			if (strcmp(h, hj) || strcmp(e, ej))
				continue;
			fprintf(f, "%s%s", comma, m->label[j]);
			comma = ", ";
		}
		fputc(')', f);
		sep = (++groups % 2) ? "; " : ";\n  ";
	}
	fputc('\n', f);
}

/* The fixed user-space loop, per set against the baseline. */
static void calibration(FILE *f, bool md, const struct compare_many *m)
{
	const char *p = md ? "- " : "", *item = md ? "  - " : "  ";
	size_t recorded = 0;

	for (size_t k = 0; k < m->nsets; k++)
		recorded += m->r[k].calib.verdict != CMP_NONE;
	if (!recorded) {
		fprintf(f, "%scalibration: not recorded on both sides\n", p);
		return;
	}
	fprintf(f,
		"%scalibration (a fixed user-space loop, its time per set over %s's):\n",
		p, m->label[0]);
	for (size_t k = 0; k < m->nsets; k++) {
		const struct compare_ratio *c = &m->r[k].calib;

		if (c->verdict == CMP_NONE) {
			fprintf(f, "%s%s: not recorded on both sides\n", item,
				m->label[k + 1]);
			continue;
		}
		fprintf(f, "%s%s: %.3f", item, m->label[k + 1], c->ratio);
		if (isfinite(c->lo))
			fprintf(f, " (%.3f..%.3f)", c->lo, c->hi);
		fprintf(f, ", %zu and %zu processes\n", c->n_a, c->n_b);
		if (is_change(c->verdict))
			fprintf(f,
				"    the machines differ: %s ran it %s; read its ratios with that in mind\n",
				m->label[k + 1],
				c->verdict == CMP_SLOWER ? "slower" : "faster");
	}
}

static void method(FILE *f, bool md, const struct compare_many *m,
		   const struct compare_opts *o)
{
	fprintf(f,
		"%smethod: each set against the first, %s, as two sets are compared: a figure\n"
		"  per run (its median); X/%s is the median of the ratios of every run of X\n"
		"  to every run of %s, with a %g%% interval from the Mann-Whitney rank test\n"
		"  on the runs. A change needs the interval to exclude 1 and X/%s more\n"
		"  than %g%% from 1; fewer than 4 runs a side (3 against 5) is inconclusive.\n"
		"  See mrbench-compare(1).\n",
		md ? "- " : "", m->label[0], m->label[0], m->label[0],
		o->confidence * 100, m->label[0], o->threshold * 100);
}

/* Per set, the counts "mrbench compare BASE SET" ends with. */
static void counts(FILE *f, const struct report_opts *ro,
		   const struct compare_many *m)
{
	for (size_t k = 0; k < m->nsets; k++) {
		const struct compare_result *r = &m->r[k];
		size_t n[CMP_NVERDICTS] = { 0 }, all = 0;

		for (size_t i = 0; i < r->ntimed; i++)
			for (unsigned j = 0; j < r->timed[i].nops; j++)
				if (report_shows(ro, r->timed[i].op[j].op)) {
					n[r->timed[i].op[j].verdict]++;
					all++;
				}
		fprintf(f,
			"%s/%s: %zu figures in %zu cells: %zu slower, %zu faster, %zu no change, %zu inconclusive;\n"
			"  %zu cells changed behaviour, %zu refused alike, %zu only in %s, %zu only in %s.\n",
			m->label[k + 1], m->label[0], all, r->ntimed,
			n[CMP_SLOWER], n[CMP_FASTER], n[CMP_SAME],
			n[CMP_INCONCLUSIVE] + n[CMP_NONE], r->nchanged,
			r->same_refusal, r->nonly_a, m->label[0], r->nonly_b,
			m->label[k + 1]);
		if (r->unstable_alike)
			fprintf(f,
				"  %zu cells had runs with different outcomes, alike in both: not timed.\n",
				r->unstable_alike);
	}
}

static size_t changed_cells(const struct compare_many *m)
{
	size_t n = 0;

	for (size_t i = 0; i < m->base->n; i++)
		n += many_changed(m, i);
	return n;
}

static int text_report(FILE *f, const struct report_opts *ro,
		       const struct compare_many *m,
		       const struct compare_opts *o)
{
	bool md = ro->fmt == REPORT_MARKDOWN;
	const char *h = md ? "### " : "";
	size_t nfig = 0, nchanged = 0, nabsent;
	char *table = NULL;
	size_t table_len = 0;
	FILE *tf;
	int rc = 0;

	fprintf(f, "%smrbench compare: ", md ? "## " : "");
	for (size_t k = 0; k < m->nsets; k++)
		fprintf(f, "%s%s", k ? ", " : "", m->label[k + 1]);
	fprintf(f, " against %s\n\n", m->label[0]);
	report_side(f, md, m->label[0], m->base);
	for (size_t k = 0; k < m->nsets; k++)
		report_side(f, md, m->label[k + 1], m->sets[k]);
	where(f, md, m);
	calibration(f, md, m);
	method(f, md, m, o);
	for (size_t k = 0; k <= m->nsets; k++)
		if ((k ? m->sets[k - 1] : m->base)->nruns < 2)
			fprintf(f,
				"%s%s is a single run: no interval, so no verdict. Add runs (mrbench run --runs N).\n",
				md ? "- " : "", m->label[k]);
	/* The table counts what its title says: render it first. */
	tf = open_memstream(&table, &table_len);
	if (!tf)
		return -1;
	rc |= timed_table(tf, md, ro, m, &nfig, &nchanged);
	rc |= fclose(tf);
	fprintf(f, "\n%s%s (%zu of %zu figures)\n", h,
		ro->all ? "Timings" : "Timings that changed in some set",
		ro->all ? nfig : nchanged, nfig);
	fprintf(f,
		"%seach set's column: its figure over %s's and the verdict (= no change,\n"
		"%s? inconclusive); its outcome where that differs, absent where it has no such cell\n%s",
		md ? "- " : "  ", m->label[0], "  ", md ? "\n" : "");
	fputs(table ? table : "", f);
	free(table);
	fprintf(f, "\n%sBehaviour changed in some set (%zu cells)\n%s", h,
		changed_cells(m), md && changed_cells(m) ? "\n" : "");
	if (changed_cells(m))
		rc |= md ? changed_table(f, m) : changed_list(f, ro, m);
	nabsent = absent_cells(m, NULL);
	if (ro->all && nabsent) {
		fprintf(f,
			"\n%sNot in every set (%zu cells; - where a set lacks it)\n%s",
			h, nabsent, md ? "\n" : "");
		rc |= absent_table(f, md, m);
	}
	for (size_t k = 0; k < m->nsets; k++)
		rc |= compare_phases_text(f, md, ro, &m->r[k], m->label[0],
					  m->label[k + 1], o);
	fputc('\n', f);
	counts(f, ro, m);
	return rc || ferror(f) ? -1 : 0;
}

int compare_many_report(FILE *f, const struct report_opts *ro,
			const struct compare_many *m,
			const struct compare_opts *o)
{
	if (ro->fmt == REPORT_JSON)
		return compare_many_json(f, ro, m, o);
	return text_report(f, ro, m, o);
}
