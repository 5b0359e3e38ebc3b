// SPDX-License-Identifier: GPL-2.0
/*
 * v4l2: a V4L2 USERPTR capture buffer. Queuing it (VIDIOC_QBUF) makes
 * videobuf2 take the region: __prepare_userptr() calls the allocator's
 * get_userptr(), which pins every page through the frame vector
 * (vb2_create_framevec -> get_vaddr_frames -> pin_user_pages_fast with
 * FOLL_LONGTERM), and the vmalloc allocator then maps them into the
 * kernel (vm_map_ram). The buffer is never streamed, so no frame is
 * written: what is timed is the pin and vb2's own work around it.
 *
 * videobuf2 keeps a USERPTR buffer pinned until the buffer itself goes:
 * without streaming it never comes back from the queue, and queuing the
 * same address again is not a new pin. So deregistration is
 * VIDIOC_REQBUFS(0), which frees the queue's buffers and unpins
 * (put_userptr: vm_unmap_ram, pages marked dirty, unpin_user_pages), and
 * registration must ask for the buffer again each time: REQBUFS(1) (an
 * allocation of the queue's buffer structs, no memory) then QBUF. Both
 * are timed as the registration.
 *
 * The device's input and format are set once per region, outside the
 * timed region, to the smallest frame it allows (v4l2_dev.c), and put
 * back at close. One queue has one owner, so one region at a time: with
 * --threads, a device per thread would be needed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli/xalloc.h"
#include "kernel/kver.h"
#include "reg/longterm.h"
#include "reg/v4l2_dev.h"

struct v4l2_opts {
	const char *path; /* --v4l2-dev, NULL: the first that will do */
};

static struct v4l2_opts vo;

/* The device found by the first probe, and why not when there is none. */
static struct v4l2_target target;
static int found; /* 0 not looked for, 1 found, -1 none */
static char none[256];
static unsigned open_regions;

static const struct opt v4l2_opts_table[] = {
	OPT_ROW("v4l2-dev", 0, "PATH",
		"V4L2 capture device for v4l2 (the first /dev/video* with USERPTR)",
		OPT_STR, struct v4l2_opts, path),
	OPT_END,
};

/* One region's hold on the device. */
struct v4l2_region {
	int fd;
	__u32 type;
	bool input_saved;
	__u32 input; /* the device's own, put back at close */
	struct v4l2_format fmt;
};

static int v4l2_probe(const struct reg_env *env, char *reason, size_t len)
{
	if (!found)
		found = v4l2_target_find(vo.path, &target, none, sizeof(none)) ?
				-1 :
				1;
	if (found > 0)
		return 0;
	snprintf(reason, len, "%s", none);
	return -1;
}

/*
 * A buffer shorter than the frame is refused by vb2 with EINVAL before
 * anything is pinned: no measurement of a pin, so unsupported, saying
 * why. A buffer's length is 32 bits.
 */
static int v4l2_prepare(const struct mem_region *r, char *reason, size_t len)
{
	if (open_regions) {
		snprintf(
			reason, len,
			"%s takes one region at a time (one queue, one owner): run v4l2 with one thread",
			target.path);
		return -1;
	}
	if (r->size > UINT32_MAX) {
		snprintf(
			reason, len,
			"a V4L2 buffer's length is 32 bits: at most 4G-1 bytes");
		return -1;
	}
	if (r->size < target.frame_bytes) {
		snprintf(
			reason, len,
			"the smallest frame %s allows is %zu bytes (%s): vb2 refuses a shorter buffer (EINVAL)",
			target.path, target.frame_bytes, target.frame);
		return -1;
	}
	return 0;
}

/* Outside the timed region: the device, set to the smallest frame. */
static int v4l2_open(const struct reg_env *env, struct mem_region *r)
{
	struct v4l2_region *v = xcalloc(1, sizeof(*v));
	struct v4l2_format fmt = target.fmt;
	__u32 input = target.input;
	int err;

	v->type = target.type;
	v->fd = open(target.path, O_RDWR | O_CLOEXEC);
	if (v->fd < 0)
		goto fail;
	v->fmt.type = v->type;
	if (ioctl(v->fd, VIDIOC_G_FMT, &v->fmt))
		goto fail;
	v->input_saved =
		target.has_input && !ioctl(v->fd, VIDIOC_G_INPUT, &v->input);
	if ((target.has_input && ioctl(v->fd, VIDIOC_S_INPUT, &input)) ||
	    ioctl(v->fd, VIDIOC_S_FMT, &fmt))
		goto fail;
	r->reg_priv = v;
	open_regions++;
	return 0;
fail:
	err = errno ? errno : EIO;
	if (v->fd >= 0)
		close(v->fd);
	free(v);
	return err;
}

static void v4l2_close(struct mem_region *r)
{
	struct v4l2_region *v = r->reg_priv;
	struct v4l2_requestbuffers rb = { .count = 0,
					  .type = v->type,
					  .memory = V4L2_MEMORY_USERPTR };

	ioctl(v->fd, VIDIOC_REQBUFS, &rb);
	if (v->input_saved)
		ioctl(v->fd, VIDIOC_S_INPUT, &v->input);
	ioctl(v->fd, VIDIOC_S_FMT, &v->fmt);
	close(v->fd);
	free(v);
	r->reg_priv = NULL;
	open_regions--;
}

static int v4l2_reg(const struct reg_env *env, struct mem_region *r, int access,
		    void **handle)
{
	struct v4l2_region *v = r->reg_priv;
	struct v4l2_requestbuffers rb = { .count = 1,
					  .type = v->type,
					  .memory = V4L2_MEMORY_USERPTR };
	struct v4l2_plane plane = { .m.userptr = (unsigned long)r->addr,
				    .length = (__u32)r->size };
	struct v4l2_buffer b = { .index = 0,
				 .type = v->type,
				 .memory = V4L2_MEMORY_USERPTR };

	if (ioctl(v->fd, VIDIOC_REQBUFS, &rb))
		return errno;
	if (v->type == V4L2_BUF_TYPE_VIDEO_CAPTURE_MPLANE) {
		b.m.planes = &plane;
		b.length = 1;
	} else {
		b.m.userptr = plane.m.userptr;
		b.length = plane.length;
	}
	if (ioctl(v->fd, VIDIOC_QBUF, &b))
		return errno;
	*handle = v;
	return 0;
}

static int v4l2_dereg(void *handle)
{
	struct v4l2_region *v = handle;
	struct v4l2_requestbuffers rb = { .count = 0,
					  .type = v->type,
					  .memory = V4L2_MEMORY_USERPTR };

	return ioctl(v->fd, VIDIOC_REQBUFS, &rb) ? errno : 0;
}

/*
 * A capture buffer is written by the device, so the pin asks for
 * FOLL_WRITE whatever --access says, through pin_user_pages_fast() on
 * every kernel we run:
 * - Up to 6.1 get_vaddr_frames() pinned with FOLL_FORCE | FOLL_WRITE |
 *   FOLL_LONGTERM for every queue. Linux 6.2 took FOLL_FORCE away, "mm/
 *   frame-vector: remove FOLL_FORCE usage" (David Hildenbrand), and
 *   "media: videobuf2: revert "get_userptr: buffers are always
 *   writable"" (Hans Verkuil) made FOLL_WRITE depend on the queue's DMA
 *   direction: still set for capture (DMA_FROM_DEVICE), for the vmalloc,
 *   dma-sg and dma-contig allocators alike. So the rules are GUP's
 *   (lib/reg/longterm.c): FS-DAX refused with EOPNOTSUPP, writable
 *   shared ext4/xfs mappings with EFAULT since 6.5 (one pin and one
 *   unpin by GUP-fast first), a mapping without PROT_WRITE with EFAULT
 *   (up to 6.1 allowed when private: FOLL_FORCE breaks COW), ZONE_MOVABLE
 *   pages migrated out first.
 * - A refusal comes back from QBUF as GUP gave it: get_userptr passes
 *   the error up, and __prepare_userptr() returns it.
 * - A partial pin (fewer pages than asked, the range running into a
 *   mapping GUP stops at) is refused by vb2_create_framevec() with EFAULT
 *   after unpinning what was pinned; a region is one mapping, so it does
 *   not arise here.
 * - vivid on dma-contig (allocators=1) offers no USERPTR at all: probe
 *   says so. A dma-contig device that does adds an sg table and a DMA
 *   mapping after the pin, and without an IOMMU refuses (EFAULT, pins
 *   given back) a region whose pages are not physically contiguous.
 */
static void v4l2_expect(const struct reg_env *env, const struct mem_region *r,
			int access, bool prefault, struct reg_expect *e)
{
	int kv = kver_running();
	unsigned gup = LONGTERM_WRITE | LONGTERM_FAST;

	if (kv < KVER(6, 2, 0))
		gup |= LONGTERM_FORCE;
	longterm_expect(r, gup, kv, e);
}

/* The V4L2 ioctl handler: REQBUFS and QBUF, vb2's own bookkeeping, the
 * frame vector, are its own time; the pin, the kernel mapping
 * (vm_map_ram) and the release have their phases (lib/trace/phase.c). */
static const char *const v4l2_entry[] = { "v4l2_ioctl", NULL };

const struct registrar reg_v4l2 = {
	.name = "v4l2",
	.help = "V4L2 USERPTR capture buffer: QBUF pins, REQBUFS(0) unpins",
	.probe = v4l2_probe,
	.prepare = v4l2_prepare,
	.open = v4l2_open,
	.close = v4l2_close,
	.reg = v4l2_reg,
	.dereg = v4l2_dereg,
	.trace_entry = v4l2_entry,
	.expect = v4l2_expect,
	.opts = v4l2_opts_table,
	.opt_owner = &vo,
};
