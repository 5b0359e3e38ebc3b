/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_RESULTS_H
#define MRBENCH_RESULTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Reading result sets back: a results/<run-id>/ directory (its
 * results.jsonl and meta.json) or a plain .jsonl file, into cells that
 * compare and plot can line up across sets. Input is untrusted: every
 * limit below is enforced, and a bad line is refused with one message
 * naming the file, the line and what was expected.
 */

/* Bytes in one JSON line: the longest record the writer can make (two
 * arrays of MEASURE_MAX_SAMPLES samples, 40 MB) and room to spare. */
#define RESULTS_MAX_LINE    (64u << 20)
#define RESULTS_MAX_DEPTH   16 /* JSON nesting */
#define RESULTS_MAX_CELLS   200000 /* records in one set */
#define RESULTS_MAX_SAMPLES 100000 /* kept per operation per cell */
#define RESULTS_MAX_TOTAL   (32u << 20) /* samples kept in one set */

/* In the order of enum record_status (out/record.h). */
enum results_status { RES_OK, RES_UNSUPPORTED, RES_FAILED, RES_HUNG };

/* Fault states of an odp-first-touch record, in this order. */
enum { FAULT_COLD, FAULT_CPU, FAULT_PRESENT, FAULT_PREFETCHED, FAULT_NSTATES };
extern const char *const results_fault_states[FAULT_NSTATES];

/*
 * One timed figure of a cell: registration, deregistration, or a fault
 * scenario's own (fork, the ODP states, an invalidation's action). The
 * record gives its median and maybe its raw samples; a set with several
 * runs of the cell gives one figure per run, the run's median.
 */
#define RESULTS_MAX_OPS	 12
#define RESULTS_OP_NAME	 16
#define RESULTS_MAX_RUNS 1000 /* runs of one cell in one set */

struct results_op {
	char name[RESULTS_OP_NAME]; /* "reg", "dereg", "fork", "cold", ... */
	double p50, ci95_lo, ci95_hi; /* NAN when absent */
	double *samples; /* NULL when the records have none */
	size_t n;
	double *runs; /* per run: the median of its samples, else its p50 */
	size_t nruns;
};

struct results_cell {
	/* The key: what must match for two cells to be the same cell. */
	char *bench, *mem, *reg, *access;
	char *scenario; /* fault: "scenario/case"; migrate: the page kind; else "" */
	uint64_t size;
	bool prefault;
	unsigned threads;
	char *key; /* all of the above in one comparable string */
	char *mem_label; /* mem with its filesystem: "file(ext4)" */

	/* What came of it. */
	enum results_status status;
	char *err; /* errno name, NULL for none */
	char *reason; /* NULL for none */
	char *outcomes; /* runs disagreed: their outcomes, "EFAULT|ok"; or NULL */
	char *kernel;
	char *time; /* when it was measured (ISO 8601), NULL when unsaid */
	char *expected; /* the verdict: "ok", "EFAULT"..., NULL for none */
	bool unexpected; /* as_expected was false, in some run */
	char *run_id; /* the process that measured it; NULL when unnamed */
	char *host, *emulation; /* measured_on: where, and under what */
	double cpu_ref_ns; /* calibration.cpu_ref_ns, NAN when absent */
	long run_index; /* the record's run_index, -1 when absent */
	size_t nruns; /* records of this cell merged, one per run */
	uint64_t page_size, pages; /* 0 when unknown */
	double per_page_ns; /* reg_ns_per_page, NAN when absent */
	double migrated; /* pages per registration, NAN when absent */
	struct results_op op[RESULTS_MAX_OPS]; /* [0] reg_ns, [1] dereg_ns */
	unsigned nops;
	unsigned line;
};

/* The figure named name ("reg", "cold", ...), or NULL. */
const struct results_op *results_op_find(const struct results_cell *c,
					 const char *name);

/*
 * What a set was measured with besides its kernel release, from its
 * first record (lib/out/record.c writes the same in every record of a
 * process): for compare to say when two sets differ in more than what
 * they were meant to compare.
 */
enum results_prov_key {
	PROV_BUILD_ID, /* kernel_build_id */
	PROV_CONFIG, /* kernel_config's fnv1a64: the whole .config */
	PROV_LIBIBVERBS,
	PROV_LIBIBVERBS_RUNTIME, /* the one the process loaded */
	PROV_PROVIDER,
	PROV_FIRMWARE,
	PROV_NKEYS
};
extern const char *const results_prov_keys[PROV_NKEYS];

/* One CONFIG_ option kernel_config records. */
struct results_config_opt {
	char *name; /* "CONFIG_TRANSPARENT_HUGEPAGE" */
	char *value; /* "y", "m", "n" (not set), or NULL: not in the file */
};

struct results_prov {
	char *v[PROV_NKEYS]; /* NULL when the record does not say */
	struct results_config_opt *config; /* by name */
	size_t nconfig;
};

struct results_set {
	char *path; /* as given */
	char *file; /* the JSON Lines file read */
	char *kernel; /* meta.json's, else the first record's */
	char *label; /* what legends and tables call the set */
	char *host, *emulation; /* where and how it was measured, or NULL */
	char *time; /* its earliest record's time, or NULL */
	struct results_prov prov; /* its build, library, provider, firmware */
	size_t nruns; /* the most runs any cell has: 1 for a single run */
	double *calib; /* per process that wrote records: its cpu_ref_ns */
	size_t ncalib;
	struct results_cell *cells; /* sorted by key */
	size_t n, dupes;
	size_t total_samples;
};

/*
 * Parse one line. Returns 1 and fills cell on a record, 0 for a blank
 * line, -1 with a message in err (without file or line) when the line is
 * not a record. budget, when not NULL, is the number of samples the cell
 * may still keep and is decreased by what it keeps. Pure: no I/O.
 */
int results_parse_line(const char *line, size_t len, struct results_cell *cell,
		       size_t *budget, char *err, size_t errlen);
void results_cell_free(struct results_cell *cell);
/*
 * The provenance keys of one line that results_parse_line accepted;
 * -1 with a message in err when one has the wrong type. Pure.
 */
int results_parse_prov(const char *line, size_t len, struct results_prov *p,
		       char *err, size_t errlen);
void results_prov_free(struct results_prov *p);
/* Fold a later run of the same cell into c; -1 when out of memory. */
int results_cell_merge(struct results_cell *c, struct results_cell *later);

/* Load a set; -1 with "PATH:LINE: what was expected" in err. */
int results_load(const char *path, struct results_set *set, char *err,
		 size_t errlen);
void results_free(struct results_set *set);
const struct results_cell *results_find(const struct results_set *set,
					const char *key);

const char *results_status_name(enum results_status st);
/* "ok" or the errno name (or the status when there is none). */
const char *results_outcome(const struct results_cell *c);

#endif
