// SPDX-License-Identifier: GPL-2.0
/*
 * The undo log. Everything restore_all() touches is built beforehand in
 * static storage, so that it needs nothing but open, write, close, fork,
 * execv and waitpid: no malloc, no stdio, safe from a signal handler that
 * interrupted anything.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kernel/restore.h"

#define RESTORE_MAX  32
#define RESTORE_ARGS 8

enum kind { PUT_BACK, RUN, REMOVE, ADD };

/*
 * Shared counters (a hugetlb pool's nr_hugepages) are changed by adding
 * and taking back a delta under this lock, never by writing back a saved
 * value: two runs that overlap would otherwise each restore what they saw,
 * and the later one would leave the other's pages in the pool for good.
 * /dev/shm is there on every Linux with tmpfs and writable by root.
 */
#define RESTORE_LOCK "/dev/shm/mrbench-counters.lock"

struct saved {
	enum kind kind;
	char path[256]; /* the file, or the command's program */
	char old[256]; /* the file's content, or the command's arguments */
	size_t old_len;
	long delta; /* ADD: what this process added */
	char *argv[RESTORE_ARGS + 1]; /* a command's */
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

/* A decimal file's value, with nothing but read(): signal-safe. */
static int read_long(const char *path, long *val)
{
	char buf[32];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;
	long v = 0;

	if (fd < 0)
		return errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return n < 0 ? errno : EIO;
	for (ssize_t i = 0; i < n && buf[i] >= '0' && buf[i] <= '9'; i++)
		v = v * 10 + (buf[i] - '0');
	*val = v;
	return 0;
}

static int write_long(const char *path, long val)
{
	char buf[24], *p = buf + sizeof(buf);

	*--p = '\n';
	do
		*--p = (char)('0' + val % 10);
	while ((val /= 10) > 0);
	return write_file(path, p, (size_t)(buf + sizeof(buf) - p));
}

/* The lock shared by every mrbench; -1 if it cannot be had. */
static int lock_counters(void)
{
	int fd = open(RESTORE_LOCK, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

	while (fd >= 0 && flock(fd, LOCK_EX) && errno == EINTR)
		;
	return fd;
}

/*
 * What to write back. A choice file ("always [madvise] never") shows
 * every choice but accepts only one: keep the bracketed one. A list that
 * shows its empty state in words (tracefs: "#### all functions enabled
 * ####", "no pid") is emptied by the truncating open alone. A size
 * with a remark ("7 (expanded: 1408)") takes the size alone.
 */
static void keep_writable(struct saved *s)
{
	static const char no_pid[] = "no pid\n";
	char *remark;
	char *open_br = memchr(s->old, '[', s->old_len);
	char *close_br =
		open_br ? memchr(open_br, ']',
				 s->old_len - (size_t)(open_br - s->old)) :
			  NULL;

	if ((s->old_len && s->old[0] == '#') ||
	    (s->old_len == sizeof(no_pid) - 1 &&
	     !memcmp(s->old, no_pid, s->old_len))) {
		s->old_len = 0;
		return;
	}
	if (s->old_len && s->old[0] >= '0' && s->old[0] <= '9' &&
	    (remark = memchr(s->old, ' ', s->old_len))) {
		*remark = '\n';
		s->old_len = (size_t)(remark - s->old) + 1;
		return;
	}
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

/* The next free entry, or NULL with err set. */
static struct saved *next_entry(const char *what, char *err, size_t errlen)
{
	if (nsaved < RESTORE_MAX)
		return &saved[nsaved];
	snprintf(err, errlen, "%s: too many settings changed", what);
	return NULL;
}

/* The entry of this kind for path, or NULL. */
static struct saved *find(enum kind kind, const char *path)
{
	for (sig_atomic_t i = 0; i < nsaved; i++)
		if (saved[i].kind == kind && !strcmp(saved[i].path, path))
			return &saved[i];
	return NULL;
}

/* Make the entry next_entry() gave visible to restore_all(). */
static void publish(void)
{
	if (!owner) {
		owner = getpid();
		atexit(restore_all);
	}
	nsaved++;
}

int restore_write(const char *path, const char *value, char *err, size_t errlen)
{
	struct saved *s = find(PUT_BACK, path);
	int rc;

	if (!s) {
		if (!(s = next_entry(path, err, errlen)))
			return ENOSPC;
		s->kind = PUT_BACK;
		if ((rc = save(s, path, err, errlen)))
			return rc;
		publish();
	}
	/* Saved before the write: even a failed write gets put back. */
	s->done = 0;
	if ((rc = write_file(path, value, strlen(value))))
		snprintf(err, errlen, "writing '%s' to %s: %s", value, path,
			 strerror(rc));
	return rc;
}

int restore_write_undo(const char *path, const char *value, const char *undo,
		       char *err, size_t errlen)
{
	struct saved *s = find(PUT_BACK, path);
	int rc = 0;

	if (!s) {
		if (!(s = next_entry(path, err, errlen)))
			return ENOSPC;
		if (strlen(path) >= sizeof(s->path) ||
		    strlen(undo) >= sizeof(s->old)) {
			snprintf(err, errlen, "%s: path or value too long",
				 path);
			return ENAMETOOLONG;
		}
		s->kind = PUT_BACK;
		strcpy(s->path, path);
		s->old_len = strlen(undo);
		memcpy(s->old, undo, s->old_len);
		publish();
	}
	/* Armed before the write: a write cut short is undone too. */
	s->done = 0;
	if (value && (rc = write_file(path, value, strlen(value))))
		snprintf(err, errlen, "writing '%s' to %s: %s", value, path,
			 strerror(rc));
	return rc;
}

void restore_forget(const char *path)
{
	struct saved *s = find(PUT_BACK, path);

	if (s)
		s->done = 1;
}

int restore_add(const char *path, long delta, long *before, long *after,
		char *err, size_t errlen)
{
	struct saved *s = find(ADD, path);
	sigset_t all, old;
	long cur = 0, got = 0;
	int lock, rc;

	if (!s) {
		if (!(s = next_entry(path, err, errlen)))
			return ENOSPC;
		if (strlen(path) >= sizeof(s->path)) {
			snprintf(err, errlen, "%s: path too long to restore",
				 path);
			return ENAMETOOLONG;
		}
		s->kind = ADD;
		strcpy(s->path, path);
		s->delta = 0;
		s->done = 0;
		publish();
	}
	/*
	 * No signal between the write and the delta's update (restore_all
	 * would take back too little), nor while this process holds the
	 * lock (restore_all in a handler would wait for it for ever).
	 */
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	lock = lock_counters();
	if (lock < 0) {
		rc = errno;
		snprintf(err, errlen, "%s: %s", RESTORE_LOCK, strerror(rc));
		goto out;
	}
	/* Taken back already (restore_all ran): count afresh. */
	if (s->done)
		s->delta = 0;
	if ((rc = read_long(path, &cur))) {
		snprintf(err, errlen, "%s: %s", path, strerror(rc));
		goto unlock;
	}
	rc = write_long(path, cur + delta);
	if (rc)
		snprintf(err, errlen, "writing %ld to %s: %s", cur + delta,
			 path, strerror(rc));
	/*
	 * The kernel may give less than asked (or free fewer pages than
	 * asked, in-use ones being kept as surplus): the change it made is
	 * what is taken back.
	 */
	if (read_long(path, &got))
		got = cur;
	s->delta += got - cur;
	s->done = 0;
unlock:
	close(lock);
out:
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (before)
		*before = cur;
	if (after)
		*after = got;
	return rc;
}

/* Under the lock: what others changed meanwhile stays. */
static void take_back(struct saved *s)
{
	int lock = lock_counters();
	long cur;

	if (s->delta && !read_long(s->path, &cur))
		write_long(s->path, cur > s->delta ? cur - s->delta : 0);
	if (lock >= 0)
		close(lock);
}

int restore_command(const char *const argv[], char *err, size_t errlen)
{
	struct saved *s = next_entry(argv[0], err, errlen);
	size_t used = 0;
	int i;

	if (!s)
		return ENOSPC;
	if (strlen(argv[0]) >= sizeof(s->path)) {
		snprintf(err, errlen, "%s: path too long to restore", argv[0]);
		return ENAMETOOLONG;
	}
	s->kind = RUN;
	strcpy(s->path, argv[0]);
	for (i = 0; argv[i]; i++) {
		size_t len = strlen(argv[i]) + 1;

		if (i == RESTORE_ARGS || used + len > sizeof(s->old)) {
			snprintf(err, errlen,
				 "%s: too many arguments to restore", argv[0]);
			return E2BIG;
		}
		s->argv[i] = memcpy(s->old + used, argv[i], len);
		used += len;
	}
	s->argv[i] = NULL;
	s->done = 0;
	publish();
	return 0;
}

void restore_cancel_last(void)
{
	if (nsaved > 0)
		saved[nsaved - 1].done = 1;
}

int restore_remove(const char *path, char *err, size_t errlen)
{
	struct saved *s = NULL;
	bool reuse = false;

	if (strlen(path) >= sizeof(s->path)) {
		snprintf(err, errlen, "%s: path too long to remove at exit",
			 path);
		return ENAMETOOLONG;
	}
	/* A kept file's entry serves again: a long run opens many. */
	for (sig_atomic_t i = 0; i < nsaved && !s; i++)
		if (saved[i].kind == REMOVE && saved[i].done)
			s = &saved[i];
	reuse = s != NULL;
	if (!s && !(s = next_entry(path, err, errlen)))
		return ENOSPC;
	/* Still done while the path is half-copied: a signal skips it. */
	s->done = 1;
	s->kind = REMOVE;
	strcpy(s->path, path);
	s->done = 0;
	if (!reuse)
		publish();
	return 0;
}

void restore_keep(const char *path)
{
	struct saved *s = find(REMOVE, path);

	if (s)
		s->done = 1;
}

void restore_discard(const char *path)
{
	unlink(path);
	restore_keep(path);
}

/*
 * In its own process group, so that a second Ctrl-C at the terminal,
 * which ends mrbench at once, does not also cut the undoing short.
 */
static void run_command(struct saved *s)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		setpgid(0, 0);
		/* What it says is a note, not the run's output. */
		dup2(STDERR_FILENO, STDOUT_FILENO);
		execv(s->path, s->argv);
		_exit(127);
	}
	while (pid > 0 && waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
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
		/* Done first: a signal arriving meanwhile must not redo it. */
		saved[i].done = 1;
		if (saved[i].kind == RUN)
			run_command(&saved[i]);
		else if (saved[i].kind == REMOVE)
			unlink(saved[i].path);
		else if (saved[i].kind == ADD)
			take_back(&saved[i]);
		else
			write_file(saved[i].path, saved[i].old,
				   saved[i].old_len);
	}
	errno = saved_errno;
}
