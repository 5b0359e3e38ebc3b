// SPDX-License-Identifier: GPL-2.0
/*
 * Children that neither outlive us nor miss a signal meant for them: the
 * steps of a run and the runs and processes of mrbench scale all start
 * the same way, and a killed parent must not leave one registering.
 */
#include <errno.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/child.h"
#include "cli/cli.h"

pid_t child_fork(pid_t pgid)
{
	pid_t parent = getpid(), pid = fork();

	if (pid == 0) {
		setpgid(0, pgid);
		/* Outside our group it would outlive a killed parent. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (getppid() != parent)
			_exit(EXIT_INTERRUPTED);
	} else if (pid > 0) {
		setpgid(pid, pgid ? pgid : pid);
	}
	return pid;
}

int child_wait(pid_t pid)
{
	int st = 0;

	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int child_wait_forwarding(pid_t pid)
{
	int st;

	cli_forward_signals(pid);
	st = child_wait(pid);
	cli_forward_signals(0);
	return st;
}
