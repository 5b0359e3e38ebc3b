// SPDX-License-Identifier: GPL-2.0
/*
 * dmaheap[:HEAP]: a buffer from a DMA-BUF heap (/dev/dma_heap/HEAP,
 * "system" unless named), the allocator Android and camera stacks use
 * instead of udmabuf. The heap allocates and zeroes every page when the
 * buffer is made and holds them until the dmabuf is closed; the buffer
 * is mapped through the dmabuf's mmap, which the system heap fills with
 * remap_pfn_range(). That mapping is VM_PFNMAP: no page of it can be
 * pinned through its address (lib/reg/longterm.c), so the
 * address-taking registrars are refused, and only those that take the
 * dmabuf itself (--reg dmabuf) can hand it to a device.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/dma-heap.h>

#include "mem/mem.h"

#define HEAP_DIR "/dev/dma_heap/"

static const char *heap_name(const char *arg)
{
	return arg && *arg ? arg : "system";
}

static int heap_open(const char *arg)
{
	char path[256];

	snprintf(path, sizeof(path), HEAP_DIR "%s", heap_name(arg));
	return open(path, O_RDONLY | O_CLOEXEC);
}

static int dmaheap_probe(const struct mem_source *self, const char *arg,
			 char *reason, size_t len)
{
	int fd = heap_open(arg);

	if (fd >= 0) {
		close(fd);
		return 0;
	}
	if (strchr(heap_name(arg), '/'))
		snprintf(reason, len, "bad heap name '%s': a name under " HEAP_DIR,
			 heap_name(arg));
	else if (errno == ENOENT)
		snprintf(reason, len,
			 HEAP_DIR "%s missing (kernel without CONFIG_DMABUF_HEAPS_%s?)",
			 heap_name(arg), arg && *arg ? "..." : "SYSTEM");
	else
		snprintf(reason, len, HEAP_DIR "%s: %s", heap_name(arg),
			 strerror(errno));
	return 1;
}

/* The buffer and its mapping, made whole: the heap has no lazy pages. */
static int heap_buffer(struct mem_region *r)
{
	struct dma_heap_allocation_data a = {
		.len = r->map_len,
		.fd_flags = O_RDWR | O_CLOEXEC,
	};
	int heap = heap_open(r->arg), rc = 0;

	if (heap < 0)
		return errno;
	if (ioctl(heap, DMA_HEAP_IOCTL_ALLOC, &a))
		rc = errno;
	close(heap);
	if (rc)
		return rc;
	r->addr = mmap(NULL, r->map_len, PROT_READ | PROT_WRITE, MAP_SHARED,
		       (int)a.fd, 0);
	if (r->addr == MAP_FAILED) {
		rc = errno;
		close((int)a.fd);
		return rc;
	}
	r->dmabuf_fd = (int)a.fd;
	return 0;
}

static void heap_release(struct mem_region *r)
{
	munmap(r->addr, r->map_len);
	close(r->dmabuf_fd);
	r->dmabuf_fd = -1;
}

static int dmaheap_alloc(const struct mem_source *self, struct mem_region *r,
			 size_t size)
{
	r->size = size;
	r->page_size = mem_base_page();
	r->map_len = mem_round_up(size, r->page_size);
	r->flags = MEM_FILE | MEM_SHARED | MEM_PFNMAP;
	return heap_buffer(r);
}

/* Pages held by a heap cannot be dropped one by one: an untouched cell
 * gets a new buffer, as fresh from the heap as the first. */
static int dmaheap_discard(struct mem_region *r)
{
	heap_release(r);
	return heap_buffer(r);
}

const struct mem_source mem_dmaheap = {
	.name = "dmaheap",
	.help = "a DMA-BUF heap buffer (dmaheap[:HEAP], default system), mapped through its dmabuf",
	.probe = dmaheap_probe,
	.alloc = dmaheap_alloc,
	.populate = mem_touch,
	.discard = dmaheap_discard,
	.free = heap_release,
};
