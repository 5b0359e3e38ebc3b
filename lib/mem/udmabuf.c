// SPDX-License-Identifier: GPL-2.0
/*
 * udmabuf: a memfd exported as a dmabuf through /dev/udmabuf, for the
 * registrars that take a dmabuf (dmabuf_fd) as well as those that take
 * the address of the memfd's MAP_SHARED mapping. The kernel wants the
 * memfd sealed against shrinking, so the pages cannot vanish under the
 * dmabuf, and refuses sizes above the udmabuf module's size_limit_mb.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/udmabuf.h>

#include "mem/file_common.h"
#include "kernel/restore.h"

#define UDMABUF_DEV   "/dev/udmabuf"
#define UDMABUF_LIMIT "/sys/module/udmabuf/parameters/size_limit_mb"

static int udmabuf_probe(const struct mem_source *self, const char *arg,
			 char *reason, size_t len)
{
	int fd = open(UDMABUF_DEV, O_RDWR | O_CLOEXEC);

	if (fd >= 0) {
		close(fd);
		return 0;
	}
	if (errno == ENOENT)
		snprintf(
			reason, len,
			UDMABUF_DEV
			" missing (kernel without CONFIG_UDMABUF, or modprobe udmabuf)");
	else
		snprintf(reason, len, UDMABUF_DEV ": %s", strerror(errno));
	return 1;
}

/* Above the limit the kernel says EINVAL; as root we raise it instead. */
static int udmabuf_probe_size(const struct mem_source *self, const char *arg,
			      size_t size, char *reason, size_t len)
{
	size_t mb = (mem_round_up(size, mem_base_page()) + (1 << 20) - 1) >> 20;
	char value[32], err[200];
	unsigned long limit;

	if (mem_read_ulong(UDMABUF_LIMIT, &limit) || mb <= limit)
		return 0;
	snprintf(value, sizeof(value), "%zu", mb);
	if (access(UDMABUF_LIMIT, W_OK) ||
	    restore_write(UDMABUF_LIMIT, value, err, sizeof(err))) {
		snprintf(
			reason, len,
			"udmabuf size_limit_mb is %lu, %zu MiB needed: run as root (mrbench then raises it) or load udmabuf with size_limit_mb=%zu",
			limit, mb, mb);
		return 1;
	}
	return 0;
}

static int dmabuf_create(struct mem_region *r)
{
	struct udmabuf_create c = {
		.memfd = (__u32)r->fd,
		.flags = UDMABUF_FLAGS_CLOEXEC,
		.size = r->map_len,
	};
	int dev = open(UDMABUF_DEV, O_RDWR | O_CLOEXEC), rc = 0;

	if (dev < 0)
		return errno;
	r->dmabuf_fd = ioctl(dev, UDMABUF_CREATE, &c);
	if (r->dmabuf_fd < 0)
		rc = errno;
	close(dev);
	return rc;
}

static int udmabuf_alloc(const struct mem_source *self, struct mem_region *r,
			 size_t size)
{
	int rc = mem_memfd_map(r, size, MFD_ALLOW_SEALING);

	if (rc)
		return rc;
	if (fcntl(r->fd, F_ADD_SEALS, F_SEAL_SHRINK))
		rc = errno;
	else
		rc = dmabuf_create(r);
	if (rc)
		mem_file_free(r);
	return rc;
}

/*
 * The dmabuf holds its pages for as long as it lives: a hole punched
 * under it would leave the dmabuf and the mapping on different pages. So
 * drop it, punch, and export again. Exporting reads every page of the
 * memfd in, so a discarded udmabuf has its pages in the page cache but
 * none mapped: the next registration through the mapping takes minor
 * faults only.
 */
static int udmabuf_discard(struct mem_region *r)
{
	int rc;

	close(r->dmabuf_fd);
	r->dmabuf_fd = -1;
	if ((rc = mem_file_discard(r)))
		return rc;
	return dmabuf_create(r);
}

const struct mem_source mem_udmabuf = {
	.name = "udmabuf",
	.help = "a sealed memfd exported as a dmabuf by /dev/udmabuf, MAP_SHARED",
	.probe = udmabuf_probe,
	.probe_size = udmabuf_probe_size,
	.alloc = udmabuf_alloc,
	.populate = mem_touch,
	.discard = udmabuf_discard,
	.free = mem_file_free,
};
