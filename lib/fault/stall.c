// SPDX-License-Identifier: GPL-2.0
/*
 * A stalled O_DIRECT write: the short-term pin of the offline and
 * cma-alloc scenarios. The write's iovec is the memory under test, then
 * one page of its own registered with userfaultfd. GUP takes the pages
 * in order: the first ones are present and taken at once, the last one
 * is missing, and the fault waits in handle_userfault() until the page
 * is served, the earlier pages held all the while. The target is a
 * block device (brd), or a file on one (a filesystem on pmem or brd),
 * so that the write goes through bios and their pins; tmpfs's O_DIRECT
 * copies instead.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <unistd.h>

#include "fault/stall.h"
#include "kernel/uffd.h"
#include "mem/mem.h"

/* How long the write may take to reach its fault. */
#define REACH_MS 10000

static void *writer(void *arg)
{
	struct stall *s = arg;
	size_t ps = mem_base_page();
	struct iovec iov[2] = { { s->buf, s->len }, { s->hole, ps } };

	s->written = pwritev(s->fd, iov, 2, 0);
	s->err = s->written < 0 ? errno : 0;
	return NULL;
}

const char *stall_target(const char *dev, const char *dir)
{
	if (dev && *dev)
		return dev;
	if (dir && *dir)
		return dir;
	dir = getenv("MRBENCH_FILE_DIR");
	return dir && *dir ? dir : NULL;
}

/* The block device itself, for O_DIRECT. */
static int open_dev(const char *dev, size_t len, char *reason, size_t rlen)
{
	uint64_t bytes = 0;
	int fd = open(dev, O_RDWR | O_DIRECT | O_CLOEXEC);

	if (fd < 0 || ioctl(fd, BLKGETSIZE64, &bytes) || bytes < len) {
		snprintf(reason, rlen, "%s: %s", dev,
			 fd < 0 ? strerror(errno) : "smaller than the write");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* An unlinked file for O_DIRECT in dir, on a block device. */
static int open_file(const char *dir, size_t len, char *reason, size_t rlen)
{
	char path[4096];
	struct stat st;
	int fd;

	if (stat(dir, &st)) {
		snprintf(reason, rlen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	if (S_ISBLK(st.st_mode))
		return open_dev(dir, len, reason, rlen);
	if (!major(st.st_dev)) {
		snprintf(
			reason, rlen,
			"%s is not on a block device: its O_DIRECT takes no pins (a filesystem on pmem or brd: mrbench vm --profile pmem)",
			dir);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/mrbench-stall-XXXXXX", dir);
	if ((fd = mkostemp(path, O_CLOEXEC)) < 0) {
		snprintf(reason, rlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	unlink(path);
	if (fcntl(fd, F_SETFL, O_DIRECT) || fallocate(fd, 0, 0, (off_t)len)) {
		snprintf(reason, rlen, "O_DIRECT file in %s: %s", dir,
			 strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static void undo(struct stall *s)
{
	if (s->hole)
		munmap(s->hole, mem_base_page());
	if (s->uffd >= 0)
		close(s->uffd);
	if (s->fd >= 0)
		close(s->fd);
	s->hole = NULL;
	s->uffd = s->fd = -1;
}

/* Wait for the write's fault on the hole; 0 once it is there. */
static int reached(struct stall *s, char *reason, size_t rlen)
{
	struct pollfd p = { .fd = s->uffd, .events = POLLIN };
	struct uffd_msg msg;
	int n = poll(&p, 1, REACH_MS);

	if (n <= 0) {
		snprintf(
			reason, rlen,
			"the O_DIRECT write did not fault on its last page in %d s%s",
			REACH_MS / 1000, n < 0 ? strerror(errno) : "");
		return -1;
	}
	if (read(s->uffd, &msg, sizeof(msg)) != sizeof(msg) ||
	    msg.event != UFFD_EVENT_PAGEFAULT ||
	    (msg.arg.pagefault.address & ~(mem_base_page() - 1)) !=
		    (unsigned long)s->hole) {
		snprintf(
			reason, rlen,
			"unexpected userfaultfd message for the O_DIRECT write");
		return -1;
	}
	return 0;
}

int stall_start(struct stall *s, const char *target, void *buf, size_t len,
		char *reason, size_t rlen)
{
	size_t ps = mem_base_page();
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };
	int rc;

	*s = (struct stall){ .buf = buf, .len = len, .uffd = -1, .fd = -1 };
	if (len > STALL_MAX_BYTES || len % ps) {
		snprintf(reason, rlen, "a stalled write of %zu bytes", len);
		return -1;
	}
	if ((s->fd = open_file(target, len + ps, reason, rlen)) < 0)
		return -1;
	s->hole = mmap(NULL, ps, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (s->hole == MAP_FAILED) {
		s->hole = NULL;
		snprintf(reason, rlen, "mmap: %s", strerror(errno));
		undo(s);
		return -1;
	}
	reg.range.start = (unsigned long)s->hole;
	reg.range.len = ps;
	if ((s->uffd = uffd_open(0)) < 0 ||
	    ioctl(s->uffd, UFFDIO_REGISTER, &reg)) {
		snprintf(reason, rlen, "userfaultfd: %s", strerror(errno));
		undo(s);
		return -1;
	}
	if ((rc = pthread_create(&s->thread, NULL, writer, s))) {
		snprintf(reason, rlen, "pthread_create: %s", strerror(rc));
		undo(s);
		return -1;
	}
	s->started = true;
	if (reached(s, reason, rlen)) {
		stall_finish(s, NULL, 0);
		return -1;
	}
	return 0;
}

int stall_finish(struct stall *s, char *reason, size_t rlen)
{
	struct uffdio_zeropage zero = {
		.range = { .start = (unsigned long)s->hole,
			   .len = mem_base_page() },
	};
	size_t want = s->len + mem_base_page();
	int rc = 0;

	if (!s->started)
		return -1;
	/* Served, and the waiter woken (mode 0); EEXIST if it was already. */
	if (ioctl(s->uffd, UFFDIO_ZEROPAGE, &zero) && errno != EEXIST) {
		/* Unregistered, a fault on the range is an ordinary one. */
		struct uffdio_range r = zero.range;

		ioctl(s->uffd, UFFDIO_UNREGISTER, &r);
		ioctl(s->uffd, UFFDIO_WAKE, &r);
	}
	pthread_join(s->thread, NULL);
	s->started = false;
	if (s->written != (ssize_t)want) {
		if (reason)
			snprintf(reason, rlen,
				 "the O_DIRECT write returned %zd of %zu: %s",
				 s->written, want, strerror(s->err));
		rc = -1;
	}
	undo(s);
	return rc;
}
