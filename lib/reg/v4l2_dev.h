/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_REG_V4L2_DEV_H
#define MRBENCH_REG_V4L2_DEV_H

#include <linux/videodev2.h>
#include <stdbool.h>
#include <stddef.h>

/*
 * A V4L2 capture device that streams into USERPTR buffers, and the
 * smallest frame it allows: the least a buffer queued to it may hold.
 */
struct v4l2_target {
	char path[64];
	__u32 type; /* V4L2_BUF_TYPE_VIDEO_CAPTURE, or _MPLANE */
	bool has_input; /* the device has inputs to choose from */
	__u32 input; /* the input with the smallest frame */
	struct v4l2_format fmt; /* the smallest frame's format */
	size_t frame_bytes; /* its sizeimage */
	char frame[96]; /* for people: "GREY 16x16 on input 1 (TV)" */
};

/*
 * The device at path, or with path NULL the first /dev/videoN that is a
 * capture device taking USERPTR buffers, and its smallest frame over
 * every input and uncompressed format. The device's input is put back
 * after the search. 0, or -1 with the reason.
 */
int v4l2_target_find(const char *path, struct v4l2_target *t, char *reason,
		     size_t len);

#endif
