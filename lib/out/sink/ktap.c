// SPDX-License-Identifier: GPL-2.0
/*
 * KTAP (the kernel's Test Anything Protocol, version 1), for the runners
 * kernel testing already has: kselftest's, automake's TAP driver,
 * KernelCI and LAVA read a verdict per test line. One test per cell, by
 * cell_verdict(): "ok" when it ran and what happened is what its rule
 * predicts, where one applies (a refusal is a result, as in the record);
 * "not ok" when a rule did not come true or an operation hung; a cell
 * that cannot run here is "ok ... # SKIP" with its reason, as kselftest
 * skips.
 * The figures go on diagnostic lines before the cell's result line, where
 * KTAP puts what concerns a test.
 *
 * The plan (1..N) must follow the version line, and N is known only when
 * the last cell is in, so the lines are held until the end. A timing
 * never makes a line "not ok": a benchmark is not failed by being slow.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/size.h"
#include "cli/xalloc.h"
#include "out/sink/sink.h"

struct ktap_state {
	char *buf;
	size_t len;
	FILE *f; /* the lines after the plan, in memory */
	size_t tests;
};

static const char *str_of(json_object *rec, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(rec, key, &v) || !v)
		return NULL;
	return json_object_get_string(v);
}

/* A KTAP description may hold neither '#' nor a line break. */
static void put_clean(FILE *f, const char *s)
{
	for (; *s; s++)
		fputc(*s == '#' || *s == '\n' || *s == '\r' ? ' ' : *s, f);
}

/* Append a word to a name, a space before all but the first, with what a
 * KTAP description may not hold ('#', line breaks) made a space. */
static void add_word(char *name, size_t len, const char *w)
{
	size_t n = strlen(name);

	if (n && n + 1 < len)
		name[n++] = ' ';
	for (; *w && n + 1 < len; w++)
		name[n++] = *w == '#' || *w == '\n' || *w == '\r' ? ' ' : *w;
	name[n] = '\0';
}

/* "reg anon regular 2M lw prefaulted", "fault ksm pinned-first anon regular 2M". */
static void put_name(FILE *f, json_object *rec)
{
	static const char *const words[] = { "bench", "scenario", "case", "mem",
					     "reg", "page_kind" };
	char name[512] = "", num[32];
	json_object *v;

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (str_of(rec, words[i]))
			add_word(name, sizeof(name), str_of(rec, words[i]));
	if (json_object_object_get_ex(rec, "size", &v) && v &&
	    json_object_get_int64(v) > 0) {
		size_format((uint64_t)json_object_get_int64(v), num,
			    sizeof(num));
		add_word(name, sizeof(name), num);
	}
	if (str_of(rec, "access"))
		add_word(name, sizeof(name), str_of(rec, "access"));
	/* A scenario prepares its memory its own way. */
	if (json_object_object_get_ex(rec, "prefault", &v) && v &&
	    !str_of(rec, "scenario"))
		add_word(name, sizeof(name),
			 json_object_get_boolean(v) ? "prefaulted" : "untouched");
	if (json_object_object_get_ex(rec, "threads", &v) && v &&
	    json_object_get_int(v) > 1) {
		snprintf(num, sizeof(num), "threads=%d", json_object_get_int(v));
		add_word(name, sizeof(name), num);
	}
	if (json_object_object_get_ex(rec, "run_index", &v) && v &&
	    json_object_get_int(v) > 0) {
		snprintf(num, sizeof(num), "run=%d", json_object_get_int(v));
		add_word(name, sizeof(name), num);
	}
	fputs(name, f);
}

/* The figures as "# key=value ..." lines, the reason on a line of its own. */
static void put_figures(FILE *f, json_object *rec)
{
	static const char *const stats[] = { "reg_ns", "dereg_ns" };
	static const char *const plain[] = { "status", "verdict", "expected",
					     "errno", "iters", "pins",
					     "unpins", "migrated",
					     "migrate_failed" };
	const char *reason = str_of(rec, "reason");
	json_object *v, *p;

	fputc('#', f);
	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
		if (json_object_object_get_ex(rec, plain[i], &v) && v) {
			fprintf(f, " %s=", plain[i]);
			put_clean(f, json_object_get_string(v));
		}
	fputc('\n', f);
	if (reason) {
		fputs("# reason: ", f);
		put_clean(f, reason);
		fputc('\n', f);
	}
	for (size_t i = 0; i < sizeof(stats) / sizeof(stats[0]); i++) {
		if (!json_object_object_get_ex(rec, stats[i], &v) || !v)
			continue;
		fprintf(f, "# %s:", stats[i]);
		json_object_object_foreach(v, key, val)
		{
			if (val)
				fprintf(f, " %s=%s", key,
					json_object_get_string(val));
		}
		fputc('\n', f);
	}
	if (json_object_object_get_ex(rec, "phases", &p) && p &&
	    json_object_object_get_ex(p, "reg", &v) && v &&
	    json_object_object_get_ex(v, "ratio", &v) && v)
		fprintf(f, "# phases: traced/untraced %s\n",
			json_object_get_string(v));
}

static int ktap_write(struct sink *s, json_object *rec)
{
	struct ktap_state *st = s->priv;
	enum cell_verdict v = cell_verdict(rec);

	if (!st) {
		st = s->priv = xcalloc(1, sizeof(*st));
		st->f = open_memstream(&st->buf, &st->len);
		if (!st->f)
			return -1;
	}
	put_figures(st->f, rec);
	fprintf(st->f, "%s %zu ", v == CELL_FAIL ? "not ok" : "ok",
		++st->tests);
	put_name(st->f, rec);
	if (v == CELL_SKIP) {
		fputs(" # SKIP ", st->f);
		put_clean(st->f, str_of(rec, "reason") ? str_of(rec, "reason") :
							 "cannot run here");
	}
	fputc('\n', st->f);
	return ferror(st->f) ? -1 : 0;
}

static void ktap_end(struct sink *s)
{
	struct ktap_state *st = s->priv;

	fputs("KTAP version 1\n", s->f);
	if (!st) {
		fputs("1..0 # SKIP no cell ran\n", s->f);
		return;
	}
	fclose(st->f);
	fprintf(s->f, "1..%zu\n", st->tests);
	fwrite(st->buf, 1, st->len, s->f);
	free(st->buf);
	free(st);
	s->priv = NULL;
}

const struct sink_ops sink_ktap = {
	.name = "ktap",
	.ext = "ktap",
	.on_request = true,
	.write = ktap_write,
	.end = ktap_end,
};
