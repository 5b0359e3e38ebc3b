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
static bool mount_dax(const char *dir, dev_t dev)
{
	char real[PATH_MAX], line[1024];
	struct mountinfo_line m;
	size_t best = 0;
	bool dax = false;
	FILE *f;

	if (!realpath(dir, real) || !(f = fopen("/proc/self/mountinfo", "re")))
		return false;
	while (fgets(line, sizeof(line), f)) {
		size_t n;

		if (mem_mountinfo_parse(line, &m) || m.major != major(dev) ||
		    m.minor != minor(dev))
			continue;
		n = strlen(m.mnt);
		if (strncmp(real, m.mnt, n) ||
		    (real[n] != '/' && real[n] != '\0' && n > 1) || n < best)
			continue;
		best = n;
		dax = m.dax;
	}
	fclose(f);
	return dax;
}

/*
 * statx has reported the DAX state of each file since Linux 5.8, which
 * also covers dax=inode; older kernels leave STATX_ATTR_DAX out of the
 * mask and we read the mount options instead.
 */
enum mem_dax mem_file_dax(int fd, const char *dir)
{
	struct statx stx;
	struct stat st;

	if (!statx(fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &stx)) {
		if (stx.stx_attributes_mask & STATX_ATTR_DAX)
			return stx.stx_attributes & STATX_ATTR_DAX ?
				       MEM_DAX_YES :
				       MEM_DAX_NO;
		st.st_dev = makedev(stx.stx_dev_major, stx.stx_dev_minor);
	} else if (fstat(fd, &st)) {
		return MEM_DAX_NO;
	}
	return mount_dax(dir, st.st_dev) ? MEM_DAX_YES : MEM_DAX_NO;
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

/* An unlinked file: nothing to clean up however the run ends. */
int mem_tmpfile(const char *dir)
{
	char path[PATH_MAX];
	int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);

	/* Filesystems without O_TMPFILE (9p, NFS, old kernels). */
	if (fd >= 0 ||
	    (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL))
		return fd;
	if (snprintf(path, sizeof(path), "%s/.mrbench-XXXXXX", dir) >=
	    (int)sizeof(path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	fd = mkostemp(path, O_CLOEXEC);
	if (fd >= 0)
		unlink(path);
	return fd;
}

int mem_file_alloc(struct mem_region *r, size_t size, int map_flags)
{
	unsigned long magic;
	struct statfs sf;
	int rc = 0;

	r->dmabuf_fd = -1;
	r->fd = mem_tmpfile(r->arg);
	if (r->fd < 0)
		return errno;
	if (fstatfs(r->fd, &sf))
		goto fail;
	/* f_type is a signed word; the magic numbers are 32-bit. */
	magic = (unsigned long)sf.f_type & 0xffffffffUL;
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
	/* Memory filesystems only get a size: allocating would populate. */
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
	close(r->fd);
	r->fd = -1;
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
	/* No holes here (9p, older NFS): write back, then drop the clean
	 * pages from the page cache. */
	if (fdatasync(r->fd))
		return errno;
	return posix_fadvise(r->fd, 0, (off_t)r->map_len, POSIX_FADV_DONTNEED);
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
}
