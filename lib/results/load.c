// SPDX-License-Identifier: GPL-2.0
/*
 * Loading a result set from disk: a results/<run-id>/ directory or a plain
 * JSON Lines file (what "mrbench reg -o x" writes). Lines are read with a
 * bound on their length, so a file without newlines cannot make the reader
 * grow without limit; each line goes through results_parse_line.
 */
#include <errno.h>
#include <json-c/json.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/xalloc.h"
#include "results/results.h"

#define META_MAX (1u << 20)

/* One line into *buf (without the newline); 0 at end of file, -1 too long. */
static ssize_t read_line(FILE *f, char **buf, size_t *cap)
{
	size_t n = 0;
	int c;

	while ((c = getc(f)) != EOF && c != '\n') {
		if (n + 1 >= *cap) {
			size_t want = *cap ? *cap * 2 : 4096;

			if (n >= RESULTS_MAX_LINE)
				return -1;
			*buf = xrealloc(*buf, want);
			*cap = want;
		}
		(*buf)[n++] = (char)c;
	}
	if (c == EOF && n == 0)
		return 0;
	if (*buf)
		(*buf)[n] = '\0';
	/* A final line without newline still counts; an empty one as blank. */
	return (ssize_t)n + 1;
}

/* meta.json's kernel, when the set has one. */
static int read_meta(const char *dir, struct results_set *set, char *err,
		     size_t len)
{
	char path[PATH_MAX];
	json_object *meta, *k;
	struct stat st;

	snprintf(path, sizeof(path), "%s/meta.json", dir);
	if (stat(path, &st))
		return 0;
	if (st.st_size > META_MAX) {
		snprintf(err, len,
			 "%s: expected a metadata file of at most 1 MiB", path);
		return -1;
	}
	meta = json_object_from_file(path);
	if (!meta || json_object_get_type(meta) != json_type_object) {
		snprintf(err, len, "%s: expected a JSON object", path);
		json_object_put(meta);
		return -1;
	}
	if (json_object_object_get_ex(meta, "kernel", &k) && k) {
		if (json_object_get_type(k) != json_type_string) {
			snprintf(err, len,
				 "%s: expected \"kernel\" to be a string",
				 path);
			json_object_put(meta);
			return -1;
		}
		set->kernel = xstrdup(json_object_get_string(k));
	}
	json_object_put(meta);
	return 0;
}

static int cmp_cell(const void *a, const void *b)
{
	const struct results_cell *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	return c ? c : (x->line > y->line) - (x->line < y->line);
}

static bool same_run(const struct results_cell *x, const struct results_cell *y)
{
	if (!x->run_id || !y->run_id)
		return !x->run_id && !y->run_id;
	return !strcmp(x->run_id, y->run_id);
}

/*
 * Sorted by key. Records of one cell from different runs become one cell
 * with a figure per run; a cell repeated within one run keeps its first
 * record, and the others are counted as repeats.
 */
static int sort_cells(struct results_set *set)
{
	size_t out = 0;

	qsort(set->cells, set->n, sizeof(*set->cells), cmp_cell);
	for (size_t i = 0; i < set->n; i++) {
		struct results_cell *prev = out ? &set->cells[out - 1] : NULL;

		if (prev && !strcmp(prev->key, set->cells[i].key)) {
			bool repeat = same_run(prev, &set->cells[i]);

			if (!repeat &&
			    results_cell_merge(prev, &set->cells[i])) {
				for (size_t j = i; j < set->n; j++)
					results_cell_free(&set->cells[j]);
				set->n = out;
				return -1;
			}
			set->dupes += repeat;
			results_cell_free(&set->cells[i]);
			continue;
		}
		set->cells[out++] = set->cells[i];
	}
	set->n = out;
	for (size_t i = 0; i < set->n; i++)
		if (set->cells[i].nruns > set->nruns)
			set->nruns = set->cells[i].nruns;
	return 0;
}

static int add_cell(struct results_set *set, size_t *cap,
		    struct results_cell *c)
{
	if (set->n == *cap) {
		size_t want = *cap ? *cap * 2 : 256;
		set->cells = xrealloc(set->cells, want * sizeof(*set->cells));
		*cap = want;
	}
	set->cells[set->n++] = *c;
	return 0;
}

/*
 * One calibration per process that wrote records: its records come
 * together, so a new run_id is a new process (or one seen before, which
 * is looked up: files can be concatenated in any order).
 */
static int add_calibration(struct results_set *set, char ***ids, size_t *cap,
			   const struct results_cell *c)
{
	if (!c->run_id || !(c->cpu_ref_ns > 0))
		return 0;
	if (set->ncalib && !strcmp((*ids)[set->ncalib - 1], c->run_id))
		return 0;
	for (size_t i = 0; i < set->ncalib; i++)
		if (!strcmp((*ids)[i], c->run_id))
			return 0;
	if (set->ncalib == *cap) {
		size_t want = *cap ? *cap * 2 : 16;

		set->calib = xrealloc(set->calib, want * sizeof(*set->calib));
		*ids = xrealloc(*ids, want * sizeof(**ids));
		*cap = want;
	}
	(*ids)[set->ncalib] = c->run_id;
	set->calib[set->ncalib++] = c->cpu_ref_ns;
	return 0;
}

static int read_records(FILE *f, struct results_set *set, char *err, size_t len)
{
	char **ids = NULL;
	size_t idcap = 0;
	size_t cap = 0, bufcap = 0, budget = RESULTS_MAX_TOTAL;
	char *buf = NULL, msg[400];
	unsigned line = 0;
	ssize_t n;
	int rc = 0;

	while ((n = read_line(f, &buf, &bufcap)) > 0) {
		struct results_cell c;
		int r;

		line++;
		r = results_parse_line(buf ? buf : "", (size_t)n - 1, &c,
				       &budget, msg, sizeof(msg));
		if (r < 0) {
			snprintf(err, len, "%s:%u: %s", set->file, line, msg);
			rc = -1;
			break;
		}
		if (r == 0)
			continue;
		/* The process's build and stack: the first record's. */
		if (!set->n &&
		    results_parse_prov(buf, (size_t)n - 1, &set->prov, msg,
				       sizeof(msg))) {
			results_cell_free(&c);
			snprintf(err, len, "%s:%u: %s", set->file, line, msg);
			rc = -1;
			break;
		}
		c.line = line;
		if (set->n == RESULTS_MAX_CELLS) {
			results_cell_free(&c);
			snprintf(err, len, "%s:%u: expected at most %u records",
				 set->file, line, RESULTS_MAX_CELLS);
			rc = -1;
			break;
		}
		if (add_cell(set, &cap, &c)) {
			results_cell_free(&c);
			snprintf(err, len, "%s:%u: out of memory", set->file,
				 line);
			rc = -1;
			break;
		}
		if (add_calibration(set, &ids, &idcap,
				    &set->cells[set->n - 1])) {
			snprintf(err, len, "%s:%u: out of memory", set->file,
				 line);
			rc = -1;
			break;
		}
	}
	if (!rc && n < 0) {
		snprintf(err, len, "%s:%u: expected a line of at most 64 MiB",
			 set->file, line + 1);
		rc = -1;
	}
	if (!rc && ferror(f)) {
		snprintf(err, len, "%s: %s", set->file, strerror(errno));
		rc = -1;
	}
	set->total_samples = RESULTS_MAX_TOTAL - budget;
	free(ids);
	free(buf);
	return rc;
}

int results_load(const char *path, struct results_set *set, char *err,
		 size_t len)
{
	struct stat st;
	FILE *f;
	int rc;

	memset(set, 0, sizeof(*set));
	set->path = xstrdup(path);
	if (stat(path, &st)) {
		snprintf(
			err, len,
			"%s: %s (expected a result set directory or a .jsonl file)",
			path, strerror(errno));
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		if (asprintf(&set->file, "%s/results.jsonl", path) < 0)
			set->file = NULL;
		if (!set->file || stat(set->file, &st)) {
			snprintf(
				err, len,
				"%s: no results.jsonl here (expected a result set directory or a .jsonl file)",
				path);
			return -1;
		}
		if (read_meta(path, set, err, len))
			return -1;
	} else {
		set->file = xstrdup(path);
	}
	f = fopen(set->file, "r");
	if (!f) {
		snprintf(err, len, "%s: %s", set->file, strerror(errno));
		return -1;
	}
	rc = read_records(f, set, err, len);
	fclose(f);
	if (rc)
		return -1;
	if (!set->n) {
		snprintf(err, len, "%s: expected mrbench/1 records, found none",
			 set->file);
		return -1;
	}
	if (!set->kernel)
		set->kernel = xstrdup(set->cells[0].kernel);
	if (set->cells[0].host)
		set->host = xstrdup(set->cells[0].host);
	if (set->cells[0].emulation)
		set->emulation = xstrdup(set->cells[0].emulation);
	for (size_t i = 0; i < set->n; i++)
		if (set->cells[i].time &&
		    (!set->time || strcmp(set->cells[i].time, set->time) < 0))
			set->time = set->cells[i].time;
	if (set->time)
		set->time = xstrdup(set->time);
	if (sort_cells(set)) {
		snprintf(err, len, "%s: out of memory", set->file);
		return -1;
	}
	set->label = xstrdup(set->kernel ? set->kernel : path);
	return 0;
}

void results_free(struct results_set *set)
{
	for (size_t i = 0; i < set->n; i++)
		results_cell_free(&set->cells[i]);
	free(set->cells);
	free(set->path);
	free(set->file);
	free(set->kernel);
	free(set->label);
	free(set->host);
	free(set->emulation);
	free(set->time);
	results_prov_free(&set->prov);
	free(set->calib);
	memset(set, 0, sizeof(*set));
}

static int cmp_key(const void *k, const void *c)
{
	return strcmp(k, ((const struct results_cell *)c)->key);
}

const struct results_cell *results_find(const struct results_set *set,
					const char *key)
{
	return set->n ? bsearch(key, set->cells, set->n, sizeof(*set->cells),
				cmp_key) :
			NULL;
}
