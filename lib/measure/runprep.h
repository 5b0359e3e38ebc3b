/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_RUNPREP_H
#define MRBENCH_RUNPREP_H

#include "out/record.h"
#include "rdma/verbs.h"

/* The run's device, provider and transport, from an open context. */
void runprep_device(struct run_meta *m, const struct verbs_ctx *v);
/*
 * What every bench does before it measures: bind the thread near the
 * device (v may be NULL), calibrate, check that the counters are exact,
 * and record all of it in m, warning about what may make figures noisy.
 */
/* Bind (to want, or near the device when -1: a CPU the process may not
 * use stops the run with exit 2), calibrate, describe the system. */
void runprep_measuring(struct run_meta *m, const struct verbs_ctx *v,
		       int want);

#endif
