/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_FAULT_NUMA_H
#define MRBENCH_FAULT_NUMA_H

#include <json-c/json.h>
#include <sched.h>
#include <stddef.h>

/*
 * NUMA nodes and page placement for the numa scenario, through the raw
 * system calls (move_pages, mbind, get_mempolicy) and sysfs, so that
 * what is recorded is what the kernel said, not what a library made of
 * it.
 */

/* What move_pages() left in a status slot it never wrote. */
#define NUMA_UNWRITTEN (-32768)

/* A node list or CPU list of sysfs ("0-1,4"), as a set. */
int numa_parse_list(const char *text, cpu_set_t *set);
/* Nodes with memory (/sys/devices/system/node/has_memory); -1 if none. */
int numa_memory_nodes(cpu_set_t *nodes);
/* The CPUs of a node; the count of them (0: a node without CPUs). */
int numa_node_cpus(int node, cpu_set_t *cpus);
/* mbind(MPOL_BIND, {node}) of [p, p + len) with flags: 0 or -1, errno. */
int numa_bind(void *p, size_t len, int node, unsigned flags);
/*
 * move_pages() of n pages from p, one base page apart: to node, or with
 * node < 0 where each one is (nodes NULL). status[] is filled with
 * NUMA_UNWRITTEN first. The call's return, or -1 with errno.
 */
long numa_move(void *p, size_t n, int node, int *status);
/* The node of each of n pages from p (move_pages with nodes NULL), or
 * -1 with errno; where[i] is a node or a negative errno. */
int numa_where(void *p, size_t n, int *where);
/* Entries of v[0..n) equal to node. */
size_t numa_count(const int *v, size_t n, int node);
/* What v[0..n) holds, value by value: {"1": 256, "unwritten": 256},
 * a negative errno by its name. */
json_object *numa_tally(const int *v, size_t n);
/* get_mempolicy(MPOL_F_ADDR) of p as text ("bind:1", "default"). */
const char *numa_policy_name(void *p, char *buf, size_t len);

/* kernel.numa_balancing (0 off, 1 on, 2 tiering), -1 without it: the
 * kernel may move pages on its own while it is on. */
long numa_balancing(void);

struct fault_env;
/* The registration cost case: the thread on node a's CPUs, memory on a
 * and on b (lib/fault/numa_cost.c). */
int fault_numa_cost(struct fault_env *env, int a, int b);

#endif
