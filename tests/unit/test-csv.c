// SPDX-License-Identifier: GPL-2.0
/*
 * The CSV of a result set against its JSON Lines: a column for every key
 * of every record (flattened with '_'), one row per record, each field
 * what the record holds. The records are recorded ones, one of each
 * shape found in three reference sets (reg, migrate, fault), plus a
 * few made to quote.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "out/record.h"
#include "out/sink/sink.h"

extern const struct sink_ops sink_csv;

#define MAX_RECS 64

static json_object *recs[MAX_RECS];
static size_t nrecs;

/* Every key of the flattened record (pandas' json_normalize with
 * sep="_" names them alike; run-host.test checks with pandas itself). */
static void keys_of(json_object *rec, json_object *keys)
{
	json_object *flat = sink_flatten(rec);

	json_object_object_foreach(flat, k, v) {
		(void)v;
		if (!json_object_object_get_ex(keys, k, NULL))
			json_object_object_add(keys, k, NULL);
	}
	json_object_put(flat);
}

/* What one key of a record holds, as text; NULL when absent or null,
 * or an object here (flattened into other columns) though null in
 * another record (reg_ns of an unsupported cell). */
static const char *value_of(json_object *o, const char *key)
{
	json_object_object_foreach(o, k, v)
	{
		size_t n = strlen(k);

		if (!strcmp(key, k) && v &&
		    json_object_is_type(v, json_type_object))
			continue;
		if (!strcmp(key, k))
			return v ? (json_object_is_type(v, json_type_string) ?
					    json_object_get_string(v) :
					    json_object_to_json_string_ext(
						    v,
						    JSON_C_TO_STRING_PLAIN)) :
				   NULL;
		if (v && json_object_is_type(v, json_type_object) &&
		    !strncmp(key, k, n) && key[n] == '_') {
			const char *in = value_of(v, key + n + 1);

			if (in)
				return in;
		}
	}
	return NULL;
}

/* RFC 4180: the next field into buf; *end set at the end of a row. */
static char *next_field(char *p, char *buf, size_t len, int *end)
{
	size_t n = 0;
	bool quoted = *p == '"';

	if (quoted)
		p++;
	for (; *p; p++) {
		if (quoted && *p == '"' && p[1] == '"') {
			buf[n++] = *p++;
			continue;
		}
		if (quoted && *p == '"') {
			quoted = false;
			continue;
		}
		if (!quoted && (*p == ',' || *p == '\r'))
			break;
		if (n + 1 < len)
			buf[n++] = *p;
	}
	buf[n] = '\0';
	*end = *p != ',';
	return *p == '\r' ? p + 2 : *p ? p + 1 : p;
}

static char *read_all(FILE *f)
{
	long len;
	char *s;

	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	s = calloc(1, (size_t)len + 1);
	assert_non_null(s);
	assert_int_equal(fread(s, 1, (size_t)len, f), (size_t)len);
	return s;
}

static void load(const char *path)
{
	char line[1 << 16];
	FILE *f = fopen(path, "r");

	assert_non_null(f);
	while (fgets(line, sizeof(line), f) && nrecs < MAX_RECS - 2)
		assert_non_null(recs[nrecs++] = json_tokener_parse(line));
	fclose(f);
	assert_true(nrecs > 10);
	/* Quoting: commas, quotes, a line break; an array; a key that
	 * only this record has. */
	recs[nrecs++] = json_tokener_parse(
		"{\"bench\":\"reg\",\"reason\":\"a, \\\"b\\\"\\r\\nc\","
		"\"fig\":{\"list\":[1,2],\"deep\":{\"x\":null}},"
		"\"samples\":{\"reg_ns\":[5,6]}}");
}

static void csv_holds_every_key_of_every_record(void **state)
{
	const char *dir = getenv("srcdir");
	char path[4096], field[1 << 14], *text, *p;
	json_object *want = json_object_new_object(), *header;
	struct sink s = { .ops = &sink_csv, .f = tmpfile() };
	size_t ncols = 0, rows = 0, schema_seen = 0;
	int end = 0;

	snprintf(path, sizeof(path), "%s/tests/unit/data/run-set.jsonl",
		 dir ? dir : ".");
	load(path);
	assert_non_null(s.f);
	for (size_t i = 0; i < nrecs; i++) {
		keys_of(recs[i], want);
		assert_int_equal(s.ops->write(&s, recs[i]), 0);
	}
	s.ops->end(&s);
	p = text = read_all(s.f);

	/* The header: every key once, the schema's that the records have
	 * first, in the schema's order, then every other key. */
	header = json_object_new_array();
	for (end = 0; !end; ncols++) {
		p = next_field(p, field, sizeof(field), &end);
		json_object_array_add(header, json_object_new_string(field));
	}
	assert_int_equal(ncols, json_object_object_length(want));
	for (const char *const *c = record_columns; *c; c++) {
		if (!json_object_object_get_ex(want, *c, NULL))
			continue;
		assert_string_equal(
			json_object_get_string(json_object_array_get_idx(
				header, schema_seen++)),
			*c);
	}
	for (size_t c = 0; c < ncols; c++)
		assert_true(json_object_object_get_ex(
			want,
			json_object_get_string(
				json_object_array_get_idx(header, c)),
			NULL));

	/* One row per record, each field as the record has it. */
	for (; *p; rows++) {
		assert_true(rows < nrecs);
		for (size_t c = 0; c < ncols; c++) {
			const char *key = json_object_get_string(
				json_object_array_get_idx(header, c));
			const char *v = value_of(recs[rows], key);

			assert_false(end && c);
			p = next_field(p, field, sizeof(field), &end);
			assert_string_equal(field, v ? v : "");
		}
		assert_true(end);
	}
	assert_int_equal(rows, nrecs);
	free(text);
	fclose(s.f);
	json_object_put(header);
	json_object_put(want);
	for (size_t i = 0; i < nrecs; i++)
		json_object_put(recs[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(csv_holds_every_key_of_every_record),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
