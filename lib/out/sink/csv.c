// SPDX-License-Identifier: GPL-2.0
/*
 * CSV (RFC 4180): every record flattened with '_', one row each, under a
 * header with a column for every key of every record: the schema's
 * first, in its order, then each other key where it first appears (a
 * schema key no record has, as in records older than the key, is no
 * column: the CSV says what the JSON Lines say). The
 * rows are held until the end, since a later record may bring keys the
 * first did not have (another bench's, a device's counters), and a
 * column missing from the header would drop its data. Arrays are written
 * as JSON text; the raw samples stay in the JSON Lines.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/xalloc.h"
#include "out/record.h"
#include "out/sink/sink.h"

struct csv_state {
	json_object *cols; /* key -> null, every key seen, as first seen */
	json_object *rows; /* the flattened records */
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

static struct csv_state *csv_new(void)
{
	struct csv_state *st = xcalloc(1, sizeof(*st));

	st->cols = json_object_new_object();
	st->rows = json_object_new_array();
	return st;
}

static int csv_write(struct sink *s, json_object *rec)
{
	struct csv_state *st = s->priv ? s->priv : (s->priv = csv_new());
	json_object *flat = sink_flatten(rec);

	json_object_object_foreach(flat, key, val)
	{
		(void)val;
		if (!json_object_object_get_ex(st->cols, key, NULL))
			json_object_object_add(st->cols, key, NULL);
	}
	json_object_array_add(st->rows, flat);
	return 0;
}

static void put_row(FILE *f, json_object *cols, json_object *flat)
{
	bool first = true;
	json_object *v;

	json_object_object_foreach(cols, key, unused)
	{
		(void)unused;
		if (!first)
			fputc(',', f);
		first = false;
		if (json_object_object_get_ex(flat, key, &v) && v)
			put_field(f,
				  json_object_is_type(v, json_type_string) ?
					  json_object_get_string(v) :
					  json_object_to_json_string_ext(
						  v, JSON_C_TO_STRING_PLAIN));
	}
	fputs("\r\n", f);
}

/* The schema's keys that some record has, in its order, then the rest. */
static json_object *column_order(json_object *seen)
{
	json_object *cols = json_object_new_object();

	for (const char *const *c = record_columns; *c; c++)
		if (json_object_object_get_ex(seen, *c, NULL))
			json_object_object_add(cols, *c, NULL);
	json_object_object_foreach(seen, key, unused)
	{
		(void)unused;
		if (!json_object_object_get_ex(cols, key, NULL))
			json_object_object_add(cols, key, NULL);
	}
	return cols;
}

static void csv_end(struct sink *s)
{
	struct csv_state *st = s->priv;
	bool first = true;
	json_object *cols;

	/* No record, no header: an empty file, as before any row. */
	if (!st)
		return;
	cols = column_order(st->cols);
	json_object_object_foreach(cols, key, unused)
	{
		(void)unused;
		if (!first)
			fputc(',', s->f);
		first = false;
		put_field(s->f, key);
	}
	fputs("\r\n", s->f);
	for (size_t i = 0; i < json_object_array_length(st->rows); i++)
		put_row(s->f, cols, json_object_array_get_idx(st->rows, i));
	json_object_put(cols);
	json_object_put(st->cols);
	json_object_put(st->rows);
	free(st);
	s->priv = NULL;
}

const struct sink_ops sink_csv = {
	.name = "csv",
	.ext = "csv",
	.write = csv_write,
	.end = csv_end,
};
