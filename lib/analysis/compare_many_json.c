// SPDX-License-Identifier: GPL-2.0
/*
 * "mrbench compare -f json BASE B C ...": schema mrbench-compare-many/1.
 * The baseline and the sets as the two-set object names its a and b, and
 * one comparison per further set holding what "mrbench compare -f json
 * BASE SET" holds from "calibration" on: a script that reads one reads
 * the other. A "set" key names the comparison's set by its label.
 */
#include <json-c/json.h>

#include "analysis/compare_json.h"
#include "analysis/compare_many.h"

int compare_many_json(FILE *f, const struct report_opts *ro,
		      const struct compare_many *m,
		      const struct compare_opts *o)
{
	json_object *root = json_object_new_object(),
		    *sets = json_object_new_array(),
		    *cmps = json_object_new_array();

	json_object_object_add(root, "schema",
			       cmp_jstr("mrbench-compare-many/1"));
	json_object_object_add(root, "base",
			       compare_json_set(m->base, m->label[0]));
	for (size_t k = 0; k < m->nsets; k++) {
		json_object *c = json_object_new_object();

		json_object_array_add(
			sets, compare_json_set(m->sets[k], m->label[k + 1]));
		json_object_object_add(c, "set", cmp_jstr(m->label[k + 1]));
		compare_json_pair(c, ro, &m->r[k]);
		json_object_array_add(cmps, c);
	}
	json_object_object_add(root, "sets", sets);
	json_object_object_add(root, "method", compare_json_method(o));
	json_object_object_add(root, "comparisons", cmps);
	return compare_json_print(f, root);
}
