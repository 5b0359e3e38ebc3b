// SPDX-License-Identifier: GPL-2.0
/*
 * anon: private anonymous memory in base pages. THP is switched off for
 * the range (MADV_NOHUGEPAGE) so that "anon" means 4K pages whatever
 * /sys/kernel/mm/transparent_hugepage/enabled says; "thp" is its own
 * source.
 */
#include <errno.h>
#include <sys/mman.h>

#include "mem/mem.h"

static int anon_alloc(const struct mem_source *self, struct mem_region *r,
		      size_t size)
{
	r->page_size = mem_base_page();
	r->size = size;
	r->map_len = mem_round_up(size, r->page_size);
	r->fd = -1;
	r->addr = mmap(NULL, r->map_len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (r->addr == MAP_FAILED) {
		r->addr = NULL;
		return errno;
	}
	/* Kernels without THP reject the advice: nothing to switch off. */
	madvise(r->addr, r->map_len, MADV_NOHUGEPAGE);
	return 0;
}

static int anon_discard(struct mem_region *r)
{
	return madvise(r->addr, r->map_len, MADV_DONTNEED) ? errno : 0;
}

static void anon_free(struct mem_region *r)
{
	if (r->addr)
		munmap(r->addr, r->map_len);
	r->addr = NULL;
}

const struct mem_source mem_anon = {
	.name = "anon",
	.help = "private anonymous memory, base pages (THP off)",
	.alloc = anon_alloc,
	.populate = mem_touch,
	.discard = anon_discard,
	.free = anon_free,
};
