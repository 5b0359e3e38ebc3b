// SPDX-License-Identifier: GPL-2.0
/*
 * A soft-RoCE device for the length of one run. mrbench-rxe does the
 * work (module, link, state file); this only decides whether a device is
 * wanted and makes sure its removal is in the undo log.
 */
#include <errno.h>
#include <infiniband/verbs.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "restore.h"
#include "softroce.h"

/* mrbench-rxe's exit status for "this kernel has no rdma_rxe". */
#define RXE_ABSENT 3

static int device_count(void)
{
	struct ibv_device **list;
	int n = 0;

	list = ibv_get_device_list(&n);
	if (list)
		ibv_free_device_list(list);
	return n;
}

/*
 * Run argv and wait; the first word it prints on stdout goes to word
 * ("mrbench-rxe up" prints "NAME on NETDEV"). The rest is read too, so
 * that it never blocks on a full pipe. Its exit status, or -1.
 */
static int run(const char *const argv[], char *word, size_t len)
{
	char line[256], fmt[16];
	int fd[2], st = 0;
	FILE *f;
	pid_t pid;

	if (pipe(fd))
		return -1;
	pid = fork();
	if (pid == 0) {
		/* Out of the terminal's reach: a Ctrl-C must not cut "up"
		 * short between making a device and writing it down. */
		setpgid(0, 0);
		dup2(fd[1], STDOUT_FILENO);
		close(fd[0]);
		close(fd[1]);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(fd[1]);
	word[0] = '\0';
	snprintf(fmt, sizeof(fmt), "%%%zus", len - 1);
	f = fdopen(fd[0], "r");
	while (f && fgets(line, sizeof(line), f))
		if (!word[0] && sscanf(line, fmt, word) != 1)
			word[0] = '\0';
	if (f)
		fclose(f);
	else
		close(fd[0]);
	while (pid > 0 && waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (pid < 0)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int softroce_ensure(const char *rxe_prog, char *name, size_t len, char *err,
		    size_t errlen)
{
	char dev[64], said[64];
	const char *up[] = { rxe_prog, "up", NULL };
	const char *down[] = { rxe_prog, "down", "--name", dev, NULL };
	int rc;

	if (device_count() > 0 || access(rxe_prog, X_OK))
		return 0;
	rc = run(up, dev, sizeof(dev));
	if (rc == RXE_ABSENT)
		return 0;
	if (rc || !dev[0]) {
		snprintf(err, errlen,
			 "no RDMA device, and '%s up' failed (status %d)",
			 rxe_prog, rc);
		return -1;
	}
	/* Cannot be undone later: undo it now. */
	if (restore_command(down, err, errlen)) {
		run(down, said, sizeof(said));
		return -1;
	}
	snprintf(name, len, "%s", dev);
	return 1;
}
