/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_RUN_H
#define MRBENCH_RUN_H

#include <json-c/json.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * mrbench run, the suite orchestrator, in the order it works: the
 * options (run/opts.c), the set's directory (run/set.c), a soft-RoCE
 * device when there is none (run/rxe.c), the plan of steps (run/plan.c),
 * each step a child process (run/step.c), their records merged
 * (run/merge.c), described (run/meta.c) and summarised (run/summary.c).
 */

struct run_opts {
	bool full, no_plot, no_rxe, add;
	unsigned runs; /* passes of the suite, each a fresh process per bench */
	const char *out;
	const char *id;
	const char *dev;
	const char *file_dir, *dax_dir;
	unsigned only; /* a bit per step to run, 0: all */
};

#define ARGS_MAX 48

struct argv_buf {
	char *v[ARGS_MAX];
	int n;
	char mem[1024];
};

void push(struct argv_buf *a, const char *s);

/* The suite, in order: a bench, and its arguments for these options. */
struct step {
	const char *bench;
	void (*args)(const struct run_opts *o, struct argv_buf *a);
};

extern const struct step steps[];
extern const size_t nsteps;

struct step_result {
	const struct step *s;
	long run_index; /* which run of the set this pass is */
	int status; /* exit status, -1 not run: its program is missing */
	double seconds;
	size_t records;
	char prog[PATH_MAX]; /* the program it ran, or looked for */
};

/* What a set already holds when this run adds to it. */
struct prior {
	const char *dir; /* the published set, NULL for a new one */
	json_object *meta; /* its meta.json, or NULL */
	long runs; /* runs it holds: the first new run's index */
};

/* One run of mrbench run, from its options to its published set. */
struct run {
	struct run_opts o;
	int argc;
	char **argv;
	uint64_t t0; /* when it started */
	char id[256], partial[PATH_MAX], final[PATH_MAX];
	struct prior pr;
	char rxe_made[64]; /* the soft-RoCE device this run added, if any */
	struct step_result *r; /* the steps run, nr of them */
	size_t nr;
	long runs; /* runs the set holds once this one is in */
};

/* The records' outcomes, as the summary and meta.json count them. */
struct tally {
	size_t ok, unsupported, failed, hung, unexpected;
	json_object *first; /* the first record: where the run happened */
	/* The harness's own memory beside the regions (rss.harness_bytes)
	 * over the cells that report it, and the largest region size. */
	int64_t harness_min, harness_max, harness_size;
	size_t harness_cells;
};

/* Options and environment into run->o and run->id; dies on bad input. */
void run_parse(struct run *run, int argc, char **argv);

/* The partial directory, taken and undone on the way out; dies if not. */
void run_open_set(struct run *run);
void run_add_rxe(struct run *run);
/* Merge, describe and publish the set; dies when it cannot. */
void run_close_set(struct run *run);
/* The closing line; the exit code. */
int run_report(struct run *run);

void step_file(const char *dir, const struct step_result *r, char *buf,
	       size_t len);
bool step_has_records(const char *dir, const struct step_result *r);
const char *step_error(const struct step_result *r, char *buf, size_t len);
bool step_failed(const struct step_result *r);
int failed_steps(const struct step_result *r, size_t nr);
/* Pass after pass of the suite; dies when a step cannot start. */
void run_passes(struct run *run);

struct sink;
struct sink_set;
/* Every record into set and table; the number merged. */
size_t merge_steps(struct run *run, struct sink_set *set, struct sink *table,
		   struct tally *t, FILE *surprises);
/* Whether dir's results.jsonl holds the records merged: -1 with a warning. */
int check_merged(const char *dir, size_t merged);
void remove_strays(const char *dir);

int write_meta(const struct run *run, const struct tally *t, double seconds);
int finish_set(struct run *run, double seconds, bool plots);

#endif
