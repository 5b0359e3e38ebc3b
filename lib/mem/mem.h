/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_MEM_H
#define MRBENCH_MEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct json_object;

/* What a region is made of: the facts kernel policy depends on. */
enum mem_flags {
	MEM_FILE = 1 << 0,	   /* file-backed (including shmem, hugetlbfs) */
	MEM_SHARED = 1 << 1,	   /* MAP_SHARED */
	MEM_SHMEM = 1 << 2,	   /* tmpfs/memfd: no writeback dirty tracking */
	MEM_HUGETLB = 1 << 3,	   /* hugetlbfs pages */
	MEM_FSDAX = 1 << 4,	   /* a file on a filesystem mounted -o dax */
	MEM_THP = 1 << 5,	   /* anonymous memory advised MADV_HUGEPAGE */
	MEM_DIRTY_TRACKED = 1 << 6, /* the filesystem tracks dirty pages for writeback */
	MEM_READONLY = 1 << 7,	   /* mapped without PROT_WRITE (mprotect PROT_READ) */
	MEM_REPLACE = 1 << 8,	   /* a pin moves the pages: populate again before each one */
	MEM_PFNMAP = 1 << 9,	   /* mapped by frame number (VM_PFNMAP): no struct page to pin */
};

/* A region of memory from one source, ready to be registered. */
struct mem_region {
	void *addr;
	size_t size;	  /* what was asked for, and what gets registered */
	size_t map_len;	  /* what was mapped (size rounded up to a page) */
	size_t page_size; /* the page size backing it */
	int fd;		  /* backing file or memfd, -1 for none */
	int dmabuf_fd;	  /* a dmabuf exporting the region, -1 for none */
	unsigned flags;	  /* enum mem_flags */
	char fstype[16];  /* the backing filesystem, "" for anonymous */
	const char *arg;  /* the source's argument (file:DIR -> DIR) */
	void *priv;
	void *reg_priv; /* the registrar's, from its open to its close */
};

/* Where a source that places its pages (movable, cma, normal) put them. */
struct mem_placement {
	bool verified; /* checked to be where they should be */
	const char *check; /* how: "pagemap", "CmaFree" */
	const char *error; /* why not, NULL when verified */
};

/*
 * A memory source: where the bytes come from. Each lives in one file of
 * lib/mem/ and is listed once in lib/mem/list.h. Callbacks return 0 or a
 * positive errno; probe fills reason when the source cannot run here.
 */
struct mem_source {
	const char *name;
	const char *help;
	bool from_pool; /* memory from a reserved pool (hugetlb), not MemAvailable */
	/* The source's own parameters, for callbacks shared by several
	 * sources (a page size, a zone to place in). */
	const void *data;
	/* Each callback before the region exists gets its descriptor. */
	int (*probe)(const struct mem_source *self, const char *arg,
		     char *reason, size_t len);
	/*
	 * Optional, after probe and before alloc: can a region of size bytes
	 * be had here? It may change system settings through restore_write()
	 * (hugetlb grows its pool) and fills reason when the answer is no.
	 */
	int (*probe_size)(const struct mem_source *self, const char *arg,
			  size_t size, char *reason, size_t len);
	int (*alloc)(const struct mem_source *self, struct mem_region *r,
		     size_t size);
	/* Make every page present, written, as a user of the memory would. */
	int (*populate)(struct mem_region *r);
	/* Drop the pages so the next registration faults them in again. */
	int (*discard)(struct mem_region *r);
	void (*free)(struct mem_region *r);
	/*
	 * Optional, once the pages are in: source-specific figures (such as
	 * "huge_bytes") added to a record's extra object.
	 */
	void (*describe)(const struct mem_region *r, struct json_object *extra);
	/* Optional: for a source that places its pages, where it did. */
	void (*placement)(const struct mem_region *r, struct mem_placement *p);
};

/*
 * Each source's descriptor (mem_anon, mem_hugetlb_2m...), and the lists:
 * mem_sources, what "all" means, and mem_named_sources, those run only
 * when named (uffd: a registration of it does not return). Both end
 * with NULL; mem_source_find() looks in both.
 */
#define MEM_SOURCE(id) extern const struct mem_source mem_##id;
#define MEM_SOURCE_NAMED(id) MEM_SOURCE(id)
#include "mem/list.h"
#undef MEM_SOURCE_NAMED
#undef MEM_SOURCE
extern const struct mem_source *const mem_sources[];
extern const struct mem_source *const mem_named_sources[];
const struct mem_source *mem_source_find(const char *name);

/* Helpers shared by the sources. */
int mem_touch(struct mem_region *r);
size_t mem_round_up(size_t v, size_t to);
size_t mem_base_page(void);
void *mem_map_aligned(size_t len, size_t align, int prot, int flags);
int mem_read_line(const char *path, char *buf, size_t len);
int mem_read_ulong(const char *path, unsigned long *v);
long long mem_smaps_sum(const void *addr, size_t len, const char *field);

/* /proc/self/pagemap: one 64-bit entry per base page (pagemap.rst). */
#define MEM_PM_PRESENT(e)    ((e) >> 63 & 1)
#define MEM_PM_SWAP(e)	     ((e) >> 62 & 1) /* a swap entry */
#define MEM_PM_SOFT_DIRTY(e) ((e) >> 55 & 1)
#define MEM_PM_PFN(e)	     ((e) & ((1ULL << 55) - 1)) /* 0 unless root */
/* The entries of the n base pages from addr (page aligned or not): 0, or
 * an errno. */
int mem_pagemap_read(const void *addr, size_t n, uint64_t *e);

#endif
