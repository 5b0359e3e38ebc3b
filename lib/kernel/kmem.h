/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_KMEM_H
#define MRBENCH_KMEM_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The kernel's own memory, as the whole system counts it: what
 * /proc/meminfo says of the slab, page tables and vmalloc, and what
 * /proc/slabinfo (root only) says of each cache. Snapshots taken around
 * some work give what it cost the kernel per item of that work; other
 * activity on the system counts too.
 */
#define KMEM_MAX_CACHES 512
#define KMEM_NAME_LEN	64
#define KMEM_TOP	3

struct kmem_cache {
	char name[KMEM_NAME_LEN];
	uint64_t bytes; /* active_objs x objsize */
};

struct kmem_snap {
	/* Bytes; -1 when the file or the line is not there. */
	int64_t slab, sunreclaim, page_tables, vmalloc;
	bool have_slabinfo;
	size_t ncaches;
	struct kmem_cache cache[KMEM_MAX_CACHES];
};

/* What grew between two snapshots, per item; NAN when unreadable. */
struct kmem_per {
	double slab, sunreclaim, page_tables, vmalloc;
	bool have_top; /* slabinfo was read both times */
	size_t ntop; /* caches that grew, the most first */
	struct {
		char name[KMEM_NAME_LEN];
		double bytes;
	} top[KMEM_TOP];
};

/* Read /proc/meminfo and /proc/slabinfo; what cannot be read is unknown. */
void kmem_snapshot(struct kmem_snap *s);
/* The text of /proc/meminfo into s's meminfo fields. */
void kmem_parse_meminfo(const char *text, struct kmem_snap *s);
/* The text of /proc/slabinfo (version 2.x) into s's caches: 0, or -1
 * when it is not slabinfo. */
int kmem_parse_slabinfo(const char *text, struct kmem_snap *s);
/* (b - a) / items, and the KMEM_TOP caches that grew the most. */
void kmem_per_item(const struct kmem_snap *a, const struct kmem_snap *b,
		   double items, struct kmem_per *p);
/* {"slab": .., "sunreclaim": .., "page_tables": .., "vmalloc": ..,
 *  "top_slabs": [{"name": .., "bytes_per_mr": ..}]}, null where unknown. */
json_object *kmem_per_json(const struct kmem_per *p);

#endif
