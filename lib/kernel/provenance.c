// SPDX-License-Identifier: GPL-2.0
/*
 * The provenance of a run. The guest cannot see its host, so mrbench vm
 * passes the host's name and the accelerator in the environment; on any
 * other machine the CPU's hypervisor flag (CPUID leaf 1, ECX bit 31, which
 * /proc/cpuinfo shows as "hypervisor") tells a virtual machine from bare
 * metal.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kernel/provenance.h"

static bool cpu_says_hypervisor(void)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[4096];
	bool found = false;

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = !strncmp(line, "flags", 5) &&
			strstr(line, " hypervisor");
	fclose(f);
	return found;
}

static const char *env(const char *name)
{
	const char *v = getenv(name);

	return v && *v ? v : NULL;
}

void provenance_read(struct provenance *p)
{
	const char *host = env("MRBENCH_VM_HOST");
	const char *emu = env("MRBENCH_VM_EMULATION");
	const char *idx = env("MRBENCH_RUN_INDEX");
	char *end;

	memset(p, 0, sizeof(*p));
	if (host)
		snprintf(p->host, sizeof(p->host), "%s", host);
	else if (gethostname(p->host, sizeof(p->host)))
		snprintf(p->host, sizeof(p->host), "unknown");
	snprintf(p->emulation, sizeof(p->emulation), "%s",
		 emu		       ? emu :
		 cpu_says_hypervisor() ? "hypervisor" :
					 "none");
	p->cpus = sysconf(_SC_NPROCESSORS_ONLN);
	if (idx) {
		p->run_index = strtol(idx, &end, 10);
		if (*end || p->run_index < 0 || p->run_index > 1000000)
			p->run_index = 0;
	}
}
