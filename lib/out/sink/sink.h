/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_SINK_H
#define MRBENCH_SINK_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdio.h>

#include "cli/opt.h"
#include "out/sink/lock.h"
#include "out/sink/view.h"

struct sink;

/* One output format. Adding one is a file in lib/out/sink/ and a list line. */
struct sink_ops {
	const char *name; /* as given to --format */
	const char *ext; /* file extension with -o, NULL: always stdout */
	bool on_request; /* a bare -o writes it only when --format names it */
	int (*write)(struct sink *s, json_object *rec);
	void (*end)(struct sink *s);
};

struct sink {
	const struct sink_ops *ops;
	FILE *f;
	char *path; /* final name, NULL for stdout */
	char *tmp; /* written here, renamed to path on commit */
	size_t rows;
	int err; /* the first write's errno that failed, 0 for none */
	bool swapped; /* published by exchange: tmp now names the old file */
	const struct view *view; /* the bench's table, for the human sink */
	void *priv;
};

#define SINK_MAX 8

struct sink_opts {
	unsigned formats; /* bit per entry of sink_list */
	bool formats_given;
	bool every_file; /* a bare -o writes every file format, KTAP too */
	const char *out;
	const struct view *view; /* how the bench's records read as a table */
};

/* What became of a cell, for KTAP and the exit status. */
enum cell_verdict {
	CELL_SKIP, /* unsupported here */
	CELL_PASS, /* ran, and as its rule says where one applies */
	CELL_FAIL, /* a rule that did not come true, or a hang */
};
enum cell_verdict cell_verdict(json_object *rec);

struct sink_set {
	struct sink s[SINK_MAX];
	size_t n;
	struct sink_lock lock; /* of the -o stem, while files are written */
	size_t cells, verdicts[3]; /* written, and by cell_verdict */
};

extern const struct opt sink_opt_table[];
void sink_opts_default(struct sink_opts *o);
/* Whether the format named ("human", "json") is among those chosen. */
bool sink_opts_chose(const struct sink_opts *o, const char *name);
int sinks_open(const struct sink_opts *o, struct sink_set *set, char *err,
	       size_t errlen);
int sinks_write(struct sink_set *set, json_object *rec);
/* EXIT_UNEXPECTED when a cell failed its rule, EXIT_SKIP when every
 * cell was unsupported, else 0. */
int sinks_exit_status(const struct sink_set *set);
/* Finish every sink; the files appear under their names only now, all
 * of them or, when one could not be written, none. */
int sinks_close(struct sink_set *set);
/* Flatten nested objects with '_' (reg_ns.p50 -> reg_ns_p50); arrays
 * stay arrays, the raw samples are left out. Returns a new object. */
json_object *sink_flatten(json_object *rec);

#endif
