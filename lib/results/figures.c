// SPDX-License-Identifier: GPL-2.0
/*
 * The timed figures of a cell: registration and deregistration with
 * their raw samples as doubles, and the fault scenarios' own timings.
 * The samples kept are bounded per cell and per set.
 */
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/xalloc.h"
#include "results/results.h"
#include "results/figures.h"
#include "results/keys.h"
#include "measure/stats.h"

/*
 * Raw samples: an array of non-negative numbers. Beyond what the budget
 * allows, every k-th sample is kept, so the ones kept still span the
 * whole run rather than its beginning. One walk checks and keeps them;
 * a bad sample anywhere still refuses the line before running out of
 * memory is reported, as when the check came first.
 */
static int take_samples(json_object *arr, const char *key,
			struct results_op *op, size_t *budget, char *err,
			size_t len)
{
	size_t n, keep, step;

	if (json_object_get_type(arr) != json_type_array) {
		res_set_err(
			err, len,
			"expected \"samples.%s\" to be an array of numbers, got %s",
			key, res_type_name(arr));
		return -1;
	}
	n = json_object_array_length(arr);
	keep = n < RESULTS_MAX_SAMPLES ? n : RESULTS_MAX_SAMPLES;
	if (budget && keep > *budget)
		keep = *budget;
	op->samples = keep ? xmalloc(keep * sizeof(double)) : NULL;
	step = keep ? (n + keep - 1) / keep : 1;
	for (size_t i = 0; i < n; i++) {
		json_object *v = json_object_array_get_idx(arr, i);

		if (!res_is_num(v) || json_object_get_double(v) < 0) {
			res_set_err(
				err, len,
				"expected \"samples.%s\" to hold numbers >= 0, got %s at index %zu",
				key, v ? res_type_name(v) : "null", i);
			free(op->samples);
			op->samples = NULL;
			op->n = 0;
			return -1;
		}
		if (op->samples && op->n < keep && i % step == 0)
			op->samples[op->n++] = json_object_get_double(v);
	}
	if (keep && !op->samples) {
		res_set_err(err, len, "out of memory for %zu samples", keep);
		return -1;
	}
	if (budget)
		*budget -= op->n;
	return 0;
}

/* A new figure of the cell, named; NULL when the cell has no room. */
static struct results_op *new_op(struct results_cell *c, const char *name)
{
	struct results_op *op;

	if (c->nops == RESULTS_MAX_OPS)
		return NULL;
	op = &c->op[c->nops++];
	snprintf(op->name, sizeof(op->name), "%s", name);
	op->p50 = op->ci95_lo = op->ci95_hi = NAN;
	return op;
}

/* A figure stated as statistics: {"p50": .., "ci95_lo": .., ...}. */
static int take_stats(json_object *st, const char *key, struct results_op *op,
		      char *err, size_t len)
{
	if (!res_want_num(st, "p50", &op->p50, err, len) &&
	    !res_want_num(st, "ci95_lo", &op->ci95_lo, err, len) &&
	    !res_want_num(st, "ci95_hi", &op->ci95_hi, err, len))
		return 0;
	return res_nested_err(err, len, key);
}

int res_take_op(json_object *rec, json_object *samples, const char *key,
		struct results_cell *c, size_t *budget, char *err, size_t len)
{
	struct results_op *op = new_op(c, key);
	json_object *st, *arr;

	if (!op)
		return 0;
	/* reg_ns -> "reg": the name a report shows. */
	op->name[strcspn(op->name, "_")] = '\0';
	if (res_want_obj(rec, key, &st, err, len))
		return -1;
	if (st && take_stats(st, key, op, err, len))
		return -1;
	if (samples && json_object_object_get_ex(samples, key, &arr) && arr)
		return take_samples(arr, key, op, budget, err, len);
	return 0;
}

/*
 * A scenario's own timing, a number of ns or statistics with a p50
 * (fork_ns, action_ns, latency_ns.STATE); absent or null: no figure.
 */
static int take_figure(json_object *v, const char *key, const char *name,
		       struct results_cell *c, char *err, size_t len)
{
	struct results_op *op;

	if (!v)
		return 0;
	if (!res_is_num(v) && json_object_get_type(v) != json_type_object) {
		res_set_err(
			err, len,
			"expected \"%s\" to be a number, an object or null, got %s",
			key, res_type_name(v));
		return -1;
	}
	op = new_op(c, name);
	if (!op)
		return 0; /* beyond what a cell keeps: ignored */
	if (res_is_num(v)) {
		op->p50 = json_object_get_double(v);
		return 0;
	}
	return take_stats(v, key, op, err, len);
}

/* The fault scenarios' figures: fork_ns, action_ns, latency_ns.STATE. */
int res_take_fault(json_object *rec, struct results_cell *c, char *err,
		   size_t len)
{
	static const char *const plain[] = { "fork_ns", "action_ns" };
	json_object *lat;
	bool present;

	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
		char name[RESULTS_OP_NAME];

		snprintf(name, sizeof(name), "%.*s",
			 (int)strcspn(plain[i], "_"), plain[i]);
		if (take_figure(res_get(rec, plain[i], &present), plain[i],
				name, c, err, len))
			return -1;
	}
	if (res_want_obj(rec, "latency_ns", &lat, err, len))
		return -1;
	if (!lat)
		return 0;
	json_object_object_foreach(lat, state, v)
	{
		char key[RESULTS_OP_NAME + 16];

		snprintf(key, sizeof(key), "latency_ns.%s", state);
		if (strlen(state) >= RESULTS_OP_NAME) {
			res_set_err(
				err, len,
				"expected the states in \"latency_ns\" to have names of at most %d bytes",
				RESULTS_OP_NAME - 1);
			return -1;
		}
		if (take_figure(v, key, state, c, err, len))
			return -1;
	}
	return 0;
}

const struct results_op *results_op_find(const struct results_cell *c,
					 const char *name)
{
	for (unsigned i = 0; i < c->nops; i++)
		if (!strcmp(c->op[i].name, name))
			return &c->op[i];
	return NULL;
}

/* The record's own run: per figure, the median of its samples or its p50. */
int res_first_run(struct results_cell *c)
{
	for (unsigned i = 0; i < c->nops; i++) {
		struct results_op *op = &c->op[i];
		double v = op->n ? stats_median(op->samples, op->n) : op->p50;

		if (!(v > 0))
			continue; /* no figure, or one no ratio can use */
		op->runs = xmalloc(sizeof(*op->runs));
		op->runs[op->nruns++] = v;
	}
	return 0;
}
