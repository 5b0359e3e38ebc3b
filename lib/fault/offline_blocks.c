// SPDX-License-Identifier: GPL-2.0
/*
 * The offline scenario's memory blocks: which blocks a region's pages
 * are in (pagemap frame numbers), a spare block of ZONE_MOVABLE for the
 * baseline, and offlining a set of them and bringing it back, each
 * write timed (lib/kernel/memblock.c).
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fault/offline.h"
#include "kernel/memblock.h"
#include "mem/mem.h"
#include "out/record.h"

int blocks_of(const void *p, size_t n, unsigned long block_bytes, uint64_t *pfn,
	      struct blocks *b)
{
	int rc;

	b->n = 0;
	b->bytes = block_bytes;
	if ((rc = mem_pagemap_read(p, n, pfn))) {
		errno = rc;
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		long id;
		bool seen = false;

		pfn[i] = MEM_PM_PFN(pfn[i]);
		if (!pfn[i]) {
			errno = EPERM;
			return -1;
		}
		id = memblock_of_pfn(pfn[i], block_bytes);
		for (size_t j = 0; j < b->n && !seen; j++)
			seen = b->id[j] == id;
		if (!seen && b->n == BLOCKS_MAX) {
			errno = E2BIG;
			return -1;
		}
		if (!seen)
			b->id[b->n++] = id;
	}
	return 0;
}

static bool has(const struct blocks *b, long id)
{
	for (size_t i = 0; i < b->n; i++)
		if (b->id[i] == id)
			return true;
	return false;
}

size_t blocks_hold(const struct blocks *b, const uint64_t *pfn, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		k += has(b, memblock_of_pfn(pfn[i], b->bytes));
	return k;
}

long blocks_spare_movable(const struct blocks *b)
{
	DIR *d = opendir(MEMBLOCK_DIR);
	struct dirent *e;
	long best = -1;
	char buf[64];

	while (d && (e = readdir(d))) {
		char *end;
		long id;

		if (strncmp(e->d_name, "memory", 6))
			continue;
		id = strtol(e->d_name + 6, &end, 10);
		/* The lowest: the top block may end in a firmware hole,
		 * which offlining refuses with EINVAL. */
		if (*end || end == e->d_name + 6 || has(b, id) ||
		    (best >= 0 && id > best))
			continue;
		/* An online block's valid_zones names its zone alone. */
		if (memblock_whole(id,
				   b->bytes ? b->bytes : memblock_bytes()) &&
		    !memblock_read(id, "state", buf, sizeof(buf)) &&
		    !strcmp(buf, "online") &&
		    !memblock_read(id, "valid_zones", buf, sizeof(buf)) &&
		    !strcmp(buf, "Movable"))
			best = id;
	}
	if (d)
		closedir(d);
	return best;
}

void blocks_offline(const struct blocks *b, unsigned timeout_ms,
		    struct offlined *o)
{
	memset(o, 0, sizeof(*o));
	o->each = json_object_new_array();
	for (size_t i = 0; i < b->n; i++) {
		struct memblock_op op;
		json_object *one = json_object_new_object();

		json_object_object_add(one, "block",
				       json_object_new_int64(b->id[i]));
		json_object_array_add(o->each, one);
		if (!memblock_whole(b->id[i], b->bytes)) {
			json_object_object_add(
				one, "skipped",
				json_object_new_string(
					"not System RAM end to end (/proc/iomem): offlining refuses a block with a hole"));
			continue;
		}
		o->tried++;
		memblock_offline(b->id[i], timeout_ms, &op);
		o->ns += op.ns;
		json_object_object_add(one, "ns",
				       json_object_new_int64((int64_t)op.ns));
		json_object_object_add(
			one, "errno",
			op.err ? json_object_new_string(errno_name(op.err)) :
				 NULL);
		json_object_object_add(one, "signalled",
				       json_object_new_boolean(op.signalled));
		if (!op.err) {
			o->done_id[o->done++] = b->id[i];
			o->went++;
		} else if (!o->err) {
			o->err = op.err;
			o->signalled = op.signalled;
		}
	}
}

int blocks_online(struct offlined *o)
{
	int rc = 0;

	for (size_t i = 0; i < o->done; i++) {
		struct memblock_op op;

		if (memblock_online_movable(o->done_id[i], &op))
			rc = -1;
	}
	o->done = 0;
	return rc;
}

json_object *blocks_json(const struct blocks *b)
{
	json_object *a = json_object_new_array();

	for (size_t i = 0; i < b->n; i++)
		json_object_array_add(a, json_object_new_int64(b->id[i]));
	return a;
}
