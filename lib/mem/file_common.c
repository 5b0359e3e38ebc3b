// SPDX-License-Identifier: GPL-2.0
/*
 * What the file-backed sources share: naming the filesystem under a file,
 * telling whether it is FS-DAX, and one unlinked temporary file mapped
 * whole, whose pages are dropped by punching a hole.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <linux/magic.h>

#include "cli/xalloc.h"
#include "mem/file_common.h"

/*
 * dirty: the kernel's vma_needs_dirty_tracking() says yes for a shared
 * writable mapping of this filesystem, which is what makes a writable
 * FOLL_LONGTERM pin fail with EFAULT since Linux 6.5. That holds when
 * the mapping has a page_mkwrite handler or the filesystem can write
 * back. tmpfs and hugetlbfs have neither. ramfs has no writeback but maps
 * files with generic_file_vm_ops, whose filemap_page_mkwrite() counts, so
 * it is tracked too. overlay is as tracked as its upper layer; ext4 and
 * xfs are the usual ones, so we say yes. Unknown filesystems: yes, as
 * nearly every disk or network filesystem has page_mkwrite.
 */
static const struct {
	unsigned long magic;
	const char *name;
	bool dirty;
} fstypes[] = {
	{ EXT4_SUPER_MAGIC, "ext4", true }, /* ext2 and ext3 share it */
	{ XFS_SUPER_MAGIC, "xfs", true },
	{ BTRFS_SUPER_MAGIC, "btrfs", true },
	{ F2FS_SUPER_MAGIC, "f2fs", true },
	{ 0xca451a4e, "bcachefs", true },
	{ 0x2fc12fc1, "zfs", true },
	{ TMPFS_MAGIC, "tmpfs", false },
	{ HUGETLBFS_MAGIC, "hugetlbfs", false },
	{ RAMFS_MAGIC, "ramfs", true },
	{ V9FS_MAGIC, "9p", true },
	{ NFS_SUPER_MAGIC, "nfs", true },
	{ FUSE_SUPER_MAGIC, "fuse", true },
	{ OVERLAYFS_SUPER_MAGIC, "overlay", true },
	{ CIFS_SUPER_MAGIC, "cifs", true },
	{ SMB2_SUPER_MAGIC, "smb2", true },
	{ CEPH_SUPER_MAGIC, "ceph", true },
	{ EXFAT_SUPER_MAGIC, "exfat", true },
	{ MSDOS_SUPER_MAGIC, "vfat", true },
};

#define NFSTYPES (sizeof(fstypes) / sizeof(fstypes[0]))

const char *mem_fstype_name(unsigned long magic, char *buf, size_t len)
{
	for (size_t i = 0; i < NFSTYPES; i++)
		if (fstypes[i].magic == magic) {
			snprintf(buf, len, "%s", fstypes[i].name);
			return buf;
		}
	snprintf(buf, len, "0x%lx", magic);
	return buf;
}

unsigned long mem_fstype_magic(const char *name)
{
	for (size_t i = 0; i < NFSTYPES; i++)
		if (!strcmp(fstypes[i].name, name))
			return fstypes[i].magic;
	return 0;
}

bool mem_fstype_dirty_tracked(unsigned long magic)
{
	for (size_t i = 0; i < NFSTYPES; i++)
		if (fstypes[i].magic == magic)
			return fstypes[i].dirty;
	return true;
}

/* "dax" (ext4's old spelling) or "dax=always" among comma-separated options. */
static bool opts_dax(const char *opts)
{
	size_t n;

	for (const char *o = opts; *o; o += n + (o[n] == ',')) {
		n = strcspn(o, ",");
		if ((n == 3 && !strncmp(o, "dax", 3)) ||
		    (n == 10 && !strncmp(o, "dax=always", 10)))
			return true;
	}
	return false;
}

/* mountinfo escapes space, tab, newline and backslash as \ooo. */
static void unescape(char *s)
{
	char *d = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' &&
		    s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*d++ = (char)((s[1] - '0') << 6 | (s[2] - '0') << 3 |
				      (s[3] - '0'));
			s += 3;
		} else {
			*d++ = *s;
		}
	}
	*d = '\0';
}

/*
 * "36 35 98:0 /root /mnt rw,noatime master:1 - ext4 /dev/pmem0 rw,dax=always"
 * Optional fields end at " - "; the superblock options follow the source.
 */
int mem_mountinfo_parse(const char *line, struct mountinfo_line *m)
{
	char mopts[256], sopts[256] = "";
	const char *sep = strstr(line, " - ");

	if (!sep ||
	    sscanf(line, "%*u %*u %u:%u %*s %255s %255s", &m->major, &m->minor,
		   m->mnt, mopts) != 4 ||
	    sscanf(sep + 3, "%31s %*s %255s", m->fstype, sopts) < 1)
		return EINVAL;
	unescape(m->mnt);
	m->dax = opts_dax(mopts) || opts_dax(sopts);
	return 0;
}

/* The mount that holds dir: same device, longest mount point above it. */
static bool mount_of(const char *dir, int fd, struct mountinfo_line *out)
{
	char real[PATH_MAX], line[1024];
	struct mountinfo_line m;
	bool found = false;
	size_t best = 0;
	struct stat st;
	FILE *f;

	if (fstat(fd, &st) || !realpath(dir, real) ||
	    !(f = fopen("/proc/self/mountinfo", "re")))
		return false;
	while (fgets(line, sizeof(line), f)) {
		size_t n;

		if (mem_mountinfo_parse(line, &m) ||
		    m.major != major(st.st_dev) || m.minor != minor(st.st_dev))
			continue;
		n = strlen(m.mnt);
		if (strncmp(real, m.mnt, n) ||
		    (real[n] != '/' && real[n] != '\0' && n > 1) || n < best)
			continue;
		best = n;
		*out = m;
		found = true;
	}
	fclose(f);
	return found;
}

/*
 * statx has reported the DAX state of each file since Linux 5.8, which
 * also covers dax=inode; older kernels leave STATX_ATTR_DAX out of the
 * mask and we read the mount options instead.
 */
enum mem_dax mem_file_dax(int fd, const char *dir)
{
	struct mountinfo_line m;
	struct statx stx;

	if (!statx(fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &stx) &&
	    (stx.stx_attributes_mask & STATX_ATTR_DAX))
		return stx.stx_attributes & STATX_ATTR_DAX ? MEM_DAX_YES :
							     MEM_DAX_NO;
	return mount_of(dir, fd, &m) && m.dax ? MEM_DAX_YES : MEM_DAX_NO;
}

/*
 * The filesystem's magic number: statfs, unless the mount table names a
 * filesystem we know by another one. 9p (9p2000.L) passes the host's
 * f_type through, so a 9p share of an ext4 tree says "ext4".
 */
static unsigned long file_magic(int fd, const char *dir)
{
	struct mountinfo_line m;
	unsigned long magic;
	struct statfs sf;

	if (mount_of(dir, fd, &m) && (magic = mem_fstype_magic(m.fstype)))
		return magic;
	if (fstatfs(fd, &sf))
		return 0;
	/* f_type is a signed word; the magic numbers are 32-bit. */
	return (unsigned long)sf.f_type & 0xffffffffUL;
}

int mem_dir_probe(const char *source, const char *dir, char *reason, size_t len)
{
	struct stat st;

	if (!dir || !*dir) {
		snprintf(reason, len,
			 "%s:DIR needs a directory: --mem %s:/mnt/ext4", source,
			 source);
		return EINVAL;
	}
	if (stat(dir, &st)) {
		snprintf(reason, len, "%s: %s", dir, strerror(errno));
		return errno;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(reason, len, "%s is not a directory", dir);
		return ENOTDIR;
	}
	if (access(dir, W_OK | X_OK)) {
		snprintf(reason, len, "%s is not writable: %s", dir,
			 strerror(errno));
		return errno;
	}
	return 0;
}

/*
 * An unlinked file: nothing to clean up however the run ends. Without
 * O_TMPFILE, a named file: with name NULL it is unlinked at once, else
 * it stays and *name says what to unlink when done, because qemu's 9p
 * server truncates by path and could not size or empty an unlinked file
 * (a killed run then leaves a .mrbench-XXXXXX behind).
 */
int mem_tmpfile(const char *dir, char **name)
{
	char path[PATH_MAX];
	int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);

	if (name)
		*name = NULL;
	/*
	 * Filesystems without O_TMPFILE say so in different ways (9p:
	 * ENOENT, old kernels: EISDIR, others: EOPNOTSUPP); a named file is
	 * the fallback for all of them.
	 */
	if (fd >= 0)
		return fd;
	if (snprintf(path, sizeof(path), "%s/.mrbench-XXXXXX", dir) >=
	    (int)sizeof(path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	fd = mkostemp(path, O_CLOEXEC);
	if (fd >= 0 && name)
		*name = xstrdup(path);
	else if (fd >= 0)
		unlink(path);
	return fd;
}

int mem_file_alloc(struct mem_region *r, size_t size, int map_flags)
{
	unsigned long magic;
	char *name;
	struct statfs sf;
	int rc = 0;

	r->dmabuf_fd = -1;
	r->fd = mem_tmpfile(r->arg, &name);
	if (r->fd < 0)
		return errno;
	r->priv = name;
	if (fstatfs(r->fd, &sf))
		goto fail;
	magic = file_magic(r->fd, r->arg);
	r->size = size;
	r->page_size =
		magic == HUGETLBFS_MAGIC ? (size_t)sf.f_bsize : mem_base_page();
	r->map_len = mem_round_up(size, r->page_size);
	mem_fstype_name(magic, r->fstype, sizeof(r->fstype));
	r->flags = MEM_FILE | (map_flags & MAP_SHARED ? MEM_SHARED : 0);
	if (magic == TMPFS_MAGIC)
		r->flags |= MEM_SHMEM;
	if (magic == HUGETLBFS_MAGIC)
		r->flags |= MEM_HUGETLB;
	if (mem_fstype_dirty_tracked(magic)) {
		r->flags |= MEM_DIRTY_TRACKED;
		/* Reserve the blocks now: a full disk is then an allocation
		 * error, not a SIGBUS in the middle of populate. */
		if (fallocate(r->fd, 0, 0, (off_t)r->map_len) &&
		    errno != EOPNOTSUPP)
			goto fail;
	}
	/*
	 * Memory filesystems only get a size: fallocate would populate
	 * them, and a cell without prefault would then register memory
	 * already there. Their room is checked instead, so that a full
	 * tmpfs is an allocation error rather than a SIGBUS in populate
	 * (mem_touch still catches one, should another file fill it).
	 */
	if (!mem_fstype_dirty_tracked(magic) && sf.f_blocks &&
	    (unsigned long long)sf.f_bavail * sf.f_bsize < r->map_len) {
		errno = ENOSPC;
		goto fail;
	}
	if (ftruncate(r->fd, (off_t)r->map_len))
		goto fail;
	if (mem_file_dax(r->fd, r->arg) == MEM_DAX_YES)
		r->flags |= MEM_FSDAX;
	r->addr = mmap(NULL, r->map_len, PROT_READ | PROT_WRITE, map_flags,
		       r->fd, 0);
	if (r->addr != MAP_FAILED)
		return 0;
fail:
	rc = errno;
	r->addr = NULL;
	mem_file_free(r);
	return rc;
}

/*
 * MADV_DONTNEED drops the private copies of a MAP_PRIVATE mapping, which
 * hole punching leaves alone; the hole drops the page cache (and the
 * blocks), so the next touch allocates again as a first touch would.
 */
int mem_file_discard(struct mem_region *r)
{
	if (madvise(r->addr, r->map_len, MADV_DONTNEED))
		return errno;
	if (!fallocate(r->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0,
		       (off_t)r->map_len))
		return 0;
	if (errno != EOPNOTSUPP)
		return errno;
	/*
	 * No holes here (ramfs, 9p, older NFS): truncating to nothing and
	 * back frees the pages and blocks just as well, and also drops the
	 * private copies. A shrink-sealed memfd would refuse, but shmem
	 * punches holes.
	 */
	if (ftruncate(r->fd, 0) || ftruncate(r->fd, (off_t)r->map_len))
		return errno;
	return 0;
}

void mem_file_free(struct mem_region *r)
{
	if (r->addr)
		munmap(r->addr, r->map_len);
	r->addr = NULL;
	if (r->dmabuf_fd >= 0)
		close(r->dmabuf_fd);
	r->dmabuf_fd = -1;
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
	if (r->priv) {
		unlink(r->priv);
		free(r->priv);
	}
	r->priv = NULL;
}
