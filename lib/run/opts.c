// SPDX-License-Identifier: GPL-2.0
/*
 * The options of mrbench run, and what mrbench vm says through the
 * environment: checked as they are read, so that a bad one stops the
 * run before anything is measured.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#include "cli/xalloc.h"
#include "cli/cli.h"
#include "cli/quote.h"
#include "out/record.h"
#include "run/run.h"
#include "rdma/verbs.h"

/* A file or DAX directory, so that both fit reg's list of sources. */
#define DIR_MAX 400

static int set_quick(void *o, const char *a, char *e, size_t l)
{
	((struct run_opts *)o)->full = false;
	return 0;
}

static int set_id(void *o, const char *a, char *e, size_t l)
{
	if (!*a || strchr(a, '/') || a[0] == '.') {
		snprintf(e, l, "invalid run id '%s': expected a name without '/' or a leading '.'", a);
		return -1;
	}
	((struct run_opts *)o)->id = a;
	return 0;
}

/* Checked now: a device that is not there would fail every step alike. */
static int set_dev(void *o, const char *a, char *e, size_t l)
{
	if (!*a) {
		snprintf(e, l,
			 "invalid RDMA device '': expected a device name");
		return -1;
	}
	if (verbs_find(a, e, l))
		return -1;
	((struct run_opts *)o)->dev = a;
	return 0;
}

/*
 * The directory goes into reg's comma-separated list of memory sources
 * (file:DIR): a comma in it would make another source of the rest.
 */
static int set_dir(const char **dst, const char *a, const char *what, char *e, size_t l)
{
	struct stat st;
	char q[PATH_MAX];

	quote(q, sizeof(q), a, strlen(a));
	if (strchr(a, ',')) {
		snprintf(
			e, l,
			"invalid %s '%s': a ',' would split the list of memory sources",
			what, q);
		return -1;
	}
	if (strlen(a) > DIR_MAX) {
		snprintf(e, l, "invalid %s '%.64s...': longer than %d bytes",
			 what, q, DIR_MAX);
		return -1;
	}
	if (stat(a, &st) || !S_ISDIR(st.st_mode)) {
		snprintf(e, l,
			 "invalid %s '%s': expected an existing directory",
			 what, q);
		return -1;
	}
	*dst = a;
	return 0;
}

static int set_file_dir(void *o, const char *a, char *e, size_t l)
{
	return set_dir(&((struct run_opts *)o)->file_dir, a, "file directory", e, l);
}

static int set_dax_dir(void *o, const char *a, char *e, size_t l)
{
	return set_dir(&((struct run_opts *)o)->dax_dir, a, "DAX directory", e, l);
}

static int set_only(void *o, const char *a, char *e, size_t l)
{
	struct run_opts *r = o;
	char *dup = xstrdup(a), *save = NULL, q[128];

	r->only = 0;
	for (char *t = strtok_r(dup, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		size_t i;

		for (i = 0; i < nsteps && strcmp(t, steps[i].bench); i++)
			;
		if (i == nsteps) {
			snprintf(
				e, l,
				"invalid bench '%s': expected reg, migrate or fault",
				quote(q, sizeof(q), t, strlen(t)));
			free(dup);
			return -1;
		}
		r->only |= 1u << i;
	}
	free(dup);
	/* Nothing to run would make an empty set that looks like a result. */
	if (!r->only) {
		snprintf(
			e, l,
			"invalid bench list '%s': expected reg, migrate or fault",
			quote(q, sizeof(q), a, strlen(a)));
		return -1;
	}
	return 0;
}

#define ROW(n, k, a, h, t, f, ...) \
	OPT_ROW(n, k, a, h, t, struct run_opts, f, __VA_ARGS__)

static const struct opt run_opt_table[] = {
	OPT_SET("quick", 'q', NULL,
		"the quick suite: a few cells per bench (default)", set_quick),
	ROW("full", 0, NULL, "the full suite: every source, registrar and size",
	    OPT_FLAG, full),
	ROW("output", 'o', "DIR", "where result sets go (results)", OPT_STR, out),
	OPT_SET("id", 0, "ID", "the result set's name (DATE-KERNEL)", set_id),
	OPT_SET("ib-dev", 'd', "DEV", "RDMA device, passed to every bench",
		set_dev),
	OPT_SET("file-dir", 0, "DIR",
		"add file:DIR cells (a disk filesystem: ext4, xfs)", set_file_dir),
	OPT_SET("dax-dir", 0, "DIR", "add dax:DIR cells (an FS-DAX mount)",
		set_dax_dir),
	OPT_SET("only", 0, "LIST", "run only these benches: reg, migrate, fault",
		set_only),
	ROW("runs", 'N', "N",
	    "run the suite N times, each bench a new process each time (1)",
	    OPT_UINT, runs, .lo = 1, .hi = 1000, .what = "run count"),
	ROW("add", 0, NULL,
	    "add the runs to the set --id when it exists (one set, many boots)",
	    OPT_FLAG, add),
	ROW("no-plot", 0, NULL,
	    "leave plotting for later (default inside mrbench vm)", OPT_FLAG,
	    no_plot),
	ROW("no-rxe", 0, NULL,
	    "without an RDMA device, do not add a soft-RoCE one for the run",
	    OPT_FLAG, no_rxe),
	OPT_END,
};

static void default_id(char *buf, size_t len)
{
	struct run_meta m;
	struct utsname u;

	run_meta_init(&m, 0, NULL);
	uname(&u);
	snprintf(buf, len, "%.16s-%s", m.run_id, u.release);
	run_meta_free(&m);
}

void run_parse(struct run *run, int argc, char **argv)
{
	/* Static: the help text reads them whenever --help comes. */
	static struct opt_group g[] = {
		{ "Options", run_opt_table, NULL },
		{ "Other", cli_opt_table, NULL },
		{ NULL },
	};
	struct run_opts *o = &run->o;
	const char *env_id = getenv("MRBENCH_RUN_ID");
	char err[512];
	int first;

	*o = (struct run_opts){ .out = "results", .runs = 1 };
	g[0].owner = o;
	run->argc = argc;
	run->argv = argv;
	/* mrbench vm --profile pmem says where its ext4 and DAX mounts are. */
	if (getenv("MRBENCH_FILE_DIR") && *getenv("MRBENCH_FILE_DIR") &&
	    set_file_dir(o, getenv("MRBENCH_FILE_DIR"), err, sizeof(err)))
		cli_die(EXIT_USAGE, "MRBENCH_FILE_DIR: %s", err);
	if (getenv("MRBENCH_DAX_DIR") && *getenv("MRBENCH_DAX_DIR") &&
	    set_dax_dir(o, getenv("MRBENCH_DAX_DIR"), err, sizeof(err)))
		cli_die(EXIT_USAGE, "MRBENCH_DAX_DIR: %s", err);
	cli_set_help("usage: mrbench run [OPTIONS]\n"
		     "Run the standard suite into a result set DIR/ID/.\n", g);
	first = opt_parse(argc, argv, g, err, sizeof(err));
	if (first < 0)
		cli_die(EXIT_USAGE, "%s", err);
	if (first < argc)
		cli_die(EXIT_USAGE, "unexpected argument '%s': options only, see --help",
			argv[first]);
	/* mrbench vm --runs names one set per kernel; each boot adds to it. */
	if (!o->id && env_id && *env_id) {
		char e[256];

		if (set_id(o, env_id, e, sizeof(e)))
			cli_die(EXIT_USAGE, "MRBENCH_RUN_ID: %s", e);
		o->add = true;
	}
	if (o->add && !o->id)
		cli_die(EXIT_USAGE, "--add needs the set to add to: --id ID");
	if (o->id)
		snprintf(run->id, sizeof(run->id), "%s", o->id);
	else
		default_id(run->id, sizeof(run->id));
}
