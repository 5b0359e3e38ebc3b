// SPDX-License-Identifier: GPL-2.0
/*
 * The ways the wprotect scenario takes write permission from a region.
 * Soft-dirty: writing 4 to /proc/self/clear_refs clears the soft-dirty
 * bits of the whole process and write-protects its PTEs, so the next
 * write faults and sets the bit again. userfaultfd-wp: the region is
 * registered for write-protect faults and protected; a server thread
 * takes the CPU's write fault and lifts the protection of that page, as
 * a snapshotting hypervisor does once it has saved it. mprotect: read
 * only, then writable again.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fault/wprotect.h"
#include "kernel/uffd.h"

static void nothing(struct wp_state *st)
{
	(void)st;
}

static int clear_soft_dirty(struct wp_state *st, char *reason, size_t len)
{
	int fd = open("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC), rc = 0;

	if (fd < 0 || write(fd, "4", 1) != 1) {
		snprintf(reason, len,
			 "cannot write 4 to /proc/self/clear_refs: %s",
			 strerror(errno));
		rc = -1;
	}
	if (fd >= 0)
		close(fd);
	return rc;
}

const struct wp_how wp_soft_dirty = {
	.name = "clear_refs 4",
	.reports_dirty = true,
	.protect = clear_soft_dirty,
	.settle = nothing,
	.undo = nothing,
};

/*
 * Serve write-protect faults until told to stop: lift the protection
 * of the faulting page, which wakes the writer. A fault it cannot serve
 * unregisters the region, which wakes the writer too.
 */
static void *serve(void *arg)
{
	struct wp_state *st = arg;
	struct uffdio_range all = { (uintptr_t)st->r->addr, st->r->map_len };

	while (!st->stop) {
		struct pollfd p = { .fd = st->uffd, .events = POLLIN };
		struct uffdio_writeprotect wp = { .mode = 0 };
		struct uffd_msg m;

		if (poll(&p, 1, 20) <= 0 ||
		    read(st->uffd, &m, sizeof(m)) != (ssize_t)sizeof(m) ||
		    m.event != UFFD_EVENT_PAGEFAULT)
			continue;
		wp.range.start =
			m.arg.pagefault.address & ~(uint64_t)(st->page - 1);
		wp.range.len = st->page;
		if (!(m.arg.pagefault.flags & UFFD_PAGEFAULT_FLAG_WP) ||
		    ioctl(st->uffd, UFFDIO_WRITEPROTECT, &wp)) {
			ioctl(st->uffd, UFFDIO_UNREGISTER, &all);
			continue;
		}
		st->wp_faults++;
	}
	return NULL;
}

static int uffd_protect(struct wp_state *st, char *reason, size_t len)
{
	bool shmem = st->r->flags & MEM_SHMEM;
	uint64_t want = UFFD_FEATURE_PAGEFAULT_FLAG_WP |
			(shmem ? UFFD_FEATURE_WP_HUGETLBFS_SHMEM : 0);
	struct uffdio_register reg = {
		.range = { (uintptr_t)st->r->addr, st->r->map_len },
		.mode = UFFDIO_REGISTER_MODE_WP,
	};
	struct uffdio_writeprotect wp = { .range = reg.range,
					  .mode = UFFDIO_WRITEPROTECT_MODE_WP };

	st->uffd = uffd_open(want);
	if (st->uffd < 0) {
		snprintf(reason, len, "no userfaultfd with write-protect%s: %s",
			 shmem ? " of shmem" : "", strerror(errno));
		return -1;
	}
	/* On failure the fd stays for undo, which runs either way. */
	if (ioctl(st->uffd, UFFDIO_REGISTER, &reg)) {
		snprintf(reason, len,
			 "UFFDIO_REGISTER of the region failed: %s",
			 strerror(errno));
		return -1;
	}
	if (ioctl(st->uffd, UFFDIO_WRITEPROTECT, &wp)) {
		snprintf(reason, len,
			 "UFFDIO_WRITEPROTECT of the region failed: %s",
			 strerror(errno));
		return -1;
	}
	st->wp_faults = 0;
	st->stop = false;
	if (pthread_create(&st->server, NULL, serve, st)) {
		snprintf(reason, len, "cannot start the fault server");
		return -1;
	}
	st->serving = true;
	return 0;
}

static void uffd_settle(struct wp_state *st)
{
	if (!st->serving)
		return;
	st->stop = true;
	pthread_join(st->server, NULL);
	st->serving = false;
}

/* Closing the fd unregisters the region (and would wake a writer). */
static void uffd_undo(struct wp_state *st)
{
	uffd_settle(st);
	if (st->uffd >= 0)
		close(st->uffd);
	st->uffd = -1;
}

const struct wp_how wp_uffd = {
	.name = "UFFDIO_WRITEPROTECT",
	.protect = uffd_protect,
	.settle = uffd_settle,
	.undo = uffd_undo,
};

static int read_only_then_writable(struct wp_state *st, char *reason,
				   size_t len)
{
	if (mprotect(st->r->addr, st->r->map_len, PROT_READ) ||
	    mprotect(st->r->addr, st->r->map_len, PROT_READ | PROT_WRITE)) {
		snprintf(reason, len, "mprotect failed: %s", strerror(errno));
		return -1;
	}
	return 0;
}

const struct wp_how wp_mprotect = {
	.name = "mprotect PROT_READ, then PROT_WRITE",
	.protect = read_only_then_writable,
	.settle = nothing,
	.undo = nothing,
};
