// SPDX-License-Identifier: GPL-2.0
/*
 * mrbench fault: fault behaviour around registered memory. ODP faults
 * and invalidations timed through a loopback QP, and what pinned memory
 * does after MADV_DONTNEED, fork, mprotect and munmap, each with a
 * verdict; the scenarios live in lib/fault/.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/bench.h"
#include "cli/cli.h"
#include "fault/fault.h"
#include "kernel/kstat.h"
#include "measure/measure.h"
#include "rdma/topo.h"

#define MAX_SCEN 32

struct fault_main {
	struct fault_opts f;
	bool list;
	const struct fault_scenario *pick[MAX_SCEN];
	size_t npick;
};

#define ROW(n, k, a, h, t, f, ...) \
	OPT_ROW(n, k, a, h, t, struct fault_main, f, __VA_ARGS__)

static int set_op_size(void *o, const char *arg, char *err, size_t errlen)
{
	uint64_t v;

	if (size_parse(arg, &v, err, errlen))
		return -1;
	if (v < 8 || v > 4096) {
		snprintf(err, errlen,
			 "invalid operation size '%s': expected 8 to 4K bytes",
			 arg);
		return -1;
	}
	((struct fault_main *)o)->f.op_size = (uint32_t)v;
	return 0;
}

static int set_fork_sizes(void *o, const char *arg, char *err, size_t errlen)
{
	struct fault_opts *f = &((struct fault_main *)o)->f;

	size_list_free(&f->fork_sizes);
	if (size_list_parse(arg, &f->fork_sizes, err, errlen))
		return -1;
	if (f->fork_sizes.n > 32) {
		snprintf(err, errlen,
			 "invalid fork sizes '%s': at most 32 sizes", arg);
		return -1;
	}
	return 0;
}

static int set_mems(void *o, const char *arg, char *err, size_t errlen)
{
	if (fault_mems_check(arg, err, errlen))
		return -1;
	((struct fault_main *)o)->f.mems = arg;
	return 0;
}

static int set_dir(const char *arg, const char **out, const char *what,
		   char *err, size_t errlen)
{
	if (access(arg, W_OK)) {
		snprintf(
			err, errlen,
			"invalid %s directory '%s': expected a writable directory",
			what, arg);
		return -1;
	}
	*out = arg;
	return 0;
}

static int set_ext4(void *o, const char *arg, char *err, size_t errlen)
{
	return set_dir(arg, &((struct fault_main *)o)->f.ext4_dir, "--ext4",
		       err, errlen);
}

static int set_dax(void *o, const char *arg, char *err, size_t errlen)
{
	return set_dir(arg, &((struct fault_main *)o)->f.dax_dir, "--dax", err,
		       errlen);
}

static int set_stall_dev(void *o, const char *arg, char *err, size_t errlen)
{
	struct stat st;

	if (stat(arg, &st) || !S_ISBLK(st.st_mode) || access(arg, W_OK)) {
		snprintf(
			err, errlen,
			"invalid --stall-dev '%s': expected a writable block device",
			arg);
		return -1;
	}
	((struct fault_main *)o)->f.stall_dev = arg;
	return 0;
}

static const struct opt fault_opt_table[] = {
	OPT_SET("mem", 'm', "LIST",
		"odp-first-touch sources, as for mrbench reg (anon,thp,hugetlb-2m)",
		set_mems),
	ROW("samples", 'n', "N", "pages sampled per state in the ODP scenarios (32)",
	    OPT_UINT, f.samples, .lo = 1, .hi = 4096, .what = "sample count"),
	OPT_SET("op-size", 0, "SIZE", "bytes per RDMA operation (64)",
		set_op_size),
	OPT_SET("fork-sizes", 0, "LIST",
		"pinned sizes for fork() latency (4K..64M:x4)", set_fork_sizes),
	ROW("fork-reps", 0, "N", "forks timed per size (5)", OPT_UINT,
	    f.fork_reps, .lo = 1, .hi = 64, .what = "fork repetition count"),
	OPT_SET("ext4", 0, "DIR",
		"refusals: a directory on ext4 (or xfs) for the shared-file cases",
		set_ext4),
	OPT_SET("dax", 0, "DIR", "refusals: a directory on an FS-DAX mount",
		set_dax),
	ROW("quick", 0, NULL,
	    "leave out the slow scenarios (tens of seconds each) unless named",
	    OPT_FLAG, f.quick),
	OPT_SET("stall-dev", 0, "DEV",
		"offline, cma-alloc: a block device they may overwrite (brd's /dev/ram0) for the stalled O_DIRECT write; else a file in --ext4 DIR",
		set_stall_dev),
	ROW("list", 'l', NULL, "list the scenarios", OPT_FLAG, list),
	OPT_END,
};

/* Scenario names among the options; none named: every scenario. */
static int pick(void *o, const char *word, char *err, size_t errlen)
{
	struct fault_main *m = o;

	if (!(m->pick[m->npick] = fault_scenario_find(word))) {
		snprintf(err, errlen,
			 "unknown scenario '%s': see 'mrbench fault --list'",
			 word);
		return -1;
	}
	if (++m->npick == MAX_SCEN) {
		snprintf(err, errlen, "too many scenarios: at most %d",
			 MAX_SCEN);
		return -1;
	}
	return 0;
}

static bool listed(const void *o)
{
	if (!((const struct fault_main *)o)->list)
		return false;
	for (const struct fault_scenario *const *s = fault_scenarios; *s; s++)
		printf("  %-16s %s%s\n", (*s)->name, (*s)->help,
		       (*s)->flags & FAULT_SLOW ? " (slow: not with --quick)" : "");
	return true;
}

static enum bench_device device(const void *o)
{
	return BENCH_DEVICE_SOME;
}

static struct fault_env env;
static struct loop_qp qp;
static char self[4096];

/* The loopback QP the data-path scenarios move data through. */
static int setup(struct bench_run *r)
{
	struct fault_main *m = r->b->o;
	ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);

	self[len > 0 ? len : 0] = '\0';
	env = (struct fault_env){ .o = &m->f, .reg = r->env, .meta = &r->meta,
				  .sinks = &r->sinks, .self = self,
				  .vo = &r->vo };
	if (!r->env.verbs)
		snprintf(env.no_qp, sizeof(env.no_qp), "no RDMA device");
	else if (qp_open(&qp, r->env.verbs, r->vo.gid_index, 4096, env.no_qp,
			 sizeof(env.no_qp)))
		cli_warn("no loopback QP: %s", env.no_qp);
	else
		env.qp = &qp;
	if (!m->npick)
		for (const struct fault_scenario *const *s = fault_scenarios; *s;
		     s++)
			if (!(m->f.quick && (*s)->flags & FAULT_SLOW))
				m->pick[m->npick++] = *s;
	r->total = (unsigned)m->npick;
	return 0;
}

static int run_all(struct bench_run *r)
{
	struct fault_main *m = r->b->o;
	int rc = 0;

	for (size_t i = 0; i < m->npick && !rc && !measure_stop; i++) {
		bench_progress(r, m->pick[i]->name);
		if (m->pick[i]->flags & FAULT_NEEDS_QP && !env.qp)
			rc = fault_unsupported(&env, m->pick[i]->name, NULL,
					       env.no_qp);
		else
			rc = m->pick[i]->run(&env);
	}
	return rc;
}

static void teardown(struct bench_run *r)
{
	if (env.qp)
		qp_close(env.qp);
	size_list_free(&((struct fault_main *)r->b->o)->f.fork_sizes);
}

static void defaults(void *o)
{
	struct fault_main *m = o;
	char err[64];

	*m = (struct fault_main){ .f = { .samples = 32, .op_size = 64,
					 .fork_reps = 5,
					 .mems = "anon,thp,hugetlb-2m" } };
	size_list_parse("4K..64M:x4", &m->f.fork_sizes, err, sizeof(err));
}

/* What came out, and why when it was not a clean measurement. */
static void figures(json_object *flat, char *buf, size_t len)
{
	const char *fig = view_str(flat, "figures"), *why = view_str(flat, "reason"),
		   *err = view_str(flat, "errno");

	if (*fig && !strcmp(view_str(flat, "status"), "ok"))
		snprintf(buf, len, "%s", fig);
	else
		snprintf(buf, len, "%s%s%s%s%s", fig, *fig && *why ? "; " : "",
			 err, *err && *why ? ": " : "", why);
}

static const struct column fault_columns[] = {
	COL("SCENARIO", -15, "scenario", COL_TEXT),
	COL("CASE", -21, "case", COL_TEXT),
	COL("MEM", -12, "mem", COL_TEXT),
	COL("REG", -12, "reg", COL_TEXT),
	COL("STATUS", -11, "status", COL_TEXT),
	COL("VERDICT", -26, "verdict", COL_TEXT),
	COL("AS-EX", -5, "as_expected", COL_YESNO_LOUD),
	COL_FN("FIGURES / REASON", 0, figures),
	COL_END,
};

static const struct view fault_view = { .cols = fault_columns };

static struct fault_main opts;

static const struct bench fault_bench = {
	.name = "fault",
	.usage = "Fault behaviour of registered memory; every scenario by default.\n",
	.opts_title = "Scenarios",
	.opts = fault_opt_table,
	.o = &opts,
	.defaults = defaults,
	.word = pick,
	.words = "SCENARIO",
	.device = device,
	.no_device = "scenarios that need it are unsupported",
	.listed = listed,
	.setup = setup,
	.run = run_all,
	.teardown = teardown,
	.view = &fault_view,
	.unit = "scenarios",
};

int main(int argc, char **argv)
{
	struct verbs_opts vo;

	/* A re-executed child: ibv_fork_init before any other verbs call. */
	if (argc == 5 && !strcmp(argv[1], "--fork-init-child")) {
		cli_init("mrbench-fault");
		verbs_opts_default(&vo);
		vo.dev_name = argv[2];
		vo.port = atoi(argv[3]);
		vo.gid_index = atoi(argv[4]);
		return fault_fork_init_child(&vo);
	}
	return bench_main(&fault_bench, argc, argv);
}
