// SPDX-License-Identifier: GPL-2.0
/*
 * "mrbench compare -f json": the whole comparison as one object for
 * scripts, schema mrbench-compare/2: every figure of every cell timed in
 * both with its run figures' medians, ratio, interval, p-value and
 * verdict, and its phases when the sets have breakdowns; the cells whose
 * outcome changed; the cells one set lacks. Keys are only ever added
 * within a schema: a reader of /2 still reads it.
 */
#include <json-c/json.h>
#include <math.h>
#include <string.h>

#include "analysis/compare_json.h"
#include "analysis/compare_phases.h"
#include "analysis/compare_report.h"

json_object *cmp_jstr(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

static json_object *cell_json(const struct results_cell *c)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "bench", cmp_jstr(c->bench));
	if (*c->scenario)
		json_object_object_add(o, "scenario", cmp_jstr(c->scenario));
	json_object_object_add(o, "mem", cmp_jstr(c->mem_label));
	json_object_object_add(o, "reg", cmp_jstr(c->reg));
	json_object_object_add(o, "size",
			       json_object_new_int64((int64_t)c->size));
	json_object_object_add(o, "access", cmp_jstr(c->access));
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
			       cmp_jstr(results_status_name(c->status)));
	json_object_object_add(o, "errno", cmp_jstr(c->err));
	json_object_object_add(o, "outcome", cmp_jstr(results_outcome(c)));
	json_object_object_add(o, "reason", cmp_jstr(c->reason));
	json_object_object_add(o, "runs",
			       json_object_new_int64((int64_t)c->nruns));
	return o;
}

static json_object *ratio_json(const struct compare_ratio *x)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "a_p50", json_num6(x->med_a));
	json_object_object_add(o, "b_p50", json_num6(x->med_b));
	json_object_object_add(o, "runs_a",
			       json_object_new_int64((int64_t)x->n_a));
	json_object_object_add(o, "runs_b",
			       json_object_new_int64((int64_t)x->n_b));
	json_object_object_add(o, "ratio", json_num6(x->ratio));
	json_object_object_add(o, "ci95_lo", json_num6(x->lo));
	json_object_object_add(o, "ci95_hi", json_num6(x->hi));
	json_object_object_add(o, "p", json_num6(x->p));
	json_object_object_add(o, "verdict",
			       cmp_jstr(compare_verdict_name(x->verdict)));
	return o;
}

json_object *compare_json_set(const struct results_set *s, const char *label)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "label", cmp_jstr(label));
	json_object_object_add(o, "kernel", cmp_jstr(s->kernel));
	json_object_object_add(o, "path", cmp_jstr(s->path));
	json_object_object_add(o, "file", cmp_jstr(s->file));
	json_object_object_add(o, "cells",
			       json_object_new_int64((int64_t)s->n));
	json_object_object_add(o, "runs",
			       json_object_new_int64((int64_t)s->nruns));
	json_object_object_add(o, "host", cmp_jstr(s->host));
	json_object_object_add(o, "emulation", cmp_jstr(s->emulation));
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

/* What else differs between the sets: see compare_prov.c. */
static json_object *prov_json(const struct compare_result *r)
{
	json_object *arr = json_object_new_array();

	for (size_t i = 0; i < r->nprov; i++) {
		json_object *d = json_object_new_object();

		json_object_object_add(d, "key", cmp_jstr(r->prov[i].key));
		json_object_object_add(d, "a", cmp_jstr(r->prov[i].a));
		json_object_object_add(d, "b", cmp_jstr(r->prov[i].b));
		json_object_object_add(
			d, "warning", json_object_new_boolean(r->prov[i].warn));
		json_object_array_add(arr, d);
	}
	return arr;
}

json_object *compare_json_method(const struct compare_opts *o)
{
	json_object *m = json_object_new_object();

	json_object_object_add(m, "unit", cmp_jstr("run"));
	json_object_object_add(m, "figure", cmp_jstr("median of the run"));
	json_object_object_add(m, "test", cmp_jstr("mann-whitney"));
	json_object_object_add(m, "confidence", json_num6(o->confidence));
	json_object_object_add(m, "threshold", json_num6(o->threshold));
	return m;
}

/*
 * What one pair says, from its calibration to the cells refused alike:
 * the body of the two-set object, and of each comparison of many.
 */
void compare_json_pair(json_object *root, const struct report_opts *ro,
		       const struct compare_result *r)
{
	json_object *timed = json_object_new_array(),
		    *changed = json_object_new_array();

	json_object_object_add(root, "calibration", ratio_json(&r->calib));
	json_object_object_add(root, "provenance", prov_json(r));
	for (size_t i = 0; i < r->ntimed; i++) {
		const struct compare_pair *p = &r->timed[i];
		json_object *c = cell_json(p->a),
			    *figs = json_object_new_object();

		for (unsigned k = 0; k < p->nops; k++)
			if (report_shows(ro, p->op[k].op))
				json_object_object_add(figs, p->op[k].op,
						       ratio_json(&p->op[k]));
		json_object_object_add(c, "figures", figs);
		if (r->phases && pair_phases_shown(&r->phases[i]))
			json_object_object_add(
				c, "phases",
				compare_phases_json(&r->phases[i], ro));
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
	json_object_object_add(
		root, "unstable_alike",
		json_object_new_int64((int64_t)r->unstable_alike));
}

int compare_json_print(FILE *f, json_object *root)
{
	int rc = fprintf(f, "%s\n",
			 json_object_to_json_string_ext(
				 root,
				 JSON_C_TO_STRING_PRETTY |
					 JSON_C_TO_STRING_SPACED |
					 JSON_C_TO_STRING_NOSLASHESCAPE)) < 0;

	json_object_put(root);
	return rc ? -1 : 0;
}

int compare_json(FILE *f, const struct report_opts *ro,
		 const struct results_set *a, const struct results_set *b,
		 const struct compare_result *r, const struct compare_opts *o)
{
	json_object *root = json_object_new_object();
	char la[80], lb[80];

	report_labels(a, b, la, lb, sizeof(la));
	json_object_object_add(root, "schema", cmp_jstr("mrbench-compare/2"));
	json_object_object_add(root, "a", compare_json_set(a, la));
	json_object_object_add(root, "b", compare_json_set(b, lb));
	json_object_object_add(root, "method", compare_json_method(o));
	compare_json_pair(root, ro, r);
	return compare_json_print(f, root);
}
