// SPDX-License-Identifier: GPL-2.0
/* What every mrbench program does the same way: errors, signals, progress. */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "cli/cli.h"
#include "measure/measure.h"
#include "kernel/restore.h"

const char *cli_prog = "mrbench";
static bool progress_shown;
static const char *help_usage = "";
static const struct opt_group *help_groups;

void cli_set_help(const char *usage, const struct opt_group *groups)
{
	help_usage = usage;
	help_groups = groups;
}

static int show_help(void *o, const char *arg, char *err, size_t errlen)
{
	fputs(help_usage, stdout);
	if (help_groups)
		opt_help(stdout, help_groups);
	exit(0);
}

static int show_version(void *o, const char *arg, char *err, size_t errlen)
{
	printf("%s %s\n", cli_prog, PACKAGE_VERSION);
	exit(0);
}

const struct opt cli_opt_table[] = {
	OPT_SET("help", 'h', NULL, "show this help", show_help),
	OPT_SET("version", 'V', NULL, "show the version", show_version),
	OPT_END,
};

void cli_init(const char *prog)
{
	struct rlimit rl;

	cli_prog = prog;
	/* Pinning is charged to RLIMIT_MEMLOCK unless CAP_IPC_LOCK: use
	 * whatever the hard limit allows. Only this process is affected. */
	if (!getrlimit(RLIMIT_MEMLOCK, &rl) && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_MEMLOCK, &rl);
	}
}

static void vmsg(const char *fmt, va_list ap)
{
	cli_progress_done();
	fprintf(stderr, "%s: ", cli_prog);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void cli_die(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
	exit(code);
}

void cli_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
}

/*
 * The first signal lets the run finish the cell in hand and save what it
 * has (exit paths restore settings through atexit). A second one ends the
 * process at once: put back what mrbench changed, then go; the kernel
 * releases every MR, pin and PD with the process.
 */
static volatile pid_t forward_to;

static void on_signal(int sig)
{
	if (forward_to)
		kill(forward_to, sig);
	if (measure_stop) {
		restore_all();
		_exit(128 + sig);
	}
	measure_stop = sig;
}

void cli_catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/*
	 * A reader that goes away (mrbench reg | head) would kill the run
	 * where it stands, and what it changed on the system (a hugepage
	 * pool grown for a cell) would stay changed. Ignored, the write
	 * fails with EPIPE and the run ends through its error path, which
	 * puts everything back.
	 */
	signal(SIGPIPE, SIG_IGN);
}

void cli_forward_signals(pid_t pid)
{
	forward_to = pid;
}

/* In place on a terminal that can erase a line; not in logs, and not on
 * a guest's serial console whose far end is no terminal (TERM=dumb). */
static bool progress_wanted(void)
{
	static int wanted = -1;
	const char *term = getenv("TERM");

	if (wanted < 0)
		wanted = isatty(STDERR_FILENO) && term && *term && strcmp(term, "dumb");
	return wanted;
}

void cli_progress(unsigned i, unsigned n, const char *what)
{
	if (!progress_wanted())
		return;
	fprintf(stderr, "\r\033[K%s: [%u/%u] %s", cli_prog, i, n, what);
	progress_shown = true;
}

void cli_progress_done(void)
{
	if (progress_shown)
		fputs("\r\033[K", stderr);
	progress_shown = false;
}
