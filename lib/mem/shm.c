// SPDX-License-Identifier: GPL-2.0
/*
 * shm: System V shared memory (shmget, shmat). The pages are shmem, as a
 * memfd's are, reached through an IPC id instead of a file: what older
 * MPI stacks and databases hand to the device. A writable long-term pin
 * is allowed (shmem does no writeback). The segment is marked for
 * removal as soon as it is attached, so it goes with its last detach,
 * whatever ends the process.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/shm.h>

#include "mem/mem.h"

/* kernel.shmmax bounds one segment; shmget would say only EINVAL. */
static int shm_probe_size(const struct mem_source *self, const char *arg,
			  size_t size, char *reason, size_t len)
{
	unsigned long long max = 0;
	FILE *f = fopen("/proc/sys/kernel/shmmax", "r");

	if (f) {
		if (fscanf(f, "%llu", &max) != 1)
			max = 0;
		fclose(f);
	}
	if (!max || size <= max)
		return 0;
	snprintf(reason, len, "kernel.shmmax is %llu bytes, less than %zu",
		 max, size);
	return EINVAL;
}

static int shm_alloc(const struct mem_source *self, struct mem_region *r,
		     size_t size)
{
	int id, rc = 0;

	r->size = size;
	r->page_size = mem_base_page();
	r->map_len = mem_round_up(size, r->page_size);
	r->flags = MEM_FILE | MEM_SHARED | MEM_SHMEM;
	strcpy(r->fstype, "tmpfs");
	id = shmget(IPC_PRIVATE, r->map_len, IPC_CREAT | 0600);
	if (id < 0)
		return errno;
	r->addr = shmat(id, NULL, 0);
	if (r->addr == (void *)-1) {
		rc = errno;
		r->addr = NULL;
	}
	shmctl(id, IPC_RMID, NULL);
	return rc;
}

/* Shared pages stay in the segment after MADV_DONTNEED: remove them. */
static int shm_discard(struct mem_region *r)
{
	return madvise(r->addr, r->map_len, MADV_REMOVE) ? errno : 0;
}

static void shm_free(struct mem_region *r)
{
	if (r->addr)
		shmdt(r->addr);
	r->addr = NULL;
}

const struct mem_source mem_shm = {
	.name = "shm",
	.help = "System V shared memory (shmget, shmat): shmem pages",
	.probe_size = shm_probe_size,
	.alloc = shm_alloc,
	.populate = mem_touch,
	.discard = shm_discard,
	.free = shm_free,
};
