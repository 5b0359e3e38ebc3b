// SPDX-License-Identifier: GPL-2.0
/*
 * file-private:DIR: the file of file:DIR mapped MAP_PRIVATE. A write (or
 * a writable pin) breaks copy-on-write into anonymous pages, so the
 * filesystem's dirty tracking does not stand in the way of the pin.
 */
#include <sys/mman.h>

#include "mem/file_common.h"

static int file_private_probe(const struct mem_source *self, const char *dir,
			      char *reason, size_t len)
{
	return mem_dir_probe("file-private", dir, reason, len);
}

static int file_private_alloc(const struct mem_source *self,
			      struct mem_region *r, size_t size)
{
	return mem_file_alloc(r, size, MAP_PRIVATE);
}

const struct mem_source mem_file_private = {
	.name = "file-private",
	.help = "file-private:DIR, a temporary file in DIR mapped MAP_PRIVATE",
	.probe = file_private_probe,
	.alloc = file_private_alloc,
	.populate = mem_touch,
	.discard = mem_file_discard,
	.free = mem_file_free,
};
