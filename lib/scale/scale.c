// SPDX-License-Identifier: GPL-2.0
/*
 * What every axis of mrbench scale shares: the list of axes, the points
 * kept for the summary, and the runs. The unit of variation is the run,
 * a process: a model fitted to one process's sweep says nothing of the
 * next, so with --runs K the sweep is made K times, each by a fresh
 * process of this program, and what the summary calls an interval is
 * the spread between those.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/child.h"
#include "cli/cli.h"
#include "cli/xalloc.h"
#include "measure/fit.h"
#include "scale/scale.h"

#define SCALE_AXIS(id) extern const struct scale_axis scale_##id;
#include "scale/list.h"
#undef SCALE_AXIS

const struct scale_axis *const scale_axes[] = {
#define SCALE_AXIS(id) &scale_##id,
#include "scale/list.h"
#undef SCALE_AXIS
	NULL,
};

const struct scale_axis *scale_axis_find(const char *name)
{
	for (const struct scale_axis *const *a = scale_axes; *a; a++)
		if (!strcmp((*a)->name, name))
			return *a;
	return NULL;
}

void scale_points_add(struct scale_points *pts, json_object *rec)
{
	if (pts->n == pts->cap) {
		pts->cap = pts->cap ? 2 * pts->cap : 64;
		pts->rec = xrealloc(pts->rec, pts->cap * sizeof(*pts->rec));
	}
	pts->rec[pts->n++] = rec;
}

uint64_t scale_room(void)
{
	return fit_meminfo("MemAvailable") / 4 * 3;
}

double scale_num(json_object *rec, const char *key, const char *sub)
{
	json_object *v;

	if (!rec || !json_object_object_get_ex(rec, key, &v) || !v)
		return NAN;
	if (sub && (!json_object_object_get_ex(v, sub, &v) || !v))
		return NAN;
	return json_object_get_double(v);
}

void scale_points_free(struct scale_points *pts)
{
	for (size_t i = 0; i < pts->n; i++)
		json_object_put(pts->rec[i]);
	free(pts->rec);
	*pts = (struct scale_points){ 0 };
}

/*
 * A point kept for the summary, without its raw samples: a cell's are up
 * to two arrays of 100000 numbers, some 10 MB as JSON objects, and a
 * sweep that kept them all would grow the harness with every point, the
 * very thing its rss says it does not do.
 */
static void keep(struct scale_points *pts, json_object *rec)
{
	json_object_object_del(rec, RECORD_SAMPLES);
	scale_points_add(pts, rec);
}

int scale_emit(struct bench_run *r, const struct record *rec,
	       struct scale_points *pts)
{
	json_object *j = record_to_json(&r->meta, rec);
	int rc = sinks_write(&r->sinks, j);

	/* A run of several reports through its file, not its points. */
	if (scale_is_run())
		json_object_put(j);
	else
		keep(pts, j);
	return rc;
}

void scale_cell(struct bench_run *r, const struct scale_opts *o,
		struct regcell *c)
{
	*c = (struct regcell){
		.src = o->src,
		.src_arg = o->src_arg,
		.reg = o->reg,
		.env = &r->env,
		.size = o->size,
		.access = o->access,
		.access_name = o->access_name,
		.prefault = o->prefault != 0,
		.threads = 1,
		.force = o->force,
	};
}

#define RUN_ENV "MRBENCH_SCALE_RUN"

bool scale_is_run(void)
{
	return getenv(RUN_ENV) != NULL;
}

/* One run: this program again, its records as JSON Lines into out. */
static int spawn(int argc, char **argv, long index, const char *out)
{
	char **v = xcalloc((size_t)argc + 8, sizeof(*v)), idx[24];
	pid_t pid;
	int n = 0;

	v[n++] = "/proc/self/exe";
	for (int i = 1; i < argc; i++)
		v[n++] = argv[i];
	/* Later options win: one run, its records to a file only. */
	v[n++] = "--runs";
	v[n++] = "1";
	v[n++] = "-f";
	v[n++] = "json";
	v[n++] = "-o";
	v[n++] = (char *)out;
	snprintf(idx, sizeof(idx), "%ld", index);
	pid = child_fork(0);
	if (pid == 0) {
		setenv("MRBENCH_RUN_INDEX", idx, 1);
		setenv(RUN_ENV, "1", 1);
		execv(v[0], v);
		_exit(127);
	}
	free(v);
	return pid < 0 ? EXIT_RUN_ERROR : child_wait_forwarding(pid);
}

/* A run's records to the sinks and into pts; -1 when one was lost. */
static int collect(struct bench_run *r, const char *path,
		   struct scale_points *pts)
{
	char *line = NULL;
	size_t cap = 0;
	int rc = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return 0; /* a run that wrote nothing */
	while (getline(&line, &cap, f) > 0) {
		json_object *rec = json_tokener_parse(line);

		if (!rec)
			continue; /* a run's own file is whole: never here */
		if (sinks_write(&r->sinks, rec))
			rc = -1;
		keep(pts, rec);
		r->done++;
	}
	free(line);
	fclose(f);
	return rc;
}

int scale_runs(struct bench_run *r, const struct scale_opts *o, int argc,
	       char **argv, struct scale_points *pts)
{
	char dir[] = "/tmp/mrbench-scale-XXXXXX", out[64], path[80];
	int st = 0;

	if (!mkdtemp(dir))
		cli_die(EXIT_RUN_ERROR, "cannot make a directory in /tmp: %s",
			strerror(errno));
	for (unsigned k = 0; k < o->runs && !measure_stop; k++) {
		int rc;

		fprintf(stderr, "%s: run %u of %u ...\n", cli_prog, k + 1,
			o->runs);
		snprintf(out, sizeof(out), "%s/run-%u", dir, k);
		rc = spawn(argc, argv, r->meta.on.run_index + k, out);
		snprintf(path, sizeof(path), "%s.jsonl", out);
		if (collect(r, path, pts))
			st = EXIT_RUN_ERROR;
		unlink(path);
		/* Skipped or unexpected cells are results; others end it. */
		if (rc && rc != EXIT_SKIP && rc != EXIT_UNEXPECTED) {
			st = rc;
			break;
		}
	}
	rmdir(dir);
	return st;
}

int scale_points_read(const char *path, const char *axis,
		      struct scale_points *pts)
{
	char *line = NULL;
	size_t cap = 0, n = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (getline(&line, &cap, f) > 0) {
		json_object *rec = json_tokener_parse(line), *v;

		n++;
		if (rec && json_object_object_get_ex(rec, "axis", &v) &&
		    !strcmp(json_object_get_string(v), axis)) {
			scale_points_add(pts, rec);
			continue;
		}
		if (!rec)
			cli_warn("%s: line %zu is not a JSON object: left out",
				 path, n);
		json_object_put(rec);
	}
	free(line);
	fclose(f);
	return 0;
}
