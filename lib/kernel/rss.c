// SPDX-License-Identifier: GPL-2.0
/*
 * Whether the harness stays small while the regions grow: it keeps its
 * samples bounded and copies nothing per page, and the peak resident set
 * of each cell, less its regions, shows it (mrbench scale reports it
 * from 4K to the largest size).
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kernel/rss.h"

void rss_peak_reset(void)
{
	int fd = open("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC);

	/* Without it the peak is the process's: still an upper bound. */
	if (fd < 0)
		return;
	if (write(fd, "5", 1) != 1) {
		/* as above */
	}
	close(fd);
}

uint64_t rss_peak(void)
{
	unsigned long long kb = 0;
	char line[128];
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmHWM: %llu kB", &kb) == 1)
			break;
	fclose(f);
	return (uint64_t)kb * 1024;
}

json_object *rss_json(uint64_t peak, uint64_t regions)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "peak_bytes",
			       json_object_new_int64((int64_t)peak));
	json_object_object_add(o, "regions_bytes",
			       json_object_new_int64((int64_t)regions));
	json_object_object_add(
		o, "harness_bytes",
		peak >= regions && peak ?
			json_object_new_int64((int64_t)(peak - regions)) :
			NULL);
	return o;
}
