// SPDX-License-Identifier: GPL-2.0
/*
 * file:DIR: an unlinked file in DIR mapped MAP_SHARED, so that writes go
 * to the page cache of whatever filesystem DIR is on. The filesystem
 * decides the kernel's answer to a long-term pin (dirty tracking, FS-DAX),
 * hence the flags and fstype set in mem_file_alloc().
 */
#include <sys/mman.h>

#include "mem/file_common.h"

static int file_probe(const char *dir, char *reason, size_t len)
{
	return mem_dir_probe("file", dir, reason, len);
}

static int file_alloc(struct mem_region *r, size_t size)
{
	return mem_file_alloc(r, size, MAP_SHARED);
}

const struct mem_source mem_file = {
	.name = "file",
	.help = "file:DIR, a temporary file in DIR mapped MAP_SHARED",
	.probe = file_probe,
	.alloc = file_alloc,
	.populate = mem_touch,
	.discard = mem_file_discard,
	.free = mem_file_free,
};
