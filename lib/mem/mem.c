// SPDX-License-Identifier: GPL-2.0
/* The list of memory sources and what they share. */
#include <string.h>
#include <unistd.h>

#include "mem/mem.h"

#define MEM_SOURCE(id) extern const struct mem_source mem_##id;
#include "mem/list.h"
#undef MEM_SOURCE

const struct mem_source *const mem_sources[] = {
#define MEM_SOURCE(id) &mem_##id,
#include "mem/list.h"
#undef MEM_SOURCE
	NULL
};

const struct mem_source *mem_source_find(const char *name)
{
	for (const struct mem_source *const *s = mem_sources; *s; s++)
		if (!strcmp((*s)->name, name))
			return *s;
	return NULL;
}

size_t mem_base_page(void)
{
	return (size_t)sysconf(_SC_PAGESIZE);
}

size_t mem_round_up(size_t v, size_t to)
{
	return (v + to - 1) / to * to;
}

/* A write per page: the kernel must allocate real pages, not map the
 * shared zero page as a read would. */
int mem_touch(struct mem_region *r)
{
	volatile char *p = r->addr;

	for (size_t off = 0; off < r->map_len; off += r->page_size)
		p[off] = 1;
	return 0;
}
