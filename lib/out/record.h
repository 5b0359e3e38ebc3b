/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_RECORD_H
#define MRBENCH_RECORD_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdint.h>

#include "kernel/kbuild.h"
#include "kernel/provenance.h"
#include "measure/stats.h"

#define MRBENCH_SCHEMA "mrbench/1"

/* What the whole run shares; every record carries it. */
struct run_meta {
	char run_id[48];
	char time[32];
	char host[64];
	char kernel[128];
	char *cmdline;
	char device[64];
	char provider[32];
	char transport[16];
	char firmware[64]; /* the device's, "" without one */
	/* The kernel's build id and configuration: read by the benches
	 * (kbuild_read), which write records; empty elsewhere. */
	struct kbuild kbuild;
	int cpu, numa_node; /* where the measuring thread is bound, -1 none */
	double timer_overhead_ns;
	bool counters_exact;
	json_object *calibration; /* owned by the run */
	struct provenance on; /* measured_on, and the run's index */
};

/* STATUS_HUNG: an operation did not return within --op-timeout; the
 * run ended there (lib/measure/watchdog.c). */
enum record_status {
	STATUS_OK,
	STATUS_UNSUPPORTED,
	STATUS_FAILED,
	STATUS_HUNG
};

/* One cell of a benchmark's matrix and what came of it. */
struct record {
	const char *bench, *mem, *reg, *access;
	uint64_t size, page_size, pages;
	bool prefault;
	unsigned threads;

	enum record_status status;
	int err; /* positive errno, 0 for none */
	char reason[256];
	const char *expected; /* "ok", an errno name, or NULL */
	/* The outcome came true but the pin counters did not (pins not as
	 * the rule said, or not all given back): as_expected is false. */
	bool counters_unexpected;

	size_t iters;
	bool have_stats;
	struct stats reg_ns, dereg_ns;
	/* Per operation, from the kernel's counters; < 0 when unknown. */
	double pins, unpins, migrated, migrate_failed;

	const uint64_t *reg_samples, *dereg_samples;
	size_t nsamples;

	json_object *extra; /* bench-specific figures, owned by the record */
};

void run_meta_init(struct run_meta *m, int argc, char **argv);
void run_meta_free(struct run_meta *m);
void record_init(struct record *r, const char *bench);
/* n timed pairs: the samples (kept by reference) and their statistics. */
void record_set_samples(struct record *r, const uint64_t *reg,
			const uint64_t *dereg, size_t n);
void record_free(struct record *r);
/*
 * The record being filled: the one record_init() began last, until
 * record_free() ends it (then NULL). A hang ends the run in
 * the middle of a cell, far from the bench that holds its record; the
 * watchdog completes this one and writes it.
 */
struct record *record_in_hand(void);
void record_set_status(struct record *r, enum record_status st, int err,
		       const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
json_object *record_to_json(const struct run_meta *m, const struct record *r);
const char *record_status_name(enum record_status st);
const char *errno_name(int err);
/* A JSON number to 6 significant digits; null when not finite. */
json_object *json_num6(double v);

/* The key of the raw samples (samples.reg_ns, samples.dereg_ns), which
 * only the JSON Lines carry. */
#define RECORD_SAMPLES "samples"

/* The keys every record has, flattened with '_' as in CSV, in order. */
extern const char *const record_columns[];

#endif
