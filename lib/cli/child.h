/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_CHILD_H
#define MRBENCH_CHILD_H

#include <sys/types.h>

/*
 * A child program that stays ours: mrbench run's benches, mrbench
 * scale's runs and processes. fork() into process group pgid (0: a
 * group of its own), set on both sides so that a signal sent to the
 * group right after cannot miss it; in the child, SIGTERM when we die,
 * and an exit at once if we died already. Returns as fork() does; the
 * child goes on to exec.
 */
pid_t child_fork(pid_t pgid);
/* Its exit status as a shell gives it (128 + the signal that ended it). */
int child_wait(pid_t pid);
/*
 * Wait for pid with every SIGINT and SIGTERM we get passed on, once, to
 * its group: a first Ctrl-C lets it save what it has, as when it runs
 * alone. Its exit status, as child_wait().
 */
int child_wait_forwarding(pid_t pid);

#endif
