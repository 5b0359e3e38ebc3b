// SPDX-License-Identifier: GPL-2.0
/*
 * hugetlb-2m, hugetlb-1g: private anonymous hugetlb mappings (MAP_HUGETLB)
 * from the kernel's pool of huge pages. The two differ only in the page
 * size, so they share this file. A pool too small for a cell is grown as
 * root through the undo log, and shrunk back when mrbench exits.
 */
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "mem/hugepool.h"
#include "kernel/zoneinfo.h"

struct hugetlb {
	size_t page;
	const char *label; /* "2 MiB" */
	const char *boot; /* how to get such pages at boot */
};

static const struct hugetlb h2m = { 2UL << 20, "2 MiB", "hugepages=N" };
static const struct hugetlb h1g = { 1UL << 30, "1 GiB",
				    "hugepagesz=1G hugepages=N" };

static int hugetlb_probe(const struct mem_source *self, const char *arg,
			 char *reason, size_t len)
{
	const struct hugetlb *h = self->data;
	char dir[128];

	hugepool_path(h->page, "", dir, sizeof(dir));
	if (!access(dir, F_OK))
		return 0;
	if (h == &h1g)
		snprintf(
			reason, len,
			"no hugetlb 1 GiB pages here: a CPU with pdpe1gb (qemu -cpu max) and a kernel with CONFIG_HUGETLBFS, then boot with %s",
			h->boot);
	else
		snprintf(
			reason, len,
			"no hugetlb 2 MiB pages: kernel without CONFIG_HUGETLBFS");
	return 1;
}

/* MemAvailable in bytes, 0 if unknown. */
static unsigned long long mem_available(void)
{
	long long kb = meminfo_read_kb("MemAvailable");

	return kb > 0 ? (unsigned long long)kb << 10 : 0;
}

static int hugetlb_probe_size(const struct mem_source *self, const char *arg,
			      size_t size, char *reason, size_t len)
{
	const struct hugetlb *h = self->data;
	unsigned long need = mem_round_up(size, h->page) / h->page;
	unsigned long long room;
	unsigned long avail, got;
	long before = 0, after = 0;
	char path[128], err[200];
	int rc;

	hugepool_path(h->page, "nr_hugepages", path, sizeof(path));
	if ((rc = hugepool_avail(h->page, &avail))) {
		snprintf(reason, len, "cannot read the %s hugetlb pool: %s",
			 h->label, strerror(rc));
		return rc;
	}
	if (avail >= need)
		return 0;
	/*
	 * More than the memory could ever give: refuse before the pool
	 * moves, since growing it would only take the memory everything
	 * else lives on (and the kernel would stop short anyway).
	 */
	room = mem_available();
	if (room && (unsigned long long)(need - avail) * h->page > room) {
		snprintf(
			reason, len,
			"needs %lu hugetlb %s pages, the pool has %lu free and MemAvailable (%llu MiB) cannot give the rest: pool left alone",
			need, h->label, avail, room >> 20);
		return ENOMEM;
	}
	if (access(path, W_OK)) {
		snprintf(
			reason, len,
			"%lu free hugetlb %s pages, %lu needed: run as root (mrbench then grows the pool) or boot with %s",
			avail, h->label, need, h->boot);
		return 1;
	}
	if ((rc = hugepool_grow(h->page, need, avail, &before, &after, err,
				sizeof(err)))) {
		snprintf(reason, len, "cannot grow the hugetlb pool: %s", err);
		return rc;
	}
	/* The kernel gives what it can find, possibly nothing. */
	if ((rc = hugepool_avail(h->page, &got)) || got < need) {
		snprintf(
			reason, len,
			"asked for %lu more hugetlb %s pages (nr_hugepages %ld -> %ld), the pool has %lu of the %lu needed: too little contiguous free memory%s",
			need - avail, h->label, before, after, got, need,
			h == &h1g ?
				"; 1 GiB pages rarely allocate after boot: boot with hugepagesz=1G hugepages=N" :
				"");
		return 1;
	}
	return 0;
}

static int hugetlb_alloc(const struct mem_source *self, struct mem_region *r,
			 size_t size)
{
	const struct hugetlb *h = self->data;

	r->page_size = h->page;
	r->size = size;
	/* The mapping is whole huge pages; the registration stays size. */
	r->map_len = mem_round_up(size, h->page);
	r->fd = -1;
	r->flags = MEM_HUGETLB;
	r->addr = hugepool_map(h->page, r->map_len, 0);
	if (r->addr == MAP_FAILED) {
		r->addr = NULL;
		return errno;
	}
	return 0;
}

static int hugetlb_discard(struct mem_region *r)
{
	return hugepool_discard(r, 0);
}

static void hugetlb_free(struct mem_region *r)
{
	if (r->addr)
		munmap(r->addr, r->map_len);
	r->addr = NULL;
}

static void hugetlb_describe(const struct mem_region *r,
			     struct json_object *extra)
{
	/* A private hugetlb page can show as shared (seen with 1 GiB pages
	 * on 6.18): count both. */
	long long priv = mem_smaps_sum(r->addr, r->map_len, "Private_Hugetlb");
	long long shared = mem_smaps_sum(r->addr, r->map_len, "Shared_Hugetlb");

	if (priv >= 0 && shared >= 0)
		json_object_object_add(extra, "huge_bytes",
				       json_object_new_int64(priv + shared));
}

#define HUGETLB_SOURCE(id, name_, h, help_)       \
	const struct mem_source mem_##id = {      \
		.name = name_,                    \
		.help = help_,                    \
		.from_pool = true,                \
		.data = &h,                       \
		.probe = hugetlb_probe,           \
		.probe_size = hugetlb_probe_size, \
		.alloc = hugetlb_alloc,           \
		.populate = mem_touch,            \
		.discard = hugetlb_discard,       \
		.free = hugetlb_free,             \
		.describe = hugetlb_describe,     \
	}

HUGETLB_SOURCE(hugetlb_2m, "hugetlb-2m", h2m,
	       "private anonymous hugetlb memory, 2 MiB pages (MAP_HUGETLB)");
HUGETLB_SOURCE(hugetlb_1g, "hugetlb-1g", h1g,
	       "private anonymous hugetlb memory, 1 GiB pages (MAP_HUGETLB)");
