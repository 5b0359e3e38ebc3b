// SPDX-License-Identifier: GPL-2.0
/*
 * memfd: shared memory from memfd_create, mapped MAP_SHARED: shmem pages,
 * file-backed yet without writeback, so a writable long-term pin is
 * allowed where one of an ext4 file is not.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "mem/file_common.h"

int mem_memfd_map(struct mem_region *r, size_t size, unsigned mfd_flags)
{
	int rc;

	r->size = size;
	r->page_size = mem_base_page();
	r->map_len = mem_round_up(size, r->page_size);
	r->flags = MEM_FILE | MEM_SHARED | MEM_SHMEM;
	strcpy(r->fstype, "tmpfs");
	r->dmabuf_fd = -1;
	r->fd = memfd_create("mrbench", MFD_CLOEXEC | mfd_flags);
	if (r->fd < 0)
		return errno;
	/*
	 * A size only: the pages come with populate or the first fault.
	 * No fallocate: on shmem it populates, and the internal mount has
	 * no size limit to reserve against; a SIGBUS (memory cgroup, seals)
	 * in populate is caught by mem_touch.
	 */
	if (!ftruncate(r->fd, (off_t)r->map_len)) {
		r->addr = mmap(NULL, r->map_len, PROT_READ | PROT_WRITE,
			       MAP_SHARED, r->fd, 0);
		if (r->addr != MAP_FAILED)
			return 0;
	}
	rc = errno;
	r->addr = NULL;
	close(r->fd);
	r->fd = -1;
	return rc;
}

static int memfd_alloc(const struct mem_source *self, struct mem_region *r,
		       size_t size)
{
	return mem_memfd_map(r, size, MFD_ALLOW_SEALING);
}

const struct mem_source mem_memfd = {
	.name = "memfd",
	.help = "memfd_create shared memory (shmem), MAP_SHARED",
	.alloc = memfd_alloc,
	.populate = mem_touch,
	.discard = mem_file_discard,
	.free = mem_file_free,
};
