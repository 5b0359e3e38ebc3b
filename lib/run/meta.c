// SPDX-License-Identifier: GPL-2.0
/*
 * meta.json: where and how the set was measured (from its first record
 * and this machine), and every step of every run it holds, with how each
 * ended, so that a partial set says so.
 */
#include <stdio.h>

#include "kernel/machine.h"
#include "measure/measure.h"
#include "out/record.h"
#include "run/run.h"

static json_object *copy_key(json_object *from, const char *key)
{
	json_object *v;

	return from && json_object_object_get_ex(from, key, &v) ? json_object_get(v) : NULL;
}

/*
 * What the harness held beside the regions, over every cell: the least
 * and the most, and the largest region among them, to show it flat.
 */
static json_object *harness_json(const struct tally *t)
{
	json_object *o;

	if (!t->harness_cells)
		return NULL;
	o = json_object_new_object();
	json_object_object_add(o, "min", json_object_new_int64(t->harness_min));
	json_object_object_add(o, "max", json_object_new_int64(t->harness_max));
	json_object_object_add(o, "cells",
			       json_object_new_int64((int64_t)t->harness_cells));
	json_object_object_add(o, "largest_region_bytes",
			       json_object_new_int64(t->harness_size));
	return o;
}

int write_meta(const struct run *run, const struct tally *t, double seconds)
{
	const struct step_result *r = run->r;
	const struct prior *pr = &run->pr;
	size_t nr = run->nr;
	json_object *old = NULL;

	/* The build, library and firmware too: what compare warns about
	 * when two sets differ in it, readable without the records. */
	static const char *const from_record[] = {
		"kernel",	  "kernel_build_id",
		"kernel_config",  "host",
		"device",	  "provider",
		"transport",	  "firmware",
		"libibverbs",	  "libibverbs_runtime", "mrbench_version",
		"binding",	  "calibration",
		"counters_exact", NULL
	};
	json_object *m = json_object_new_object(), *s = json_object_new_array();
	struct run_meta rm;
	char path[PATH_MAX + 32], why[PATH_MAX + 32];
	int rc, failed = 0;

	run_meta_init(&rm, run->argc, run->argv);
	json_object_object_add(m, "schema", json_object_new_string(MRBENCH_SCHEMA));
	json_object_object_add(m, "run_id", json_object_new_string(run->id));
	json_object_object_add(m, "time", json_object_new_string(rm.time));
	json_object_object_add(m, "cmdline", json_object_new_string(rm.cmdline));
	for (const char *const *k = from_record; *k; k++)
		json_object_object_add(m, *k, copy_key(t->first, *k));
	json_object_object_add(m, "machine", machine_json());
	json_object_object_add(m, "rxe_added", run->rxe_made[0] ?
				json_object_new_string(run->rxe_made) : NULL);
	json_object_object_add(m, "runs", json_object_new_int64(run->runs));
	json_object_object_add(m, "harness_rss_bytes", harness_json(t));
	/* An added run keeps the earlier runs' steps on record. */
	if (pr->meta && json_object_object_get_ex(pr->meta, "steps", &old) &&
	    json_object_is_type(old, json_type_array))
		for (size_t i = 0; i < json_object_array_length(old); i++)
			json_object_array_add(s, json_object_get(
				json_object_array_get_idx(old, i)));
	for (size_t i = 0; i < nr; i++) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "bench", json_object_new_string(r[i].s->bench));
		json_object_object_add(o, "run_index", json_object_new_int64(r[i].run_index));
		json_object_object_add(o, "exit", r[i].status < 0 ? NULL :
					json_object_new_int(r[i].status));
		json_object_object_add(o, "records", json_object_new_int64((int64_t)r[i].records));
		json_object_object_add(o, "seconds", json_object_new_double(r[i].seconds));
		json_object_object_add(o, "error",
				       step_error(&r[i], why, sizeof(why)) ?
					       json_object_new_string(why) :
					       NULL);
		failed += step_failed(&r[i]);
		json_object_array_add(s, o);
	}
	json_object_object_add(m, "interrupted",
			       json_object_new_boolean(measure_stop != 0));
	json_object_object_add(m, "failed_steps", json_object_new_int(failed));
	json_object_object_add(m, "steps", s);
	json_object_object_add(m, "elapsed_s", json_object_new_double(seconds));
	snprintf(path, sizeof(path), "%s/meta.json", run->partial);
	rc = json_object_to_file_ext(path, m, JSON_C_TO_STRING_PRETTY);
	json_object_put(m);
	run_meta_free(&rm);
	return rc;
}
