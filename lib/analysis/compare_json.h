/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_COMPARE_JSON_H
#define MRBENCH_COMPARE_JSON_H

#include <json-c/json.h>

#include "analysis/compare_report.h"
#include "out/record.h"

struct pair_phases;

/* The pieces of "mrbench compare -f json" (lib/analysis/compare_json.c). */
/* A string, or null for NULL (numbers: json_num6, out/record.h). */
json_object *cmp_jstr(const char *s);

/* A set: "label", "kernel", "path", "runs", "host"... */
json_object *compare_json_set(const struct results_set *s, const char *label);
/* "method": the unit, the test, the confidence and threshold. */
json_object *compare_json_method(const struct compare_opts *o);
/* Add one pair's keys, "calibration" to "unstable_alike", to root. */
void compare_json_pair(json_object *root, const struct report_opts *ro,
		       const struct compare_result *r);
/* Print root, pretty, and free it; -1 when the write failed. */
int compare_json_print(FILE *f, json_object *root);

/* A cell's "phases" (lib/analysis/compare_phases_json.c). */
json_object *compare_phases_json(const struct pair_phases *p,
				 const struct report_opts *ro);

#endif
