/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_COMPARE_JSON_H
#define MRBENCH_COMPARE_JSON_H

#include <json-c/json.h>

#include "analysis/compare_report.h"

struct pair_phases;

/* The pieces of "mrbench compare -f json" (lib/analysis/compare_json.c). */
/* A finite number to 6 significant digits, or null. */
json_object *cmp_jnum(double v);
/* A string, or null for NULL. */
json_object *cmp_jstr(const char *s);

/* A cell's "phases" (lib/analysis/compare_phases_json.c). */
json_object *compare_phases_json(const struct pair_phases *p,
				 const struct report_opts *ro);

#endif
