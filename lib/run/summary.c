// SPDX-License-Identifier: GPL-2.0
/*
 * The end of a run in its partial directory: the records merged, the
 * summary.txt a person reads first (what failed or was interrupted at
 * its top, the cells' table, the tally and every verdict that did not
 * come true), meta.json, and the plots and index.html when mrbench-plot
 * is there.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/execdir.h"
#include "measure/measure.h"
#include "run/run.h"
#include "out/sink/sink.h"

extern const struct sink_ops sink_human;

static void plot(const char *dir)
{
	char prog[PATH_MAX], out[PATH_MAX + 32], html[PATH_MAX + 32];
	pid_t pid;
	int st;

	if (exec_program("plot", prog, sizeof(prog)))
		return;
	snprintf(out, sizeof(out), "%s/plots", dir);
	/* The page a person opens first, beside summary.txt. */
	snprintf(html, sizeof(html), "%s/index.html", dir);
	pid = fork();
	if (pid == 0) {
		/* The list of files it wrote is not for the run's output. */
		if (!freopen("/dev/null", "w", stdout))
			_exit(127);
		execl(prog, prog, dir, "-o", out, "--html", html, (char *)NULL);
		_exit(127);
	}
	if (pid > 0)
		waitpid(pid, &st, 0);
}

/* The set's name and runs, then what went wrong, before the table. */
static void summary_head(FILE *f, const struct run *run)
{
	const struct step_result *r = run->r;
	char why[PATH_MAX + 32];

	fprintf(f, "mrbench run %s, %ld run%s\n\n", run->id, run->runs,
		run->runs == 1 ? "" : "s");
	/* First, where nobody reads past it: the set is not what was asked. */
	if (measure_stop)
		fprintf(f, "INTERRUPTED: the set holds the cells completed\n");
	for (size_t i = 0; i < run->nr; i++)
		if (step_failed(&r[i]))
			fprintf(f,
				"FAILED: run %ld %s %s (its messages went to standard error)\n",
				r[i].run_index, r[i].s->bench,
				step_error(&r[i], why, sizeof(why)));
	if (measure_stop || failed_steps(r, run->nr))
		fputc('\n', f);
}

/* What comes after the table: the tally, each step, the surprises. */
static void summary_tail(FILE *f, const struct run *run, const struct tally *t,
			 FILE *surprises, double seconds)
{
	const struct step_result *r = run->r;
	char why[PATH_MAX + 32];

	fprintf(f, "\n%zu cells: %zu ok, %zu unsupported, %zu failed",
		t->ok + t->unsupported + t->failed + t->hung, t->ok,
		t->unsupported, t->failed);
	/* A hang ended its step: said only when there was one. */
	if (t->hung)
		fprintf(f, ", %zu hung", t->hung);
	fprintf(f, "; %zu verdicts did not come true\n", t->unexpected);
	for (size_t i = 0; i < run->nr; i++)
		fprintf(f, "run %-3ld %-8s %s, %zu records, %.1f s\n",
			r[i].run_index, r[i].s->bench,
			step_error(&r[i], why, sizeof(why)) ? why : "ok",
			r[i].records, r[i].seconds);
	if (t->unexpected) {
		char buf[4096];
		size_t n;

		fprintf(f, "\nVerdicts that did not come true:\n");
		rewind(surprises);
		while ((n = fread(buf, 1, sizeof(buf), surprises)) > 0)
			fwrite(buf, 1, n, f);
	}
	fprintf(f, "\nelapsed %.1f s\n", seconds);
}

/* Merge, summarise and describe what the steps wrote in the partial set. */
int finish_set(struct run *run, double seconds, bool plots)
{
	const char *dir = run->partial;
	/* results.jsonl, results.csv, and results.ktap for the test runners. */
	struct sink_opts so = { .formats = 0, .out = NULL, .every_file = true };
	struct sink table = { .ops = &sink_human, .view = &view_cells };
	struct sink_set set;
	struct tally t = { 0 };
	char path[PATH_MAX + 32], base[PATH_MAX + 32], err[512];
	FILE *surprises = tmpfile();
	size_t merged;

	snprintf(base, sizeof(base), "%s/results", dir);
	so.out = base;
	snprintf(path, sizeof(path), "%s/summary.txt", dir);
	table.f = fopen(path, "w");
	if (!table.f || !surprises || sinks_open(&so, &set, err, sizeof(err))) {
		cli_warn("cannot write the result set in %s: %s", dir,
			 table.f ? err : strerror(errno));
		return -1;
	}
	summary_head(table.f, run);
	merged = merge_steps(run, &set, &table, &t, surprises);
	sink_human.end(&table);
	if (sinks_close(&set) || check_merged(dir, merged))
		return -1;
	remove_strays(dir);
	summary_tail(table.f, run, &t, surprises, seconds);
	fclose(surprises);
	errno = EIO;
	if (ferror(table.f) | fclose(table.f)) {
		cli_warn("cannot write '%s': %s", path, strerror(errno));
		json_object_put(t.first);
		return -1;
	}
	if (write_meta(run, &t, seconds)) {
		cli_warn("cannot write meta.json in %s", dir);
		json_object_put(t.first);
		return -1;
	}
	json_object_put(t.first);
	if (plots)
		plot(dir);
	return 0;
}
