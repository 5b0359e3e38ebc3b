// SPDX-License-Identifier: GPL-2.0
/*
 * A compared cell's "phases" in mrbench compare -f json: per operation
 * the leading phase (the largest |B - A|) and every phase's medians,
 * difference, ratio, interval and verdict, as the figures have them. A
 * phase a side could not trace has null for that side and its reason,
 * so a script cannot mistake it for 0 ns.
 */
#include <math.h>

#include "analysis/compare_json.h"
#include "analysis/compare_phases.h"

static json_object *ratio_json(const struct compare_ratio *x, double delta)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "a_ns", json_num6(x->med_a));
	json_object_object_add(o, "b_ns", json_num6(x->med_b));
	json_object_object_add(o, "delta_ns", json_num6(delta));
	json_object_object_add(o, "ratio", json_num6(x->ratio));
	json_object_object_add(o, "lo", json_num6(x->lo));
	json_object_object_add(o, "hi", json_num6(x->hi));
	json_object_object_add(o, "p", json_num6(x->p));
	json_object_object_add(o, "runs_a",
			       json_object_new_int64((int64_t)x->n_a));
	json_object_object_add(o, "runs_b",
			       json_object_new_int64((int64_t)x->n_b));
	json_object_object_add(o, "verdict",
			       cmp_jstr(compare_verdict_name(x->verdict)));
	return o;
}

static json_object *phase_json(const struct phase_cmp *c)
{
	json_object *o = ratio_json(&c->r, c->delta_ns);

	if (!c->a_known)
		json_object_object_add(o, "a_reason", cmp_jstr(c->a_reason));
	if (!c->b_known)
		json_object_object_add(o, "b_reason", cmp_jstr(c->b_reason));
	/* No time in any run; or in some: the verdict is the ranks'. */
	if (c->idle)
		json_object_object_add(o, "idle",
				       json_object_new_boolean(true));
	else if (c->zero)
		json_object_object_add(o, "zero_runs",
				       json_object_new_boolean(true));
	return o;
}

static json_object *op_json(const struct op_phases *op)
{
	json_object *o = json_object_new_object(),
		    *ph = json_object_new_object();
	double total = op->total ? op->total->med_b - op->total->med_a : NAN;
	double lead = op->leading < 0 ? NAN : op->ph[op->leading].delta_ns;

	json_object_object_add(o, "leading",
			       cmp_jstr(op->leading < 0 ?
						NULL :
						phase_table[op->leading].key));
	json_object_object_add(o, "leading_delta_ns", json_num6(lead));
	json_object_object_add(o, "total_delta_ns", json_num6(total));
	json_object_object_add(o, "leading_share",
			       json_num6(total != 0 ? lead / total : NAN));
	json_object_object_add(
		o, "traced",
		ratio_json(&op->traced, op->traced.med_b - op->traced.med_a));
	for (int i = 0; i < PHASE_N; i++)
		json_object_object_add(ph, phase_table[i].key,
				       phase_json(&op->ph[i]));
	json_object_object_add(o, "phases", ph);
	return o;
}

json_object *compare_phases_json(const struct pair_phases *p,
				 const struct report_opts *ro)
{
	json_object *o = json_object_new_object();

	for (int k = 0; k < PHASE_NOPS; k++)
		if (p->op[k].present && report_shows(ro, phase_op_keys[k]))
			json_object_object_add(o, phase_op_keys[k],
					       op_json(&p->op[k]));
	json_object_object_add(o, "has_a", json_object_new_boolean(p->has_a));
	json_object_object_add(o, "has_b", json_object_new_boolean(p->has_b));
	if (p->unsupported_a)
		json_object_object_add(o, "unsupported_a",
				       cmp_jstr(p->unsupported_a));
	if (p->unsupported_b)
		json_object_object_add(o, "unsupported_b",
				       cmp_jstr(p->unsupported_b));
	return o;
}
