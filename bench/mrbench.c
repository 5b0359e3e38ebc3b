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
	{ "fault", "ODP faults, invalidation, fork/madvise/mprotect with pinned memory" },
	{ "run", "the standard suite into a result set results/<run-id>/" },
	{ "compare", "two result sets side by side: ratios, confidence, changed behaviour" },
	{ "plot", "gnuplot figures (PNG, SVG) from one or more result sets" },
	{ "migrate", "cost of long-term pins that migrate pages out of ZONE_MOVABLE or CMA" },
	{ "vm", "boot a kernel in qemu with soft-RoCE and run a command inside" },
	{ "rxe", "create, show or remove a soft-RoCE device on this host" },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: mrbench [--help | --version] COMMAND [ARGS]\n\n"
		   "Measure what it costs Linux to hand memory to an RDMA device.\n\n"
		   "commands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].help);
	fprintf(f, "\n'mrbench COMMAND --help' and 'man mrbench-COMMAND' tell more.\n");
}

static bool known(const char *cmd)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(commands[i].name, cmd))
			return true;
	return false;
}

int main(int argc, char **argv)
{
	char dir[PATH_MAX], prog[PATH_MAX + 64];
	const char *cmd;

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
