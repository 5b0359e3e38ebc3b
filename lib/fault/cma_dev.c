// SPDX-License-Identifier: GPL-2.0
/*
 * CMA allocations through a videobuf2-dma-contig device (cma_dev.h says
 * why that way), and the CMA area's sysfs counters.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/videodev2.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "fault/cma_dev.h"
#include "measure/clock.h"
#include "mem/mem.h"

#define CMA_SYSFS  "/sys/kernel/mm/cma/"
#define ALLOCATORS "/sys/module/vivid/parameters/allocators"

int cma_area_name(char *name, size_t len, char *reason, size_t rlen)
{
	DIR *d = opendir(CMA_SYSFS);
	struct dirent *e;

	while (d && (e = readdir(d)))
		if (e->d_name[0] != '.') {
			snprintf(name, len, "%s", e->d_name);
			closedir(d);
			return 0;
		}
	if (d)
		closedir(d);
	snprintf(
		reason, rlen,
		"no CMA area in " CMA_SYSFS
		" (CONFIG_CMA_SYSFS): its counters say whether CMA served an allocation");
	return -1;
}

static long long count(const char *name, const char *what)
{
	char path[256];
	unsigned long v;

	snprintf(path, sizeof(path), CMA_SYSFS "%s/%s", name, what);
	return mem_read_ulong(path, &v) ? -1 : (long long)v;
}

void cma_counts_read(const char *name, struct cma_counts *c)
{
	c->success = count(name, "alloc_pages_success");
	c->fail = count(name, "alloc_pages_fail");
	c->total = count(name, "total_pages");
	c->available = count(name, "available_pages");
}

int cma_dev_open(char *reason, size_t rlen)
{
	char line[64];

	/* The first instance's allocator: 1 is dma-contig. */
	if (mem_read_line(ALLOCATORS, line, sizeof(line)) || line[0] != '1') {
		snprintf(
			reason, rlen,
			"no way to ask for a CMA allocation: Debian's kernels have neither CONFIG_CMA_DEBUGFS nor CONFIG_DMABUF_HEAPS_CMA, and no vivid on dma-contig is loaded (modprobe vivid allocators=1)");
		return -1;
	}
	for (int i = 0; i < 64; i++) {
		struct v4l2_capability cap;
		char dev[32];
		int fd;

		snprintf(dev, sizeof(dev), "/dev/video%d", i);
		if ((fd = open(dev, O_RDWR | O_CLOEXEC)) < 0)
			continue;
		if (!ioctl(fd, VIDIOC_QUERYCAP, &cap) &&
		    !strcmp((const char *)cap.driver, "vivid") &&
		    (cap.device_caps & V4L2_CAP_VIDEO_CAPTURE))
			return fd;
		close(fd);
	}
	snprintf(reason, rlen,
		 "vivid is loaded but has no single-planar capture node");
	return -1;
}

int cma_dev_alloc(int fd, size_t bytes, uint64_t *ns)
{
	struct v4l2_create_buffers cb = { .count = 1,
					  .memory = V4L2_MEMORY_MMAP };
	uint64_t t0;
	int rc = 0;

	cb.format.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
	if (ioctl(fd, VIDIOC_G_FMT, &cb.format))
		return errno;
	cb.format.fmt.pix.sizeimage = (__u32)bytes;
	t0 = clock_ns();
	if (ioctl(fd, VIDIOC_CREATE_BUFS, &cb))
		rc = errno;
	*ns = clock_ns() - t0;
	return rc;
}

void cma_dev_free(int fd)
{
	struct v4l2_requestbuffers rb = { .count = 0,
					  .type = V4L2_BUF_TYPE_VIDEO_CAPTURE,
					  .memory = V4L2_MEMORY_MMAP };

	ioctl(fd, VIDIOC_REQBUFS, &rb);
}
