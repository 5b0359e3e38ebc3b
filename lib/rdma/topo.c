// SPDX-License-Identifier: GPL-2.0
#include <hwloc.h>
#include <sched.h>
#include <hwloc/openfabrics-verbs.h>
#include <stdio.h>
#include <string.h>

#include "rdma/topo.h"

#define NEAR_MAX 256

/* The cores near the device, the chosen one first; one set a process. */
static int near_cpu[NEAR_MAX];
static unsigned near_n;

static void keep_near(hwloc_topology_t topo, hwloc_const_bitmap_t set,
		      hwloc_obj_t first)
{
	hwloc_obj_t pu = first;

	near_n = 0;
	do {
		near_cpu[near_n++] = (int)pu->os_index;
		pu = hwloc_get_next_obj_inside_cpuset_by_type(topo, set,
							      HWLOC_OBJ_PU, pu);
	} while (pu && near_n < NEAR_MAX);
}

void topo_bind_nth(unsigned i)
{
	cpu_set_t one;

	if (!near_n)
		return;
	CPU_ZERO(&one);
	CPU_SET(near_cpu[i % near_n], &one);
	sched_setaffinity(0, sizeof(one), &one);
}

int topo_nth_cpu(unsigned i)
{
	return near_n ? near_cpu[i % near_n] : -1;
}

unsigned topo_near_count(void)
{
	return near_n;
}

int topo_bind_near(struct ibv_device *dev, int want, struct topo_binding *b)
{
	hwloc_topology_t topo;
	hwloc_bitmap_t set, nodes, mine;
	hwloc_obj_t pu;
	int rc = -1;

	b->cpu = b->numa_node = -1;
	b->note[0] = '\0';
	if (hwloc_topology_init(&topo) || hwloc_topology_load(topo)) {
		snprintf(b->note, sizeof(b->note), "hwloc could not load the topology");
		return -1;
	}
	set = hwloc_bitmap_alloc();
	nodes = hwloc_bitmap_alloc();
	mine = hwloc_bitmap_alloc();
	/* The cores this process may use: its affinity (taskset) within the
	 * cores the system allows it (a cgroup's cpuset). */
	if (hwloc_get_cpubind(topo, mine, HWLOC_CPUBIND_THREAD))
		hwloc_bitmap_copy(mine, hwloc_topology_get_allowed_cpuset(topo));
	hwloc_bitmap_and(mine, mine, hwloc_topology_get_allowed_cpuset(topo));
	/* Where the device has no locality, the whole machine is "near"; where
	 * none of its cores is ours, ours are the nearest there are. */
	if (!dev || hwloc_ibv_get_device_cpuset(topo, dev, set) ||
	    hwloc_bitmap_iszero(set))
		hwloc_bitmap_copy(set, mine);
	hwloc_bitmap_and(set, set, mine);
	if (hwloc_bitmap_iszero(set))
		hwloc_bitmap_copy(set, mine);
	if (want >= 0) {
		char list[64];

		if (!hwloc_bitmap_isset(mine, (unsigned)want)) {
			hwloc_bitmap_list_snprintf(list, sizeof(list), mine);
			snprintf(b->note, sizeof(b->note),
				 "CPU %d is not one this process may run on (%s)",
				 want, list);
			goto out;
		}
		hwloc_bitmap_only(set, (unsigned)want);
	}
	pu = hwloc_get_next_obj_inside_cpuset_by_type(topo, set, HWLOC_OBJ_PU, NULL);
	if (!pu) {
		snprintf(b->note, sizeof(b->note), "no allowed core near the device");
		goto out;
	}
	if (hwloc_set_cpubind(topo, pu->cpuset, HWLOC_CPUBIND_THREAD)) {
		snprintf(b->note, sizeof(b->note), "cannot bind to core %u", pu->os_index);
		goto out;
	}
	b->cpu = (int)pu->os_index;
	/* A named core leads the workers of --threads; the others follow on
	 * the process's own cores. */
	keep_near(topo, want >= 0 ? mine : set, pu);
	hwloc_cpuset_to_nodeset(topo, pu->cpuset, nodes);
	if (hwloc_bitmap_weight(nodes) == 1) {
		b->numa_node = hwloc_bitmap_first(nodes);
		/* Without a NUMA choice (one node) binding memory adds nothing. */
		if (hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_NUMANODE) > 1 &&
		    hwloc_set_membind(topo, nodes, HWLOC_MEMBIND_BIND,
				      HWLOC_MEMBIND_THREAD | HWLOC_MEMBIND_BYNODESET))
			snprintf(b->note, sizeof(b->note), "memory not bound to node %d",
				 b->numa_node);
	}
	rc = 0;
out:
	hwloc_bitmap_free(set);
	hwloc_bitmap_free(nodes);
	hwloc_bitmap_free(mine);
	hwloc_topology_destroy(topo);
	return rc;
}
