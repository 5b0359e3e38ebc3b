// SPDX-License-Identifier: GPL-2.0
/*
 * CSV (RFC 4180): the record flattened with '_'. The columns are the
 * schema's, then any bench-specific figures of the first row; raw sample
 * arrays stay in the JSON Lines.
 */
#include <stdlib.h>
#include <string.h>

#include "record.h"
#include "sink/sink.h"

struct csv_state {
	char **cols;
	size_t ncols;
};

static void put_field(FILE *f, const char *v)
{
	if (!strpbrk(v, ",\"\r\n")) {
		fputs(v, f);
		return;
	}
	fputc('"', f);
	for (; *v; v++) {
		if (*v == '"')
			fputc('"', f);
		fputc(*v, f);
	}
	fputc('"', f);
}

static bool in_schema(const char *key)
{
	for (const char *const *c = record_columns; *c; c++)
		if (!strcmp(*c, key))
			return true;
	return false;
}

static struct csv_state *header(struct sink *s, json_object *flat)
{
	struct csv_state *st = calloc(1, sizeof(*st));
	size_t n = (size_t)json_object_object_length(flat), i = 0;

	for (const char *const *c = record_columns; *c; c++)
		n++;
	st->cols = calloc(n, sizeof(*st->cols));
	for (const char *const *c = record_columns; *c; c++)
		st->cols[i++] = strdup(*c);
	json_object_object_foreach(flat, key, val) {
		(void)val;
		if (!in_schema(key))
			st->cols[i++] = strdup(key);
	}
	st->ncols = i;
	for (i = 0; i < st->ncols; i++) {
		if (i)
			fputc(',', s->f);
		put_field(s->f, st->cols[i]);
	}
	fputs("\r\n", s->f);
	return st;
}

static int csv_write(struct sink *s, json_object *rec)
{
	json_object *flat = sink_flatten(rec), *v;
	struct csv_state *st = s->priv;

	if (!st)
		st = s->priv = header(s, flat);
	for (size_t i = 0; i < st->ncols; i++) {
		if (i)
			fputc(',', s->f);
		if (json_object_object_get_ex(flat, st->cols[i], &v) && v)
			put_field(s->f, json_object_is_type(v, json_type_string) ?
						json_object_get_string(v) :
						json_object_to_json_string(v));
	}
	json_object_put(flat);
	return fputs("\r\n", s->f) < 0 ? -1 : 0;
}

static void csv_end(struct sink *s)
{
	struct csv_state *st = s->priv;

	if (!st)
		return;
	for (size_t i = 0; i < st->ncols; i++)
		free(st->cols[i]);
	free(st->cols);
	free(st);
	s->priv = NULL;
}

const struct sink_ops sink_csv = {
	.name = "csv",
	.ext = "csv",
	.write = csv_write,
	.end = csv_end,
};
