// SPDX-License-Identifier: GPL-2.0
/*
 * Finding the V4L2 device the v4l2 registrar queues its buffers to, and
 * the smallest frame that device allows. videobuf2 refuses a USERPTR
 * buffer shorter than the frame (__prepare_userptr: EINVAL before any
 * pin), so the smaller the frame, the smaller the regions that can be
 * measured: vivid's webcam input allows nothing under 320x180 (56 KiB in
 * GREY), its TV, S-Video and HDMI inputs scale down to 16x16.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "reg/v4l2_dev.h"

#define MAX_NODES  64 /* /dev/video0 to /dev/video63 */
#define MAX_INPUTS 64

static bool mplane(const struct v4l2_target *t)
{
	return t->type == V4L2_BUF_TYPE_VIDEO_CAPTURE_MPLANE;
}

/* A capture device that streams: its buffer type, or 0. */
static __u32 capture_type(int fd)
{
	struct v4l2_capability cap;
	__u32 caps;

	if (ioctl(fd, VIDIOC_QUERYCAP, &cap))
		return 0;
	caps = cap.capabilities & V4L2_CAP_DEVICE_CAPS ? cap.device_caps :
							 cap.capabilities;
	if (!(caps & V4L2_CAP_STREAMING))
		return 0;
	if (caps & V4L2_CAP_VIDEO_CAPTURE)
		return V4L2_BUF_TYPE_VIDEO_CAPTURE;
	if (caps & V4L2_CAP_VIDEO_CAPTURE_MPLANE)
		return V4L2_BUF_TYPE_VIDEO_CAPTURE_MPLANE;
	return 0;
}

/*
 * Whether the queue takes USERPTR buffers: REQBUFS of none checks the
 * memory type and allocates nothing, and leaves the queue unowned.
 */
static int takes_userptr(int fd, __u32 type)
{
	struct v4l2_requestbuffers rb = { .count = 0,
					  .type = type,
					  .memory = V4L2_MEMORY_USERPTR };

	return ioctl(fd, VIDIOC_REQBUFS, &rb) ? errno : 0;
}

static void frame_name(struct v4l2_target *t, const struct v4l2_format *f,
		       const char *input)
{
	char in[48] = "";
	__u32 fcc =
		mplane(t) ? f->fmt.pix_mp.pixelformat : f->fmt.pix.pixelformat;
	char cc[5] = { (char)(fcc & 0xff), (char)(fcc >> 8 & 0xff),
		       (char)(fcc >> 16 & 0xff), (char)(fcc >> 24 & 0xff), 0 };

	if (input)
		snprintf(in, sizeof(in), " on input %u (%.32s)", t->input,
			 input);
	snprintf(t->frame, sizeof(t->frame), "%s %ux%u%s", cc,
		 mplane(t) ? f->fmt.pix_mp.width : f->fmt.pix.width,
		 mplane(t) ? f->fmt.pix_mp.height : f->fmt.pix.height, in);
}

/* The frame a format gives at its smallest (1x1 asked, the driver
 * rounds up); kept when it beats the smallest so far. */
static void frame_try(int fd, struct v4l2_target *t, __u32 pixfmt, __u32 input,
		      const char *input_name)
{
	struct v4l2_format f = { .type = t->type };
	size_t bytes;

	if (mplane(t)) {
		f.fmt.pix_mp.pixelformat = pixfmt;
		f.fmt.pix_mp.width = f.fmt.pix_mp.height = 1;
		f.fmt.pix_mp.field = V4L2_FIELD_ANY;
	} else {
		f.fmt.pix.pixelformat = pixfmt;
		f.fmt.pix.width = f.fmt.pix.height = 1;
		f.fmt.pix.field = V4L2_FIELD_ANY;
	}
	if (ioctl(fd, VIDIOC_TRY_FMT, &f))
		return;
	/* One plane: a USERPTR buffer of several would need as many
	 * regions. */
	if (mplane(t) && f.fmt.pix_mp.num_planes != 1)
		return;
	bytes = mplane(t) ? f.fmt.pix_mp.plane_fmt[0].sizeimage :
			    f.fmt.pix.sizeimage;
	if (!bytes || (t->frame_bytes && bytes >= t->frame_bytes))
		return;
	t->fmt = f;
	t->frame_bytes = bytes;
	t->input = input;
	frame_name(t, &f, input_name);
}

static void frames_of_input(int fd, struct v4l2_target *t, __u32 input,
			    const char *input_name)
{
	for (__u32 i = 0;; i++) {
		struct v4l2_fmtdesc d = { .index = i, .type = t->type };

		if (ioctl(fd, VIDIOC_ENUM_FMT, &d))
			break;
		/* A compressed frame's size says nothing of a raw one's. */
		if (!(d.flags & V4L2_FMT_FLAG_COMPRESSED))
			frame_try(fd, t, d.pixelformat, input, input_name);
	}
}

/*
 * Over every input (a capture card's tuner, S-Video, HDMI...), every
 * uncompressed format; the input the device was on is put back. A
 * driver without TRY_FMT leaves the current format.
 */
static void smallest_frame(int fd, struct v4l2_target *t)
{
	__u32 was;

	t->has_input = !ioctl(fd, VIDIOC_G_INPUT, &was);
	for (__u32 i = 0; t->has_input && i < MAX_INPUTS; i++) {
		struct v4l2_input in = { .index = i };
		__u32 sel = i;

		if (ioctl(fd, VIDIOC_ENUMINPUT, &in))
			break;
		if (!ioctl(fd, VIDIOC_S_INPUT, &sel))
			frames_of_input(fd, t, i, (const char *)in.name);
	}
	if (t->has_input)
		ioctl(fd, VIDIOC_S_INPUT, &was);
	else
		frames_of_input(fd, t, 0, NULL);
	if (t->frame_bytes)
		return;
	t->fmt = (struct v4l2_format){ .type = t->type };
	if (ioctl(fd, VIDIOC_G_FMT, &t->fmt))
		return;
	t->input = was;
	t->frame_bytes = mplane(t) ? t->fmt.fmt.pix_mp.plane_fmt[0].sizeimage :
				     t->fmt.fmt.pix.sizeimage;
	frame_name(t, &t->fmt, NULL);
}

/* 0 when path is a device to use, else why not in why. */
static int try_node(const char *path, struct v4l2_target *t, char *why,
		    size_t len)
{
	int fd = open(path, O_RDWR | O_CLOEXEC), rc;

	if (fd < 0) {
		snprintf(why, len, "%s: %s", path, strerror(errno));
		return -1;
	}
	*t = (struct v4l2_target){ .type = capture_type(fd) };
	if (!t->type) {
		snprintf(why, len, "%s: not a streaming video capture device",
			 path);
		close(fd);
		return -1;
	}
	if ((rc = takes_userptr(fd, t->type))) {
		snprintf(why, len, "%s: no USERPTR buffers (REQBUFS: %s)", path,
			 strerror(rc));
		close(fd);
		return -1;
	}
	snprintf(t->path, sizeof(t->path), "%s", path);
	smallest_frame(fd, t);
	close(fd);
	return 0;
}

int v4l2_target_find(const char *path, struct v4l2_target *t, char *reason,
		     size_t len)
{
	char why[200] = "", node[32];

	if (path)
		return try_node(path, t, reason, len);
	for (int i = 0; i < MAX_NODES; i++) {
		char here[160];

		snprintf(node, sizeof(node), "/dev/video%d", i);
		if (access(node, F_OK))
			continue;
		if (!try_node(node, t, here, sizeof(here)))
			return 0;
		/* The first device that would not do says why. */
		if (!why[0])
			snprintf(why, sizeof(why), " (%s)", here);
	}
	/* vivid on dma-contig (allocators=1) is there but takes none. */
	snprintf(
		reason, len,
		"no V4L2 capture device with USERPTR%s: modprobe vivid%s", why,
		why[0] ?
			" (on vmalloc, allocators=0: dma-contig takes no USERPTR)" :
			"");
	return -1;
}
