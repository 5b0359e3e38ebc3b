// SPDX-License-Identifier: GPL-2.0
/*
 * vfio: VFIO_IOMMU_MAP_DMA / VFIO_IOMMU_UNMAP_DMA of the region through a
 * type1 (v2) container, what a VMM does for the guest memory of a device
 * it passes through. vfio_iommu_type1 pins the range with
 * pin_user_pages_remote(FOLL_LONGTERM, and FOLL_WRITE when the device may
 * write), the slow path whatever the memory, in batches of up to a page
 * of page pointers, and maps each run of contiguous frames into the IOMMU
 * domain: the same long-term pin as an MR, with an IOMMU behind it
 * instead of an RDMA driver.
 *
 * Opening the container and the group and choosing the IOMMU (the
 * lifetime of a VMM's device, not of one mapping) stay outside the timed
 * region. A group can be opened once per process, so every region (and
 * every thread, whose maps then take the container's lock in turn, as a
 * VMM's vCPUs would) shares one container, opened by the first and
 * closed with the last; each region maps at an IOVA window of its own
 * inside the ranges the IOMMU accepts (lib/reg/iova_space.c).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/vfio.h>

#include "cli/xalloc.h"
#include "kernel/kver.h"
#include "reg/iova_space.h"
#include "reg/longterm.h"

#define VFIO_DEV_DIR   "/dev/vfio"
#define VFIO_CONTAINER VFIO_DEV_DIR "/vfio"
#define GROUP_ANY      UINT_MAX
#define MAX_GROUPS     256

struct vfio_opts {
	unsigned group; /* GROUP_ANY: the first viable one */
};

static struct vfio_opts vo = { .group = GROUP_ANY };

static const struct opt vfio_opts_table[] = {
	OPT_ROW("vfio-group", 0, "N",
		"IOMMU group vfio maps through, /dev/vfio/N (the first viable one)",
		OPT_UINT, struct vfio_opts, group, .lo = 0, .hi = INT_MAX,
		.what = "IOMMU group"),
	OPT_END,
};

/* The process's one container, shared by every region while any is open. */
static struct {
	int container, group;
	unsigned refs, group_id;
	struct iova_space iova;
} vc = { .container = -1, .group = -1 };

static int container_open(char *reason, size_t len)
{
	int fd = open(VFIO_CONTAINER, O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		snprintf(
			reason, len,
			errno == ENOENT ?
				"no " VFIO_CONTAINER
				": kernel without CONFIG_VFIO, or modprobe vfio-pci" :
				VFIO_CONTAINER ": %s",
			strerror(errno));
		return -1;
	}
	if (ioctl(fd, VFIO_GET_API_VERSION) != VFIO_API_VERSION) {
		snprintf(reason, len, "vfio speaks another API than version %d",
			 VFIO_API_VERSION);
	} else if (ioctl(fd, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU) <= 0) {
		snprintf(
			reason, len,
			"vfio has no type1 IOMMU backend: modprobe vfio_iommu_type1 (CONFIG_VFIO_IOMMU_TYPE1)");
	} else {
		return fd;
	}
	close(fd);
	return -1;
}

static int by_number(const void *a, const void *b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;

	return x < y ? -1 : x > y;
}

/* The groups bound to vfio: the numbered nodes of /dev/vfio, in order. */
static size_t list_groups(unsigned *ids, size_t max)
{
	DIR *d = opendir(VFIO_DEV_DIR);
	struct dirent *e;
	size_t n = 0;

	while (d && (e = readdir(d)) && n < max) {
		char *end;
		unsigned long v = strtoul(e->d_name, &end, 10);

		if (e->d_name[0] >= '0' && e->d_name[0] <= '9' && !*end &&
		    v <= INT_MAX)
			ids[n++] = (unsigned)v;
	}
	if (d)
		closedir(d);
	qsort(ids, n, sizeof(*ids), by_number);
	return n;
}

/* Whether the IOMMU made any group at all: none means it is off. */
static bool iommu_on(void)
{
	DIR *d = opendir("/sys/kernel/iommu_groups");
	struct dirent *e;
	bool any = false;

	while (d && !any && (e = readdir(d)))
		any = e->d_name[0] != '.';
	if (d)
		closedir(d);
	return any;
}

/* Group id, open and viable (all its devices bound to vfio), or -1. */
static int group_open(unsigned id, char *reason, size_t len)
{
	struct vfio_group_status st = { .argsz = sizeof(st) };
	char path[64];
	int fd;

	snprintf(path, sizeof(path), VFIO_DEV_DIR "/%u", id);
	if ((fd = open(path, O_RDWR | O_CLOEXEC)) < 0) {
		if (errno == ENOENT)
			snprintf(
				reason, len,
				"no %s: bind the devices of IOMMU group %u to vfio-pci",
				path, id);
		else if (errno == EBUSY)
			snprintf(
				reason, len,
				"%s is held by another process (a group opens once)",
				path);
		else
			snprintf(reason, len, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (ioctl(fd, VFIO_GROUP_GET_STATUS, &st)) {
		snprintf(reason, len, "%s: VFIO_GROUP_GET_STATUS: %s", path,
			 strerror(errno));
	} else if (!(st.flags & VFIO_GROUP_FLAGS_VIABLE)) {
		snprintf(
			reason, len,
			"IOMMU group %u is not viable: bind every device in /sys/kernel/iommu_groups/%u/devices to vfio-pci, or unbind it",
			id, id);
	} else {
		return fd;
	}
	close(fd);
	return -1;
}

/* --vfio-group, or the first viable group; its id in *id. */
static int group_pick(unsigned *id, char *reason, size_t len)
{
	unsigned ids[MAX_GROUPS];
	size_t n;
	int fd;

	if (vo.group != GROUP_ANY) {
		*id = vo.group;
		return group_open(vo.group, reason, len);
	}
	n = list_groups(ids, MAX_GROUPS);
	if (!n) {
		snprintf(
			reason, len,
			iommu_on() ?
				"no IOMMU group bound to vfio in " VFIO_DEV_DIR
				": echo vfio-pci > /sys/bus/pci/devices/DEV/driver_override, then echo DEV > /sys/bus/pci/drivers_probe" :
				"no IOMMU groups: boot with the IOMMU on (intel_iommu=on, or mrbench vm --profile iommu)");
		return -1;
	}
	/* The first group's reason, if none is viable. */
	for (size_t i = 0; i < n; i++) {
		char why[200];

		if ((fd = group_open(ids[i], i ? why : reason,
				     i ? sizeof(why) : len)) >= 0) {
			*id = ids[i];
			return fd;
		}
	}
	return -1;
}

/* The IOVA ranges the container's IOMMU accepts (its capability chain). */
static int read_ranges(int fd, struct iova_space *s, char *reason, size_t len)
{
	struct vfio_iommu_type1_info *info = xcalloc(1, sizeof(*info));
	uint32_t off;

	info->argsz = sizeof(*info);
	/* The first call says how large the capabilities are. */
	if (!ioctl(fd, VFIO_IOMMU_GET_INFO, info) &&
	    info->argsz > sizeof(*info)) {
		uint32_t argsz = info->argsz;

		free(info);
		info = xcalloc(1, argsz);
		info->argsz = argsz;
		if (ioctl(fd, VFIO_IOMMU_GET_INFO, info))
			info->flags = 0;
	}
	*s = (struct iova_space){ 0 };
	off = info->flags & VFIO_IOMMU_INFO_CAPS ? info->cap_offset : 0;
	while (off &&
	       off + sizeof(struct vfio_info_cap_header) <= info->argsz) {
		struct vfio_info_cap_header *h = (void *)((char *)info + off);
		struct vfio_iommu_type1_info_cap_iova_range *c = (void *)h;

		if (h->id == VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE &&
		    off + sizeof(*c) +
				    c->nr_iovas * sizeof(c->iova_ranges[0]) <=
			    info->argsz)
			for (uint32_t i = 0; i < c->nr_iovas; i++)
				iova_add_range(s, c->iova_ranges[i].start,
					       c->iova_ranges[i].end);
		off = h->next;
	}
	free(info);
	if (s->n)
		return 0;
	/* The capability came with Linux 5.4; not a guess in its place. */
	snprintf(
		reason, len,
		"VFIO_IOMMU_GET_INFO reports no IOVA ranges (a kernel before 5.4?)");
	return -1;
}

static void vc_put(void)
{
	if (!vc.refs || --vc.refs)
		return;
	/* Closing the group takes it out of the container, and the last
	 * close of the container frees the IOMMU domain. */
	close(vc.group);
	close(vc.container);
	vc.group = vc.container = -1;
}

/*
 * The container with the group in it and type1 set, opened by the first
 * region and kept while any is open. Called on the main thread only
 * (probe, open, close), so it needs no lock.
 */
static int vc_get(char *reason, size_t len)
{
	if (vc.refs) {
		vc.refs++;
		return 0;
	}
	if ((vc.container = container_open(reason, len)) < 0)
		return -1;
	if ((vc.group = group_pick(&vc.group_id, reason, len)) < 0) {
		close(vc.container);
		vc.container = -1;
		return -1;
	}
	vc.refs = 1;
	if (ioctl(vc.group, VFIO_GROUP_SET_CONTAINER, &vc.container)) {
		snprintf(reason, len,
			 "IOMMU group %u: VFIO_GROUP_SET_CONTAINER: %s",
			 vc.group_id, strerror(errno));
	} else if (ioctl(vc.container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU)) {
		snprintf(reason, len,
			 "IOMMU group %u: VFIO_SET_IOMMU (type1v2): %s",
			 vc.group_id, strerror(errno));
	} else if (!read_ranges(vc.container, &vc.iova, reason, len)) {
		return 0;
	}
	vc_put();
	return -1;
}

static int vfio_probe(const struct reg_env *env, char *reason, size_t len)
{
	if (vc_get(reason, len))
		return -1;
	vc_put();
	return 0;
}

static int vfio_open(const struct reg_env *env, struct mem_region *r)
{
	struct iova_window *w = xcalloc(1, sizeof(*w));
	char reason[200];
	int rc;

	if (vc_get(reason, sizeof(reason))) {
		free(w);
		return ENODEV;
	}
	rc = iova_window_for(&vc.iova, r->size, mem_base_page(), r->page_size,
			     w);
	if (rc) {
		free(w);
		vc_put();
		return rc;
	}
	r->reg_priv = w;
	return 0;
}

static void vfio_close(struct mem_region *r)
{
	free(r->reg_priv);
	r->reg_priv = NULL;
	vc_put();
}

static int vfio_reg(const struct reg_env *env, struct mem_region *r, int access,
		    void **handle)
{
	struct iova_window *w = r->reg_priv;
	struct vfio_iommu_type1_dma_map map = {
		.argsz = sizeof(map),
		.flags = VFIO_DMA_MAP_FLAG_READ |
			 (access & REG_WRITABLE ? VFIO_DMA_MAP_FLAG_WRITE : 0),
		.vaddr = (uintptr_t)r->addr,
		.iova = w->iova,
		.size = w->len,
	};

	if (ioctl(vc.container, VFIO_IOMMU_MAP_DMA, &map))
		return errno;
	*handle = w;
	return 0;
}

static int vfio_dereg(void *handle)
{
	struct iova_window *w = handle;
	struct vfio_iommu_type1_dma_unmap unmap = {
		.argsz = sizeof(unmap),
		.iova = w->iova,
		.size = w->len,
	};

	if (ioctl(vc.container, VFIO_IOMMU_UNMAP_DMA, &unmap))
		return errno;
	/* It says how much it unmapped: all of it, or the pins stay. */
	return unmap.size == w->len ? 0 : EIO;
}

/*
 * The pin is GUP's (lib/reg/longterm.c) through pin_user_pages_remote(),
 * FOLL_LONGTERM, FOLL_WRITE only for a writable map (vaddr_get_pfns(),
 * the same in 6.1, 6.12 and 7.2), and never GUP-fast: a refused writable
 * pin of a shared ext4 file counts no pin at all. What vfio adds:
 * - A refused pin fails MAP_DMA with the pin's own errno (EFAULT,
 *   EOPNOTSUPP for FS-DAX): vaddr_get_pfns() looks further only when the
 *   VMA is VM_PFNMAP (device memory, which it maps without a pin), and
 *   none of mrbench's sources is. vfio_pin_map_dma() then unmaps and
 *   unpins what earlier batches of the same map pinned; the refusals
 *   here come on the first batch, before any pin.
 * - Pages left over in a batch after a run of contiguous frames ends are
 *   kept for the next run, not pinned again, so each base page counts
 *   one pin, THP and hugetlb pages included; UNMAP_DMA unpins each page
 *   once (vfio_unpin_pages_remote(): page by page in 6.1 and 6.12, by
 *   contiguous ranges, unpin_user_page_range_dirty_lock(), in 7.2).
 * - A read-only map of untouched anonymous memory maps the zero page
 *   before 6.2, uncounted (lib/reg/longterm.c; 6.1's vaddr_get_pfns()
 *   even unpins zero pages from its batch itself).
 * - Pages are charged to locked_vm without CAP_IPC_LOCK (vfio_lock_acct()):
 *   past RLIMIT_MEMLOCK, ENOMEM (REG_MEMLOCK: checked before the run).
 */
static void vfio_expect(const struct reg_env *env, const struct mem_region *r,
			int access, bool prefault, struct reg_expect *e)
{
	longterm_expect(r,
			(access & REG_WRITABLE ? LONGTERM_WRITE : 0) |
				(prefault ? 0 : LONGTERM_UNTOUCHED),
			kver_running(), e);
}

/*
 * The container's ioctl and type1's handler: vfio's own bookkeeping
 * (the map's rb-tree, the walk over contiguous runs, locked_vm) is their
 * time; pin_user_pages_remote is the pin phase, iommu_map/unmap and the
 * IOTLB flush the dma phase, vfio_unmap_unpin the unpins
 * (lib/trace/phase.c).
 */
static const char *const vfio_entry[] = { "vfio_fops_unl_ioctl",
					  "vfio_iommu_type1_ioctl", NULL };

const struct registrar reg_vfio = {
	.name = "vfio",
	.help = "vfio type1 VFIO_IOMMU_MAP_DMA: a FOLL_LONGTERM pin mapped into an IOMMU",
	.flags = REG_MEMLOCK,
	.probe = vfio_probe,
	.open = vfio_open,
	.close = vfio_close,
	.reg = vfio_reg,
	.dereg = vfio_dereg,
	.expect = vfio_expect,
	.trace_entry = vfio_entry,
	.opts = vfio_opts_table,
	.opt_owner = &vo,
};
