// SPDX-License-Identifier: GPL-2.0
/*
 * A set's provenance beyond its kernel release: which build of it (the
 * build id, the .config's hash and the CONFIG_ options that decide what
 * mrbench measures), which libibverbs, provider and device firmware.
 * Every record of a process carries them, so they are read from the
 * set's first record only, from its line a second time: the cells need
 * none of it, and a set of 200000 records should not hold 200000 copies.
 */
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "cli/xalloc.h"
#include "results/keys.h"
#include "results/results.h"

/* More than kbuild.c records by far; a bound on what a line can ask for. */
#define MAX_CONFIG 256

const char *const results_prov_keys[PROV_NKEYS] = {
	[PROV_BUILD_ID] = "kernel_build_id", [PROV_CONFIG] = "kernel_config",
	[PROV_LIBIBVERBS] = "libibverbs",
	[PROV_LIBIBVERBS_RUNTIME] = "libibverbs_runtime",
	[PROV_PROVIDER] = "provider",
	[PROV_FIRMWARE] = "firmware",
};

static int cmp_opt(const void *x, const void *y)
{
	const struct results_config_opt *a = x, *b = y;

	return strcmp(a->name, b->name);
}

/* "": the writer had nothing to say, as with null. */
static int want_str(json_object *o, const char *key, char **out, char *err,
		    size_t len)
{
	if (res_want_str(o, key, false, true, out, err, len))
		return -1;
	if (*out && !**out) {
		free(*out);
		*out = NULL;
	}
	return 0;
}

static int take_config(json_object *cfg, struct results_prov *p, char *err,
		       size_t len)
{
	if (want_str(cfg, "fnv1a64", &p->v[PROV_CONFIG], err, len))
		return -1;
	p->config = xcalloc(MAX_CONFIG, sizeof(*p->config));
	json_object_object_foreach(cfg, key, val)
	{
		struct results_config_opt *o = &p->config[p->nconfig];

		(void)val;
		if (strncmp(key, "CONFIG_", 7))
			continue;
		if (p->nconfig == MAX_CONFIG) {
			res_set_err(err, len,
				    "expected at most %d CONFIG_ options",
				    MAX_CONFIG);
			return -1;
		}
		if (res_want_str(cfg, key, false, true, &o->value, err, len))
			return -1;
		o->name = xstrdup(key);
		p->nconfig++;
	}
	qsort(p->config, p->nconfig, sizeof(*p->config), cmp_opt);
	return 0;
}

static int take_prov(json_object *rec, struct results_prov *p, char *err,
		     size_t len)
{
	json_object *cfg;

	for (int k = 0; k < PROV_NKEYS; k++)
		if (k != PROV_CONFIG &&
		    want_str(rec, results_prov_keys[k], &p->v[k], err, len))
			return -1;
	if (res_want_obj(rec, "kernel_config", &cfg, err, len))
		return -1;
	if (cfg && take_config(cfg, p, err, len))
		return res_nested_err(err, len, "kernel_config");
	return 0;
}

int results_parse_prov(const char *line, size_t n, struct results_prov *p,
		       char *err, size_t len)
{
	struct json_tokener *tok = json_tokener_new_ex(RESULTS_MAX_DEPTH);
	json_object *rec = NULL;
	int rc = -1;

	memset(p, 0, sizeof(*p));
	if (tok)
		rec = json_tokener_parse_ex(tok, line, (int)n);
	json_tokener_free(tok);
	if (!rec || !json_object_is_type(rec, json_type_object))
		res_set_err(err, len, "expected a JSON object");
	else
		rc = take_prov(rec, p, err, len);
	json_object_put(rec);
	if (rc)
		results_prov_free(p);
	return rc;
}

void results_prov_free(struct results_prov *p)
{
	for (int k = 0; k < PROV_NKEYS; k++)
		free(p->v[k]);
	for (size_t i = 0; i < p->nconfig; i++) {
		free(p->config[i].name);
		free(p->config[i].value);
	}
	free(p->config);
	memset(p, 0, sizeof(*p));
}
