// SPDX-License-Identifier: GPL-2.0
#include <hwloc.h>
#include <stdio.h>
#include <string.h>

#include "kernel/machine.h"
#include "kernel/sysstate.h"

static json_object *read_line(const char *path)
{
	char buf[512];
	FILE *f = fopen(path, "r");

	if (!f)
		return NULL;
	if (!fgets(buf, sizeof(buf), f)) {
		fclose(f);
		return NULL;
	}
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return json_object_new_string(buf);
}

static json_object *topology(void)
{
	json_object *o = json_object_new_object();
	hwloc_topology_t t;
	hwloc_obj_t root;

	if (hwloc_topology_init(&t) || hwloc_topology_load(t))
		return o;
	json_object_object_add(o, "packages",
		json_object_new_int(hwloc_get_nbobjs_by_type(t, HWLOC_OBJ_PACKAGE)));
	json_object_object_add(o, "cores",
		json_object_new_int(hwloc_get_nbobjs_by_type(t, HWLOC_OBJ_CORE)));
	json_object_object_add(o, "pus",
		json_object_new_int(hwloc_get_nbobjs_by_type(t, HWLOC_OBJ_PU)));
	json_object_object_add(o, "numa_nodes",
		json_object_new_int(hwloc_get_nbobjs_by_type(t, HWLOC_OBJ_NUMANODE)));
	root = hwloc_get_root_obj(t);
	json_object_object_add(o, "memory_bytes",
		json_object_new_int64((int64_t)root->total_memory));
	json_object_object_add(o, "cpu_model",
		json_object_new_string(hwloc_obj_get_info_by_name(root, "CPUModel") ?: ""));
	hwloc_topology_destroy(t);
	return o;
}

static json_object *hugepages(void)
{
	static const char *const sizes[] = { "2048kB", "1048576kB" };
	json_object *o = json_object_new_object();
	char path[128];

	for (size_t i = 0; i < 2; i++) {
		json_object *h = json_object_new_object();

		snprintf(path, sizeof(path), "/sys/kernel/mm/hugepages/hugepages-%s/nr_hugepages",
			 sizes[i]);
		json_object_object_add(h, "nr", read_line(path));
		snprintf(path, sizeof(path), "/sys/kernel/mm/hugepages/hugepages-%s/free_hugepages",
			 sizes[i]);
		json_object_object_add(h, "free", read_line(path));
		json_object_object_add(o, sizes[i], h);
	}
	return o;
}

json_object *machine_json(void)
{
	json_object *o = json_object_new_object(), *thp = json_object_new_object();

	json_object_object_add(o, "topology", topology());
	json_object_object_add(thp, "enabled",
			       read_line("/sys/kernel/mm/transparent_hugepage/enabled"));
	json_object_object_add(thp, "defrag",
			       read_line("/sys/kernel/mm/transparent_hugepage/defrag"));
	json_object_object_add(o, "thp", thp);
	json_object_object_add(o, "hugepages", hugepages());
	json_object_object_add(o, "kernel_cmdline", read_line("/proc/cmdline"));
	json_object_object_add(o, "system", sysstate_json());
	return o;
}
