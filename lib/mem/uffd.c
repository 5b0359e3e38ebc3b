// SPDX-License-Identifier: GPL-2.0
/*
 * uffd: private anonymous memory registered with userfaultfd in MISSING
 * mode, and nobody serving its faults: what memory looks like to RDMA
 * next to a userfaultfd-based live migration (postcopy) whose handler
 * stalls. A long-term pin of its untouched pages faults them in from
 * the kernel, and GUP waits in handle_userfault for a UFFDIO_COPY that
 * never comes (kernels from 6.4 on; older ones fail the pin with EFAULT
 * at once). It is the real hang --op-timeout is for, so it runs only
 * when named: never one of "all" (MEM_SOURCE_NAMED in list.h).
 *
 * Without --op-timeout it is refused: the thread waits killable, so a
 * Ctrl-C would never reach the run's handler, and only SIGKILL, which
 * saves nothing and restores nothing, would end it.
 *
 * Prefault means nothing here: touching a page from user space would
 * wait the same way, on the measuring thread, before any operation is
 * watched. populate leaves the pages missing, and the record says so.
 */
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <linux/userfaultfd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kernel/uffd.h"
#include "measure/watchdog.h"
#include "mem/mem.h"

static int uffd_probe(const struct mem_source *self, const char *arg,
		      char *reason, size_t len)
{
	int fd, err;

	if (watchdog_timeout() <= 0) {
		snprintf(
			reason, len,
			"a pin of uffd memory never returns: run it with --op-timeout");
		return -1;
	}
	if ((fd = uffd_open(0)) >= 0) {
		close(fd);
		return 0;
	}
	err = errno;
	snprintf(reason, len, "no userfaultfd: %s%s", strerror(err),
		 err == ENOSYS ? " (kernel without CONFIG_USERFAULTFD)" :
		 err == EPERM ?
				 " (vm.unprivileged_userfaultfd is 0: kernel faults need root or CAP_SYS_PTRACE)" :
				 "");
	return -1;
}

static void uffd_free(struct mem_region *r)
{
	int *fd = r->priv;

	if (r->addr)
		munmap(r->addr, r->map_len);
	r->addr = NULL;
	if (fd && *fd >= 0)
		close(*fd);
	free(fd);
	r->priv = NULL;
}

static int uffd_alloc(const struct mem_source *self, struct mem_region *r,
		      size_t size)
{
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };
	int *fd = malloc(sizeof(*fd)), rc;

	if (!fd)
		return ENOMEM;
	r->page_size = mem_base_page();
	r->size = size;
	r->map_len = mem_round_up(size, r->page_size);
	r->addr = mmap(NULL, r->map_len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (r->addr == MAP_FAILED) {
		r->addr = NULL;
		free(fd);
		return errno;
	}
	/* Base pages, as anon: a huge page fault would wait the same. */
	madvise(r->addr, r->map_len, MADV_NOHUGEPAGE);
	r->priv = fd;
	reg.range.start = (unsigned long)r->addr;
	reg.range.len = r->map_len;
	if ((*fd = uffd_open(0)) < 0 || ioctl(*fd, UFFDIO_REGISTER, &reg)) {
		rc = errno;
		uffd_free(r);
		return rc;
	}
	return 0;
}

/* The pages stay missing: see the top of the file. */
static int uffd_populate(struct mem_region *r)
{
	return 0;
}

static int uffd_discard(struct mem_region *r)
{
	return madvise(r->addr, r->map_len, MADV_DONTNEED) ? errno : 0;
}

static void uffd_describe(const struct mem_region *r, json_object *extra)
{
	json_object_object_add(
		extra, "uffd",
		json_object_new_string(
			"missing mode, not served; prefault ignored"));
}

const struct mem_source mem_uffd = {
	.name = "uffd",
	.help = "anonymous memory under userfaultfd, faults never served: a pin hangs (named only)",
	.probe = uffd_probe,
	.alloc = uffd_alloc,
	.populate = uffd_populate,
	.discard = uffd_discard,
	.free = uffd_free,
	.describe = uffd_describe,
};
