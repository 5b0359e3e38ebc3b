// SPDX-License-Identifier: GPL-2.0
/*
 * mrbench: the umbrella. "mrbench reg ARGS" runs "mrbench-reg ARGS" from
 * the directory this program lives in (or MRBENCH_EXEC_DIR, or PATH), as
 * git runs its subcommands.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/execdir.h"

static const struct {
	const char *name, *help;
} commands[] = {
	{ "reg", "registration / deregistration latency over a matrix" },
	{ "fault", "what pinned memory does to the rest of mm: ODP, fork, COW, KSM, NUMA..." },
	{ "run", "the standard suite into a result set results/<run-id>/" },
	{ "compare", "result sets side by side, or many against one: ratios, verdicts" },
	{ "plot", "gnuplot figures (PNG, SVG) from one or more result sets" },
	{ "migrate", "cost of long-term pins that migrate pages out of ZONE_MOVABLE or CMA" },
	{ "scale", "how registration grows: size to what fits (with a model), MRs held, threads" },
	{ "vm", "boot a kernel in qemu with soft-RoCE and run a command inside" },
	{ "rxe", "create, show or remove a soft-RoCE device on this host" },
};

/* What "mrbench help TOPIC" opens besides a command's own page. */
static const struct {
	const char *topic, *page, *section;
} guides[] = {
	{ "overview", "mrbench", "7" },
	{ "results", "mrbench-results", "5" },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: mrbench [--help | --version] COMMAND [ARGS]\n\n"
		   "Measure what it costs Linux to hand memory to an RDMA device.\n\n"
		   "commands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].help);
	fprintf(f, "\n'mrbench COMMAND --help' tells more, 'mrbench help COMMAND' opens its\n"
		   "manual page; 'mrbench help overview' and 'mrbench help results' the\n"
		   "overview and the results schema.\n");
}

static bool known(const char *cmd)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(commands[i].name, cmd))
			return true;
	return false;
}

/*
 * "mrbench help TOPIC": the manual page, as "git help" opens one. A build
 * tree's pages are not installed, so the page file is looked for first in
 * MRBENCH_MANDIR (the tests set it) and beside the programs (man/ of a
 * build in the source tree), and opened with man -l; else man finds the
 * installed page by name.
 */
static int help(const char *topic)
{
	const char *page = NULL, *section = "1", *mandir = getenv("MRBENCH_MANDIR");
	char name[64], file[PATH_MAX + 128], dir[PATH_MAX];

	for (size_t i = 0; i < sizeof(guides) / sizeof(guides[0]); i++)
		if (!strcmp(guides[i].topic, topic)) {
			page = guides[i].page;
			section = guides[i].section;
		}
	if (!page && !known(topic)) {
		fprintf(stderr,
			"mrbench: no manual for '%s': expected a command, overview or results\n",
			topic);
		return 2;
	}
	if (!page)
		snprintf(name, sizeof(name), "mrbench-%s", topic);
	else
		snprintf(name, sizeof(name), "%s", page);
	for (int where = 0; where < 2; where++) {
		if (where == 0 && mandir && *mandir)
			snprintf(file, sizeof(file), "%s/%s.%s", mandir, name, section);
		else if (where == 1 && !exec_dir(dir, sizeof(dir)))
			snprintf(file, sizeof(file), "%s/man/%s.%s", dir, name, section);
		else
			continue;
		if (!access(file, R_OK)) {
			execlp("man", "man", "-l", file, (char *)NULL);
			goto fail;
		}
	}
	execlp("man", "man", section, name, (char *)NULL);
fail:
	fprintf(stderr, "mrbench: cannot run 'man': %s (try 'mrbench %s --help')\n",
		strerror(errno), known(topic) ? topic : "--help");
	return 127;
}

int main(int argc, char **argv)
{
	char dir[PATH_MAX], prog[PATH_MAX + 64];
	const char *cmd;

	if (argc > 2 && !strcmp(argv[1], "help"))
		return help(argv[2]);
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("mrbench %s\n", PACKAGE_VERSION);
		return 0;
	}
	if (argv[1][0] == '-' || !known(argv[1])) {
		fprintf(stderr, "mrbench: unknown command '%s': see 'mrbench --help'\n",
			argv[1]);
		return 2;
	}
	cmd = argv[1];
	if (exec_dir(dir, sizeof(dir)))
		dir[0] = '\0';
	if (dir[0]) {
		setenv("MRBENCH_EXEC_DIR", dir, 1);
		snprintf(prog, sizeof(prog), "%s/mrbench-%s", dir, cmd);
		argv[1] = prog;
		execv(prog, argv + 1);
		if (errno != ENOENT)
			goto fail;
	}
	snprintf(prog, sizeof(prog), "mrbench-%s", cmd);
	argv[1] = prog;
	execvp(prog, argv + 1);
fail:
	fprintf(stderr, "mrbench: cannot run '%s': %s\n", argv[1], strerror(errno));
	return 127;
}
