// SPDX-License-Identifier: GPL-2.0
/*
 * dax:DIR: file:DIR on a filesystem mounted with -o dax, whose mappings
 * reach the persistent memory itself with no page cache in between. The
 * probe insists, so that a run asking for FS-DAX never quietly measures
 * the page cache instead.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "mem/file_common.h"

static int dax_probe(const struct mem_source *self, const char *dir,
		     char *reason, size_t len)
{
	enum mem_dax dax;
	struct statfs sf;
	char fstype[16];
	int rc, fd;

	if ((rc = mem_dir_probe("dax", dir, reason, len)))
		return rc;
	/* The question is asked of a file: dax=inode mounts decide per file. */
	fd = mem_tmpfile(dir, NULL);
	if (fd < 0) {
		snprintf(reason, len, "cannot create a file in %s", dir);
		return 1;
	}
	dax = mem_file_dax(fd, dir);
	rc = fstatfs(fd, &sf);
	close(fd);
	if (dax == MEM_DAX_YES)
		return 0;
	mem_fstype_name(rc ? 0 : (unsigned long)sf.f_type & 0xffffffffUL,
			fstype, sizeof(fstype));
	snprintf(
		reason, len,
		"%s (%s) is not mounted with -o dax: mount an FS-DAX capable filesystem on pmem with -o dax",
		dir, fstype);
	return 1;
}

static int dax_alloc(const struct mem_source *self, struct mem_region *r,
		     size_t size)
{
	int rc = mem_file_alloc(r, size, MAP_SHARED);

	if (!rc && !(r->flags & MEM_FSDAX)) {
		mem_file_free(r);
		return EOPNOTSUPP;
	}
	return rc;
}

const struct mem_source mem_dax = {
	.name = "dax",
	.help = "dax:DIR, a temporary file on an FS-DAX mount, MAP_SHARED",
	.probe = dax_probe,
	.alloc = dax_alloc,
	.populate = mem_touch,
	.discard = mem_file_discard,
	.free = mem_file_free,
};
