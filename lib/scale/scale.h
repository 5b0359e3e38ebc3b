/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_SCALE_H
#define MRBENCH_SCALE_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cli/bench.h"
#include "measure/regcell.h"
#include "mem/mem.h"
#include "reg/reg.h"

/* What the user chose; each axis reads what it needs. */
struct scale_opts {
	const struct scale_axis *axis;
	const struct mem_source *src;
	const char *src_arg;
	const struct registrar *reg;
	int access;
	const char *access_name;
	int prefault; /* 1 yes, 0 no, 2 both */
	uint64_t size; /* held, threads: each region's size */
	uint64_t max; /* size: the largest (0: what fits here) */
	uint64_t predict; /* size: the size predicted from the model */
	unsigned max_held; /* held: the most MRs held */
	unsigned max_threads; /* threads: the most threads (or processes) */
	bool procs; /* threads: processes, not threads */
	unsigned runs; /* processes of the whole sweep (0: the axis's) */
	bool force;
};

/* The records of every run so far, as written. */
struct scale_points {
	json_object **rec;
	size_t n, cap;
};

/*
 * An axis: what grows along it, one file in lib/scale/ and one line in
 * lib/scale/list.h. run emits one record per point of one run through
 * scale_emit; summarise, when there is one, says what the points of
 * every run show together (the size axis's model), to a person on f and
 * to a program in doc, and returns 0 or -1.
 */
struct scale_axis {
	const char *name;
	const char *help;
	unsigned runs; /* --runs when not given (0: 1) */
	int (*run)(struct bench_run *r, const struct scale_opts *o,
		   struct scale_points *pts);
	int (*summarise)(const struct scale_opts *o,
			 const struct scale_points *pts, FILE *f,
			 json_object *doc);
};

extern const struct scale_axis *const scale_axes[];
const struct scale_axis *scale_axis_find(const char *name);

/* The record to the sinks, kept in pts; 0 or -1 (the output failed). */
int scale_emit(struct bench_run *r, const struct record *rec,
	       struct scale_points *pts);
void scale_points_add(struct scale_points *pts, json_object *rec);
void scale_points_free(struct scale_points *pts);
/*
 * The memory an axis may take for its regions: 3/4 of MemAvailable, a
 * quarter left to the kernel and the rest of the system.
 */
uint64_t scale_room(void);
/* A number out of a record: key, or key.sub; NAN when absent or null. */
double scale_num(json_object *rec, const char *key, const char *sub);
/*
 * The records of an axis from a JSON Lines file, as runs wrote them (a
 * run per boot of the lab, say): 0, or -1 when it cannot be read.
 */
int scale_points_read(const char *path, const char *axis,
		      struct scale_points *pts);

/*
 * The run in runs processes of this program, one after the other, each
 * its own run of the set (MRBENCH_RUN_INDEX): their records to the sinks
 * and into pts. 0, or the exit status that ended them.
 */
int scale_runs(struct bench_run *r, const struct scale_opts *o, int argc,
	       char **argv, struct scale_points *pts);
/* Whether this process is one of those runs. */
bool scale_is_run(void);

/* A regcell of the options' source, registrar and access set. */
void scale_cell(struct bench_run *r, const struct scale_opts *o,
		struct regcell *c);

/* What a cell of processes keeps for its record until it is written. */
struct scale_procs {
	uint64_t *reg, *dereg;
	char *expected;
};

/*
 * The cell c made by c->threads processes of mrbench-reg started
 * together, one thread each (procs.c): one record, their samples
 * pooled, "procs" true. Free keep after the record is written.
 */
void scale_procs_cell(struct bench_run *r, const struct regcell *c,
		      struct record *rec, struct scale_procs *keep);
void scale_procs_free(struct scale_procs *keep);

#endif
