// SPDX-License-Identifier: GPL-2.0
/* mrbench's programs find each other as git finds its subcommands. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/execdir.h"

/* The directory of this executable: /proc/self/exe, not argv[0], which a
 * PATH lookup or a relative start makes useless from another directory. */
static int self_dir(char *buf, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", buf, len - 1);
	char *slash;

	if (n <= 0)
		return -1;
	buf[n] = '\0';
	slash = strrchr(buf, '/');
	if (!slash)
		return -1;
	*slash = '\0';
	return 0;
}

int exec_dir(char *buf, size_t len)
{
	const char *env = getenv("MRBENCH_EXEC_DIR");

	if (env && *env) {
		snprintf(buf, len, "%s", env);
		return 0;
	}
	return self_dir(buf, len);
}

int exec_program(const char *name, char *path, size_t len)
{
	char dir[PATH_MAX];

	if (exec_dir(dir, sizeof(dir))) {
		snprintf(path, len, "mrbench-%s", name);
		return -1;
	}
	snprintf(path, len, "%s/mrbench-%s", dir, name);
	return access(path, X_OK);
}
