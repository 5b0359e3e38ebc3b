/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_CALIB_H
#define MRBENCH_CALIB_H

#include <json-c/json.h>

/* What the machine and the harness looked like when a run started. */
struct calib {
	double timer_res_ns;	  /* clock_getres(CLOCK_MONOTONIC_RAW) */
	double timer_overhead_ns; /* median cost of one clock read */
	double snapshot_ns;	  /* median cost of one counter snapshot */
	char governor[32];	  /* cpufreq governor of the bound CPU, or "none" */
	double busy;		  /* share of the CPUs busy in a short window */
	double loadavg;		  /* 1-minute load average */
	double cpu_ref_ns;	  /* median of a fixed user-space loop */
};

void calib_run(struct calib *c, int cpu);
json_object *calib_json(const struct calib *c);

#endif
