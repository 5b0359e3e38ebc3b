// SPDX-License-Identifier: GPL-2.0
/*
 * The reader of result sets. A record becomes a cell: the keys that say
 * which cell it is, its outcome, and the figures compare and plot use,
 * with the raw samples as doubles. Everything else in the record is
 * dropped once the line is parsed, so memory grows with the samples kept,
 * which are bounded per cell and per set.
 */
#include <errno.h>
#include <json-c/json.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "measure.h"
#include "results.h"

#include "quote.h"
#include "record.h"
#include "stats.h"

/* What the writer keeps, the reader takes: see MEASURE_MAX_SAMPLES. */
_Static_assert(2ull * MEASURE_MAX_SAMPLES * 20 + (1u << 20) < RESULTS_MAX_LINE,
	       "a record with the most samples must fit a line");

const char *const results_fault_states[FAULT_NSTATES] = { "cold", "cpu",
							  "present",
							  "prefetched" };

static void set_err(char *err, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void set_err(char *err, size_t len, const char *fmt, ...)
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
static int nested_err(char *err, size_t len, const char *key)
{
	char inner[200];

	snprintf(inner, sizeof(inner), "%s", err);
	set_err(err, len, "in \"%s\": %s", key, inner);
	return -1;
}

static const char *type_name(json_object *v)
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
static json_object *get(json_object *o, const char *key, bool *present)
{
	json_object *v = NULL;

	*present = json_object_object_get_ex(o, key, &v);
	return v;
}

static bool is_num(json_object *v)
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
			set_err(err, len,
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
static int want_str(json_object *o, const char *key, bool required,
		    bool nullable, char **out, char *err, size_t len)
{
	bool present;
	json_object *v = get(o, key, &present);

	*out = NULL;
	if (!present && !required)
		return 0;
	if (!present) {
		set_err(err, len, "expected key \"%s\" (a string%s)", key,
			nullable ? " or null" : "");
		return -1;
	}
	if (!v && nullable)
		return 0;
	if (!v || json_object_get_type(v) != json_type_string) {
		set_err(err, len, "expected \"%s\" to be a string%s, got %s",
			key, nullable ? " or null" : "",
			v ? type_name(v) : "null");
		return -1;
	}
	if (!printable(v, key, err, len))
		return -1;
	*out = strdup(json_object_get_string(v));
	return *out ? 0 : (set_err(err, len, "out of memory"), -1);
}

/* An integer key from min up; absent or null optional keys give 0. */
static int want_uint(json_object *o, const char *key, bool required,
		     int64_t min, uint64_t *out, char *err, size_t len)
{
	bool present;
	json_object *v = get(o, key, &present);

	*out = 0;
	if (!required && !v)
		return 0;
	if (!v || json_object_get_type(v) != json_type_int ||
	    json_object_get_int64(v) < min) {
		if (!present)
			set_err(err, len,
				"expected key \"%s\" (an integer >= %lld)", key,
				(long long)min);
		else
			set_err(err, len,
				"expected \"%s\" to be an integer >= %lld, got %s",
				key, (long long)min, v ? type_name(v) : "null");
		return -1;
	}
	*out = (uint64_t)json_object_get_int64(v);
	return 0;
}

/* An optional number: absent or null give NAN. */
static int want_num(json_object *o, const char *key, double *out, char *err,
		    size_t len)
{
	bool present;
	json_object *v = get(o, key, &present);

	*out = NAN;
	if (!v)
		return 0;
	if (!is_num(v)) {
		set_err(err, len,
			"expected \"%s\" to be a number or null, got %s", key,
			type_name(v));
		return -1;
	}
	*out = json_object_get_double(v);
	return 0;
}

/* An optional integer >= 0; absent or null give -1. */
static int want_int(json_object *o, const char *key, long *out, char *err,
		    size_t len)
{
	bool present;
	json_object *v = get(o, key, &present);

	*out = -1;
	if (!v)
		return 0;
	if (json_object_get_type(v) != json_type_int ||
	    json_object_get_int64(v) < 0 ||
	    json_object_get_int64(v) > RESULTS_MAX_RUNS * 1000) {
		set_err(err, len,
			"expected \"%s\" to be an integer from 0 to %d or null, got %s",
			key, RESULTS_MAX_RUNS * 1000, type_name(v));
		return -1;
	}
	*out = (long)json_object_get_int64(v);
	return 0;
}

/* An optional boolean; absent or null give false. */
static int want_bool(json_object *o, const char *key, bool *out, char *err,
		     size_t len)
{
	bool present;
	json_object *v = get(o, key, &present);

	*out = false;
	if (!v)
		return 0;
	if (json_object_get_type(v) != json_type_boolean) {
		set_err(err, len,
			"expected \"%s\" to be a boolean or null, got %s", key,
			type_name(v));
		return -1;
	}
	*out = json_object_get_boolean(v);
	return 0;
}

static int want_obj(json_object *o, const char *key, json_object **out,
		    char *err, size_t len)
{
	bool present;
	json_object *v = get(o, key, &present);

	*out = NULL;
	if (!v)
		return 0;
	if (json_object_get_type(v) != json_type_object) {
		set_err(err, len,
			"expected \"%s\" to be an object or null, got %s", key,
			type_name(v));
		return -1;
	}
	*out = v;
	return 0;
}

/*
 * Raw samples: an array of non-negative numbers. Beyond what the budget
 * allows, every k-th sample is kept, so the ones kept still span the
 * whole run rather than its beginning.
 */
static int take_samples(json_object *arr, const char *key,
			struct results_op *op, size_t *budget, char *err,
			size_t len)
{
	size_t n, keep, step;

	if (json_object_get_type(arr) != json_type_array) {
		set_err(err, len,
			"expected \"samples.%s\" to be an array of numbers, got %s",
			key, type_name(arr));
		return -1;
	}
	n = json_object_array_length(arr);
	for (size_t i = 0; i < n; i++) {
		json_object *v = json_object_array_get_idx(arr, i);

		if (!is_num(v) || json_object_get_double(v) < 0) {
			set_err(err, len,
				"expected \"samples.%s\" to hold numbers >= 0, got %s at index %zu",
				key, v ? type_name(v) : "null", i);
			return -1;
		}
	}
	keep = n < RESULTS_MAX_SAMPLES ? n : RESULTS_MAX_SAMPLES;
	if (budget && keep > *budget)
		keep = *budget;
	if (!keep)
		return 0;
	op->samples = malloc(keep * sizeof(double));
	if (!op->samples) {
		set_err(err, len, "out of memory for %zu samples", keep);
		return -1;
	}
	step = (n + keep - 1) / keep;
	for (size_t i = 0; i < n && op->n < keep; i += step)
		op->samples[op->n++] = json_object_get_double(
			json_object_array_get_idx(arr, i));
	if (budget)
		*budget -= op->n;
	return 0;
}

/* A new figure of the cell, named; NULL when the cell has no room. */
static struct results_op *new_op(struct results_cell *c, const char *name)
{
	struct results_op *op;

	if (c->nops == RESULTS_MAX_OPS)
		return NULL;
	op = &c->op[c->nops++];
	snprintf(op->name, sizeof(op->name), "%s", name);
	op->p50 = op->ci95_lo = op->ci95_hi = NAN;
	return op;
}

/* A figure stated as statistics: {"p50": .., "ci95_lo": .., ...}. */
static int take_stats(json_object *st, const char *key, struct results_op *op,
		      char *err, size_t len)
{
	if (!want_num(st, "p50", &op->p50, err, len) &&
	    !want_num(st, "ci95_lo", &op->ci95_lo, err, len) &&
	    !want_num(st, "ci95_hi", &op->ci95_hi, err, len))
		return 0;
	return nested_err(err, len, key);
}

static int take_op(json_object *rec, json_object *samples, const char *key,
		   struct results_cell *c, size_t *budget, char *err,
		   size_t len)
{
	struct results_op *op = new_op(c, key);
	json_object *st, *arr;

	if (!op)
		return 0;
	/* reg_ns -> "reg": the name a report shows. */
	op->name[strcspn(op->name, "_")] = '\0';
	if (want_obj(rec, key, &st, err, len))
		return -1;
	if (st && take_stats(st, key, op, err, len))
		return -1;
	if (samples && json_object_object_get_ex(samples, key, &arr) && arr)
		return take_samples(arr, key, op, budget, err, len);
	return 0;
}

/*
 * A scenario's own timing, a number of ns or statistics with a p50
 * (fork_ns, action_ns, latency_ns.STATE); absent or null: no figure.
 */
static int take_figure(json_object *v, const char *key, const char *name,
		       struct results_cell *c, char *err, size_t len)
{
	struct results_op *op;

	if (!v)
		return 0;
	if (!is_num(v) && json_object_get_type(v) != json_type_object) {
		set_err(err, len,
			"expected \"%s\" to be a number, an object or null, got %s",
			key, type_name(v));
		return -1;
	}
	op = new_op(c, name);
	if (!op)
		return 0; /* beyond what a cell keeps: ignored */
	if (is_num(v)) {
		op->p50 = json_object_get_double(v);
		return 0;
	}
	return take_stats(v, key, op, err, len);
}

/* The fault scenarios' figures: fork_ns, action_ns, latency_ns.STATE. */
static int take_fault(json_object *rec, struct results_cell *c, char *err,
		      size_t len)
{
	static const char *const plain[] = { "fork_ns", "action_ns" };
	json_object *lat;
	bool present;

	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
		char name[RESULTS_OP_NAME];

		snprintf(name, sizeof(name), "%.*s",
			 (int)strcspn(plain[i], "_"), plain[i]);
		if (take_figure(get(rec, plain[i], &present), plain[i], name, c,
				err, len))
			return -1;
	}
	if (want_obj(rec, "latency_ns", &lat, err, len))
		return -1;
	if (!lat)
		return 0;
	json_object_object_foreach(lat, state, v)
	{
		char key[RESULTS_OP_NAME + 16];

		snprintf(key, sizeof(key), "latency_ns.%s", state);
		if (strlen(state) >= RESULTS_OP_NAME) {
			set_err(err, len,
				"expected the states in \"latency_ns\" to have names of at most %d bytes",
				RESULTS_OP_NAME - 1);
			return -1;
		}
		if (take_figure(v, key, state, c, err, len))
			return -1;
	}
	return 0;
}

const struct results_op *results_op_find(const struct results_cell *c,
					 const char *name)
{
	for (unsigned i = 0; i < c->nops; i++)
		if (!strcmp(c->op[i].name, name))
			return &c->op[i];
	return NULL;
}

static int parse_status(const char *s, enum results_status *st)
{
	static const char *const names[] = { "ok", "unsupported", "failed" };

	for (int i = 0; i < 3; i++)
		if (!strcmp(s, names[i])) {
			*st = (enum results_status)i;
			return 0;
		}
	return -1;
}

const char *results_status_name(enum results_status st)
{
	return st == RES_OK	     ? "ok" :
	       st == RES_UNSUPPORTED ? "unsupported" :
				       "failed";
}

const char *results_outcome(const struct results_cell *c)
{
	if (c->outcomes)
		return c->outcomes;
	if (c->status == RES_OK)
		return "ok";
	return c->err ? c->err : results_status_name(c->status);
}

/*
 * The scenario part of the key, and the readable key itself. A fault
 * cell is its scenario and case; a migrate cell its page kind (thp and
 * hugetlb-2m share a page size), and starved or not; records written
 * before page_kind fall back on the page size.
 */
static int make_key(struct results_cell *c, const char *fstype,
		    const char *scen, const char *fcase, const char *kind,
		    bool starved)
{
	char buf[1024];
	int n;

	if (scen)
		n = snprintf(buf, sizeof(buf), "%s%s%s", scen, fcase ? "/" : "",
			     fcase ? fcase : "");
	else if (kind)
		n = snprintf(buf, sizeof(buf), "%s%s", kind,
			     starved ? " starved" : "");
	else if (!strcmp(c->bench, "migrate") && c->page_size)
		n = snprintf(buf, sizeof(buf), "page_size=%llu",
			     (unsigned long long)c->page_size);
	else
		n = snprintf(buf, sizeof(buf), "%s", "");
	if (n < 0 || !(c->scenario = strdup(buf)))
		return -1;
	if (fstype)
		snprintf(buf, sizeof(buf), "%s(%s)", c->mem ? c->mem : "-",
			 fstype);
	else
		snprintf(buf, sizeof(buf), "%s", c->mem ? c->mem : "-");
	if (!(c->mem_label = strdup(buf)))
		return -1;
	/* Unit separators keep fields apart whatever they contain. */
	if (asprintf(&c->key,
		     "%s\x1f%s\x1f%s\x1f%s\x1f%020llu\x1f%s\x1f%d\x1f%u",
		     c->bench, c->scenario, c->mem_label, c->reg ? c->reg : "-",
		     (unsigned long long)c->size, c->access ? c->access : "-",
		     c->prefault, c->threads) < 0) {
		c->key = NULL;
		return -1;
	}
	return 0;
}

/* The record's own run: per figure, the median of its samples or its p50. */
static int first_run(struct results_cell *c)
{
	for (unsigned i = 0; i < c->nops; i++) {
		struct results_op *op = &c->op[i];
		double v = op->n ? stats_median(op->samples, op->n) : op->p50;

		if (!(v > 0))
			continue; /* no figure, or one no ratio can use */
		op->runs = malloc(sizeof(*op->runs));
		if (!op->runs)
			return -1;
		op->runs[op->nruns++] = v;
	}
	return 0;
}

/* The run's fixed reference work, to tell a slow boot from a slow kernel. */
static int take_calibration(json_object *rec, struct results_cell *c, char *err,
			    size_t len)
{
	json_object *cal;

	c->cpu_ref_ns = NAN;
	if (want_obj(rec, "calibration", &cal, err, len))
		return -1;
	if (cal && want_num(cal, "cpu_ref_ns", &c->cpu_ref_ns, err, len))
		return nested_err(err, len, "calibration");
	return 0;
}

/* measured_on: the machine, and the emulator if any, behind the figures. */
static int take_measured_on(json_object *rec, struct results_cell *c, char *err,
			    size_t len)
{
	json_object *on;

	if (want_obj(rec, "measured_on", &on, err, len))
		return -1;
	if (!on)
		return 0;
	if (want_str(on, "host", false, true, &c->host, err, len) ||
	    want_str(on, "emulation", false, true, &c->emulation, err, len))
		return nested_err(err, len, "measured_on");
	return 0;
}

/*
 * json-c reads an integer beyond 64 bits as the nearest bound, silently:
 * a size of 99999999999999999999 would become 2^63-1. No figure mrbench
 * writes comes near either bound, so one that is there was out of range
 * in the file. The key (or array index) it is under goes into where.
 */
static bool out_of_range(json_object *v, char *where, size_t len)
{
	switch (json_object_get_type(v)) {
	case json_type_int: {
		int64_t i = json_object_get_int64(v);

		return i == INT64_MAX || i == INT64_MIN;
	}
	case json_type_array:
		for (size_t i = 0; i < json_object_array_length(v); i++)
			if (out_of_range(json_object_array_get_idx(v, i), where,
					 len)) {
				if (!*where)
					snprintf(where, len, "[%zu]", i);
				return true;
			}
		return false;
	case json_type_object: {
		json_object_object_foreach(v, key, val)
		{
			if (out_of_range(val, where, len)) {
				char inner[64];

				snprintf(inner, sizeof(inner), "%s", where);
				snprintf(where, len, "%.40s%s%s", key,
					 inner[0] == '[' || !inner[0] ? "" :
									".",
					 inner);
				return true;
			}
		}
		return false;
	}
	default:
		return false;
	}
}

/* The record's format: mrbench/1 is the only one there has been. */
static int check_schema(json_object *rec, char *err, size_t len)
{
	char *schema = NULL, where[128] = "";
	int rc = 0;

	if (want_str(rec, "schema", true, false, &schema, err, len))
		return -1;
	if (strcmp(schema, MRBENCH_SCHEMA)) {
		set_err(err, len,
			"expected \"schema\" to be \"%s\", got \"%.40s\": not a record mrbench can read",
			MRBENCH_SCHEMA, schema);
		rc = -1;
	} else if (out_of_range(rec, where, sizeof(where))) {
		set_err(err, len,
			"expected \"%s\" to be a 64-bit integer, got one out of range",
			where);
		rc = -1;
	}
	free(schema);
	return rc;
}

static int parse_record(json_object *rec, struct results_cell *c,
			size_t *budget, char *err, size_t len)
{
	char *status = NULL, *fstype = NULL, *scen = NULL, *fcase = NULL;
	char *kind = NULL;
	bool starved = false;
	uint64_t threads;
	json_object *v, *samples = NULL;
	bool present;
	int rc = -1;

	if (check_schema(rec, err, len) ||
	    want_str(rec, "bench", true, false, &c->bench, err, len) ||
	    want_str(rec, "mem", true, true, &c->mem, err, len) ||
	    want_str(rec, "reg", true, true, &c->reg, err, len) ||
	    want_uint(rec, "size", true, 0, &c->size, err, len) ||
	    want_str(rec, "access", true, true, &c->access, err, len))
		goto out;
	v = get(rec, "prefault", &present);
	if (!v || json_object_get_type(v) != json_type_boolean) {
		set_err(err, len,
			present ?
				"expected \"prefault\" to be a boolean, got %s" :
				"expected key \"prefault\" (a boolean)%s",
			present ? (v ? type_name(v) : "null") : "");
		goto out;
	}
	c->prefault = json_object_get_boolean(v);
	if (want_uint(rec, "threads", true, 1, &threads, err, len))
		goto out;
	if (threads > 1u << 20) {
		set_err(err, len,
			"expected \"threads\" to be at most %u, got %llu",
			1u << 20, (unsigned long long)threads);
		goto out;
	}
	c->threads = (unsigned)threads;
	if (want_str(rec, "status", true, false, &status, err, len))
		goto out;
	if (parse_status(status, &c->status)) {
		set_err(err, len,
			"expected \"status\" to be ok, unsupported or failed, got \"%.40s\"",
			status);
		goto out;
	}
	if (want_str(rec, "errno", true, true, &c->err, err, len) ||
	    want_str(rec, "reason", true, true, &c->reason, err, len) ||
	    want_str(rec, "kernel", true, false, &c->kernel, err, len) ||
	    want_uint(rec, "page_size", false, 0, &c->page_size, err, len) ||
	    want_uint(rec, "pages", false, 0, &c->pages, err, len) ||
	    want_num(rec, "reg_ns_per_page", &c->per_page_ns, err, len) ||
	    want_num(rec, "migrated", &c->migrated, err, len) ||
	    want_str(rec, "fstype", false, true, &fstype, err, len) ||
	    want_str(rec, "scenario", false, true, &scen, err, len) ||
	    want_str(rec, "case", false, true, &fcase, err, len) ||
	    want_obj(rec, "samples", &samples, err, len) ||
	    want_str(rec, "run_id", false, true, &c->run_id, err, len) ||
	    want_int(rec, "run_index", &c->run_index, err, len) ||
	    want_str(rec, "page_kind", false, true, &kind, err, len) ||
	    want_bool(rec, "starved", &starved, err, len) ||
	    take_op(rec, samples, "reg_ns", c, budget, err, len) ||
	    take_op(rec, samples, "dereg_ns", c, budget, err, len) ||
	    take_fault(rec, c, err, len) ||
	    take_measured_on(rec, c, err, len) ||
	    take_calibration(rec, c, err, len))
		goto out;
	c->nruns = 1;
	if (c->status == RES_OK && first_run(c)) {
		set_err(err, len, "out of memory");
		goto out;
	}
	if (make_key(c, fstype, scen, fcase, kind, starved)) {
		set_err(err, len, "out of memory");
		goto out;
	}
	rc = 1;
out:
	free(status);
	free(fstype);
	free(scen);
	free(fcase);
	free(kind);
	return rc;
}

int results_parse_line(const char *line, size_t len, struct results_cell *cell,
		       size_t *budget, char *err, size_t errlen)
{
	struct json_tokener *tok;
	json_object *rec;
	size_t end;
	int rc;

	memset(cell, 0, sizeof(*cell));
	while (len && strchr(" \t\r\n", line[len - 1]))
		len--;
	while (len && strchr(" \t\r\n", *line))
		line++, len--;
	if (!len)
		return 0;
	if (len > RESULTS_MAX_LINE || memchr(line, '\0', len)) {
		set_err(err, errlen,
			len > RESULTS_MAX_LINE ?
				"expected a line of at most 64 MiB" :
				"expected text, found a NUL byte");
		return -1;
	}
	tok = json_tokener_new_ex(RESULTS_MAX_DEPTH);
	if (!tok) {
		set_err(err, errlen, "out of memory");
		return -1;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	rec = json_tokener_parse_ex(tok, line, (int)len);
	end = json_tokener_get_parse_end(tok);
	/* A bare number is only complete once something follows it. */
	if (!rec && json_tokener_get_error(tok) == json_tokener_continue &&
	    (rec = json_tokener_parse_ex(tok, " ", 1)))
		end = len;
	if (!rec) {
		enum json_tokener_error e = json_tokener_get_error(tok);

		set_err(err, errlen,
			"expected one JSON object: %s at column %zu",
			e == json_tokener_continue ? "the line ends inside it" :
						     json_tokener_error_desc(e),
			end + 1);
		json_tokener_free(tok);
		return -1;
	}
	json_tokener_free(tok);
	if (end != len) {
		set_err(err, errlen,
			"expected one JSON object, found more after column %zu",
			end);
		rc = -1;
	} else if (json_object_get_type(rec) != json_type_object) {
		set_err(err, errlen, "expected a JSON object, got %s",
			type_name(rec));
		rc = -1;
	} else {
		rc = parse_record(rec, cell, budget, err, errlen);
	}
	json_object_put(rec);
	if (rc < 0)
		results_cell_free(cell);
	return rc;
}

void results_cell_free(struct results_cell *c)
{
	free(c->bench);
	free(c->mem);
	free(c->reg);
	free(c->access);
	free(c->scenario);
	free(c->key);
	free(c->mem_label);
	free(c->err);
	free(c->reason);
	free(c->kernel);
	free(c->run_id);
	free(c->host);
	free(c->emulation);
	free(c->outcomes);
	for (unsigned i = 0; i < c->nops; i++) {
		free(c->op[i].samples);
		free(c->op[i].runs);
	}
	memset(c, 0, sizeof(*c));
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * "EFAULT|ok": the distinct outcomes of a cell's runs, sorted, so that
 * two sets whose runs disagree alike compare equal whatever the order.
 */
static int add_outcome(struct results_cell *c, const char *now)
{
	char *all, *parts[64], *save = NULL, *joined;
	size_t n = 0, used = 0, len;

	if (asprintf(&all, "%s|%s", results_outcome(c), now) < 0)
		return -1;
	for (char *t = strtok_r(all, "|", &save); t && n < 64;
	     t = strtok_r(NULL, "|", &save))
		parts[n++] = t;
	qsort(parts, n, sizeof(*parts), cmp_str);
	len = strlen(results_outcome(c)) + strlen(now) + 2;
	joined = malloc(len);
	if (!joined) {
		free(all);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		if (!i || strcmp(parts[i], parts[i - 1]))
			used += (size_t)snprintf(joined + used, len - used,
						 "%s%s", used ? "|" : "",
						 parts[i]);
	free(all);
	free(c->outcomes);
	c->outcomes = joined;
	return 0;
}

/* Pooled samples, and the run's figure beside the others. */
static int merge_op(struct results_op *into, struct results_op *from)
{
	double *s, *r, lo = INFINITY, hi = -INFINITY;

	if (from->n) {
		s = realloc(into->samples,
			    (into->n + from->n) * sizeof(*into->samples));
		if (!s)
			return -1;
		memcpy(s + into->n, from->samples, from->n * sizeof(*s));
		into->samples = s;
		into->n += from->n;
	}
	if (!from->nruns || into->nruns + from->nruns > RESULTS_MAX_RUNS)
		return 0;
	r = realloc(into->runs, (into->nruns + from->nruns) * sizeof(*r));
	if (!r)
		return -1;
	memcpy(r + into->nruns, from->runs, from->nruns * sizeof(*r));
	into->runs = r;
	into->nruns += from->nruns;
	/* Several runs: the median of theirs, and their range. */
	for (size_t i = 0; i < into->nruns; i++) {
		lo = fmin(lo, r[i]);
		hi = fmax(hi, r[i]);
	}
	into->p50 = stats_median(r, into->nruns);
	into->ci95_lo = lo;
	into->ci95_hi = hi;
	return 0;
}

int results_cell_merge(struct results_cell *c, struct results_cell *later)
{
	bool timed = c->status == RES_OK && later->status == RES_OK;

	if (strcmp(results_outcome(c), results_outcome(later)) &&
	    add_outcome(c, results_outcome(later)))
		return -1;
	c->nruns += later->nruns;
	for (unsigned i = 0; timed && i < later->nops; i++) {
		struct results_op *from = &later->op[i], *into = NULL;

		for (unsigned j = 0; j < c->nops && !into; j++)
			if (!strcmp(c->op[j].name, from->name))
				into = &c->op[j];
		if (!into && c->nops < RESULTS_MAX_OPS) {
			into = &c->op[c->nops++];
			*into = (struct results_op){ .p50 = from->p50,
						     .ci95_lo = NAN,
						     .ci95_hi = NAN };
			memcpy(into->name, from->name, sizeof(into->name));
		}
		if (into && merge_op(into, from))
			return -1;
	}
	return 0;
}
