// SPDX-License-Identifier: GPL-2.0
/*
 * mrbench scale: how registration cost grows with the work, along one
 * axis at a time (lib/scale/): the region's size, the MRs already held,
 * the threads or processes registering at once.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/access.h"
#include "cli/bench.h"
#include "cli/cli.h"
#include "cli/size.h"
#include "scale/scale.h"

struct scale_main {
	struct scale_opts s;
	char *mem_buf;
	struct access_list access;
	bool list;
	const char *fit; /* --fit FILE: the model of records made before */
};

static int argc_saved;
static char **argv_saved;

#define ROW(n, k, a, h, t, f, ...) \
	OPT_ROW(n, k, a, h, t, struct scale_main, f, __VA_ARGS__)

static int set_mem(void *o, const char *arg, char *err, size_t errlen)
{
	struct scale_main *m = o;
	char *colon;

	free(m->mem_buf);
	m->mem_buf = strdup(arg);
	if (!m->mem_buf)
		return -1;
	colon = strchr(m->mem_buf, ':');
	if (colon)
		*colon = '\0';
	m->s.src = mem_source_find(m->mem_buf);
	m->s.src_arg = colon ? colon + 1 : NULL;
	if (!m->s.src || strchr(arg, ',')) {
		snprintf(
			err, errlen,
			"invalid memory source '%s': expected one, see 'mrbench reg --list'",
			arg);
		return -1;
	}
	return 0;
}

static int set_reg(void *o, const char *arg, char *err, size_t errlen)
{
	const struct registrar *g = registrar_find(arg);

	if (!g) {
		snprintf(
			err, errlen,
			"invalid registrar '%s': expected one, see 'mrbench reg --list'",
			arg);
		return -1;
	}
	((struct scale_main *)o)->s.reg = g;
	return 0;
}

static int set_access(void *o, const char *arg, char *err, size_t errlen)
{
	struct scale_main *m = o;

	if (access_list_parse(arg, &m->access, err, errlen))
		return -1;
	if (m->access.n != 1) {
		snprintf(err, errlen,
			 "invalid access set '%s': expected one set", arg);
		return -1;
	}
	m->s.access = m->access.v[0].flags;
	m->s.access_name = m->access.v[0].name;
	return 0;
}

static int set_prefault(void *o, const char *arg, char *err, size_t errlen)
{
	static const char *const names[] = { "no", "yes", "both" };

	for (int i = 0; i < 3; i++)
		if (!strcmp(arg, names[i])) {
			((struct scale_main *)o)->s.prefault = i;
			return 0;
		}
	snprintf(err, errlen, "invalid prefault '%s': expected yes, no or both",
		 arg);
	return -1;
}

/* A size option: one size, a whole number of base pages. */
static int set_size_in(uint64_t *dst, const char *arg, const char *what,
		       char *err, size_t errlen)
{
	uint64_t v;

	if (size_parse(arg, &v, err, errlen))
		return -1;
	if (!v || v % mem_base_page()) {
		snprintf(err, errlen,
			 "invalid %s '%s': expected a multiple of %zu bytes",
			 what, arg, mem_base_page());
		return -1;
	}
	*dst = v;
	return 0;
}

static int set_size(void *o, const char *arg, char *err, size_t errlen)
{
	return set_size_in(&((struct scale_main *)o)->s.size, arg, "size", err,
			   errlen);
}

static int set_max(void *o, const char *arg, char *err, size_t errlen)
{
	return set_size_in(&((struct scale_main *)o)->s.max, arg,
			   "largest size", err, errlen);
}

static int set_predict(void *o, const char *arg, char *err, size_t errlen)
{
	return set_size_in(&((struct scale_main *)o)->s.predict, arg,
			   "predicted size", err, errlen);
}

static int set_fit(void *o, const char *arg, char *err, size_t errlen)
{
	if (access(arg, R_OK)) {
		snprintf(err, errlen,
			 "invalid records file '%s': expected a readable JSON Lines file",
			 arg);
		return -1;
	}
	((struct scale_main *)o)->fit = arg;
	return 0;
}

static const struct opt scale_opt_table[] = {
	OPT_SET("mem", 'm', "SRC", "the memory source (anon)", set_mem),
	OPT_SET("reg", 'r', "REG", "the registrar (regular)", set_reg),
	OPT_SET("access", 0, "SET", "the access set (lw)", set_access),
	OPT_SET("prefault", 0, "WHEN",
		"touch pages before registering: yes, no, both (both)",
		set_prefault),
	OPT_SET("size", 's', "SIZE",
		"held, threads: each region's size (4K; threads 2M)", set_size),
	OPT_SET("max", 0, "SIZE",
		"size: the largest size (3/4 of MemAvailable, max_mr_size)",
		set_max),
	OPT_SET("predict", 0, "SIZE", "size: the size to predict (1T)",
		set_predict),
	ROW("max-held", 0, "N", "held: the most MRs held (100000)", OPT_UINT,
	    s.max_held, .lo = 1, .hi = 10000000, .what = "MR count"),
	ROW("max-threads", 0, "N",
	    "threads: the most threads or processes (2 x CPUs, at most 64)",
	    OPT_UINT, s.max_threads, .lo = 1, .hi = 64, .what = "thread count"),
	ROW("procs", 0, NULL, "threads: processes, one thread each", OPT_FLAG,
	    s.procs),
	ROW("runs", 0, "K",
	    "the sweep K times, each a fresh process (size: 3, else 1)",
	    OPT_UINT, s.runs, .lo = 1, .hi = 64, .what = "run count"),
	OPT_SET("fit", 0, "FILE",
		"size: the model of FILE's records (runs, boots), no measuring",
		set_fit),
	ROW("force", 0, NULL,
	    "try sizes over MemAvailable, RLIMIT_MEMLOCK or max_mr_size",
	    OPT_FLAG, s.force),
	ROW("list", 'l', NULL, "list the axes", OPT_FLAG, list),
	OPT_END,
};

static int word(void *o, const char *w, char *err, size_t errlen)
{
	const struct scale_axis *a = scale_axis_find(w);

	if (!a) {
		snprintf(err, errlen,
			 "invalid axis '%s': see 'mrbench scale --list'", w);
		return -1;
	}
	((struct scale_main *)o)->s.axis = a;
	return 0;
}

static bool listed(const void *v)
{
	const struct scale_main *m = v;

	if (!m->list)
		return false;
	for (const struct scale_axis *const *a = scale_axes; *a; a++)
		printf("  %-9s %s\n", (*a)->name, (*a)->help);
	return true;
}

/* --runs, or the axis's own count: the size axis's model wants three. */
static unsigned runs_of(const struct scale_opts *s)
{
	return s->runs ? s->runs : s->axis->runs ? s->axis->runs : 1;
}

/* The runs' parent registers nothing: its children open the device. */
static bool parent(const struct scale_opts *s)
{
	return runs_of(s) > 1 && !scale_is_run();
}

static enum bench_device device(const void *v)
{
	const struct scale_main *m = v;
	const struct scale_opts *s = &m->s;

	if (m->fit || parent(s) || !(s->reg->flags & REG_NEEDS_VERBS))
		return BENCH_DEVICE_NONE;
	return BENCH_DEVICE_ALL;
}

/* The model beside the records: STEM.model.json, written whole or not. */
static int write_doc(const char *stem, json_object *doc)
{
	char path[4096], tmp[4096 + 8];

	snprintf(path, sizeof(path), "%s.model.json", stem);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if (json_object_to_file_ext(tmp, doc, JSON_C_TO_STRING_PRETTY) ||
	    rename(tmp, path)) {
		cli_warn("cannot write %s: %s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

/* A key of the first point, or this run's value without points. */
static json_object *from_points(const struct scale_points *pts,
				const char *key, const char *here)
{
	json_object *v;

	if (pts->n && json_object_object_get_ex(pts->rec[0], key, &v) && v)
		return json_object_get(v);
	return json_object_new_string(here);
}

static int summarise(struct bench_run *r, const struct scale_opts *s,
		     const struct scale_points *pts)
{
	json_object *doc = json_object_new_object();
	FILE *f = bench_human(r) ? stdout : fopen("/dev/null", "w");
	int rc;

	json_object_object_add(doc, "schema",
			       json_object_new_string("mrbench-scale-model/1"));
	json_object_object_add(doc, "axis",
			       json_object_new_string(s->axis->name));
	json_object_object_add(doc, "mem",
			       json_object_new_string(s->src->name));
	json_object_object_add(doc, "reg",
			       json_object_new_string(s->reg->name));
	json_object_object_add(doc, "access",
			       json_object_new_string(s->access_name));
	/* Where the points were measured: a --fit file's are not here. */
	json_object_object_add(doc, "host", from_points(pts, "host", r->meta.host));
	json_object_object_add(doc, "kernel",
			       from_points(pts, "kernel", r->meta.kernel));
	rc = s->axis->summarise(s, pts, f, doc);
	if (f != stdout)
		fclose(f);
	if (!rc && bench_out(r))
		rc = write_doc(bench_out(r), doc);
	json_object_put(doc);
	return rc;
}

/*
 * --fit: the records of runs made before, in any number of processes or
 * boots, read instead of measured and written again to the sinks, as if
 * measured here; the source and registrar are theirs.
 */
static int fit_records(struct bench_run *r, struct scale_main *m,
		       struct scale_points *pts)
{
	json_object *v;
	int rc = 0;

	if (!m->s.axis->summarise)
		cli_die(EXIT_USAGE, "--fit: the %s axis has no model",
			m->s.axis->name);
	if (scale_points_read(m->fit, m->s.axis->name, pts))
		cli_die(EXIT_USAGE, "cannot read '%s': %s", m->fit,
			strerror(errno));
	if (!pts->n)
		cli_die(EXIT_USAGE, "no %s records in '%s'", m->s.axis->name,
			m->fit);
	if (json_object_object_get_ex(pts->rec[0], "mem", &v) &&
	    mem_source_find(json_object_get_string(v)))
		m->s.src = mem_source_find(json_object_get_string(v));
	if (json_object_object_get_ex(pts->rec[0], "reg", &v) &&
	    registrar_find(json_object_get_string(v)))
		m->s.reg = registrar_find(json_object_get_string(v));
	if (json_object_object_get_ex(pts->rec[0], "access", &v))
		m->s.access_name = json_object_get_string(v);
	for (size_t i = 0; i < pts->n; i++, r->done++)
		if (sinks_write(&r->sinks, pts->rec[i]))
			rc = EXIT_RUN_ERROR;
	return rc;
}

static int run(struct bench_run *r)
{
	struct scale_main *m = r->b->o;
	struct scale_opts *s = &m->s;
	struct scale_points pts = { 0 };
	int rc;

	s->runs = runs_of(s);
	if (m->fit)
		rc = fit_records(r, m, &pts);
	else if (parent(s))
		rc = scale_runs(r, s, argc_saved, argv_saved, &pts);
	else
		rc = s->axis->run(r, s, &pts);
	if (!rc && !scale_is_run() && s->axis->summarise && !measure_stop &&
	    summarise(r, s, &pts))
		rc = EXIT_RUN_ERROR;
	scale_points_free(&pts);
	return rc;
}

static void defaults(void *v)
{
	struct scale_main *m = v;
	char err[64];

	memset(m, 0, sizeof(*m));
	m->s.axis = scale_axes[0];
	m->s.src = mem_source_find("anon");
	m->s.reg = registrar_find("regular");
	access_list_parse("lw", &m->access, err, sizeof(err));
	m->s.access = m->access.v[0].flags;
	m->s.access_name = m->access.v[0].name;
	m->s.prefault = 2;
	m->s.predict = 1ULL << 40;
	m->s.max_held = 100000;
}

static void teardown(struct bench_run *r)
{
	free(((struct scale_main *)r->b->o)->mem_buf);
}

static struct scale_main opts;

static const struct bench scale_bench = {
	.name = "scale",
	.usage =
		"How registration cost grows with size, MRs held and threads.\n",
	.opts_title = "Scale",
	.opts = scale_opt_table,
	.o = &opts,
	.defaults = defaults,
	.word = word,
	.words = "size|held|threads",
	.measures = true,
	.device = device,
	.no_device = "cells that need it are unsupported",
	.listed = listed,
	.run = run,
	.teardown = teardown,
	.view = &view_cells,
	.unit = "cells",
};

int main(int argc, char **argv)
{
	argc_saved = argc;
	argv_saved = argv;
	return bench_main(&scale_bench, argc, argv);
}
