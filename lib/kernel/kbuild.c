// SPDX-License-Identifier: GPL-2.0
/*
 * The running kernel's build id and configuration. The build id is the
 * NT_GNU_BUILD_ID note of vmlinux, which the kernel exposes in
 * /sys/kernel/notes. The configuration is not always there: Debian
 * kernels have no /proc/config.gz, so it is looked for where packages
 * put it (/boot/config-REL, the modules directory) and, in mrbench vm,
 * in the unpacked kernel the guest booted (MRBENCH_VM_KERNEL_CONFIG).
 * The hash is FNV-1a 64 over the file: an identity, not a signature.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/kbuild.h"
#include "kernel/kfile.h"

#define NT_GNU_BUILD_ID 3

/* The options behind what mrbench measures: pins, ODP, placement, pages. */
static const char *const options[] = {
	"CONFIG_INFINIBAND_ON_DEMAND_PAGING",
	"CONFIG_RDMA_RXE",
	"CONFIG_CMA",
	"CONFIG_DMA_CMA",
	"CONFIG_MEMORY_HOTPLUG",
	"CONFIG_MIGRATION",
	"CONFIG_TRANSPARENT_HUGEPAGE",
	"CONFIG_HUGETLBFS",
	"CONFIG_FS_DAX",
	"CONFIG_UDMABUF",
	"CONFIG_IO_URING",
	"CONFIG_KSM",
	"CONFIG_COMPACTION",
	"CONFIG_GUP_TEST",
	"CONFIG_VFIO_IOMMU_TYPE1",
	"CONFIG_IOMMUFD",
	NULL,
};

static size_t align4(size_t v)
{
	return (v + 3) & ~(size_t)3;
}

int kbuild_parse_notes(const unsigned char *buf, size_t n, char *hex,
		       size_t len)
{
	size_t off = 0;

	while (off + 12 <= n) {
		uint32_t namesz, descsz, type;
		size_t name, desc;

		memcpy(&namesz, buf + off, 4);
		memcpy(&descsz, buf + off + 4, 4);
		memcpy(&type, buf + off + 8, 4);
		name = off + 12;
		desc = name + align4(namesz);
		if (desc > n || descsz > n - desc)
			return -1;
		if (type == NT_GNU_BUILD_ID && namesz == 4 &&
		    !memcmp(buf + name, "GNU", 4) && descsz * 2 < len) {
			for (size_t i = 0; i < descsz; i++)
				snprintf(hex + 2 * i, 3, "%02x", buf[desc + i]);
			return 0;
		}
		off = desc + align4(descsz);
	}
	return -1;
}

/* "y", "m", a value, "n" for "# CONFIG_X is not set", NULL if absent. */
static json_object *option(const char *text, const char *name)
{
	size_t len = strlen(name);
	char unset[96];
	const char *p;

	for (p = strstr(text, name); p; p = strstr(p + 1, name)) {
		const char *end;

		if ((p != text && p[-1] != '\n') || p[len] != '=')
			continue;
		end = strchr(p + len + 1, '\n');
		return json_object_new_string_len(
			p + len + 1, (int)(end ? (size_t)(end - p - len - 1) :
						 strlen(p + len + 1)));
	}
	snprintf(unset, sizeof(unset), "# %s is not set\n", name);
	return strstr(text, unset) ? json_object_new_string("n") : NULL;
}

json_object *kbuild_parse_config(const char *text, size_t n)
{
	json_object *o = json_object_new_object();
	uint64_t h = 0xcbf29ce484222325ULL;
	char hex[24];

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)text[i]) * 0x100000001b3ULL;
	snprintf(hex, sizeof(hex), "%016llx", (unsigned long long)h);
	json_object_object_add(o, "fnv1a64", json_object_new_string(hex));
	for (const char *const *c = options; *c; c++)
		json_object_object_add(o, *c, option(text, *c));
	return o;
}

static char *find_config(const char *rel, size_t *n)
{
	const char *vm = getenv("MRBENCH_VM_KERNEL_CONFIG");
	const char *const where[] = { "/boot/config-%s",
				      "/lib/modules/%s/config",
				      "/usr/lib/modules/%s/config" };
	char path[512], *text;

	if (vm && *vm && (text = kfile_read(vm, n)))
		return text;
	for (size_t i = 0; i < sizeof(where) / sizeof(where[0]); i++) {
		snprintf(path, sizeof(path), where[i], rel);
		if ((text = kfile_read(path, n)))
			return text;
	}
	return NULL;
}

void kbuild_read(const char *rel, struct kbuild *k)
{
	size_t n;
	char *buf = kfile_read("/sys/kernel/notes", &n);

	k->build_id[0] = '\0';
	if (buf && kbuild_parse_notes((unsigned char *)buf, n, k->build_id,
				      sizeof(k->build_id)))
		k->build_id[0] = '\0';
	free(buf);
	buf = find_config(rel, &n);
	k->config = buf ? kbuild_parse_config(buf, n) : NULL;
	free(buf);
}

void kbuild_free(struct kbuild *k)
{
	json_object_put(k->config);
	k->config = NULL;
}
