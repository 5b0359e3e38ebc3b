// SPDX-License-Identifier: GPL-2.0
/*
 * mrbench fault: fault behaviour around registered memory. ODP faults
 * and invalidations timed through a loopback QP, and what pinned memory
 * does after MADV_DONTNEED, fork, mprotect and munmap, each with a
 * verdict; the scenarios live in lib/fault/.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "fault/fault.h"
#include "kstat.h"
#include "measure.h"
#include "topo.h"

#define MAX_SCEN 16

struct main_opts {
	struct fault_opts f;
	bool list;
};

static int parse_count(const char *arg, unsigned lo, unsigned hi, unsigned *out,
		       const char *what, char *err, size_t errlen)
{
	char *end;
	unsigned long v = strtoul(arg, &end, 10);

	if (end == arg || *end || *arg == '-' || v < lo || v > hi) {
		snprintf(
			err, errlen,
			"invalid %s '%s': expected a whole number from %u to %u",
			what, arg, lo, hi);
		return -1;
	}
	*out = (unsigned)v;
	return 0;
}

static int set_samples(void *o, const char *arg, char *err, size_t errlen)
{
	return parse_count(arg, 1, 4096, &((struct main_opts *)o)->f.samples,
			   "sample count", err, errlen);
}

static int set_reps(void *o, const char *arg, char *err, size_t errlen)
{
	return parse_count(arg, 1, 64, &((struct main_opts *)o)->f.fork_reps,
			   "fork repetition count", err, errlen);
}

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
	((struct main_opts *)o)->f.op_size = (uint32_t)v;
	return 0;
}

static int set_fork_sizes(void *o, const char *arg, char *err, size_t errlen)
{
	struct fault_opts *f = &((struct main_opts *)o)->f;

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
	((struct main_opts *)o)->f.mems = arg;
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
	return set_dir(arg, &((struct main_opts *)o)->f.ext4_dir, "--ext4", err,
		       errlen);
}

static int set_dax(void *o, const char *arg, char *err, size_t errlen)
{
	return set_dir(arg, &((struct main_opts *)o)->f.dax_dir, "--dax", err,
		       errlen);
}

static int set_list(void *o, const char *arg, char *err, size_t errlen)
{
	((struct main_opts *)o)->list = true;
	return 0;
}

static const struct opt fault_opt_table[] = {
	{ "mem", 'm', "LIST",
	  "odp-first-touch sources, as for mrbench reg (anon,thp,hugetlb-2m)",
	  set_mems },
	{ "samples", 'n', "N",
	  "pages sampled per state in the ODP scenarios (32)", set_samples },
	{ "op-size", 0, "SIZE", "bytes per RDMA operation (64)", set_op_size },
	{ "fork-sizes", 0, "LIST",
	  "pinned sizes for fork() latency (4K..64M:x4)", set_fork_sizes },
	{ "fork-reps", 0, "N", "forks timed per size (5)", set_reps },
	{ "ext4", 0, "DIR",
	  "refusals: a directory on ext4 (or xfs) for the shared-file cases",
	  set_ext4 },
	{ "dax", 0, "DIR", "refusals: a directory on an FS-DAX mount",
	  set_dax },
	{ "list", 'l', NULL, "list the scenarios", set_list },
	{ NULL },
};

/* The human table is ours (verdicts, not registration latencies). */
static bool take_human(struct sink_set *s)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->s[i].ops->name, "human")) {
			memmove(&s->s[i], &s->s[i + 1],
				(s->n - i - 1) * sizeof(s->s[0]));
			s->n--;
			return true;
		}
	return false;
}

static void open_device(struct fault_env *env, const struct verbs_opts *vo,
			struct verbs_ctx *v, struct loop_qp *q,
			struct run_meta *meta)
{
	char err[300];
	int rc = verbs_open(vo, v, err, sizeof(err));

	if (rc == -1)
		cli_die(vo->dev_name ? EXIT_USAGE : EXIT_RUN_ERROR, "%s", err);
	if (rc == -2) {
		cli_warn("%s; scenarios that need it are unsupported", err);
		snprintf(env->no_qp, sizeof(env->no_qp), "no RDMA device");
		return;
	}
	env->reg.verbs = v;
	snprintf(meta->device, sizeof(meta->device), "%s", v->dev_name);
	snprintf(meta->provider, sizeof(meta->provider), "%s", v->provider);
	snprintf(meta->transport, sizeof(meta->transport), "%s", v->transport);
	if (qp_open(q, v, vo->gid_index, 4096, env->no_qp, sizeof(env->no_qp)))
		cli_warn("no loopback QP: %s", env->no_qp);
	else
		env->qp = q;
}

/*
 * Options and scenario names in any order: getopt stops at each name,
 * which is kept, and parsing goes on after it (the name standing in for
 * argv[0]).
 */
static void parse_args(int argc, char **argv, const struct opt_group *groups,
		       const struct fault_scenario **pick, size_t *n)
{
	char err[512];
	int first;

	*n = 0;
	for (;;) {
		if ((first = opt_parse(argc, argv, groups, err, sizeof(err))) <
		    0)
			cli_die(EXIT_USAGE, "%s", err);
		if (first >= argc)
			break;
		if (!(pick[*n] = fault_scenario_find(argv[first])))
			cli_die(EXIT_USAGE,
				"unknown scenario '%s': see 'mrbench fault --list'",
				argv[first]);
		if (++*n == MAX_SCEN)
			cli_die(EXIT_USAGE, "too many scenarios: at most %d",
				MAX_SCEN);
		argv += first;
		argc -= first;
	}
	if (*n)
		return;
	for (const struct fault_scenario *const *s = fault_scenarios; *s; s++)
		pick[(*n)++] = *s;
}

static int run_all(struct fault_env *env, const struct fault_scenario **pick,
		   size_t n)
{
	int rc = 0;

	for (size_t i = 0; i < n && !rc && !measure_stop; i++) {
		cli_progress((unsigned)i + 1, (unsigned)n, pick[i]->name);
		if (pick[i]->flags & FAULT_NEEDS_QP && !env->qp)
			rc = fault_unsupported(env, pick[i]->name, NULL,
					       env->no_qp);
		else
			rc = pick[i]->run(env);
	}
	cli_progress_done();
	return rc;
}

int main(int argc, char **argv)
{
	struct main_opts o = { .f = { .samples = 32,
				      .op_size = 64,
				      .fork_reps = 5,
				      .mems = "anon,thp,hugetlb-2m" } };
	struct verbs_opts vo;
	struct sink_opts so;
	struct verbs_ctx verbs = { 0 };
	struct loop_qp qp;
	struct run_meta meta;
	struct sink_set sinks;
	struct fault_env env = {
		.o = &o.f, .meta = &meta, .sinks = &sinks, .vo = &vo
	};
	const struct opt_group groups[] = {
		{ "Scenarios", fault_opt_table, &o },
		{ "Device", verbs_opt_table, &vo },
		{ "Output", sink_opt_table, &so },
		{ "Other", cli_opt_table, NULL },
		{ NULL },
	};
	const struct fault_scenario *pick[MAX_SCEN];
	char err[512], self[4096];
	size_t n;
	ssize_t len;
	int rc;

	cli_init("mrbench-fault");
	verbs_opts_default(&vo);
	if (argc == 5 && !strcmp(argv[1], "--fork-init-child")) {
		/* ibv_fork_init must come before any other verbs call. */
		vo.dev_name = argv[2];
		vo.port = atoi(argv[3]);
		vo.gid_index = atoi(argv[4]);
		return fault_fork_init_child(&vo);
	}
	sink_opts_default(&so);
	size_list_parse("4K..64M:x4", &o.f.fork_sizes, err, sizeof(err));
	cli_set_help("usage: mrbench fault [OPTIONS] [SCENARIO...]\n"
		     "Fault behaviour of registered memory; every scenario by default.\n",
		     groups);
	parse_args(argc, argv, groups, pick, &n);
	if (o.list) {
		for (const struct fault_scenario *const *s = fault_scenarios;
		     *s; s++)
			printf("  %-16s %s\n", (*s)->name, (*s)->help);
		return 0;
	}
	/* From here on, a signal leaves whole results and nothing else. */
	cli_catch_signals();
	if (sinks_open(&so, &sinks, err, sizeof(err)))
		cli_die(EXIT_USAGE, "%s", err);
	env.human = take_human(&sinks);
	len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	self[len > 0 ? len : 0] = '\0';
	env.self = self;
	run_meta_init(&meta, argc, argv);
	open_device(&env, &vo, &verbs, &qp, &meta);
	meta.timer_overhead_ns = measure_timer_overhead();
	meta.counters_exact = kstat_exact();
	rc = run_all(&env, pick, n);
	if (sinks_close(&sinks) || rc)
		rc = EXIT_RUN_ERROR;
	if (env.qp)
		qp_close(env.qp);
	verbs_close(&verbs);
	run_meta_free(&meta);
	size_list_free(&o.f.fork_sizes);
	if (measure_stop)
		cli_die(EXIT_INTERRUPTED,
			"interrupted: the completed cases are saved");
	return rc;
}
