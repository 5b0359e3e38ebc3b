/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_SCALE_SIZE_MODEL_H
#define MRBENCH_SCALE_SIZE_MODEL_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdio.h>

#include "scale/model.h"
#include "scale/scale.h"

#define SIZE_MAX_RUNS	64
#define SIZE_MAX_POINTS 64

/* One operation's model in one mode, a fit for every run. */
struct size_fits {
	bool prefault;
	const char *op; /* "reg_ns", "dereg_ns" */
	struct model_fit run[SIZE_MAX_RUNS];
	long index[SIZE_MAX_RUNS];
	double largest[SIZE_MAX_RUNS]; /* pages */
	size_t nruns;
};

/* Each run's ok points of fd's mode and operation, fitted into fd. */
void size_fit_runs(const struct scale_points *pts, struct size_fits *fd);

/* The size axis's summary: the model table, and the model into doc. */
int size_summarise(const struct scale_opts *o, const struct scale_points *pts,
		   FILE *f, json_object *doc);

#endif
