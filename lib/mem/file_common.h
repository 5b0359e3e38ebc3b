/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_MEM_FILE_COMMON_H
#define MRBENCH_MEM_FILE_COMMON_H

#include <stdbool.h>
#include <stddef.h>

#include "mem/mem.h"

/* statfs f_type -> "ext4", "xfs"...; unknown types as "0x1234abcd". */
const char *mem_fstype_name(unsigned long magic, char *buf, size_t len);
/* The other way round, as /proc/self/mountinfo names them; 0 if unknown. */
unsigned long mem_fstype_magic(const char *name);
/* Whether the kernel tracks dirty pages of a shared mapping (see table). */
bool mem_fstype_dirty_tracked(unsigned long magic);

/* The fields of one /proc/self/mountinfo line that the sources use. */
struct mountinfo_line {
	unsigned major, minor;
	char mnt[256]; /* mount point, \ooo escapes decoded */
	char fstype[32];
	bool dax; /* mounted -o dax or dax=always (not dax=inode) */
};

int mem_mountinfo_parse(const char *line, struct mountinfo_line *m);

enum mem_dax { MEM_DAX_NO, MEM_DAX_YES };
enum mem_dax mem_file_dax(int fd, const char *dir);

/* file:DIR and friends: probe, then a temporary file mapped whole. */
int mem_dir_probe(const char *source, const char *dir, char *reason,
		  size_t len);
int mem_tmpfile(const char *dir, char **name);
int mem_file_alloc(struct mem_region *r, size_t size, int map_flags);
int mem_file_discard(struct mem_region *r);
void mem_file_free(struct mem_region *r);
/* A memfd of size bytes (rounded up to pages) mapped MAP_SHARED. */
int mem_memfd_map(struct mem_region *r, size_t size, unsigned mfd_flags);

#endif
