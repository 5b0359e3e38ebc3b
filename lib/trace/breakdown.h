/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_BREAKDOWN_H
#define MRBENCH_BREAKDOWN_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>

#include "cli/opt.h"
#include "measure/measure.h"

struct breakdown_opts {
	bool on;
	unsigned ops; /* traced pairs per cell */
	const char *events; /* write the traced events here (for tests) */
};

extern const struct opt breakdown_opt_table[];
void breakdown_opts_default(struct breakdown_opts *o);

/* What a cell hands the traced pass. */
struct breakdown_cell {
	const struct measure_pair_ops *ops;
	void *arg;
	const char *const *entry; /* the registrar's kernel entry functions */
	size_t pages; /* for the trace buffer's size */
	double untraced_a, untraced_b; /* the timed loop's medians, ns */
	const char *label; /* names the cell in the events file */
};

/*
 * After a cell's timed loop: o->ops pairs of operations traced, each
 * split into phases, and the means as the "phases" object in extra;
 * or "phases": {"unsupported": reason} when this machine cannot trace.
 * The traced pairs are never among the timed ones.
 */
void breakdown_run(const struct breakdown_opts *o,
		   const struct breakdown_cell *c, json_object *extra);

#endif
