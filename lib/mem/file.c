// SPDX-License-Identifier: GPL-2.0
/*
 * file:DIR: an unlinked file in DIR mapped MAP_SHARED, so that writes go
 * to the page cache of whatever filesystem DIR is on. The filesystem
 * decides the kernel's answer to a long-term pin (dirty tracking, FS-DAX),
 * hence the flags and fstype set in mem_file_alloc().
 */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "mem/file_common.h"

/*
 * Some filesystems refuse writable shared mappings outright: 9p without
 * a page cache (cache=none, the default) maps files read-only. One page
 * tried here makes that an unsupported cell rather than a failed one.
 */
static int file_probe(const struct mem_source *self, const char *dir,
		      char *reason, size_t len)
{
	struct mem_region r = { .fd = -1, .dmabuf_fd = -1, .arg = dir };
	int rc = mem_dir_probe("file", dir, reason, len);

	if (rc)
		return rc;
	rc = mem_file_alloc(&r, mem_base_page(), MAP_SHARED);
	if (!rc) {
		mem_file_free(&r);
		return 0;
	}
	if (!strcmp(r.fstype, "9p"))
		snprintf(
			reason, len,
			"%s is 9p without a page cache: no writable MAP_SHARED mappings (mount with cache=mmap or cache=loose)",
			dir);
	else
		snprintf(reason, len,
			 "cannot map a file in %s (%s) MAP_SHARED: %s", dir,
			 r.fstype[0] ? r.fstype : "?", strerror(rc));
	return rc;
}

static int file_alloc(const struct mem_source *self, struct mem_region *r,
		      size_t size)
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
