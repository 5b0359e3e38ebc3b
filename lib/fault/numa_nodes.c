// SPDX-License-Identifier: GPL-2.0
/*
 * The numa scenario's view of the nodes: sysfs for which nodes have
 * memory and CPUs, and move_pages/mbind/get_mempolicy called through
 * syscall(2), as the kernel's own selftests do, so that every return
 * and status is the kernel's own.
 */
#include <errno.h>
#include <linux/mempolicy.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fault/numa.h"
#include "mem/mem.h"
#include "out/record.h"

#define NODE_DIR "/sys/devices/system/node/"

/* Enough bits for every node the kernel may have (MAX_NUMNODES is 1024
 * at most on x86). */
#define MASK_BITS 1024

int numa_parse_list(const char *text, cpu_set_t *set)
{
	const char *s = text;

	CPU_ZERO(set);
	while (*s && *s != '\n') {
		char *end;
		unsigned long a = strtoul(s, &end, 10), b = a;

		if (end == s)
			return -1;
		if (*end == '-') {
			s = end + 1;
			b = strtoul(s, &end, 10);
			if (end == s || b < a)
				return -1;
		}
		for (unsigned long i = a; i <= b && i < CPU_SETSIZE; i++)
			CPU_SET(i, set);
		s = *end == ',' ? end + 1 : end;
	}
	return 0;
}

int numa_memory_nodes(cpu_set_t *nodes)
{
	char line[4096];

	if (mem_read_line(NODE_DIR "has_memory", line, sizeof(line)) ||
	    numa_parse_list(line, nodes))
		return -1;
	return CPU_COUNT(nodes);
}

int numa_node_cpus(int node, cpu_set_t *cpus)
{
	char path[128], line[4096];

	snprintf(path, sizeof(path), NODE_DIR "node%d/cpulist", node);
	CPU_ZERO(cpus);
	if (mem_read_line(path, line, sizeof(line)) ||
	    numa_parse_list(line, cpus))
		return 0;
	return CPU_COUNT(cpus);
}

int numa_bind(void *p, size_t len, int node, unsigned flags)
{
	unsigned long mask[MASK_BITS / (8 * sizeof(unsigned long))] = { 0 };

	mask[node / (8 * sizeof(long))] |= 1UL << (node % (8 * sizeof(long)));
	return (int)syscall(SYS_mbind, p, len, MPOL_BIND, mask,
			    (unsigned long)MASK_BITS + 1, flags);
}

long numa_move(void *p, size_t n, int node, int *status)
{
	void **pages = calloc(n, sizeof(*pages));
	int *nodes = node >= 0 ? calloc(n, sizeof(*nodes)) : NULL;
	size_t page = mem_base_page();
	long rc = -1;
	int err = ENOMEM;

	if (pages && (node < 0 || nodes)) {
		for (size_t i = 0; i < n; i++) {
			pages[i] = (char *)p + i * page;
			status[i] = NUMA_UNWRITTEN;
			if (nodes)
				nodes[i] = node;
		}
		rc = syscall(SYS_move_pages, 0, n, pages, nodes, status,
			     MPOL_MF_MOVE);
		err = errno;
	}
	free(pages);
	free(nodes);
	errno = err;
	return rc;
}

int numa_where(void *p, size_t n, int *where)
{
	return numa_move(p, n, -1, where) < 0 ? -1 : 0;
}

const char *numa_policy_name(void *p, char *buf, size_t len)
{
	static const char *const modes[] = { "default", "preferred", "bind",
					     "interleave", "local" };
	unsigned long mask[MASK_BITS / (8 * sizeof(unsigned long))] = { 0 };
	int mode = -1, first = -1;

	if (syscall(SYS_get_mempolicy, &mode, mask, (unsigned long)MASK_BITS, p,
		    MPOL_F_ADDR)) {
		snprintf(buf, len, "get_mempolicy: %s", strerror(errno));
		return buf;
	}
	for (int i = 0; i < MASK_BITS && first < 0; i++)
		if (mask[i / (8 * sizeof(long))] &
		    (1UL << (i % (8 * sizeof(long)))))
			first = i;
	if (mode < 0 || mode >= (int)(sizeof(modes) / sizeof(*modes)))
		snprintf(buf, len, "mode%d", mode);
	else if (first >= 0 && mode != 0)
		snprintf(buf, len, "%s:%d", modes[mode], first);
	else
		snprintf(buf, len, "%s", modes[mode]);
	return buf;
}

/* Pages of v[0..n) on node. */
size_t numa_count(const int *v, size_t n, int node)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		k += v[i] == node;
	return k;
}

/* What v[0..n) holds, value by value: {"1": 256, "unwritten": 256}. */
json_object *numa_tally(const int *v, size_t n)
{
	json_object *o = json_object_new_object();

	for (size_t i = 0; i < n; i++) {
		char key[32];
		json_object *c;

		if (v[i] == NUMA_UNWRITTEN)
			snprintf(key, sizeof(key), "unwritten");
		else if (v[i] < 0)
			snprintf(key, sizeof(key), "%s", errno_name(-v[i]));
		else
			snprintf(key, sizeof(key), "%d", v[i]);
		if (json_object_object_get_ex(o, key, &c))
			json_object_int_inc(c, 1);
		else
			json_object_object_add(o, key, json_object_new_int(1));
	}
	return o;
}

long numa_balancing(void)
{
	unsigned long v;

	return mem_read_ulong("/proc/sys/kernel/numa_balancing", &v) ? -1 :
								       (long)v;
}
