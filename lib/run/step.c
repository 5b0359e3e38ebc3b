// SPDX-License-Identifier: GPL-2.0
/*
 * The steps of a run: each bench program runs as its own process, in a
 * process group of its own, writing JSON Lines into the partial
 * directory; what it left and how it ended are kept for the summary.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/child.h"
#include "cli/cli.h"
#include "measure/clock.h"
#include "cli/execdir.h"
#include "measure/measure.h"
#include "run/run.h"

void step_file(const char *dir, const struct step_result *r, char *buf,
	       size_t len)
{
	snprintf(buf, len, "%s/%s-%ld.jsonl", dir, r->s->bench, r->run_index);
}

/* Whether a step left a record to merge. */
bool step_has_records(const char *dir, const struct step_result *r)
{
	char path[PATH_MAX + 32];
	struct stat st;

	step_file(dir, r, path, sizeof(path));
	return !stat(path, &st) && st.st_size > 0;
}

/* Why a step did not end well, or NULL when it did. */
const char *step_error(const struct step_result *r, char *buf, size_t len)
{
	if (!r->status || r->status == EXIT_SKIP ||
	    r->status == EXIT_UNEXPECTED)
		return NULL;
	if (r->status < 0)
		snprintf(buf, len, "not run: no program %s", r->prog);
	else if (r->status == EXIT_INTERRUPTED)
		snprintf(buf, len, "interrupted");
	else if (r->status > 128)
		snprintf(buf, len, "killed by signal %d (%s)", r->status - 128,
			 strsignal(r->status - 128));
	else
		snprintf(buf, len, "exited with status %d", r->status);
	return buf;
}

/* An interrupted step is the run's interruption, not a failure; nor is
 * a bench whose cells could not run here, or whose verdicts the records
 * carry. */
bool step_failed(const struct step_result *r)
{
	return r->status && r->status != EXIT_INTERRUPTED &&
	       r->status != EXIT_SKIP && r->status != EXIT_UNEXPECTED;
}

static int run_step(const struct run_opts *o, const struct step *s,
		    const char *dir, struct step_result *r)
{
	char *prog = r->prog, out[PATH_MAX + 32], idx[24];
	struct argv_buf a = { 0 };
	uint64_t t0 = clock_ns();
	pid_t pid;

	r->s = s;
	r->status = -1;
	if (exec_program(s->bench, prog, sizeof(r->prog)))
		return 0;
	step_file(dir, r, out, sizeof(out));
	snprintf(idx, sizeof(idx), "%ld", r->run_index);
	push(&a, prog);
	s->args(o, &a);
	if (o->dev) {
		push(&a, "-d");
		push(&a, o->dev);
	}
	push(&a, "-f");
	push(&a, "json");
	push(&a, "-o");
	push(&a, out);
	if (o->runs > 1 || r->run_index)
		fprintf(stderr, "%s: run %ld: %s ...\n", cli_prog, r->run_index,
			s->bench);
	else
		fprintf(stderr, "%s: %s ...\n", cli_prog, s->bench);
	/*
	 * The step gets a process group of its own, and each signal the run
	 * gets is passed on once: a first Ctrl-C lets it save the cell in
	 * hand, a second ends it at once, as when it runs alone.
	 */
	pid = child_fork(0);
	if (pid == 0) {
		/* Every record says which run of the set it belongs to. */
		setenv("MRBENCH_RUN_INDEX", idx, 1);
		execv(prog, a.v);
		_exit(127);
	}
	if (pid < 0)
		return -1;
	r->status = child_wait_forwarding(pid);
	r->seconds = (double)(clock_ns() - t0) / 1e9;
	return 0;
}

int failed_steps(const struct step_result *r, size_t nr)
{
	int n = 0;

	for (size_t i = 0; i < nr; i++)
		n += step_failed(&r[i]);
	return n;
}

void run_passes(struct run *run)
{
	const struct run_opts *o = &run->o;
	struct step_result *r = run->r;

	/* Pass after pass of the whole suite, so that drift hits every bench. */
	for (unsigned pass = 0; pass < o->runs && !measure_stop; pass++)
		for (size_t i = 0; i < nsteps && !measure_stop; i++) {
			if (o->only && !(o->only & 1u << i))
				continue;
			r[run->nr].run_index = run->pr.runs + pass;
			if (run_step(o, &steps[i], run->partial, &r[run->nr]))
				cli_die(EXIT_RUN_ERROR, "cannot start %s: %s",
					steps[i].bench, strerror(errno));
			run->nr++;
			if (r[run->nr - 1].status == EXIT_INTERRUPTED)
				measure_stop = 1;
		}
}
