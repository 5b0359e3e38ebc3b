// SPDX-License-Identifier: GPL-2.0
/*
 * One line of a result set into one cell: the keys that say which cell
 * it is, its outcome, and its figures (results/figures.c). Everything
 * else in the record is dropped once the line is parsed, so memory grows
 * with the samples kept, which are bounded per cell and per set.
 */
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/xalloc.h"
#include "measure/measure.h"
#include "out/record.h"
#include "results/results.h"
#include "results/figures.h"
#include "results/keys.h"

/* What the writer keeps, the reader takes: see MEASURE_MAX_SAMPLES. */
_Static_assert(2ull * MEASURE_MAX_SAMPLES * 20 + (1u << 20) < RESULTS_MAX_LINE,
	       "a record with the most samples must fit a line");

const char *const results_fault_states[FAULT_NSTATES] = { "cold", "cpu",
							  "present",
							  "prefetched" };

static int parse_status(const char *s, enum results_status *st)
{
	static const char *const names[] = { "ok", "unsupported", "failed",
					     "hung" };

	for (int i = 0; i < 4; i++)
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
	       st == RES_HUNG	     ? "hung" :
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
	if (n < 0)
		return -1;
	c->scenario = xstrdup(buf);
	if (fstype)
		snprintf(buf, sizeof(buf), "%s(%s)", c->mem ? c->mem : "-",
			 fstype);
	else
		snprintf(buf, sizeof(buf), "%s", c->mem ? c->mem : "-");
	c->mem_label = xstrdup(buf);
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
/* The run's fixed reference work, to tell a slow boot from a slow kernel. */
static int take_calibration(json_object *rec, struct results_cell *c, char *err,
			    size_t len)
{
	json_object *cal;

	c->cpu_ref_ns = NAN;
	if (res_want_obj(rec, "calibration", &cal, err, len))
		return -1;
	if (cal && res_want_num(cal, "cpu_ref_ns", &c->cpu_ref_ns, err, len))
		return res_nested_err(err, len, "calibration");
	return 0;
}

/* measured_on: the machine, and the emulator if any, behind the figures. */
static int take_measured_on(json_object *rec, struct results_cell *c, char *err,
			    size_t len)
{
	json_object *on;

	if (res_want_obj(rec, "measured_on", &on, err, len))
		return -1;
	if (!on)
		return 0;
	if (res_want_str(on, "host", false, true, &c->host, err, len) ||
	    res_want_str(on, "emulation", false, true, &c->emulation, err, len))
		return res_nested_err(err, len, "measured_on");
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

	if (res_want_str(rec, "schema", true, false, &schema, err, len))
		return -1;
	if (strcmp(schema, MRBENCH_SCHEMA)) {
		res_set_err(
			err, len,
			"expected \"schema\" to be \"%s\", got \"%.40s\": not a record mrbench can read",
			MRBENCH_SCHEMA, schema);
		rc = -1;
	} else if (out_of_range(rec, where, sizeof(where))) {
		res_set_err(
			err, len,
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
	bool starved = false, as_expected = false;
	uint64_t threads;
	json_object *v, *samples = NULL;
	bool present;
	int rc = -1;

	if (check_schema(rec, err, len) ||
	    res_want_str(rec, "bench", true, false, &c->bench, err, len) ||
	    res_want_str(rec, "mem", true, true, &c->mem, err, len) ||
	    res_want_str(rec, "reg", true, true, &c->reg, err, len) ||
	    res_want_uint(rec, "size", true, 0, &c->size, err, len) ||
	    res_want_str(rec, "access", true, true, &c->access, err, len))
		goto out;
	v = res_get(rec, "prefault", &present);
	if (!v || json_object_get_type(v) != json_type_boolean) {
		res_set_err(
			err, len,
			present ?
				"expected \"prefault\" to be a boolean, got %s" :
				"expected key \"prefault\" (a boolean)%s",
			present ? (v ? res_type_name(v) : "null") : "");
		goto out;
	}
	c->prefault = json_object_get_boolean(v);
	if (res_want_uint(rec, "threads", true, 1, &threads, err, len))
		goto out;
	if (threads > 1u << 20) {
		res_set_err(err, len,
			    "expected \"threads\" to be at most %u, got %llu",
			    1u << 20, (unsigned long long)threads);
		goto out;
	}
	c->threads = (unsigned)threads;
	if (res_want_str(rec, "status", true, false, &status, err, len))
		goto out;
	if (parse_status(status, &c->status)) {
		res_set_err(
			err, len,
			"expected \"status\" to be ok, unsupported, failed or hung, got \"%.40s\"",
			status);
		goto out;
	}
	if (res_want_str(rec, "errno", true, true, &c->err, err, len) ||
	    res_want_str(rec, "reason", true, true, &c->reason, err, len) ||
	    res_want_str(rec, "kernel", true, false, &c->kernel, err, len) ||
	    res_want_str(rec, "time", false, true, &c->time, err, len) ||
	    res_want_str(rec, "expected", false, true, &c->expected, err,
			 len) ||
	    res_want_bool(rec, "as_expected", &as_expected, err, len) ||
	    res_want_uint(rec, "page_size", false, 0, &c->page_size, err,
			  len) ||
	    res_want_uint(rec, "pages", false, 0, &c->pages, err, len) ||
	    res_want_num(rec, "reg_ns_per_page", &c->per_page_ns, err, len) ||
	    res_want_num(rec, "migrated", &c->migrated, err, len) ||
	    res_want_str(rec, "fstype", false, true, &fstype, err, len) ||
	    res_want_str(rec, "scenario", false, true, &scen, err, len) ||
	    res_want_str(rec, "case", false, true, &fcase, err, len) ||
	    res_want_obj(rec, "samples", &samples, err, len) ||
	    res_want_str(rec, "run_id", false, true, &c->run_id, err, len) ||
	    res_want_int(rec, "run_index", &c->run_index, err, len) ||
	    res_want_str(rec, "page_kind", false, true, &kind, err, len) ||
	    res_want_bool(rec, "starved", &starved, err, len) ||
	    res_take_op(rec, samples, "reg_ns", c, budget, err, len) ||
	    res_take_op(rec, samples, "dereg_ns", c, budget, err, len) ||
	    res_take_fault(rec, c, err, len) ||
	    take_measured_on(rec, c, err, len) ||
	    take_calibration(rec, c, err, len))
		goto out;
	/* Absent or null: no verdict, so none that failed. */
	c->unexpected = res_get(rec, "as_expected", &present) && !as_expected;
	c->nruns = 1;
	if (c->status == RES_OK && res_first_run(c)) {
		res_set_err(err, len, "out of memory");
		goto out;
	}
	if (make_key(c, fstype, scen, fcase, kind, starved)) {
		res_set_err(err, len, "out of memory");
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
		res_set_err(err, errlen,
			    len > RESULTS_MAX_LINE ?
				    "expected a line of at most 64 MiB" :
				    "expected text, found a NUL byte");
		return -1;
	}
	tok = json_tokener_new_ex(RESULTS_MAX_DEPTH);
	if (!tok) {
		res_set_err(err, errlen, "out of memory");
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

		res_set_err(err, errlen,
			    "expected one JSON object: %s at column %zu",
			    e == json_tokener_continue ?
				    "the line ends inside it" :
				    json_tokener_error_desc(e),
			    end + 1);
		json_tokener_free(tok);
		return -1;
	}
	json_tokener_free(tok);
	if (end != len) {
		res_set_err(
			err, errlen,
			"expected one JSON object, found more after column %zu",
			end);
		rc = -1;
	} else if (json_object_get_type(rec) != json_type_object) {
		res_set_err(err, errlen, "expected a JSON object, got %s",
			    res_type_name(rec));
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
	free(c->time);
	free(c->expected);
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
