// SPDX-License-Identifier: GPL-2.0
/*
 * The undo log. Everything restore_all() touches is built beforehand in
 * static storage, so that it needs nothing but open, write and close: no
 * malloc, no stdio, safe from a signal handler that interrupted anything.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "restore.h"

#define RESTORE_MAX 32

struct saved {
	char path[256];
	char old[256];
	size_t old_len;
	volatile sig_atomic_t done;
};

static struct saved saved[RESTORE_MAX];
/* Published only once the entry it counts is complete. */
static volatile sig_atomic_t nsaved;
static pid_t owner;

static int write_file(const char *path, const char *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	ssize_t n;
	int rc = 0;

	if (fd < 0)
		return errno;
	n = write(fd, buf, len);
	if (n != (ssize_t)len)
		rc = n < 0 ? errno : EIO;
	if (close(fd) && !rc)
		rc = errno;
	return rc;
}

/*
 * What to write back. A choice file ("always [madvise] never") shows
 * every choice but accepts only one: keep the bracketed one.
 */
static void keep_writable(struct saved *s)
{
	char *open_br = memchr(s->old, '[', s->old_len);
	char *close_br =
		open_br ? memchr(open_br, ']',
				 s->old_len - (size_t)(open_br - s->old)) :
			  NULL;

	if (!close_br)
		return;
	s->old_len = (size_t)(close_br - open_br - 1);
	memmove(s->old, open_br + 1, s->old_len);
	s->old[s->old_len++] = '\n';
}

static int save(struct saved *s, const char *path, char *err, size_t errlen)
{
	ssize_t n;
	int fd;

	if (strlen(path) >= sizeof(s->path)) {
		snprintf(err, errlen, "%s: path too long to restore", path);
		return ENAMETOOLONG;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return errno;
	}
	n = read(fd, s->old, sizeof(s->old));
	close(fd);
	if (n < 0 || n == (ssize_t)sizeof(s->old)) {
		snprintf(err, errlen, "%s: cannot save its content", path);
		return n < 0 ? errno : EFBIG;
	}
	strcpy(s->path, path);
	s->old_len = (size_t)n;
	keep_writable(s);
	return 0;
}

int restore_write(const char *path, const char *value, char *err, size_t errlen)
{
	struct saved *s = NULL;
	int rc;

	for (sig_atomic_t i = 0; i < nsaved; i++)
		if (!strcmp(saved[i].path, path))
			s = &saved[i];
	if (!s) {
		if (nsaved == RESTORE_MAX) {
			snprintf(err, errlen, "%s: too many settings changed",
				 path);
			return ENOSPC;
		}
		s = &saved[nsaved];
		if ((rc = save(s, path, err, errlen)))
			return rc;
		if (!owner) {
			owner = getpid();
			atexit(restore_all);
		}
		nsaved++;
	}
	/* Saved before the write: even a failed write gets put back. */
	s->done = 0;
	if ((rc = write_file(path, value, strlen(value))))
		snprintf(err, errlen, "writing '%s' to %s: %s", value, path,
			 strerror(rc));
	return rc;
}

void restore_all(void)
{
	int saved_errno = errno;

	/* A forked child exiting must not undo its parent's settings. */
	if (getpid() != owner)
		return;
	for (sig_atomic_t i = nsaved; i-- > 0;) {
		if (saved[i].done)
			continue;
		write_file(saved[i].path, saved[i].old, saved[i].old_len);
		saved[i].done = 1;
	}
	errno = saved_errno;
}
