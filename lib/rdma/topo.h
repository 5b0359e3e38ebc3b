/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_TOPO_H
#define MRBENCH_TOPO_H

#include <infiniband/verbs.h>

struct topo_binding {
	int cpu;       /* OS index of the PU the thread is bound to, or -1 */
	int numa_node; /* OS index of its memory node, or -1 */
	char note[128];
};

/*
 * Bind the calling thread to one core close to the device (any core when
 * the device has no locality, as soft-RoCE) and its memory to that core's
 * NUMA node, so that every sample runs on the same core and touches local
 * memory. Only the cores the process may run on count (taskset, a
 * cgroup's cpuset); want >= 0 names the core, which must be one of them.
 * dev may be NULL.
 */
int topo_bind_near(struct ibv_device *dev, int want, struct topo_binding *b);
/*
 * Bind the calling thread to the i-th core near the device, counting
 * from the one topo_bind_near chose and wrapping around: the workers of
 * a threaded cell each get their own core, as near as they can be,
 * instead of the one core they would inherit from the measuring thread.
 * Nothing happens before topo_bind_near or when it failed.
 */
void topo_bind_nth(unsigned i);
/* The CPU topo_bind_nth(i) binds to, or -1 when nothing is bound. */
int topo_nth_cpu(unsigned i);
/* How many cores the workers spread over (0 before binding). */
unsigned topo_near_count(void);

#endif
