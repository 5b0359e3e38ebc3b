// SPDX-License-Identifier: GPL-2.0
/*
 * iommufd: IOMMU_IOAS_MAP / IOMMU_IOAS_UNMAP of the region in an I/O
 * address space (IOAS) that a vfio device is attached to, vfio's
 * successor for a VMM's DMA mappings. The device's cdev
 * (/dev/vfio/devices/vfioN) is bound to the iommufd
 * (VFIO_DEVICE_BIND_IOMMUFD) and attached to the IOAS
 * (VFIO_DEVICE_ATTACH_IOMMUFD_PT), which gives the IOAS an IOMMU domain.
 * Without one a map would time nothing worth timing: the IOAS only
 * records the range, and iopt_area_fill_domains() returns before
 * reading (pinning) a page when the IOAS has no domain (xa_empty(
 * &iopt->domains), drivers/iommu/iommufd/pages.c in 7.2); the pages are
 * pinned when a domain is attached, or an in-kernel user accesses them.
 * With a domain the map pins through pfn_reader_user_pin():
 * pin_user_pages_fast(FOLL_LONGTERM, FOLL_WRITE when writable) from the
 * mapping process itself, pin_user_pages_remote() from another, and maps
 * the pages into the domain.
 *
 * As for vfio (lib/reg/vfio.c), the iommufd, the IOAS and the device are
 * opened once per process, outside the timed region, shared by every
 * region while any is open, each region at an IOVA window of its own
 * within the IOAS's allowed ranges.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "cli/xalloc.h"
#include "kernel/kbuild.h"
#include "kernel/kver.h"
#include "reg/iova_space.h"
#include "reg/longterm.h"

#define IOMMUFD_HELP \
	"iommufd IOMMU_IOAS_MAP with a vfio device attached: a FOLL_LONGTERM pin mapped into an IOMMU"

#if defined(HAVE_LINUX_IOMMUFD_H) && HAVE_DECL_VFIO_DEVICE_ATTACH_IOMMUFD_PT
#include <linux/iommufd.h>
#include <linux/vfio.h>

#define DEVICES_DIR "/dev/vfio/devices"

/* Why there is no /dev/iommu, from the kernel's configuration. */
static void why_no_iommufd(char *reason, size_t len)
{
	struct kbuild k = { 0 };
	struct utsname u;
	json_object *v = NULL;
	const char *val = NULL;

	if (!uname(&u))
		kbuild_read(u.release, &k);
	if (k.config &&
	    json_object_object_get_ex(k.config, "CONFIG_IOMMUFD", &v))
		val = v ? json_object_get_string(v) : "n";
	if (val && !strcmp(val, "m"))
		snprintf(reason, len, "no /dev/iommu: modprobe iommufd");
	else if (val || k.config)
		snprintf(reason, len,
			 "no /dev/iommu: kernel built without CONFIG_IOMMUFD");
	else
		snprintf(
			reason, len,
			"no /dev/iommu: kernel built without CONFIG_IOMMUFD, or modprobe iommufd");
	kbuild_free(&k);
}

/* The process's one iommufd, IOAS and device, while any region is open. */
static struct {
	int iommufd, device;
	unsigned refs;
	uint32_t ioas;
	struct iova_space iova;
} ic = { .iommufd = -1, .device = -1 };

/* The first vfio device cdev (vfioN, lowest N), opened. */
static int device_open(char *reason, size_t len)
{
	DIR *d = opendir(DEVICES_DIR);
	struct dirent *e;
	long best = -1;
	char path[64];
	int fd;

	while (d && (e = readdir(d))) {
		char *end;
		long n;

		if (strncmp(e->d_name, "vfio", 4))
			continue;
		n = strtol(e->d_name + 4, &end, 10);
		if (end != e->d_name + 4 && !*end && n >= 0 &&
		    (best < 0 || n < best))
			best = n;
	}
	if (d)
		closedir(d);
	if (best < 0) {
		snprintf(
			reason, len,
			"no vfio device in " DEVICES_DIR
			": bind a device to vfio-pci on a kernel with CONFIG_VFIO_DEVICE_CDEV");
		return -1;
	}
	snprintf(path, sizeof(path), DEVICES_DIR "/vfio%ld", best);
	if ((fd = open(path, O_RDWR | O_CLOEXEC)) < 0)
		snprintf(reason, len, "%s: %s", path, strerror(errno));
	return fd;
}

static int read_ranges(char *reason, size_t len)
{
	struct iommu_iova_range r[IOVA_MAX_RANGES];
	struct iommu_ioas_iova_ranges q = {
		.size = sizeof(q),
		.ioas_id = ic.ioas,
		.num_iovas = IOVA_MAX_RANGES,
		.allowed_iovas = (uintptr_t)r,
	};

	if (ioctl(ic.iommufd, IOMMU_IOAS_IOVA_RANGES, &q)) {
		snprintf(reason, len, "IOMMU_IOAS_IOVA_RANGES: %s",
			 strerror(errno));
		return -1;
	}
	ic.iova = (struct iova_space){ 0 };
	for (uint32_t i = 0; i < q.num_iovas && i < IOVA_MAX_RANGES; i++)
		iova_add_range(&ic.iova, r[i].start, r[i].last);
	if (ic.iova.n)
		return 0;
	snprintf(reason, len, "the IOAS allows no IOVA range");
	return -1;
}

static void ic_put(void)
{
	if (!ic.refs || --ic.refs)
		return;
	/* Closing the device detaches and unbinds it; closing the iommufd
	 * destroys the IOAS and its domain. */
	if (ic.device >= 0)
		close(ic.device);
	close(ic.iommufd);
	ic.device = ic.iommufd = -1;
}

/* Called on the main thread only (probe, open, close). */
static int ic_get(char *reason, size_t len)
{
	struct iommu_ioas_alloc alloc = { .size = sizeof(alloc) };
	struct vfio_device_bind_iommufd bind = {
		.argsz = offsetof(struct vfio_device_bind_iommufd, out_devid) +
			 sizeof(bind.out_devid),
	};
	struct vfio_device_attach_iommufd_pt attach = {
		.argsz = offsetof(struct vfio_device_attach_iommufd_pt, pt_id) +
			 sizeof(attach.pt_id),
	};

	if (ic.refs) {
		ic.refs++;
		return 0;
	}
	if ((ic.iommufd = open("/dev/iommu", O_RDWR | O_CLOEXEC)) < 0) {
		if (errno == ENOENT)
			why_no_iommufd(reason, len);
		else
			snprintf(reason, len, "/dev/iommu: %s",
				 strerror(errno));
		return -1;
	}
	ic.refs = 1;
	if (ioctl(ic.iommufd, IOMMU_IOAS_ALLOC, &alloc)) {
		snprintf(reason, len, "IOMMU_IOAS_ALLOC: %s", strerror(errno));
		goto fail;
	}
	ic.ioas = alloc.out_ioas_id;
	if ((ic.device = device_open(reason, len)) < 0)
		goto fail;
	bind.iommufd = ic.iommufd;
	attach.pt_id = ic.ioas;
	if (ioctl(ic.device, VFIO_DEVICE_BIND_IOMMUFD, &bind)) {
		snprintf(reason, len, "VFIO_DEVICE_BIND_IOMMUFD: %s",
			 strerror(errno));
	} else if (ioctl(ic.device, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &attach)) {
		snprintf(reason, len, "VFIO_DEVICE_ATTACH_IOMMUFD_PT: %s",
			 strerror(errno));
	} else if (!read_ranges(reason, len)) {
		return 0;
	}
fail:
	ic_put();
	return -1;
}

static int iommufd_probe(const struct reg_env *env, char *reason, size_t len)
{
	if (ic_get(reason, len))
		return -1;
	ic_put();
	return 0;
}

static int iommufd_open(const struct reg_env *env, struct mem_region *r)
{
	struct iova_window *w = xcalloc(1, sizeof(*w));
	char reason[200];
	int rc;

	if (ic_get(reason, sizeof(reason))) {
		free(w);
		return ENODEV;
	}
	rc = iova_window_for(&ic.iova, r->size, mem_base_page(), r->page_size,
			     w);
	if (rc) {
		free(w);
		ic_put();
		return rc;
	}
	r->reg_priv = w;
	return 0;
}

static void iommufd_close(struct mem_region *r)
{
	free(r->reg_priv);
	r->reg_priv = NULL;
	ic_put();
}

static int iommufd_reg(const struct reg_env *env, struct mem_region *r,
		       int access, void **handle)
{
	struct iova_window *w = r->reg_priv;
	struct iommu_ioas_map map = {
		.size = sizeof(map),
		.flags = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_READABLE |
			 (access & REG_WRITABLE ? IOMMU_IOAS_MAP_WRITEABLE : 0),
		.ioas_id = ic.ioas,
		.user_va = (uintptr_t)r->addr,
		.length = w->len,
		.iova = w->iova,
	};

	if (ioctl(ic.iommufd, IOMMU_IOAS_MAP, &map))
		return errno;
	*handle = w;
	return 0;
}

static int iommufd_dereg(void *handle)
{
	struct iova_window *w = handle;
	struct iommu_ioas_unmap unmap = {
		.size = sizeof(unmap),
		.ioas_id = ic.ioas,
		.iova = w->iova,
		.length = w->len,
	};

	if (ioctl(ic.iommufd, IOMMU_IOAS_UNMAP, &unmap))
		return errno;
	return unmap.length == w->len ? 0 : EIO;
}

/*
 * GUP's rules (lib/reg/longterm.c) for pin_user_pages_fast(), the pin
 * from the process that maps: FOLL_LONGTERM, FOLL_WRITE only for a
 * writable map (pfn_reader_user_init()), each base page once.
 */
static void iommufd_expect(const struct reg_env *env,
			   const struct mem_region *r, int access,
			   bool prefault, struct reg_expect *e)
{
	longterm_expect(r,
			LONGTERM_FAST |
				(access & REG_WRITABLE ? LONGTERM_WRITE : 0) |
				(prefault ? 0 : LONGTERM_UNTOUCHED),
			kver_running(), e);
}

/* The iommufd's ioctl: the IOAS's bookkeeping is its time. */
static const char *const iommufd_entry[] = { "iommufd_fops_ioctl", NULL };

const struct registrar reg_iommufd = {
	.name = "iommufd",
	.help = IOMMUFD_HELP,
	.flags = REG_MEMLOCK,
	.probe = iommufd_probe,
	.open = iommufd_open,
	.close = iommufd_close,
	.reg = iommufd_reg,
	.dereg = iommufd_dereg,
	.expect = iommufd_expect,
	.trace_entry = iommufd_entry,
};
#else
const struct registrar reg_iommufd = {
	.name = "iommufd",
	.help = IOMMUFD_HELP,
	.flags = REG_MEMLOCK,
	.unimplemented =
		"mrbench was built without <linux/iommufd.h> and vfio's cdev ioctls (linux-libc-dev 6.6 or later)",
};
#endif
