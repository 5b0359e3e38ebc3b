// SPDX-License-Identifier: GPL-2.0
/*
 * udmabuf-pin: creating a udmabuf from a memfd (UDMABUF_CREATE) and
 * closing it. Since Linux 6.11 ("udmabuf: pin the pages using
 * memfd_pin_folios() API") creation pins every folio with FOLL_PIN; before
 * it took plain references through the shmem page cache.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/udmabuf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "kernel/kver.h"
#include "reg/reg.h"
#include "cli/xalloc.h"

static int udmabuf_pin_probe(const struct reg_env *env, char *reason, size_t len)
{
	int fd = open("/dev/udmabuf", O_RDWR | O_CLOEXEC);

	if (fd >= 0) {
		close(fd);
		return 0;
	}
	snprintf(reason, len, "/dev/udmabuf: %s (kernel without CONFIG_UDMABUF?)",
		 strerror(errno));
	return -1;
}

/* /dev/udmabuf for each region, opened outside the timed loop. */
static int udmabuf_pin_open(const struct reg_env *env, struct mem_region *r)
{
	int *fd = xmalloc(sizeof(*fd));

	*fd = open("/dev/udmabuf", O_RDWR | O_CLOEXEC);
	if (*fd < 0) {
		free(fd);
		return errno;
	}
	r->reg_priv = fd;
	return 0;
}

static void udmabuf_pin_close(struct mem_region *r)
{
	close(*(int *)r->reg_priv);
	free(r->reg_priv);
	r->reg_priv = NULL;
}

/* udmabuf takes memfds sealed against shrinking: a tmpfs file is shmem
 * too, but only a memfd can carry seals. */
static int udmabuf_pin_prepare(const struct mem_region *r, char *reason,
			       size_t len)
{
	int seals = r->fd >= 0 ? fcntl(r->fd, F_GET_SEALS) : -1;

	if (seals < 0 || !(r->flags & MEM_SHMEM)) {
		snprintf(reason, len, "udmabuf-pin needs a memfd source (--mem memfd or udmabuf)");
		return -1;
	}
	if (!(seals & F_SEAL_SHRINK) && fcntl(r->fd, F_ADD_SEALS, F_SEAL_SHRINK)) {
		snprintf(reason, len, "cannot seal the memfd against shrinking: %s",
			 strerror(errno));
		return -1;
	}
	return 0;
}

static int udmabuf_pin_reg(const struct reg_env *env, struct mem_region *r,
			   int access, void **handle)
{
	struct udmabuf_create c = {
		.memfd = (__u32)r->fd,
		.flags = UDMABUF_FLAGS_CLOEXEC,
		.offset = 0,
		.size = r->map_len,
	};
	int fd = ioctl(*(int *)r->reg_priv, UDMABUF_CREATE, &c);

	if (fd < 0)
		return errno;
	/* The handle carries the dmabuf fd, offset by one so 0 stays free. */
	*handle = (void *)(uintptr_t)(fd + 1);
	return 0;
}

static int udmabuf_pin_dereg(void *handle)
{
	return close((int)(uintptr_t)handle - 1) ? errno : 0;
}

static long size_limit_bytes(void)
{
	FILE *f = fopen("/sys/module/udmabuf/parameters/size_limit_mb", "r");
	long mb = -1;

	if (f) {
		if (fscanf(f, "%ld", &mb) != 1)
			mb = -1;
		fclose(f);
	}
	return mb < 0 ? -1 : mb << 20;
}

static void udmabuf_pin_expect(const struct reg_env *env,
			       const struct mem_region *r, int access,
			       bool prefault, struct reg_expect *e)
{
	long limit = size_limit_bytes();

	e->outcome = limit >= 0 && (long)r->map_len > limit ? "EINVAL" : "ok";
	e->pins = kver_running() >= KVER(6, 11, 0) && !strcmp(e->outcome, "ok") ?
		(long long)(r->map_len / r->page_size) : 0;
}

/* The dmabuf's release runs on the way back from close(2). */
static const char *const udmabuf_entry[] = { "udmabuf_ioctl", "__*_sys_close",
					     NULL };

const struct registrar reg_udmabuf_pin = {
	.name = "udmabuf-pin",
	.help = "create and close a udmabuf over a memfd (pins since 6.11)",
	.probe = udmabuf_pin_probe,
	.prepare = udmabuf_pin_prepare,
	.open = udmabuf_pin_open,
	.close = udmabuf_pin_close,
	.reg = udmabuf_pin_reg,
	.dereg = udmabuf_pin_dereg,
	.trace_entry = udmabuf_entry,
	.expect = udmabuf_pin_expect,
};
