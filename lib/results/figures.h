/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_RESULTS_FIGURES_H
#define MRBENCH_RESULTS_FIGURES_H

#include <json-c/json.h>
#include <stddef.h>

#include "results/results.h"

/*
 * The timed figures of a cell, read from its record: registration and
 * deregistration with their samples, and the fault scenarios' own.
 * Each returns 0, or -1 with a message in err.
 */
int res_take_op(json_object *rec, json_object *samples, const char *key,
		struct results_cell *c, size_t *budget, char *err, size_t len);
int res_take_fault(json_object *rec, struct results_cell *c, char *err,
		   size_t len);
int res_first_run(struct results_cell *c);

#endif
