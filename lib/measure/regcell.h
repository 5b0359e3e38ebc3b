/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_REGCELL_H
#define MRBENCH_REGCELL_H

#include <stdbool.h>
#include <stdint.h>

#include "measure/crew.h"
#include "measure/measure.h"
#include "out/record.h"
#include "kernel/kstat.h"
#include "reg/reg.h"
#include "trace/breakdown.h"

#define REGCELL_MAX_THREADS CREW_MAX

/* One cell of a registration matrix. */
struct regcell {
	const struct mem_source *src;
	const char *src_arg;
	const struct registrar *reg;
	struct reg_env *env;
	uint64_t size;
	int access;
	const char *access_name;
	bool prefault;
	unsigned threads; /* registering at once, each its own region */
	bool force;	  /* skip the checks that refuse what cannot fit */
	/* Optional: filled with the counter deltas of the observed
	 * registration, and of the whole timed loop. */
	struct kstat_snap *observed, *loop;
	/* Optional: a traced pass after the timed loop (--breakdown). */
	const struct breakdown_opts *breakdown;
};

/*
 * Allocate, register and deregister repeatedly, and fill rec: the timing
 * statistics, the samples (owned by res until measure_result_free), and
 * the counter deltas of one registration observed on its own. A refusal
 * or an unsupported cell is a result in rec, never an abort.
 */
void regcell_run(const struct regcell *c, const struct measure_opts *m,
		 struct record *rec, struct measure_result *res);

#define REGCELL_MAX_REPEAT 100

/*
 * The cell k times over, each with a fresh region: the record pools every
 * sample and adds "repeat" with each run's median and their coefficient
 * of variation, the figure for run-to-run repeatability.
 */
void regcell_run_repeat(const struct regcell *c, const struct measure_opts *m,
			unsigned k, struct record *rec, struct measure_result *res);

#endif
