// SPDX-License-Identifier: GPL-2.0
/*
 * What a person comparing two runs needs to know about the machine before
 * trusting either: whether the clock speed moves under the benchmark
 * (turbo/boost, a governor other than performance), whether the
 * measuring CPU shares its core (SMT) or the scheduler's attention
 * (isolcpus, nohz_full), and the memory settings that move pages while a
 * run counts them (NUMA balancing). Recorded always, warned about only
 * where it changes what the figures mean.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/kfile.h"
#include "kernel/sysstate.h"

#define CPU "/sys/devices/system/cpu/"

/* The first line of a file, or NULL. */
static char *first_line(const char *path)
{
	char *s = kfile_read(path, NULL);

	if (s)
		s[strcspn(s, "\n")] = '\0';
	return s;
}

static json_object *str_or_null(const char *path)
{
	char *s = first_line(path);
	json_object *o = s ? json_object_new_string(s) : NULL;

	free(s);
	return o;
}

/* 1, 0, or -1 when the file is absent or says something else. */
static int flag(const char *path)
{
	char *s = first_line(path);
	int v = s && (!strcmp(s, "1") || !strcmp(s, "0")) ? s[0] - '0' : -1;

	free(s);
	return v;
}

static json_object *flag_json(int v)
{
	return v < 0 ? NULL : json_object_new_boolean(v);
}

/* Turbo/boost on: cpufreq's boost, or intel_pstate's no_turbo turned. */
static int boost(void)
{
	int v = flag(CPU "cpufreq/boost");

	if (v < 0 && (v = flag(CPU "intel_pstate/no_turbo")) >= 0)
		v = !v;
	return v;
}

bool cpulist_has(const char *list, int cpu)
{
	const char *p = list;

	while (p && *p) {
		char *end;
		long lo = strtol(p, &end, 10), hi = lo;

		if (end == p)
			return false;
		if (*end == '-') {
			p = end + 1;
			hi = strtol(p, &end, 10);
			if (end == p)
				return false;
		}
		if (cpu >= lo && cpu <= hi)
			return true;
		p = *end == ',' ? end + 1 : NULL;
	}
	return false;
}

json_object *sysstate_json(void)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "smt_active", flag_json(flag(CPU "smt/active")));
	json_object_object_add(o, "boost", flag_json(boost()));
	json_object_object_add(o, "isolated", str_or_null(CPU "isolated"));
	json_object_object_add(o, "nohz_full", str_or_null(CPU "nohz_full"));
	json_object_object_add(o, "aslr",
			       str_or_null("/proc/sys/kernel/randomize_va_space"));
	json_object_object_add(o, "numa_balancing",
			       str_or_null("/proc/sys/kernel/numa_balancing"));
	return o;
}

size_t sysstate_warnings(int cpu, const char *gov, char (*warn)[160],
			 size_t max)
{
	char *isolated = first_line(CPU "isolated");
	size_t n = 0;

	if (n < max && strcmp(gov, "none") && strcmp(gov, "performance"))
		snprintf(warn[n++], sizeof(*warn),
			 "CPU %d's cpufreq governor is '%s', not performance: its clock moves under the run",
			 cpu, gov);
	if (n < max && boost() == 1)
		snprintf(warn[n++], sizeof(*warn),
			 "turbo/boost is on: the clock speed follows load and temperature");
	if (n < max && cpu >= 0 && isolated && *isolated &&
	    !cpulist_has(isolated, cpu))
		snprintf(warn[n++], sizeof(*warn),
			 "CPU %d is not among the isolated CPUs (%s): choose one with --cpu or taskset",
			 cpu, isolated);
	free(isolated);
	return n;
}
