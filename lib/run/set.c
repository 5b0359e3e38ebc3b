// SPDX-License-Identifier: GPL-2.0
/*
 * The result set's directory: a partial one, taken and locked while the
 * steps write into it, removed on the way out however the run ends, and
 * renamed into place once whole, so a result set either exists whole or
 * not at all. A set that exists already is only added to (--add).
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "cli/xalloc.h"
#include "cli/cli.h"
#include "measure/clock.h"
#include "measure/measure.h"
#include "kernel/restore.h"
#include "run/run.h"

/*
 * The runs an existing set holds: meta.json's count, 1 for older sets.
 * Runs of another kernel would pass for runs of this one: refused.
 */
static void read_prior(const char *final, struct prior *pr)
{
	char path[PATH_MAX + 16];
	struct utsname u;
	json_object *v;

	snprintf(path, sizeof(path), "%s/meta.json", final);
	pr->dir = final;
	pr->meta = json_object_from_file(path);
	pr->runs = 1;
	if (pr->meta && json_object_object_get_ex(pr->meta, "runs", &v) &&
	    json_object_get_int64(v) > 0)
		pr->runs = (long)json_object_get_int64(v);
	if (pr->meta && json_object_object_get_ex(pr->meta, "kernel", &v) &&
	    json_object_is_type(v, json_type_string) && !uname(&u) &&
	    strcmp(json_object_get_string(v), u.release))
		cli_die(EXIT_USAGE,
			"result set '%s' holds runs of kernel %s, not of %s: choose another --id",
			final, json_object_get_string(v), u.release);
}

/*
 * The new set in place of the old: one atomic exchange where the file
 * system has it, else the old set aside and the new one in (9p, under
 * mrbench vm, has no exchange). Either way the old set ends up under the
 * partial name, which the undo log removes on the way out.
 */
static int publish(const char *partial, const char *final, bool replace)
{
	char aside[PATH_MAX + 16];

	if (!replace)
		return rename(partial, final);
	if (!renameat2(AT_FDCWD, partial, AT_FDCWD, final, RENAME_EXCHANGE))
		return 0;
	snprintf(aside, sizeof(aside), "%s.old", partial);
	if (rename(final, aside) || rename(partial, final))
		return -1;
	return rename(aside, partial);
}

static int remove_entry(const char *path, const struct stat *st, int flag,
			struct FTW *ftw)
{
	return ftw->level ? remove(path) : 0;
}

/*
 * The partial directory, made or taken over, and locked for as long as
 * this run lives (the lock goes with the process, however it ends). A
 * run killed outright leaves its directory unlocked: stale, emptied and
 * used again. One that is locked is a live run's, and refused.
 */
static void take_partial(const char *partial)
{
	bool made = !mkdir(partial, 0755);
	int fd;

	if (!made && errno != EEXIST)
		cli_die(EXIT_RUN_ERROR, "cannot create '%s': %s", partial,
			strerror(errno));
	fd = open(partial, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		cli_die(EXIT_RUN_ERROR, "cannot open '%s': %s", partial,
			strerror(errno));
	if (flock(fd, LOCK_EX | LOCK_NB)) {
		if (errno == EWOULDBLOCK)
			cli_die(EXIT_USAGE,
				"'%s' is locked: another run is writing that set, choose another --id",
				partial);
		if (!made)
			cli_die(EXIT_RUN_ERROR,
				"'%s' exists and cannot be locked (%s): remove it if no run is writing it",
				partial, strerror(errno));
		/* A file system without locks: the directory is ours alone. */
		return;
	}
	if (made)
		return;
	cli_warn("removing '%s', left by a run that was killed", partial);
	if (nftw(partial, remove_entry, 16, FTW_DEPTH | FTW_PHYS))
		cli_die(EXIT_RUN_ERROR, "cannot empty '%s': %s", partial,
			strerror(errno));
}

void run_open_set(struct run *run)
{
	const char *rm_partial[] = { "/bin/rm", "-rf", "--", run->partial,
				     NULL };
	char err[512];

	snprintf(run->final, sizeof(run->final), "%s/%s", run->o.out, run->id);
	snprintf(run->partial, sizeof(run->partial), "%s/.%s.partial",
		 run->o.out, run->id);
	if (!access(run->final, F_OK)) {
		if (!run->o.add)
			cli_die(EXIT_USAGE,
				"result set '%s' exists already: choose another --id, or --add to it",
				run->final);
		read_prior(run->final, &run->pr);
	}
	run->r = xcalloc(nsteps * run->o.runs, sizeof(*run->r));
	cli_catch_signals();
	if (mkdir(run->o.out, 0755) && errno != EEXIST)
		cli_die(EXIT_RUN_ERROR, "cannot create '%s': %s", run->o.out,
			strerror(errno));
	take_partial(run->partial);
	/* Never left half-made: gone after the rename, or on the way out. */
	if (restore_command(rm_partial, err, sizeof(err)))
		cli_die(EXIT_RUN_ERROR, "%s", err);
}

void run_close_set(struct run *run)
{
	bool got = false;

	/* gnuplot under TCG takes longer than the suite: plot on the host. */
	if (getenv("MRBENCH_VM"))
		run->o.no_plot = true;
	/* An interrupted run counts only the passes it began. */
	run->runs = run->nr ? run->r[run->nr - 1].run_index + 1 : run->pr.runs;
	for (size_t i = 0; i < run->nr; i++)
		got |= run->r[i].status >= 0 &&
		       step_has_records(run->partial, &run->r[i]);
	/* Nothing measured: no set, rather than an empty one that looks whole. */
	if (measure_stop && !got)
		cli_die(EXIT_INTERRUPTED,
			"interrupted before a cell was completed: no result set written");
	if (finish_set(run, (double)(clock_ns() - run->t0) / 1e9,
		       !run->o.no_plot) ||
	    publish(run->partial, run->final, run->pr.dir != NULL))
		cli_die(EXIT_RUN_ERROR, "cannot complete the result set %s",
			run->final);
}

/* EXIT_UNEXPECTED when a step's cells failed their rules, as the benches
 * say it, so that a CI job can gate on a run as on a bench. */
static int unexpected_steps(const struct step_result *r, size_t nr)
{
	for (size_t i = 0; i < nr; i++)
		if (r[i].status == EXIT_UNEXPECTED)
			return EXIT_UNEXPECTED;
	return 0;
}

int run_report(struct run *run)
{
	const struct prior *pr = &run->pr;
	double seconds;
	char note[96] = "";
	int failed;

	/* One line, and never a plain "wrote" for a set that is not whole. */
	failed = failed_steps(run->r, run->nr);
	if (measure_stop)
		snprintf(note, sizeof(note),
			 ": interrupted, with the cells completed");
	else if (failed)
		snprintf(note, sizeof(note),
			 ", but %d step%s failed: see its summary.txt", failed,
			 failed == 1 ? "" : "s");
	seconds = (double)(clock_ns() - run->t0) / 1e9;
	if (pr->dir && run->runs - pr->runs > 1)
		fprintf(stderr, "%s: added runs %ld..%ld to %s in %.1f s%s\n",
			cli_prog, pr->runs, run->runs - 1, run->final, seconds,
			note);
	else if (pr->dir)
		fprintf(stderr, "%s: added run %ld to %s in %.1f s%s\n",
			cli_prog, pr->runs, run->final, seconds, note);
	else
		fprintf(stderr, "%s: wrote %s in %.1f s%s\n", cli_prog,
			run->final, seconds, note);
	json_object_put(pr->meta);
	free(run->r);
	if (measure_stop)
		return EXIT_INTERRUPTED;
	return failed ? EXIT_RUN_ERROR : unexpected_steps(run->r, run->nr);
}
