// SPDX-License-Identifier: GPL-2.0
/*
 * The typed readers of a record's keys. Input is untrusted: every value
 * is checked for its type before it is used, and a message names the
 * key, what was expected and what the line held, on one line.
 */
#include <json-c/json.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/xalloc.h"
#include "cli/quote.h"
#include "results/results.h"
#include "results/keys.h"

void res_set_err(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	/* Values from the file go into the message: keep it one line. */
	for (char *p = err; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
}

/* An error inside an object: name the object, not only the bare key. */
int res_nested_err(char *err, size_t len, const char *key)
{
	char inner[200];

	snprintf(inner, sizeof(inner), "%s", err);
	res_set_err(err, len, "in \"%s\": %s", key, inner);
	return -1;
}

const char *res_type_name(json_object *v)
{
	switch (json_object_get_type(v)) {
	case json_type_null:
		return "null";
	case json_type_boolean:
		return "a boolean";
	case json_type_double:
		if (!isfinite(json_object_get_double(v)))
			return "NaN or infinity";
		return "a number";
	case json_type_int:
		return "a number";
	case json_type_string:
		return "a string";
	case json_type_array:
		return "an array";
	case json_type_object:
		return "an object";
	}
	return "something else";
}

/* A value of a key, present or not; "absent" and null are both NULL. */
json_object *res_get(json_object *o, const char *key, bool *present)
{
	json_object *v = NULL;

	*present = json_object_object_get_ex(o, key, &v);
	return v;
}

bool res_is_num(json_object *v)
{
	json_type t = json_object_get_type(v);

	return (t == json_type_int || t == json_type_double) &&
	       isfinite(json_object_get_double(v));
}

/*
 * Strings from a set reach terminals (compare's report) and gnuplot:
 * no control character, C0, DEL or C1 (UTF-8 C2 80..9F), which a
 * terminal would obey. mrbench never writes one.
 */
static bool printable(json_object *v, const char *key, char *err, size_t len)
{
	const unsigned char *p =
		(const unsigned char *)json_object_get_string(v);
	size_t n = (size_t)json_object_get_string_len(v);
	char q[48];

	for (size_t i = 0; i < n; i++) {
		bool c1 = p[i] == 0xc2 && i + 1 < n && p[i + 1] >= 0x80 &&
			  p[i + 1] <= 0x9f;

		if (p[i] < 0x20 || p[i] == 0x7f || c1) {
			res_set_err(
				err, len,
				"expected \"%s\" to be printable text, got a control character (%s) at byte %zu",
				key,
				quote(q, sizeof(q), (const char *)p + i,
				      c1 ? 2 : 1),
				i);
			return false;
		}
	}
	return true;
}

/* A string key. required: the key must be there; nullable: null allowed. */
int res_want_str(json_object *o, const char *key, bool required, bool nullable,
		 char **out, char *err, size_t len)
{
	bool present;
	json_object *v = res_get(o, key, &present);

	*out = NULL;
	if (!present && !required)
		return 0;
	if (!present) {
		res_set_err(err, len, "expected key \"%s\" (a string%s)", key,
			    nullable ? " or null" : "");
		return -1;
	}
	if (!v && nullable)
		return 0;
	if (!v || json_object_get_type(v) != json_type_string) {
		res_set_err(err, len,
			    "expected \"%s\" to be a string%s, got %s", key,
			    nullable ? " or null" : "",
			    v ? res_type_name(v) : "null");
		return -1;
	}
	if (!printable(v, key, err, len))
		return -1;
	*out = xstrdup(json_object_get_string(v));
	return *out ? 0 : (res_set_err(err, len, "out of memory"), -1);
}

/* An integer key from min up; absent or null optional keys give 0. */
int res_want_uint(json_object *o, const char *key, bool required, int64_t min,
		  uint64_t *out, char *err, size_t len)
{
	bool present;
	json_object *v = res_get(o, key, &present);

	*out = 0;
	if (!required && !v)
		return 0;
	if (!v || json_object_get_type(v) != json_type_int ||
	    json_object_get_int64(v) < min) {
		if (!present)
			res_set_err(err, len,
				    "expected key \"%s\" (an integer >= %lld)",
				    key, (long long)min);
		else
			res_set_err(
				err, len,
				"expected \"%s\" to be an integer >= %lld, got %s",
				key, (long long)min,
				v ? res_type_name(v) : "null");
		return -1;
	}
	*out = (uint64_t)json_object_get_int64(v);
	return 0;
}

/*
 * The value of an optional key, NULL when absent or null; -1 when it is
 * there but not what is_kind accepts, which what names ("a boolean").
 */
static int optional(json_object *o, const char *key,
		    bool (*is_kind)(json_object *v), const char *what,
		    json_object **v, char *err, size_t len)
{
	bool present;

	*v = res_get(o, key, &present);
	if (!*v || is_kind(*v))
		return 0;
	res_set_err(err, len, "expected \"%s\" to be %s or null, got %s", key,
		    what, res_type_name(*v));
	return -1;
}

/* An optional number: absent or null give NAN. */
int res_want_num(json_object *o, const char *key, double *out, char *err,
		 size_t len)
{
	json_object *v;

	*out = NAN;
	if (optional(o, key, res_is_num, "a number", &v, err, len))
		return -1;
	if (v)
		*out = json_object_get_double(v);
	return 0;
}

static bool is_run_index(json_object *v)
{
	return json_object_get_type(v) == json_type_int &&
	       json_object_get_int64(v) >= 0 &&
	       json_object_get_int64(v) <= RESULTS_MAX_RUNS * 1000;
}

/* An optional integer >= 0; absent or null give -1. */
int res_want_int(json_object *o, const char *key, long *out, char *err,
		 size_t len)
{
	char what[48];
	json_object *v;

	snprintf(what, sizeof(what), "an integer from 0 to %d",
		 RESULTS_MAX_RUNS * 1000);
	*out = -1;
	if (optional(o, key, is_run_index, what, &v, err, len))
		return -1;
	if (v)
		*out = (long)json_object_get_int64(v);
	return 0;
}

static bool is_bool(json_object *v)
{
	return json_object_get_type(v) == json_type_boolean;
}

/* An optional boolean; absent or null give false. */
int res_want_bool(json_object *o, const char *key, bool *out, char *err,
		  size_t len)
{
	json_object *v;

	*out = false;
	if (optional(o, key, is_bool, "a boolean", &v, err, len))
		return -1;
	if (v)
		*out = json_object_get_boolean(v);
	return 0;
}

static bool is_obj(json_object *v)
{
	return json_object_get_type(v) == json_type_object;
}

int res_want_obj(json_object *o, const char *key, json_object **out, char *err,
		 size_t len)
{
	json_object *v;

	*out = NULL;
	if (optional(o, key, is_obj, "an object", &v, err, len))
		return -1;
	*out = v;
	return 0;
}
