/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_CLI_H
#define MRBENCH_CLI_H

#include <stdbool.h>
#include <sys/types.h>

#include "cli/opt.h"

/*
 * Exit codes shared by every mrbench program, for a CI job to gate on
 * (mrbench(1) documents them). A cell the kernel refuses is a result,
 * not an error: only a rule that did not come true changes the status.
 */
enum {
	EXIT_RUN_ERROR = 1,   /* the run could not go on */
	EXIT_USAGE = 2,	      /* bad input: nothing was run */
	EXIT_HUNG = 3,	      /* an operation hung (--op-timeout) */
	EXIT_SKIP = 4,	      /* nothing could run here (kselftest's skip) */
	EXIT_UNEXPECTED = 5,  /* a cell's outcome was not as its rule says */
	EXIT_INTERRUPTED = 130,
};

extern const char *cli_prog;

/*
 * -h/--help and -V/--version, the same in every program: help prints the
 * program's usage text, then every option group; version the program's
 * name and version. Programs add { "Other", cli_opt_table, NULL }.
 */
extern const struct opt cli_opt_table[];
void cli_set_help(const char *usage, const struct opt_group *groups);

void cli_init(const char *prog);
/* One line on stderr, "prog: message", then exit with code. */
void cli_die(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), noreturn));
void cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The first SIGINT/SIGTERM asks the loops to stop (measure_stop); a
 * second one ends the process at once. */
void cli_catch_signals(void);
/*
 * Pass every such signal on to pid as well (0: to nobody): a program
 * running a child in its own process group, which a Ctrl-C at the
 * terminal does not reach, so that the child hears each one exactly once.
 * A negative pid is a process group: every child in it hears it.
 */
void cli_forward_signals(pid_t pid);
/* "[i/n] what" on stderr, overwritten in place, when stderr is a tty. */
void cli_progress(unsigned i, unsigned n, const char *what);
void cli_progress_done(void);

#endif
