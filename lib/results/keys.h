/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_RESULTS_KEYS_H
#define MRBENCH_RESULTS_KEYS_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The typed readers of a record's keys, for the parts of the results
 * reader. Each returns 0, or -1 with one line in err that says what was
 * expected and what the file held instead.
 */
void res_set_err(char *err, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int res_nested_err(char *err, size_t len, const char *key);
const char *res_type_name(json_object *v);
json_object *res_get(json_object *o, const char *key, bool *present);
bool res_is_num(json_object *v);

int res_want_str(json_object *o, const char *key, bool required, bool nullable,
		 char **out, char *err, size_t len);
int res_want_uint(json_object *o, const char *key, bool required, int64_t min,
		  uint64_t *out, char *err, size_t len);
int res_want_num(json_object *o, const char *key, double *out, char *err,
		 size_t len);
int res_want_int(json_object *o, const char *key, long *out, char *err,
		 size_t len);
int res_want_bool(json_object *o, const char *key, bool *out, char *err,
		  size_t len);
int res_want_obj(json_object *o, const char *key, json_object **out, char *err,
		 size_t len);

#endif
