// SPDX-License-Identifier: GPL-2.0
/*
 * Running gnuplot and publishing what it drew. A figure is drawn into a
 * temporary file beside its name and renamed into place only once gnuplot
 * has ended well and the file is whole: on a full disk gnuplot may exit 0
 * having written a truncated PNG. A signal (the first Ctrl-C) kills
 * gnuplot, and gnuplot dies with mrbench if mrbench is killed outright.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "measure/measure.h"
#include "analysis/plot.h"
#include "kernel/restore.h"

int plot_tmp_out(struct plot_ctx *c, const char *out, char *tmp, size_t len)
{
	const char *base = strrchr(out, '/');
	int fd;

	base = base ? base + 1 : out;
	snprintf(tmp, len, "%.*s.%s.XXXXXX", (int)(base - out), out, base);
	fd = mkstemp(tmp);
	if (fd < 0) {
		snprintf(c->err, sizeof(c->err), "cannot create %.900s: %s",
			 tmp, strerror(errno));
		return -1;
	}
	close(fd);
	/* Removed at exit, and by a second Ctrl-C, unless published. */
	if (restore_remove(tmp, c->err, sizeof(c->err))) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

/*
 * Read gnuplot's stderr into buf (what fits) until it closes. SIGINT and
 * SIGTERM are blocked but while ppoll waits, so a signal is either seen
 * in measure_stop before the wait or ends it: never lost in between.
 */
static void read_until_closed(int fd, pid_t pid, char *buf, size_t cap)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	sigset_t block, old;
	size_t used = 0;
	char skip[512];
	ssize_t n;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &old);
	for (;;) {
		if (measure_stop)
			kill(-pid, SIGKILL);
		if (ppoll(&p, 1, NULL, &old) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (used < cap - 1)
			n = read(fd, buf + used, cap - 1 - used);
		else
			n = read(fd, skip, sizeof(skip));
		if (n > 0 && used < cap - 1)
			used += (size_t)n;
		else if (n == 0 || (n < 0 && errno != EINTR))
			break;
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	buf[used] = '\0';
}

/* Run gnuplot; its last line on stderr becomes the error. */
int plot_run_gnuplot(struct plot_ctx *c, const char *setup, const char *params,
		     const char *tpl, const char *out)
{
	char buf[2048], *nl;
	int pipefd[2], status;
	pid_t pid, parent = getpid();
	size_t used;

	if (pipe(pipefd))
		return snprintf(c->err, sizeof(c->err), "pipe: %s",
				strerror(errno)),
		       -1;
	pid = fork();
	if (pid < 0)
		return snprintf(c->err, sizeof(c->err), "fork: %s",
				strerror(errno)),
		       -1;
	if (!pid) {
		int null = open("/dev/null", O_WRONLY);

		/* A group of its own: one kill reaches what it starts. */
		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(127);
		dup2(null, 1);
		dup2(pipefd[1], 2);
		close(pipefd[0]);
		execlp("gnuplot", "gnuplot", "-e", setup, params, tpl,
		       (char *)NULL);
		fprintf(stderr, "exec: %s\n", strerror(errno));
		_exit(127);
	}
	setpgid(pid, pid);
	close(pipefd[1]);
	read_until_closed(pipefd[0], pid, buf, sizeof(buf));
	close(pipefd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (measure_stop) {
		snprintf(c->err, sizeof(c->err), "interrupted");
		return -1;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
		c->no_gnuplot = true;
		snprintf(
			c->err, sizeof(c->err),
			"cannot run gnuplot: install it (Debian: gnuplot-nox; see scripts/install-deps.sh)");
		return -1;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		/* gnuplot's message is its last non-empty line. */
		used = strlen(buf);
		while (used && strchr("\n ", buf[used - 1]))
			buf[--used] = '\0';
		nl = strrchr(buf, '\n');
		snprintf(c->err, sizeof(c->err),
			 "gnuplot failed on %.400s: %.500s", out,
			 nl ? nl + 1 : buf);
		return -1;
	}
	return 0;
}

/* How each format ends: the SVG root's close tag, PNG's IEND chunk. */
static bool whole(const char *path, const char *ext)
{
	static const char png_end[12] = { 0,	      0,    0,	  0,
					  'I',	      'E',  'N',  'D',
					  (char)0xae, 0x42, 0x60, (char)0x82 };
	char tail[64];
	struct stat st;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	bool ok = false;

	if (fd < 0)
		return false;
	if (!fstat(fd, &st) && st.st_size >= (off_t)sizeof(png_end)) {
		n = pread(fd, tail, sizeof(tail) - 1,
			  st.st_size > (off_t)sizeof(tail) - 1 ?
				  st.st_size - (off_t)sizeof(tail) + 1 :
				  0);
		if (n > 0) {
			tail[n] = '\0';
			if (!strcmp(ext, "png"))
				ok = n >= 12 &&
				     !memcmp(tail + n - 12, png_end, 12);
			else
				ok = strstr(tail, "</svg>") != NULL;
		}
	}
	/* Whole on disk, not only in the page cache, before it is named. */
	ok = ok && !fsync(fd);
	close(fd);
	return ok;
}

int plot_publish(struct plot_ctx *c, const char *tmp, const char *out,
		 const char *ext)
{
	if (!whole(tmp, ext)) {
		snprintf(c->err, sizeof(c->err),
			 "gnuplot left %.900s incomplete: is the disk full?",
			 out);
		restore_discard(tmp);
		return -1;
	}
	if (rename(tmp, out)) {
		snprintf(c->err, sizeof(c->err), "cannot write %.900s: %s", out,
			 strerror(errno));
		restore_discard(tmp);
		return -1;
	}
	restore_keep(tmp);
	return 0;
}
