// SPDX-License-Identifier: GPL-2.0
/*
 * iouring: io_uring fixed buffers (io_uring_register_buffers). The kernel
 * pins the buffer with FOLL_WRITE | FOLL_LONGTERM, the same kind of pin as
 * an RDMA MR but with no device behind it, so it separates what GUP costs
 * from what the RDMA driver adds, on any Linux host.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/uio.h>

#include "kernel/kver.h"
#include "reg/longterm.h"
#include "cli/xalloc.h"

#define IOURING_HELP \
	"io_uring fixed buffer: a FOLL_LONGTERM pin with no RDMA device"

#ifdef HAVE_LIBURING
#include <liburing.h>

static int iouring_probe(const struct reg_env *env, char *reason, size_t len)
{
	struct io_uring ring;
	int rc = -io_uring_queue_init(1, &ring, 0);

	if (rc > 0) {
		snprintf(reason, len, "io_uring_queue_init failed: %s%s",
			 strerror(rc),
			 rc == EPERM ? " (kernel.io_uring_disabled?)" : "");
		return -1;
	}
	io_uring_queue_exit(&ring);
	return 0;
}

/* A ring for each region, made outside the timed loop: what is timed is
 * the buffer's registration alone. */
static int iouring_open(const struct reg_env *env, struct mem_region *r)
{
	struct io_uring *ring = xcalloc(1, sizeof(*ring));
	int rc = -io_uring_queue_init(1, ring, 0);

	if (rc > 0) {
		free(ring);
		return rc;
	}
	r->reg_priv = ring;
	return 0;
}

static void iouring_close(struct mem_region *r)
{
	io_uring_queue_exit(r->reg_priv);
	free(r->reg_priv);
	r->reg_priv = NULL;
}

static int iouring_reg(const struct reg_env *env, struct mem_region *r,
		       int access, void **handle)
{
	struct iovec iov = { r->addr, r->size };
	int rc = io_uring_register_buffers(r->reg_priv, &iov, 1);

	if (rc < 0)
		return -rc;
	*handle = r->reg_priv;
	return 0;
}

static int iouring_dereg(void *handle)
{
	int rc = io_uring_unregister_buffers(handle);

	return rc < 0 ? -rc : 0;
}

/*
 * The pin asks FOLL_WRITE without FOLL_FORCE (GUP's rules:
 * lib/reg/longterm.c), and io_uring adds its own:
 * - io_buffer_validate() refuses a buffer over 1 GiB with EFAULT.
 * - Before Linux 6.5, io_uring checked the VMAs itself, after GUP, and
 *   refused any file mapping but shmem and hugetlbfs with EOPNOTSUPP,
 *   shared or private, unpinning the pages pin_user_pages() had already
 *   pinned: every page counts a pin and an unpin (16 for 64K on 6.1).
 *   "io_uring: rsrc: delegate VMA file-backed check to GUP" (6.5) left
 *   it to GUP, and the same series pins through pin_user_pages_fast().
 */
static void iouring_expect(const struct reg_env *env, const struct mem_region *r,
			   int access, bool prefault, struct reg_expect *e)
{
	bool plain_file = (r->flags & MEM_FILE) &&
			  !(r->flags & (MEM_SHMEM | MEM_HUGETLB));
	int kv = kver_running();

	longterm_expect(
		r, LONGTERM_WRITE | (kv >= KVER(6, 5, 0) ? LONGTERM_FAST : 0),
		kv, e);
	if (r->size > (1UL << 30))
		longterm_refused(e, "EFAULT");
	else if (!strcmp(e->outcome, "ok") && kv < KVER(6, 5, 0) && plain_file)
		e->outcome = "EOPNOTSUPP"; /* after pinning: the pins stay */
}

/* The register syscall itself: io_uring's bookkeeping (and, before
 * 6.2, its quiescing of the ring) is its own time. */
static const char *const iouring_entry[] = { "__*_sys_io_uring_register",
					     NULL };

const struct registrar reg_iouring = {
	.name = "iouring",
	.help = IOURING_HELP,
	.flags = REG_MEMLOCK,
	.probe = iouring_probe,
	.open = iouring_open,
	.close = iouring_close,
	.reg = iouring_reg,
	.dereg = iouring_dereg,
	.trace_entry = iouring_entry,
	.expect = iouring_expect,
};
#else
const struct registrar reg_iouring = {
	.name = "iouring",
	.help = IOURING_HELP,
	.flags = REG_MEMLOCK,
	.unimplemented = "mrbench was built without liburing",
};
#endif
