/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_SYSSTATE_H
#define MRBENCH_SYSSTATE_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>

/*
 * The settings of a machine that move latency figures, as pyperf's
 * "system show" reads them: SMT, turbo/boost, isolated and nohz_full
 * CPUs, ASLR, NUMA balancing. Each is null where the kernel does not say.
 */
json_object *sysstate_json(void);

/*
 * The warnings worth a line before a run measured on cpu with cpufreq
 * governor gov ("none" without cpufreq): each into warn[i], at most max;
 * returns how many.
 */
size_t sysstate_warnings(int cpu, const char *gov, char (*warn)[160],
			 size_t max);

/* Whether a CPU list as the kernel writes it ("0-3,8") holds cpu. */
bool cpulist_has(const char *list, int cpu);

#endif
