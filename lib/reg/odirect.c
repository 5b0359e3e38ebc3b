// SPDX-License-Identifier: GPL-2.0
/*
 * odirect: a read(2) of the whole region from a file opened O_DIRECT. The
 * block layer pins the buffer for the duration of the I/O only (a
 * short-term FOLL_PIN, since Linux 6.5; before that a plain page
 * reference, invisible to nr_foll_pin_acquired), so this is GUP's cost
 * without FOLL_LONGTERM. "Deregistration" is empty: the pins are gone when
 * the read returns, and unpins are counted over both operations.
 *
 * The data must come from real blocks: reading a hole or an unwritten
 * extent zeroes the buffer without pinning anything, so the scratch file
 * is written, not just allocated.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "kernel/kver.h"
#include "reg/longterm.h"

#define TMPFS_MAGIC 0x01021994

struct odirect_opts {
	const char *path;
	int fd;
	off_t filled; /* bytes of real data in the scratch file */
	bool scratch; /* created (and removed) by mrbench */
};

static struct odirect_opts od = { .fd = -1 };

static int set_file(void *owner, const char *arg, char *err, size_t errlen)
{
	if (!*arg) {
		snprintf(err, errlen, "invalid O_DIRECT file '': expected a file or block device");
		return -1;
	}
	((struct odirect_opts *)owner)->path = arg;
	return 0;
}

static const struct opt odirect_opts_table[] = {
	OPT_SET("odirect-file", 0, "PATH", "file, block device or directory (for a scratch file) odirect reads (.)", set_file),
	OPT_END,
};

static int open_target(char *reason, size_t len)
{
	static char scratch[4096];
	struct statfs fs;
	struct stat st;

	/* No path, or a directory: a scratch file of our own there. */
	if (!od.path || (!stat(od.path, &st) && S_ISDIR(st.st_mode))) {
		snprintf(scratch, sizeof(scratch), "%s/mrbench-odirect.%d.tmp",
			 od.path ? od.path : ".", getpid());
		od.path = scratch;
		od.scratch = true;
	}
	od.fd = open(od.path, O_RDWR | O_DIRECT | O_CLOEXEC | (od.scratch ? O_CREAT : 0),
		     0600);
	if (od.fd < 0) {
		snprintf(reason, len, "cannot open %s with O_DIRECT: %s", od.path,
			 strerror(errno));
		return -1;
	}
	/* Nameless from the start: whatever ends the process, even SIGKILL,
	 * the file goes with its descriptor. */
	if (od.scratch)
		unlink(od.path);
	/* tmpfs accepts O_DIRECT (since 6.6) but copies through the page
	 * cache: there is no pin to measure. */
	if (!fstatfs(od.fd, &fs) && fs.f_type == TMPFS_MAGIC) {
		snprintf(reason, len, "%s is on tmpfs, which does no direct I/O: use --odirect-file on ext4, xfs or a block device",
			 od.path);
		close(od.fd);
		od.fd = -1;
		return -1;
	}
	return 0;
}

static int odirect_probe(const struct reg_env *env, char *reason, size_t len)
{
	return od.fd >= 0 ? 0 : open_target(reason, len);
}

/* Fill the scratch file with written data up to the region's size. */
static int odirect_prepare(const struct mem_region *r, char *reason, size_t len)
{
	struct stat st;
	char *buf;

	if (fstat(od.fd, &st) == 0 && !S_ISREG(st.st_mode))
		return 0; /* a block device: its blocks are all real */
	if (!od.scratch) {
		if (st.st_size >= (off_t)r->size)
			return 0;
		snprintf(reason, len, "%s holds %lld bytes, less than %zu", od.path,
			 (long long)st.st_size, r->size);
		return -1;
	}
	if (posix_memalign((void **)&buf, 1 << 20, 1 << 20))
		return -1;
	memset(buf, 0x5a, 1 << 20);
	while (od.filled < (off_t)r->size) {
		ssize_t n = pwrite(od.fd, buf, 1 << 20, od.filled);

		if (n <= 0) {
			snprintf(reason, len, "cannot fill %s: %s", od.path, strerror(errno));
			free(buf);
			return -1;
		}
		od.filled += n;
	}
	free(buf);
	return fdatasync(od.fd) ? -1 : 0;
}

static int odirect_reg(const struct reg_env *env, struct mem_region *r,
		       int access, void **handle)
{
	size_t done = 0;

	while (done < r->size) {
		ssize_t n = pread(od.fd, (char *)r->addr + done, r->size - done,
				  (off_t)done);

		if (n < 0)
			return errno;
		if (n == 0)
			return EIO;
		done += (size_t)n;
	}
	*handle = NULL;
	return 0;
}

static int odirect_dereg(void *handle)
{
	return 0;
}

static void odirect_expect(const struct reg_env *env, const struct mem_region *r,
			   int access, bool prefault, struct reg_expect *e)
{
	/* A VM_PFNMAP buffer has no pages for the I/O: GUP's EFAULT
	 * (lib/reg/longterm.c), short-term pin or not. */
	if (r->flags & MEM_PFNMAP) {
		longterm_refused(e, "EFAULT");
		return;
	}
	/* "block: Use iov_iter_extract_pages() and page pinning" (6.5). */
	e->outcome = "ok";
	e->pins = kver_running() >= KVER(6, 5, 0) ?
		(long long)(mem_round_up(r->size, mem_base_page()) / mem_base_page()) : 0;
}

static const char *const odirect_entry[] = { "__*_sys_pread64", NULL };

const struct registrar reg_odirect = {
	.name = "odirect",
	.help = "O_DIRECT read into the region: a short-term FOLL_PIN",
	.probe = odirect_probe,
	.prepare = odirect_prepare,
	.reg = odirect_reg,
	.dereg = odirect_dereg,
	.trace_entry = odirect_entry,
	.expect = odirect_expect,
	.opts = odirect_opts_table,
	.opt_owner = &od,
};
