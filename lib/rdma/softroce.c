// SPDX-License-Identifier: GPL-2.0
/*
 * A soft-RoCE device for the length of one run. mrbench-rxe does the
 * work (module, link, state file); this only decides whether a device is
 * wanted and makes sure its removal is in the undo log before it exists.
 */
#include <errno.h>
#include <infiniband/verbs.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kernel/restore.h"
#include "rdma/softroce.h"

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
 * that it never blocks on a full pipe, and to the end: a reader gone
 * early would kill it with SIGPIPE between making a device and saying
 * so. Its exit status, or -1.
 */
static int run(const char *const argv[], char *word, size_t len)
{
	char line[256], fmt[16];
	sigset_t stop, old;
	int fd[2], st = 0;
	FILE *f;
	pid_t pid;

	if (pipe(fd))
		return -1;
	/*
	 * SIGINT and SIGTERM wait until it is done: the undo of what it
	 * makes must not run alongside it (a second Ctrl-C runs the undo
	 * log at once), and the device it makes is undone as a whole.
	 */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigprocmask(SIG_BLOCK, &stop, &old);
	pid = fork();
	if (pid == 0) {
		/* Out of the terminal's reach: a Ctrl-C must not cut "up"
		 * short between making a device and writing it down. */
		setpgid(0, 0);
		sigprocmask(SIG_SETMASK, &old, NULL);
		/* Whatever becomes of its reader, it finishes its job. */
		signal(SIGPIPE, SIG_IGN);
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
	while (f) {
		if (fgets(line, sizeof(line), f)) {
			if (!word[0] && sscanf(line, fmt, word) != 1)
				word[0] = '\0';
		} else if (ferror(f) && errno == EINTR) {
			clearerr(f);
		} else {
			break;
		}
	}
	if (f)
		fclose(f);
	else
		close(fd[0]);
	while (pid > 0 && waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (pid < 0)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* The name "up" will give the device: the first free rxeN. */
static void free_name(char *name, size_t len)
{
	char path[96];

	for (int i = 0;; i++) {
		snprintf(name, len, "rxe%d", i);
		snprintf(path, sizeof(path), "/sys/class/infiniband/%s", name);
		if (access(path, F_OK))
			return;
	}
}

int softroce_ensure(const char *rxe_prog, char *name, size_t len, char *err,
		    size_t errlen)
{
	char dev[64], said[64];
	const char *up[] = { rxe_prog, "up", "--name", dev, NULL };
	const char *down[] = { rxe_prog, "down", "--name", dev, NULL };
	int rc;

	if (device_count() > 0 || access(rxe_prog, X_OK))
		return 0;
	free_name(dev, sizeof(dev));
	/*
	 * The undo first, so that no way out between "up" making the device
	 * and this process hearing of it leaves the device and its modules.
	 */
	if (restore_command(down, err, errlen))
		return -1;
	rc = run(up, said, sizeof(said));
	/* It said why, made nothing, or took away what it had made. */
	if (rc > 0 && rc < 128)
		restore_cancel_last();
	if (rc == RXE_ABSENT)
		return 0;
	if (rc || strcmp(said, dev)) {
		snprintf(
			err, errlen,
			"no RDMA device, and '%s up --name %s' failed (status %d)",
			rxe_prog, dev, rc);
		return -1;
	}
	snprintf(name, len, "%s", dev);
	return 1;
}
