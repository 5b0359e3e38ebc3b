// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>

#include "measure/calib.h"
#include "cli/cli.h"
#include "kernel/kstat.h"
#include "kernel/sysstate.h"
#include "measure/runprep.h"
#include "rdma/topo.h"

void runprep_device(struct run_meta *m, const struct verbs_ctx *v)
{
	snprintf(m->device, sizeof(m->device), "%s", v->dev_name);
	snprintf(m->provider, sizeof(m->provider), "%s", v->provider);
	snprintf(m->transport, sizeof(m->transport), "%s", v->transport);
	if (v->have_attr_ex)
		snprintf(m->firmware, sizeof(m->firmware), "%s",
			 v->attr.orig_attr.fw_ver);
}

void runprep_measuring(struct run_meta *m, const struct verbs_ctx *v,
		       int want)
{
	struct topo_binding b;
	struct calib cal;
	char warn[4][160];
	size_t nwarn;

	if (topo_bind_near(v ? v->ctx->device : NULL, want, &b)) {
		if (want >= 0)
			cli_die(EXIT_USAGE, "invalid --cpu: %s", b.note);
		cli_warn("not bound to a core: %s", b.note);
	}
	m->cpu = b.cpu;
	m->numa_node = b.numa_node;
	m->counters_exact = kstat_exact();
	calib_run(&cal, b.cpu);
	m->timer_overhead_ns = cal.timer_overhead_ns;
	m->calibration = calib_json(&cal);
	json_object_object_add(m->calibration, "system", sysstate_json());
	nwarn = sysstate_warnings(b.cpu, cal.governor, warn, 4);
	for (size_t i = 0; i < nwarn; i++)
		cli_warn("%s", warn[i]);
	if (cal.busy > 0.25)
		cli_warn("the machine was %.0f%% busy before the run: figures may be noisy",
			 cal.busy * 100);
	if (!m->counters_exact)
		cli_warn("cannot write /proc/sys/vm/stat_refresh (not root?): pin counts may lag");
}
