// SPDX-License-Identifier: GPL-2.0
/*
 * The merge of a run: every step's JSON Lines, after the records the set
 * held already, into the set's results.jsonl and results.csv and into the
 * summary's table, counted as they go; then checked against what the
 * file holds, so a set never claims records it lost.
 */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "run/run.h"
#include "out/sink/sink.h"

/* A cell's harness memory (rss.harness_bytes) into the tally. */
static void tally_harness(struct tally *t, json_object *rec)
{
	json_object *rss, *h, *size;
	int64_t v;

	if (!json_object_object_get_ex(rec, "rss", &rss) ||
	    !json_object_object_get_ex(rss, "harness_bytes", &h) || !h)
		return;
	v = json_object_get_int64(h);
	if (!t->harness_cells++ || v < t->harness_min)
		t->harness_min = v;
	if (v > t->harness_max)
		t->harness_max = v;
	if (json_object_object_get_ex(rec, "size", &size) &&
	    json_object_get_int64(size) > t->harness_size)
		t->harness_size = json_object_get_int64(size);
}

/* One step's records into the merged sinks, the summary table and tally. */
static size_t merge_step(const char *path, struct sink_set *set,
			 struct sink *table, struct tally *t, FILE *surprises)
{
	char *line = NULL;
	size_t cap = 0, n = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return 0;
	while (getline(&line, &cap, f) > 0) {
		json_object *rec = json_tokener_parse(line), *v;
		const char *st;

		if (!rec)
			continue; /* a bench's own file is whole: never here */
		sinks_write(set, rec);
		table->ops->write(table, rec);
		table->rows++;
		st = json_object_object_get_ex(rec, "status", &v) ?
			     json_object_get_string(v) : "";
		t->ok += !strcmp(st, "ok");
		t->unsupported += !strcmp(st, "unsupported");
		t->failed += !strcmp(st, "failed");
		t->hung += !strcmp(st, "hung");
		if (json_object_object_get_ex(rec, "as_expected", &v) && v &&
		    !json_object_get_boolean(v)) {
			t->unexpected++;
			fprintf(surprises, "  %s\n", json_object_to_json_string_ext(
				rec, JSON_C_TO_STRING_PLAIN));
		}
		tally_harness(t, rec);
		if (!t->first)
			t->first = json_object_get(rec);
		json_object_put(rec);
		n++;
	}
	free(line);
	fclose(f);
	return n;
}

size_t merge_steps(struct run *run, struct sink_set *set, struct sink *table,
		   struct tally *t, FILE *surprises)
{
	char path[PATH_MAX + 32];
	size_t merged = 0;

	/* The runs the set holds already come first, as they were. */
	if (run->pr.dir) {
		snprintf(path, sizeof(path), "%s/results.jsonl", run->pr.dir);
		merged = merge_step(path, set, table, t, surprises);
	}
	for (size_t i = 0; i < run->nr; i++) {
		step_file(run->partial, &run->r[i], path, sizeof(path));
		run->r[i].records = merge_step(path, set, table, t, surprises);
		merged += run->r[i].records;
		unlink(path);
	}
	return merged;
}

/* Lines in a file, or -1 when it cannot be read. */
static ssize_t count_lines(const char *path)
{
	FILE *f = fopen(path, "r");
	ssize_t n = 0;
	int c;

	if (!f)
		return -1;
	while ((c = getc(f)) != EOF)
		n += c == '\n';
	if (ferror(f))
		n = -1;
	fclose(f);
	return n;
}

int check_merged(const char *dir, size_t merged)
{
	char path[PATH_MAX + 32];
	ssize_t held;

	/* The counts below are of what results.jsonl holds, not of what was read. */
	snprintf(path, sizeof(path), "%s/results.jsonl", dir);
	held = count_lines(path);
	if (held < 0 || (size_t)held != merged) {
		cli_warn("%s holds %zd records of the %zu merged", path, held,
			 merged);
		return -1;
	}
	return 0;
}

/* What a step killed outright (SIGKILL) left half-written. */
void remove_strays(const char *dir)
{
	char pattern[PATH_MAX + 16];
	glob_t g;

	snprintf(pattern, sizeof(pattern), "%s/*.tmp.*", dir);
	if (glob(pattern, 0, NULL, &g))
		return;
	for (size_t i = 0; i < g.gl_pathc; i++)
		unlink(g.gl_pathv[i]);
	globfree(&g);
}
