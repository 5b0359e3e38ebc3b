/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_FAULT_CMA_DEV_H
#define MRBENCH_FAULT_CMA_DEV_H

#include <stddef.h>
#include <stdint.h>

/*
 * A CMA allocation asked for from user space. The kernel has no direct
 * way: the CMA debugfs (CONFIG_CMA_DEBUGFS) and the CMA dma-buf heap
 * (CONFIG_DMABUF_HEAPS_CMA) are off in Debian's kernels. What remains is
 * a driver that allocates DMA-coherent buffers for user space: a V4L2
 * device on videobuf2-dma-contig, here vivid loaded with allocators=1.
 * Its MMAP buffers come from dma_alloc_attrs(), which on a device
 * without an IOMMU takes them from the default CMA area
 * (dma_alloc_contiguous()) and only when that fails from the page
 * allocator. The CMA area's own counters (CONFIG_CMA_SYSFS) say which.
 */

/* /sys/kernel/mm/cma/NAME: the area's counters, -1 where absent. */
struct cma_counts {
	long long success, fail, total, available;
};

/* The first CMA area's name ("reserved"), or -1 with the reason. */
int cma_area_name(char *name, size_t len, char *reason, size_t rlen);
void cma_counts_read(const char *name, struct cma_counts *c);

/* A vivid capture node on dma-contig: its fd, or -1 with the reason. */
int cma_dev_open(char *reason, size_t rlen);
/*
 * One MMAP buffer of bytes on fd (VIDIOC_CREATE_BUFS with that
 * sizeimage), timed into *ns: 0, or the errno. cma_dev_free() gives
 * every buffer back (VIDIOC_REQBUFS 0).
 */
int cma_dev_alloc(int fd, size_t bytes, uint64_t *ns);
void cma_dev_free(int fd);

#endif
