/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_MEMBLOCK_H
#define MRBENCH_MEMBLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Memory blocks as user space sees them (memory-hotplug.rst): each
 * /sys/devices/system/memory/memoryN covers block_size_bytes of physical
 * memory from N * block_size_bytes, and its state file can be written.
 * "offline" migrates every page in use out of the block and takes the
 * block from the page allocator; "online_movable" gives it back to
 * ZONE_MOVABLE.
 */
#define MEMBLOCK_DIR "/sys/devices/system/memory/"

/* Bytes per block, 0 without memory hotplug (no block_size_bytes). */
unsigned long memblock_bytes(void);
/* The block that holds a page frame. */
long memblock_of_pfn(unsigned long pfn, unsigned long block_bytes);
/* The block's state or valid_zones, one word or line; -1 when absent. */
int memblock_read(long id, const char *file, char *buf, size_t len);

/*
 * Whether block id is System RAM from end to end (/proc/iomem, root):
 * offlining refuses a block with a hole in it (firmware's pages at the
 * top of memory) with EINVAL, whatever its pages.
 */
bool memblock_whole(long id, unsigned long block_bytes);

/* What one write to a state file did. */
struct memblock_op {
	int err; /* 0, or the write's errno */
	uint64_t ns; /* the write, from open to close */
	bool signalled; /* cut short after the timeout */
};

/*
 * Take block id offline. The undo log notes "online_movable" first, so
 * that every way out brings the block back. offline_pages() retries
 * migration until a signal arrives (there is no timeout in the kernel),
 * so the write runs in a thread of its own, which is signalled after
 * timeout_ms until it returns: the write then fails with EINTR.
 * Returns op->err.
 */
int memblock_offline(long id, unsigned timeout_ms, struct memblock_op *op);
/* Bring it back into ZONE_MOVABLE; op->err. */
int memblock_online_movable(long id, struct memblock_op *op);

#endif
