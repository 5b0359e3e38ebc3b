// SPDX-License-Identifier: GPL-2.0
/*
 * What every bench does around its run, in one place: the common option
 * groups and the help, the parse (a bad value is one line and exit 2
 * before anything runs), the sinks opened before the first cell so that
 * a bad -o is found at once, the device a bench needs opened or warned
 * about, the measuring thread bound and calibrated, and at the end the
 * summary line, the files published, and exit 130 after a Ctrl-C with
 * the completed cells kept.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/bench.h"
#include "cli/cli.h"
#include "measure/clock.h"
#include "kernel/kstat.h"
#include "measure/runprep.h"
#include "measure/watchdog.h"

#define MAX_GROUPS 16

static size_t common_groups(const struct bench *b, struct bench_run *r,
			    struct sink_opts *so, struct opt_group *g)
{
	size_t n = 0;

	g[n++] = (struct opt_group){ b->opts_title, b->opts, b->o };
	g[n++] = (struct opt_group){ "Device", verbs_opt_table, &r->vo };
	if (b->measures)
		g[n++] = (struct opt_group){ "Measurement", measure_opt_table,
					     &r->m };
	if (b->breaks_down)
		g[n++] = (struct opt_group){ "Kernel-side breakdown",
					     breakdown_opt_table, &r->bd };
	g[n++] = (struct opt_group){ "Output", sink_opt_table, so };
	if (b->groups)
		n = b->groups(g, n, MAX_GROUPS - 2);
	g[n++] = (struct opt_group){ "Other", cli_opt_table, NULL };
	g[n] = (struct opt_group){ NULL };
	return n;
}

/*
 * Options and words in any order: getopt stops at each word, which the
 * bench takes, and parsing goes on after it (the word standing in for
 * argv[0]).
 */
static void parse(const struct bench *b, const struct opt_group *g, int argc,
		  char **argv)
{
	char err[512];
	int first;

	for (;;) {
		if ((first = opt_parse(argc, argv, g, err, sizeof(err))) < 0)
			cli_die(EXIT_USAGE, "%s", err);
		if (first >= argc)
			return;
		if (!b->word)
			cli_die(EXIT_USAGE,
				"unexpected argument '%s': options only, see --help",
				argv[first]);
		if (b->word(b->o, argv[first], err, sizeof(err)))
			cli_die(EXIT_USAGE, "%s", err);
		argv += first;
		argc -= first;
	}
}

/* The device if the bench needs one: without it, its cells that need
 * one are unsupported, or, if all of them do or one was named, no run. */
static void open_device(const struct bench *b, struct bench_run *r)
{
	enum bench_device need =
		b->device ? b->device(b->o) : BENCH_DEVICE_NONE;
	char err[512];
	int rc;

	r->env.verbs = NULL;
	if (need == BENCH_DEVICE_NONE)
		return;
	rc = verbs_open(&r->vo, &r->verbs, err, sizeof(err));
	if (rc == -1)
		cli_die(r->vo.dev_name ? EXIT_USAGE : EXIT_RUN_ERROR, "%s",
			err);
	/* No device at all: nothing of this bench can run here. */
	if (rc == -2 && (need == BENCH_DEVICE_ALL || r->vo.dev_name))
		cli_die(r->vo.dev_name ? EXIT_RUN_ERROR : EXIT_SKIP, "%s", err);
	if (rc) {
		cli_warn("%s; %s", err, b->no_device);
		return;
	}
	r->env.verbs = &r->verbs;
	runprep_device(&r->meta, &r->verbs);
}

static int run(const struct bench *b, struct bench_run *r)
{
	uint64_t start = clock_ns();
	int rc = b->setup ? b->setup(r) : 0;

	if (!rc && b->run(r))
		rc = EXIT_RUN_ERROR;
	cli_progress_done();
	fprintf(stderr, "%s: %u %s in %.1f s\n", cli_prog, r->done, b->unit,
		(double)(clock_ns() - start) / 1e9);
	return rc;
}

/*
 * The start gate, for a program that starts several benches to measure
 * at the same time (mrbench scale threads --procs): one byte to the fd
 * in BENCH_READY_ENV says this one is ready, then it waits until the
 * write end of the pipe in BENCH_GATE_ENV is closed. Both are closed and
 * unset, so that the bench's own children see neither.
 */
static void start_gate(void)
{
	const char *ready = getenv(BENCH_READY_ENV);
	const char *gate = getenv(BENCH_GATE_ENV);
	char c = 0;
	ssize_t n;

	if (ready) {
		if (write(atoi(ready), &c, 1) < 0)
			cli_warn("cannot say ready: %s", strerror(errno));
		close(atoi(ready));
		unsetenv(BENCH_READY_ENV);
	}
	if (gate) {
		while ((n = read(atoi(gate), &c, 1)) > 0 ||
		       (n < 0 && errno == EINTR && !measure_stop))
			;
		close(atoi(gate));
		unsetenv(BENCH_GATE_ENV);
	}
}

int bench_main(const struct bench *b, int argc, char **argv)
{
	static struct bench_run r;
	static char name[64], usage[1024];
	struct opt_group g[MAX_GROUPS];
	struct sink_opts so;
	char err[512];
	int rc;

	snprintf(name, sizeof(name), "mrbench-%s", b->name);
	cli_init(name);
	r.b = b;
	b->defaults(b->o);
	measure_opts_default(&r.m);
	breakdown_opts_default(&r.bd);
	verbs_opts_default(&r.vo);
	sink_opts_default(&so);
	so.view = b->view;
	common_groups(b, &r, &so, g);
	snprintf(usage, sizeof(usage), "usage: mrbench %s [OPTIONS]%s%s%s\n%s",
		 b->name, b->words ? " [" : "", b->words ? b->words : "",
		 b->words ? "...]" : "", b->usage);
	cli_set_help(usage, g);
	parse(b, g, argc, argv);
	if (b->listed && b->listed(b->o))
		return 0;
	/* From here on, a signal leaves whole results and nothing else. */
	cli_catch_signals();
	if (sinks_open(&so, &r.sinks, err, sizeof(err)))
		cli_die(EXIT_USAGE, "%s", err);
	r.so = &so;
	run_meta_init(&r.meta, argc, argv);
	/* A hang ends the run on the watchdog thread, into these. */
	watchdog_setup(b->measures ? r.m.op_timeout : 0, &r.meta, &r.sinks);
	kbuild_read(r.meta.kernel, &r.meta.kbuild);
	open_device(b, &r);
	if (b->measures) {
		runprep_measuring(&r.meta, r.env.verbs, r.m.cpu);
	} else {
		r.meta.timer_overhead_ns = measure_timer_overhead();
		r.meta.counters_exact = kstat_exact();
	}
	start_gate();
	rc = run(b, &r);
	if (!rc)
		rc = sinks_exit_status(&r.sinks);
	if (sinks_close(&r.sinks) && (!rc || rc > EXIT_USAGE))
		rc = EXIT_RUN_ERROR;
	if (b->teardown)
		b->teardown(&r);
	verbs_close(&r.verbs);
	run_meta_free(&r.meta);
	if (measure_stop)
		cli_die(EXIT_INTERRUPTED,
			"interrupted: the completed %s are saved", b->unit);
	return rc;
}

void bench_progress(struct bench_run *r, const char *what)
{
	cli_progress(++r->done, r->total, what);
}

int bench_emit(struct bench_run *r, const struct record *rec)
{
	json_object *j = record_to_json(&r->meta, rec);
	int rc = sinks_write(&r->sinks, j);

	json_object_put(j);
	return rc;
}

const char *bench_out(const struct bench_run *r)
{
	return r->so->out;
}

bool bench_human(const struct bench_run *r)
{
	return sink_opts_chose(r->so, "human");
}
