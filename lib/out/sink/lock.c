// SPDX-License-Identifier: GPL-2.0
/*
 * One writer per -o stem. Two runs on one stem would each publish its
 * own files, and the set left behind could be a .jsonl of one run and a
 * .csv of the other; so the run holds an flock on STEM.lock from
 * sinks_open() to sinks_close(), and a second run is refused at once.
 *
 * The lock file is removed when the run ends (also on a signal, by the
 * undo log), so a results folder keeps only results. Removing a lock
 * file races with a run that opened it just before: that run may lock
 * the removed file. So after taking the lock the name is checked to be
 * still the file locked, else the run opens the name again.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/xalloc.h"
#include "kernel/restore.h"
#include "out/sink/lock.h"

/* The pid the holder wrote, for the message; 0 when not written yet. */
static long holder_pid(int fd)
{
	char buf[24] = "";

	if (pread(fd, buf, sizeof(buf) - 1, 0) < 0)
		return 0;
	return strtol(buf, NULL, 10);
}

static bool still_named(int fd, const char *path)
{
	struct stat a, b;

	return !fstat(fd, &a) && !stat(path, &b) && a.st_dev == b.st_dev &&
	       a.st_ino == b.st_ino;
}

int sink_lock(struct sink_lock *l, const char *stem, size_t stem_len,
	      const char *shown, char *err, size_t errlen)
{
	char pid[24];
	int fd = -1;

	l->path = xmalloc(stem_len + sizeof(".lock"));
	snprintf(l->path, stem_len + sizeof(".lock"), "%.*s.lock",
		 (int)stem_len, stem);
	for (int tries = 0; tries < 100; tries++) {
		fd = open(l->path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
		if (fd < 0) {
			snprintf(err, errlen, "cannot write '%s': %s", l->path,
				 strerror(errno));
			goto fail;
		}
		if (flock(fd, LOCK_EX | LOCK_NB)) {
			int e = errno;
			long holder = e == EWOULDBLOCK ? holder_pid(fd) : 0;

			if (e != EWOULDBLOCK)
				snprintf(err, errlen, "cannot lock '%s': %s",
					 l->path, strerror(e));
			else if (holder > 0)
				snprintf(
					err, errlen,
					"'%s' is being written by another mrbench (pid %ld)",
					shown, holder);
			else
				snprintf(
					err, errlen,
					"'%s' is being written by another mrbench",
					shown);
			goto fail;
		}
		if (still_named(fd, l->path))
			break;
		close(fd);
		fd = -1;
	}
	if (fd < 0) {
		snprintf(err, errlen,
			 "cannot lock '%s': removed again and again", l->path);
		goto fail;
	}
	snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) || pwrite(fd, pid, strlen(pid), 0) < 0) {
		snprintf(err, errlen, "cannot write '%s': %s", l->path,
			 strerror(errno));
		unlink(l->path);
		goto fail;
	}
	l->fd = fd;
	/* Ours now: gone when the process ends, however it ends. */
	if (restore_remove(l->path, err, errlen)) {
		sink_unlock(l);
		return -1;
	}
	return 0;
fail:
	if (fd >= 0)
		close(fd);
	free(l->path);
	l->path = NULL;
	return -1;
}

void sink_unlock(struct sink_lock *l)
{
	if (!l->path)
		return;
	/* Removed while still held, so nobody locks a name being removed
	 * without noticing (see still_named). */
	restore_discard(l->path);
	close(l->fd);
	free(l->path);
	l->path = NULL;
}
