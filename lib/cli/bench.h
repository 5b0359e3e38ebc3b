/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_BENCH_H
#define MRBENCH_BENCH_H

#include <stdbool.h>

#include "measure/measure.h"
#include "cli/opt.h"
#include "out/record.h"
#include "reg/reg.h"
#include "out/sink/sink.h"
#include "rdma/verbs.h"
#include "trace/breakdown.h"

/* What a bench needs of the RDMA device. */
enum bench_device {
	BENCH_DEVICE_NONE, /* nothing it runs uses one */
	BENCH_DEVICE_SOME, /* some cells: without one they are unsupported */
	BENCH_DEVICE_ALL, /* every cell: without one it cannot run */
};

struct bench_run;

/*
 * A bench: its name, its options (typed rows, see opt.h) and where they
 * land, its run function and its table. bench_main() does what every
 * bench does around the run, so a bench's main is one call.
 */
struct bench {
	const char *name; /* mrbench NAME; the records' "bench" */
	const char *usage; /* the help's first lines */
	const char *opts_title;
	const struct opt *opts;
	void *o;
	void (*defaults)(void *o);
	/* Option groups beyond the common ones (registrars' own), into g
	 * from index n; returns the new count. */
	size_t (*groups)(struct opt_group *g, size_t n, size_t max);
	/* Takes words among the options (fault's scenario names); NULL:
	 * any word is an error. */
	int (*word)(void *o, const char *word, char *err, size_t errlen);
	const char *words; /* what the words are, for the usage line */
	bool measures; /* takes the measurement options, binds, calibrates */
	bool breaks_down; /* takes --breakdown (its cells are regcells) */
	enum bench_device (*device)(const void *o);
	const char *
		no_device; /* what a warning adds: "cells that need it are unsupported" */
	/* --list and the like: true when it printed and the run is over. */
	bool (*listed)(const void *o);
	/* After the device is open, before run: 0 or an exit code. */
	int (*setup)(struct bench_run *r);
	int (*run)(struct bench_run *r);
	void (*teardown)(struct bench_run *r);
	const struct view *view;
	const char *unit; /* what the summary counts: "cells" */
};

/* What one run of a bench has at hand. */
struct bench_run {
	const struct bench *b;
	struct measure_opts m;
	struct breakdown_opts bd;
	struct verbs_opts vo;
	struct verbs_ctx verbs;
	struct reg_env env; /* env.verbs: NULL when there is no device */
	struct run_meta meta;
	struct sink_set sinks;
	const struct sink_opts *so; /* what the user chose for the output */
	unsigned done, total; /* for the progress line */
	void *priv; /* the bench's own state */
};

/*
 * bench_main's start gate, just before the bench's run: with these set
 * it writes one byte to the fd named by BENCH_READY_ENV, then reads the
 * fd named by BENCH_GATE_ENV until its end (see bench.c).
 */
#define BENCH_READY_ENV "MRBENCH_READY_FD"
#define BENCH_GATE_ENV	"MRBENCH_GATE_FD"

int bench_main(const struct bench *b, int argc, char **argv);
/* "[done/total] what" on stderr, counting one more. */
void bench_progress(struct bench_run *r, const char *what);
/* The record, with the run's metadata, to every sink. */
int bench_emit(struct bench_run *r, const struct record *rec);
/* The -o stem, or NULL without one. */
const char *bench_out(const struct bench_run *r);
/* Whether a table for a person goes to standard output. */
bool bench_human(const struct bench_run *r);

#endif
