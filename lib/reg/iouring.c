// SPDX-License-Identifier: GPL-2.0
/*
 * iouring: io_uring fixed buffers (io_uring_register_buffers). The kernel
 * pins the buffer with FOLL_WRITE | FOLL_LONGTERM, the same kind of pin as
 * an RDMA MR but with no device behind it, so it separates what GUP costs
 * from what the RDMA driver adds, on any Linux host. iouring-split is
 * the same pin for regions over io_uring's 1 GiB limit.
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

#define SPLIT_HELP \
	"io_uring fixed buffers of 1 GiB, its largest, registered together"

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

/* The largest buffer io_uring takes (io_buffer_validate()). */
#define BUF_MAX (1ULL << 30)

/*
 * A ring for each region, and the buffers it is registered as, made
 * outside the timed loop: what is timed is the registration alone.
 */
struct iouring_bufs {
	struct io_uring ring;
	unsigned n;
	struct iovec iov[];
};

/* The region as buffers of at most chunk bytes each. */
static int bufs_open(struct mem_region *r, uint64_t chunk)
{
	unsigned n = (unsigned)((r->size + chunk - 1) / chunk);
	struct iouring_bufs *b = xcalloc(1, sizeof(*b) + n * sizeof(b->iov[0]));
	int rc = -io_uring_queue_init(1, &b->ring, 0);

	if (rc > 0) {
		free(b);
		return rc;
	}
	b->n = n;
	for (unsigned i = 0; i < n; i++) {
		uint64_t off = (uint64_t)i * chunk;

		b->iov[i].iov_base = (char *)r->addr + off;
		b->iov[i].iov_len =
			r->size - off < chunk ? r->size - off : chunk;
	}
	r->reg_priv = b;
	return 0;
}

/* iouring: the region is one buffer, whatever its size. */
static int iouring_open(const struct reg_env *env, struct mem_region *r)
{
	return bufs_open(r, r->size ? r->size : 1);
}

static void iouring_close(struct mem_region *r)
{
	struct iouring_bufs *b = r->reg_priv;

	io_uring_queue_exit(&b->ring);
	free(b);
	r->reg_priv = NULL;
}

static int iouring_reg(const struct reg_env *env, struct mem_region *r,
		       int access, void **handle)
{
	struct iouring_bufs *b = r->reg_priv;
	int rc = io_uring_register_buffers(&b->ring, b->iov, b->n);

	if (rc < 0)
		return -rc;
	*handle = &b->ring;
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
static void bufs_expect(const struct mem_region *r, bool one_buffer,
			struct reg_expect *e)
{
	bool plain_file = (r->flags & MEM_FILE) &&
			  !(r->flags & (MEM_SHMEM | MEM_HUGETLB));
	int kv = kver_running();

	longterm_expect(
		r, LONGTERM_WRITE | (kv >= KVER(6, 5, 0) ? LONGTERM_FAST : 0),
		kv, e);
	if (one_buffer && r->size > BUF_MAX)
		longterm_refused(e, "EFAULT");
	else if (!strcmp(e->outcome, "ok") && kv < KVER(6, 5, 0) && plain_file)
		e->outcome = "EOPNOTSUPP"; /* after pinning: the pins stay */
}

static void iouring_expect(const struct reg_env *env,
			   const struct mem_region *r, int access,
			   bool prefault, struct reg_expect *e)
{
	bufs_expect(r, true, e);
}

/*
 * iouring-split: the region as buffers of 1 GiB, the most io_uring takes
 * in one, all registered in one call, as an application registers more
 * (io_sqe_buffers_register() pins them one after the other; the limit
 * is IORING_MAX_REG_BUFFERS, 16K of them).
 */
static int split_open(const struct reg_env *env, struct mem_region *r)
{
	return bufs_open(r, BUF_MAX);
}

static void split_expect(const struct reg_env *env, const struct mem_region *r,
			 int access, bool prefault, struct reg_expect *e)
{
	bufs_expect(r, false, e);
}

/* The register syscall itself: io_uring's bookkeeping (and, before
 * 6.2, its quiescing of the ring) is its own time. */
static const char *const iouring_entry[] = { "__*_sys_io_uring_register",
					     NULL };

const struct registrar reg_iouring = {
	.name = "iouring",
	.help = IOURING_HELP,
	.flags = REG_MEMLOCK | REG_CONTEXT_PER_REGION,
	.probe = iouring_probe,
	.open = iouring_open,
	.close = iouring_close,
	.reg = iouring_reg,
	.dereg = iouring_dereg,
	.trace_entry = iouring_entry,
	.expect = iouring_expect,
};

const struct registrar reg_iouring_split = {
	.name = "iouring-split",
	.help = SPLIT_HELP,
	.flags = REG_MEMLOCK | REG_CONTEXT_PER_REGION,
	.probe = iouring_probe,
	.open = split_open,
	.close = iouring_close,
	.reg = iouring_reg,
	.dereg = iouring_dereg,
	.trace_entry = iouring_entry,
	.expect = split_expect,
};
#else
const struct registrar reg_iouring = {
	.name = "iouring",
	.help = IOURING_HELP,
	.flags = REG_MEMLOCK | REG_CONTEXT_PER_REGION,
	.unimplemented = "mrbench was built without liburing",
};

const struct registrar reg_iouring_split = {
	.name = "iouring-split",
	.help = SPLIT_HELP,
	.flags = REG_MEMLOCK | REG_CONTEXT_PER_REGION,
	.unimplemented = "mrbench was built without liburing",
};
#endif
