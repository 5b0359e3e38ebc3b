// SPDX-License-Identifier: GPL-2.0
/*
 * What "mrbench compare" prints: the cells timed in both sets with their
 * ratios and verdicts, the cells whose outcome changed, the cells one set
 * lacks, and a one-line summary; as an aligned table, Markdown or JSON.
 */
#include <json-c/json.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compare_report.h"
#include "size.h"
#include "table.h"

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
		snprintf(la, len, "%s", a->label);
		snprintf(lb, len, "%s", b->label);
	}
	if (!strcmp(la, lb)) {
		snprintf(la, len, "A");
		snprintf(lb, len, "B");
	}
}

/* Which key columns the cells need: bench, scenario, threads. */
struct key_cols {
	bool bench, scenario, threads;
};

static void need_cols(struct key_cols *k, const struct results_cell *c)
{
	k->bench |= strcmp(c->bench, "reg") != 0;
	k->scenario |= *c->scenario != '\0';
	k->threads |= c->threads != 1;
}

static struct key_cols key_cols_of(const struct compare_result *r)
{
	struct key_cols k = { false, false, false };

	for (size_t i = 0; i < r->ntimed; i++)
		need_cols(&k, r->timed[i].a);
	for (size_t i = 0; i < r->nchanged; i++)
		need_cols(&k, r->changed[i].a);
	for (size_t i = 0; i < r->nonly_a; i++)
		need_cols(&k, r->only_a[i]);
	for (size_t i = 0; i < r->nonly_b; i++)
		need_cols(&k, r->only_b[i]);
	return k;
}

#define KEY_COLS                                                            \
	"?BENCH", "?SCENARIO", "MEM", "REG", ">SIZE", "ACCESS", "PREFAULT", \
		">?THREADS"
#define NKEY 8

/* The key columns of a row; size and threads are formatted into bufs. */
static void key_row(const struct key_cols *k, const struct results_cell *c,
		    const char **row, char *size, char *thr)
{
	size_format(c->size, size, 16);
	snprintf(thr, 16, "%u", c->threads);
	row[0] = k->bench ? c->bench : NULL;
	row[1] = k->scenario ? c->scenario : NULL;
	row[2] = c->mem_label;
	row[3] = c->reg ? c->reg : "-";
	row[4] = size;
	row[5] = c->access ? c->access : "-";
	row[6] = c->prefault ? "yes" : "no";
	row[7] = k->threads ? thr : NULL;
}

static void fmt_ratio(const struct compare_ratio *x, char *ratio, char *ci,
		      size_t len)
{
	if (isfinite(x->ratio))
		snprintf(ratio, len, "%.4g", x->ratio);
	else
		snprintf(ratio, len, "-");
	if (isfinite(x->lo))
		snprintf(ci, len, "[%.4g, %.4g]", x->lo, x->hi);
	else
		snprintf(ci, len, "%s",
			 x->n_a && x->n_b ? "too few samples" : "no samples");
}

static const char *const op_names[2] = { "reg", "dereg" };

static int timed_table(FILE *f, bool md, const struct compare_result *r,
		       const struct key_cols *k, const char *la, const char *lb,
		       unsigned ops)
{
	char ha[100], hb[100], hr[170];
	const char *cols[] = { KEY_COLS, "OP",	   ha,	      hb,
			       hr,	 "95% CI", "VERDICT", NULL };
	struct table t;
	int rc = 0;

	snprintf(ha, sizeof(ha), ">%s p50", la);
	snprintf(hb, sizeof(hb), ">%s p50", lb);
	snprintf(hr, sizeof(hr), ">%s/%s", lb, la);
	table_init(&t, cols);
	for (size_t i = 0; i < r->ntimed && !rc; i++) {
		for (int op = 0; op < 2 && !rc; op++) {
			const struct compare_ratio *x = &r->timed[i].op[op];
			char size[16], thr[16], ma[32], mb[32], ratio[32],
				ci[48];
			const char *row[NKEY + 6];

			if (!(ops & (1u << op)))
				continue;
			key_row(k, r->timed[i].a, row, size, thr);
			ns_format(x->med_a, ma, sizeof(ma));
			ns_format(x->med_b, mb, sizeof(mb));
			fmt_ratio(x, ratio, ci, sizeof(ratio));
			row[NKEY] = op_names[op];
			row[NKEY + 1] = ma;
			row[NKEY + 2] = mb;
			row[NKEY + 3] = ratio;
			row[NKEY + 4] = ci;
			row[NKEY + 5] = compare_verdict_name(x->verdict);
			rc = table_add(&t, row);
		}
	}
	if (!rc)
		table_print(&t, f, md);
	table_free(&t);
	return rc;
}

static int changed_table(FILE *f, bool md, const struct compare_result *r,
			 const struct key_cols *k, const char *la,
			 const char *lb)
{
	const char *cols[] = { KEY_COLS, "CHANGE", "REASON", NULL };
	struct table t;
	int rc = 0;

	table_init(&t, cols);
	for (size_t i = 0; i < r->nchanged && !rc; i++) {
		const struct compare_pair *p = &r->changed[i];
		const struct results_cell *why = p->b->reason ? p->b : p->a;
		char size[16], thr[16], change[300];
		const char *row[NKEY + 2];

		key_row(k, p->a, row, size, thr);
		snprintf(change, sizeof(change), "%s %s -> %s %s", la,
			 results_outcome(p->a), lb, results_outcome(p->b));
		row[NKEY] = change;
		row[NKEY + 1] = why->reason ? why->reason : "";
		rc = table_add(&t, row);
	}
	if (!rc)
		table_print(&t, f, md);
	table_free(&t);
	return rc;
}

static int only_table(FILE *f, bool md, const struct results_cell *const *cells,
		      size_t n, const struct key_cols *k)
{
	const char *cols[] = { KEY_COLS, "OUTCOME", NULL };
	struct table t;
	int rc = 0;

	table_init(&t, cols);
	for (size_t i = 0; i < n && !rc; i++) {
		char size[16], thr[16];
		const char *row[NKEY + 1];

		key_row(k, cells[i], row, size, thr);
		row[NKEY] = results_outcome(cells[i]);
		rc = table_add(&t, row);
	}
	if (!rc)
		table_print(&t, f, md);
	table_free(&t);
	return rc;
}

static void count_verdicts(const struct compare_result *r, int op, size_t *n)
{
	memset(n, 0, 4 * sizeof(*n));
	for (size_t i = 0; i < r->ntimed; i++)
		n[r->timed[i].op[op].verdict]++;
}

static void summary(FILE *f, const struct compare_result *r, unsigned ops)
{
	size_t n[4];

	fprintf(f, "%zu timed in both", r->ntimed);
	for (int op = 0; op < 2; op++) {
		if (!(ops & (1u << op)))
			continue;
		count_verdicts(r, op, n);
		fprintf(f, "; %s: %zu faster, %zu slower, %zu no change",
			op_names[op], n[CMP_FASTER], n[CMP_SLOWER],
			n[CMP_SAME]);
		if (n[CMP_NONE])
			fprintf(f, ", %zu n/a", n[CMP_NONE]);
	}
	fprintf(f,
		". %zu changed behaviour, %zu refused alike, %zu only in A, %zu only in B.\n",
		r->nchanged, r->same_refusal, r->nonly_a, r->nonly_b);
}

static int text_report(FILE *f, bool md, const struct results_set *a,
		       const struct results_set *b,
		       const struct compare_result *r,
		       const struct compare_opts *o, unsigned ops)
{
	struct key_cols k = key_cols_of(r);
	const char *h = md ? "### " : "";
	char la[80], lb[80];
	int rc = 0;

	report_labels(a, b, la, lb, sizeof(la));
	fprintf(f, "%sA = %s: %s (%zu cells)\n", md ? "- " : "", la, a->file,
		a->n);
	fprintf(f, "%sB = %s: %s (%zu cells)\n\n", md ? "- " : "", lb, b->file,
		b->n);
	fprintf(f, "%sTimed in both (%zu cells)\n%s", h, r->ntimed,
		md ? "\n" : "");
	fprintf(f,
		"%s/%s is the ratio of the medians, with its 95%% bootstrap interval (%u resamples);\n"
		"faster or slower only when the interval excludes 1 and the ratio is more than %g%% from 1.\n\n",
		lb, la, o->resamples, o->threshold * 100);
	if (r->ntimed)
		rc |= timed_table(f, md, r, &k, la, lb, ops);
	fprintf(f, "\n%sBehaviour changed (%zu cells)\n%s", h, r->nchanged,
		md ? "\n" : "");
	if (r->nchanged)
		rc |= changed_table(f, md, r, &k, la, lb);
	fprintf(f, "\n%sOnly in %s (%zu cells)\n%s", h, la, r->nonly_a,
		md && r->nonly_a ? "\n" : "");
	if (r->nonly_a)
		rc |= only_table(f, md, r->only_a, r->nonly_a, &k);
	fprintf(f, "\n%sOnly in %s (%zu cells)\n%s", h, lb, r->nonly_b,
		md && r->nonly_b ? "\n" : "");
	if (r->nonly_b)
		rc |= only_table(f, md, r->only_b, r->nonly_b, &k);
	fputc('\n', f);
	summary(f, r, ops);
	return rc;
}

/* JSON numbers: finite ones, to 6 significant digits; null otherwise. */
static json_object *jnum(double v)
{
	char buf[32];

	if (!isfinite(v))
		return NULL;
	snprintf(buf, sizeof(buf), "%.6g", v);
	return json_object_new_double_s(v, buf);
}

static json_object *jstr(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

static json_object *cell_json(const struct results_cell *c)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "bench", jstr(c->bench));
	if (*c->scenario)
		json_object_object_add(o, "scenario", jstr(c->scenario));
	json_object_object_add(o, "mem", jstr(c->mem_label));
	json_object_object_add(o, "reg", jstr(c->reg));
	json_object_object_add(o, "size",
			       json_object_new_int64((int64_t)c->size));
	json_object_object_add(o, "access", jstr(c->access));
	json_object_object_add(o, "prefault",
			       json_object_new_boolean(c->prefault));
	json_object_object_add(o, "threads",
			       json_object_new_int((int)c->threads));
	return o;
}

static json_object *outcome_json(const struct results_cell *c)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "status",
			       jstr(results_status_name(c->status)));
	json_object_object_add(o, "errno", jstr(c->err));
	json_object_object_add(o, "reason", jstr(c->reason));
	return o;
}

static json_object *ratio_json(const struct compare_ratio *x)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "a_p50", jnum(x->med_a));
	json_object_object_add(o, "b_p50", jnum(x->med_b));
	json_object_object_add(o, "n_a",
			       json_object_new_int64((int64_t)x->n_a));
	json_object_object_add(o, "n_b",
			       json_object_new_int64((int64_t)x->n_b));
	json_object_object_add(o, "ratio", jnum(x->ratio));
	json_object_object_add(o, "ci95_lo", jnum(x->lo));
	json_object_object_add(o, "ci95_hi", jnum(x->hi));
	json_object_object_add(o, "verdict",
			       jstr(compare_verdict_name(x->verdict)));
	return o;
}

static json_object *set_json(const struct results_set *s, const char *label)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "label", jstr(label));
	json_object_object_add(o, "kernel", jstr(s->kernel));
	json_object_object_add(o, "path", jstr(s->path));
	json_object_object_add(o, "file", jstr(s->file));
	json_object_object_add(o, "cells",
			       json_object_new_int64((int64_t)s->n));
	return o;
}

static json_object *only_json(const struct results_cell *const *cells, size_t n)
{
	json_object *arr = json_object_new_array();

	for (size_t i = 0; i < n; i++) {
		json_object *c = cell_json(cells[i]);

		json_object_object_add(c, "outcome", outcome_json(cells[i]));
		json_object_array_add(arr, c);
	}
	return arr;
}

static int json_report(FILE *f, const struct results_set *a,
		       const struct results_set *b,
		       const struct compare_result *r,
		       const struct compare_opts *o, unsigned ops)
{
	json_object *root = json_object_new_object(),
		    *timed = json_object_new_array(),
		    *changed = json_object_new_array();
	char la[80], lb[80];
	int rc;

	report_labels(a, b, la, lb, sizeof(la));
	json_object_object_add(root, "schema", jstr("mrbench-compare/1"));
	json_object_object_add(root, "a", set_json(a, la));
	json_object_object_add(root, "b", set_json(b, lb));
	json_object_object_add(root, "threshold",
			       json_object_new_double(o->threshold));
	json_object_object_add(root, "resamples",
			       json_object_new_int((int)o->resamples));
	for (size_t i = 0; i < r->ntimed; i++) {
		json_object *c = cell_json(r->timed[i].a);

		for (int op = 0; op < 2; op++)
			if (ops & (1u << op))
				json_object_object_add(
					c, op ? "dereg_ns" : "reg_ns",
					ratio_json(&r->timed[i].op[op]));
		json_object_array_add(timed, c);
	}
	for (size_t i = 0; i < r->nchanged; i++) {
		json_object *c = cell_json(r->changed[i].a);

		json_object_object_add(c, "a", outcome_json(r->changed[i].a));
		json_object_object_add(c, "b", outcome_json(r->changed[i].b));
		json_object_array_add(changed, c);
	}
	json_object_object_add(root, "timed", timed);
	json_object_object_add(root, "changed", changed);
	json_object_object_add(root, "only_a",
			       only_json(r->only_a, r->nonly_a));
	json_object_object_add(root, "only_b",
			       only_json(r->only_b, r->nonly_b));
	json_object_object_add(root, "refused_alike",
			       json_object_new_int64((int64_t)r->same_refusal));
	rc = fprintf(f, "%s\n",
		     json_object_to_json_string_ext(
			     root, JSON_C_TO_STRING_PRETTY |
					   JSON_C_TO_STRING_SPACED |
					   JSON_C_TO_STRING_NOSLASHESCAPE)) < 0;
	json_object_put(root);
	return rc ? -1 : 0;
}

int compare_report(FILE *f, enum report_format fmt, const struct results_set *a,
		   const struct results_set *b, const struct compare_result *r,
		   const struct compare_opts *o, unsigned ops)
{
	if (fmt == REPORT_JSON)
		return json_report(f, a, b, r, o, ops);
	return text_report(f, fmt == REPORT_MARKDOWN, a, b, r, o, ops) ? -1 : 0;
}
