/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_FAULT_STALL_H
#define MRBENCH_FAULT_STALL_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/*
 * A short-term pin held still: an O_DIRECT write of [buf, buf + len)
 * followed by one page under userfaultfd (MISSING, not served) into a
 * file on a block filesystem, from a thread of its own. The block layer
 * takes the pages of one bio before it submits it, so the pages of buf
 * are held (FOLL_PIN since 6.3, page references before) while GUP waits
 * in handle_userfault() for the last page. len must leave the whole
 * write in one bio: at most STALL_MAX_BYTES.
 */
#define STALL_MAX_BYTES (128UL << 12)

struct stall {
	void *buf;
	size_t len;
	char *hole; /* the page nobody serves, until stall_finish */
	int uffd, fd;
	pthread_t thread;
	bool started;
	ssize_t written; /* the write's return, and errno */
	int err;
};

/*
 * Where the write goes: dev, a scratch block device whose first pages it
 * overwrites (no filesystem: no metadata of its own that the write
 * would dirty, keep in the journal and leave unmovable in the area
 * under test), else a new file in dir, else in $MRBENCH_FILE_DIR. NULL
 * when there is none.
 */
const char *stall_target(const char *dev, const char *dir);
#define STALL_NONE                                                      \
	"the stalled O_DIRECT write needs a block device: --stall-dev " \
	"DEV (modprobe brd), or --ext4 DIR or $MRBENCH_FILE_DIR on one"

/*
 * Start the write to target (a block device, or a new unlinked file in
 * a directory); return once the thread
 * waits in the fault (its message read from the userfaultfd), or -1
 * with the reason, nothing left behind.
 */
int stall_start(struct stall *s, const char *target, void *buf, size_t len,
		char *reason, size_t rlen);
/*
 * Serve the fault with a zero page and wait for the write: 0 when it
 * wrote everything, or -1 with the reason. Frees what start made.
 */
int stall_finish(struct stall *s, char *reason, size_t rlen);

#endif
