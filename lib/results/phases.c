// SPDX-License-Identifier: GPL-2.0
/*
 * Reading the "phases" objects back for plot and compare. The set was read
 * and checked by results_load; its file is read again here, and only the
 * lines that name "phases" are parsed twice: once by results_parse_line
 * for the cell they belong to, once for the breakdown itself. Input is
 * untrusted as everywhere else: a wrong type is refused with the file,
 * the line and the key.
 */
#include <errno.h>
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/xalloc.h"
#include "results/phases.h"
#include "results/keys.h"

const char *const phase_op_keys[PHASE_NOPS] = { "reg", "dereg" };

double phase_share(const struct phase_op *o, int phase)
{
	return o->known[phase] ? o->ns[phase] / o->traced_ns[phase] : NAN;
}

/* One record's figure beside the others'; past the bound, sums only. */
static void keep_run(double **runs, size_t *n, double v)
{
	if (*n >= RESULTS_MAX_RUNS)
		return;
	/* Doubled at each power of two: n appends, log n reallocations. */
	if (!(*n & (*n - 1)))
		*runs = xrealloc(*runs, (*n ? *n * 2 : 1) * sizeof(**runs));
	(*runs)[(*n)++] = v;
}

/* A phase that was not traced: its reason, the first one kept. */
static int take_untraced(json_object *ph, struct phase_op *op, int i, char *err,
			 size_t len)
{
	char *why = NULL;

	if (ph && res_want_str(ph, "reason", false, true, &why, err, len))
		return -1;
	if (!why)
		why = xstrdup(ph ? "not traced, no reason given" :
				   "not in the record");
	if (op->reason[i])
		free(why);
	else
		op->reason[i] = why;
	return 0;
}

static int take_phase(json_object *o, struct phase_op *op, int i, double traced,
		      char *err, size_t len)
{
	json_object *ph;
	double ns;

	if (res_want_obj(o, phase_table[i].key, &ph, err, len))
		return -1;
	if (!ph)
		return take_untraced(NULL, op, i, err, len);
	if (res_want_num(ph, "ns", &ns, err, len))
		return res_nested_err(err, len, phase_table[i].key);
	if (isnan(ns))
		return take_untraced(ph, op, i, err, len) ?
			       res_nested_err(err, len, phase_table[i].key) :
			       0;
	if (ns < 0) {
		res_set_err(err, len, "expected \"ns\" to be >= 0, got %g", ns);
		return res_nested_err(err, len, phase_table[i].key);
	}
	op->ns[i] += ns;
	op->traced_ns[i] += traced;
	op->known[i]++;
	keep_run(&op->run_ns[i], &op->nrun_ns[i], ns);
	return 0;
}

/* One of "reg" and "dereg": its traced total, the ratio, each phase. */
static int take_op(json_object *o, struct phase_op *op, char *err, size_t len)
{
	double traced, ratio;

	if (res_want_num(o, "traced_ns", &traced, err, len) ||
	    res_want_num(o, "ratio", &ratio, err, len))
		return -1;
	if (!(traced > 0)) {
		res_set_err(err, len,
			    "expected \"traced_ns\" to be a number > 0");
		return -1;
	}
	if (ratio <= 0) {
		res_set_err(err, len, "expected \"ratio\" to be > 0, got %g",
			    ratio);
		return -1;
	}
	if (isfinite(ratio)) {
		op->ratio_lo =
			isnan(op->ratio_lo) ? ratio : fmin(op->ratio_lo, ratio);
		op->ratio_hi =
			isnan(op->ratio_hi) ? ratio : fmax(op->ratio_hi, ratio);
	}
	op->records++;
	keep_run(&op->run_traced, &op->nrun_traced, traced);
	for (int i = 0; i < PHASE_N; i++)
		if (take_phase(o, op, i, traced, err, len))
			return -1;
	return 0;
}

static int take_phases(json_object *ph, struct phase_cell *c, char *err,
		       size_t len)
{
	char *s;

	c->has = true;
	if (res_want_str(ph, "unsupported", false, false, &s, err, len))
		return -1;
	if (s) {
		if (c->unsupported)
			free(s);
		else
			c->unsupported = s;
		return 0;
	}
	if (res_want_str(ph, "method", false, true, &s, err, len) ||
	    res_want_uint(ph, "ops", false, 0, &c->ops, err, len))
		return -1;
	if (c->method)
		free(s);
	else
		c->method = s;
	for (int k = 0; k < PHASE_NOPS; k++) {
		json_object *o;

		if (res_want_obj(ph, phase_op_keys[k], &o, err, len))
			return -1;
		if (o && take_op(o, &c->op[k], err, len))
			return res_nested_err(err, len, phase_op_keys[k]);
	}
	return 0;
}

static json_object *parse_json(const char *line, size_t n)
{
	struct json_tokener *tok = json_tokener_new_ex(RESULTS_MAX_DEPTH);
	json_object *rec;

	if (!tok)
		return NULL;
	rec = json_tokener_parse_ex(tok, line, (int)n);
	json_tokener_free(tok);
	return rec;
}

/*
 * One line: the cell it belongs to, then its phases. results_load read
 * the same line well, so only a file changed in between fails here.
 */
static int take_line(const struct results_set *set, struct results_phases *p,
		     const char *line, size_t n, char *err, size_t len)
{
	struct results_cell cell;
	const struct results_cell *at;
	json_object *rec, *ph = NULL;
	size_t no_samples = 0; /* the cell's figures are in set already */
	int rc;

	rc = results_parse_line(line, n, &cell, &no_samples, err, len);
	if (rc <= 0)
		return rc;
	at = results_find(set, cell.key);
	results_cell_free(&cell);
	rec = parse_json(line, n);
	if (!at || !rec) {
		json_object_put(rec);
		res_set_err(err, len, "changed while it was read");
		return -1;
	}
	rc = res_want_obj(rec, "phases", &ph, err, len);
	if (!rc && ph) {
		rc = take_phases(ph, &p->cells[at - set->cells], err, len);
		if (rc)
			res_nested_err(err, len, "phases");
	}
	json_object_put(rec);
	return rc;
}

int results_phases_load(const struct results_set *set, struct results_phases *p,
			char *err, size_t len)
{
	char *line = NULL, msg[600];
	size_t cap = 0;
	unsigned lineno = 0;
	ssize_t n;
	FILE *f;
	int rc = 0;

	p->n = set->n;
	p->with = 0;
	p->cells = xcalloc(set->n ? set->n : 1, sizeof(*p->cells));
	for (size_t i = 0; i < set->n; i++)
		for (int k = 0; k < PHASE_NOPS; k++)
			p->cells[i].op[k].ratio_lo =
				p->cells[i].op[k].ratio_hi = NAN;
	f = fopen(set->file, "r");
	if (!f) {
		snprintf(err, len, "%s: %s", set->file, strerror(errno));
		return -1;
	}
	while (!rc && (n = getline(&line, &cap, f)) > 0) {
		lineno++;
		/* Most records have no breakdown: no second parse for them. */
		if (!strstr(line, "\"phases\""))
			continue;
		if ((size_t)n > RESULTS_MAX_LINE) {
			snprintf(msg, sizeof(msg),
				 "expected a line of at most 64 MiB");
			rc = -1;
		} else {
			rc = take_line(set, p, line, (size_t)n, msg,
				       sizeof(msg));
		}
		if (rc < 0)
			snprintf(err, len, "%s:%u: %s", set->file, lineno, msg);
		rc = rc < 0 ? -1 : 0;
	}
	free(line);
	fclose(f);
	for (size_t i = 0; i < p->n; i++)
		p->with += p->cells[i].has;
	return rc;
}

void results_phases_free(struct results_phases *p)
{
	for (size_t i = 0; i < p->n; i++) {
		struct phase_cell *c = &p->cells[i];

		free(c->unsupported);
		free(c->method);
		for (int k = 0; k < PHASE_NOPS; k++) {
			for (int j = 0; j < PHASE_N; j++) {
				free(c->op[k].reason[j]);
				free(c->op[k].run_ns[j]);
			}
			free(c->op[k].run_traced);
		}
	}
	free(p->cells);
	memset(p, 0, sizeof(*p));
}
