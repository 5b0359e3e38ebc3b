// SPDX-License-Identifier: GPL-2.0
/*
 * The calibration at the start of every run: what the clock and the
 * counters cost, and whether anything else was competing for the machine
 * (frequency scaling, other busy processes), so a reader can judge the
 * figures that follow.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "measure/calib.h"
#include "measure/clock.h"
#include "kernel/kstat.h"
#include "measure/measure.h"
#include "measure/stats.h"

static double snapshot_cost(void)
{
	enum { N = 21 };
	uint64_t d[N];
	struct kstat_snap s;
	struct stats st;

	for (int i = 0; i < N; i++) {
		uint64_t t0 = clock_ns();

		kstat_snapshot(&s);
		d[i] = clock_ns() - t0;
	}
	stats_compute(d, N, &st);
	return st.p50;
}

/*
 * A fixed piece of user-space work, the same on every kernel: a boot (or
 * a machine) that runs it slower than another will run everything slower,
 * and mrbench compare says so before it says anything of the kernels.
 */
static double cpu_reference(void)
{
	enum { N = 11, STEPS = 200000 };
	uint64_t d[N];
	struct stats st;

	for (int i = 0; i < N; i++) {
		volatile uint64_t x = 1;
		uint64_t t0 = clock_ns();

		for (int k = 0; k < STEPS; k++)
			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		d[i] = clock_ns() - t0;
	}
	stats_compute(d, N, &st);
	return st.p50;
}

static void read_governor(int cpu, char *buf, size_t len)
{
	char path[96];
	FILE *f;

	snprintf(buf, len, "none");
	snprintf(path, sizeof(path),
		 "/sys/devices/system/cpu/cpu%d/cpufreq/scaling_governor",
		 cpu < 0 ? 0 : cpu);
	f = fopen(path, "r");
	if (!f)
		return;
	if (fgets(buf, (int)len, f))
		buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}

/* Total and idle jiffies over all CPUs, from the first line of /proc/stat. */
static int cpu_times(unsigned long long *total, unsigned long long *idle)
{
	unsigned long long v[8] = { 0 };
	FILE *f = fopen("/proc/stat", "r");
	int n;

	if (!f)
		return -1;
	n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0],
		   &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]);
	fclose(f);
	if (n < 5)
		return -1;
	*total = 0;
	for (int i = 0; i < 8; i++)
		*total += v[i];
	*idle = v[3] + v[4]; /* idle + iowait */
	return 0;
}

/* How busy the machine is while mrbench itself sleeps for 100 ms. */
static double busy_share(void)
{
	unsigned long long t0, i0, t1, i1;
	struct timespec nap = { 0, 100 * 1000 * 1000 };

	if (cpu_times(&t0, &i0))
		return NAN;
	nanosleep(&nap, NULL);
	if (cpu_times(&t1, &i1) || t1 == t0)
		return NAN;
	return 1.0 - (double)(i1 - i0) / (double)(t1 - t0);
}

void calib_run(struct calib *c, int cpu)
{
	struct timespec res;
	FILE *f;

	memset(c, 0, sizeof(*c));
	c->timer_res_ns =
		clock_getres(CLOCK_MONOTONIC_RAW, &res) ?
			NAN :
			(double)res.tv_sec * 1e9 + (double)res.tv_nsec;
	c->timer_overhead_ns = measure_timer_overhead();
	c->snapshot_ns = snapshot_cost();
	c->cpu_ref_ns = cpu_reference();
	read_governor(cpu, c->governor, sizeof(c->governor));
	c->busy = busy_share();
	c->loadavg = NAN;
	f = fopen("/proc/loadavg", "r");
	if (f) {
		if (fscanf(f, "%lf", &c->loadavg) != 1)
			c->loadavg = NAN;
		fclose(f);
	}
}

static json_object *num(double v, double scale)
{
	return isnan(v) ? NULL :
			  json_object_new_double(round(v * scale) / scale);
}

json_object *calib_json(const struct calib *c)
{
	json_object *o = json_object_new_object();
	bool scaling = strcmp(c->governor, "none") &&
		       strcmp(c->governor, "performance");

	json_object_object_add(o, "timer_res_ns", num(c->timer_res_ns, 1));
	json_object_object_add(o, "timer_overhead_ns",
			       num(c->timer_overhead_ns, 1));
	json_object_object_add(o, "snapshot_ns", num(c->snapshot_ns, 1));
	json_object_object_add(o, "governor",
			       json_object_new_string(c->governor));
	json_object_object_add(o, "frequency_scaling",
			       json_object_new_boolean(scaling));
	json_object_object_add(o, "busy", num(c->busy, 1000));
	json_object_object_add(o, "loadavg", num(c->loadavg, 100));
	json_object_object_add(o, "cpu_ref_ns", num(c->cpu_ref_ns, 1));
	return o;
}
