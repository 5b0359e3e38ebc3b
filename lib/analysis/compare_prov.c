// SPDX-License-Identifier: GPL-2.0
/*
 * What else differs between two sets. A comparison is meant to vary one
 * thing, usually the kernel; a figure that moved between two builds of
 * the same release, two libibverbs or two firmwares moved for a reason
 * the report cannot see. Two releases are expected to be two builds,
 * so then only the recorded CONFIG_ options that differ are noted: they
 * are part of what the comparison measures, and worth knowing.
 * A key one side does not record (older records) is not compared.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/xalloc.h"
#include "analysis/compare.h"

static bool differ(const char *a, const char *b)
{
	return a && b && strcmp(a, b);
}

static bool same_value(const char *a, const char *b)
{
	return a && b ? !strcmp(a, b) : a == b;
}

static void add(struct compare_result *r, size_t *cap, const char *key,
		const char *a, const char *b, bool warn)
{
	if (r->nprov == *cap) {
		*cap = *cap ? *cap * 2 : 8;
		r->prov = xrealloc(r->prov, *cap * sizeof(*r->prov));
	}
	r->prov[r->nprov++] = (struct compare_prov){ key, a, b, warn };
}

/* The options both sets record, by name (both lists are sorted). */
static void config_options(struct compare_result *r, size_t *cap,
			   const struct results_prov *a,
			   const struct results_prov *b, bool warn)
{
	size_t i = 0, j = 0;

	while (i < a->nconfig && j < b->nconfig) {
		const struct results_config_opt *x = &a->config[i],
						*y = &b->config[j];
		int c = strcmp(x->name, y->name);

		if (c < 0) {
			i++;
		} else if (c > 0) {
			j++;
		} else {
			if (!same_value(x->value, y->value))
				add(r, cap, x->name, x->value, y->value, warn);
			i++;
			j++;
		}
	}
}

void compare_provenance(struct compare_result *r, const struct results_set *a,
			const struct results_set *b)
{
	const struct results_prov *pa = &a->prov, *pb = &b->prov;
	bool same = a->kernel && b->kernel && !strcmp(a->kernel, b->kernel);
	size_t cap = 0;

	r->prov = NULL;
	r->nprov = 0;
	/* The classic: "same kernel", two builds of it. */
	if (same && differ(pa->v[PROV_BUILD_ID], pb->v[PROV_BUILD_ID]))
		add(r, &cap, results_prov_keys[PROV_BUILD_ID],
		    pa->v[PROV_BUILD_ID], pb->v[PROV_BUILD_ID], true);
	if (same && differ(pa->v[PROV_CONFIG], pb->v[PROV_CONFIG]))
		add(r, &cap, results_prov_keys[PROV_CONFIG], pa->v[PROV_CONFIG],
		    pb->v[PROV_CONFIG], true);
	if (!same_value(pa->v[PROV_CONFIG], pb->v[PROV_CONFIG]) ||
	    !pa->v[PROV_CONFIG])
		config_options(r, &cap, pa, pb, same);
	for (int k = PROV_LIBIBVERBS; k < PROV_NKEYS; k++)
		if (differ(pa->v[k], pb->v[k]))
			add(r, &cap, results_prov_keys[k], pa->v[k], pb->v[k],
			    true);
}

static const char *shown(const char *v)
{
	return v ? v : "absent";
}

static bool is_option(const struct compare_prov *d)
{
	return !strncmp(d->key, "CONFIG_", 7);
}

/* "CONFIG_UDMABUF n -> y, CONFIG_KSM y -> n" */
static void options_line(FILE *f, const struct compare_result *r)
{
	const char *sep = "";

	for (size_t i = 0; i < r->nprov; i++) {
		const struct compare_prov *d = &r->prov[i];

		if (!is_option(d))
			continue;
		fprintf(f, "%s%s %s -> %s", sep, d->key, shown(d->a),
			shown(d->b));
		sep = ", ";
	}
}

static size_t options(const struct compare_result *r)
{
	size_t n = 0;

	for (size_t i = 0; i < r->nprov; i++)
		n += is_option(&r->prov[i]);
	return n;
}

void compare_prov_print(FILE *f, const char *prefix,
			const struct compare_result *r, const char *la,
			const char *lb)
{
	bool config_warned = false;

	for (size_t i = 0; i < r->nprov; i++) {
		const struct compare_prov *d = &r->prov[i];

		if (is_option(d))
			continue;
		fprintf(f, "%swarning: ", prefix);
		if (!strcmp(d->key, results_prov_keys[PROV_BUILD_ID])) {
			fprintf(f,
				"%s and %s are one kernel release from two builds (kernel_build_id %.12s against %.12s): the kernels may differ in more than their name says",
				la, lb, d->a, d->b);
		} else if (!strcmp(d->key, results_prov_keys[PROV_CONFIG])) {
			fprintf(f,
				"%s and %s are one kernel release configured two ways (.config fnv1a64 %s against %s)",
				la, lb, d->a, d->b);
			if (options(r)) {
				fputs(": ", f);
				options_line(f, r);
			} else {
				fputs(", in none of the CONFIG_ options recorded",
				      f);
			}
			config_warned = true;
		} else {
			fprintf(f,
				"%s differs: %s in %s, %s in %s; what moved may have moved with it",
				d->key, d->a, la, d->b, lb);
		}
		fputc('\n', f);
	}
	/*
	 * Two releases: the options they differ in, said once, not warned
	 * (but warned when one release's .config hash is unrecorded).
	 */
	if (options(r) && !config_warned) {
		bool warn = false;

		for (size_t i = 0; i < r->nprov; i++)
			warn |= is_option(&r->prov[i]) && r->prov[i].warn;
		fprintf(f, "%s%s: %s and %s differ in these recorded options: ",
			prefix, warn ? "warning" : "note", la, lb);
		options_line(f, r);
		fputc('\n', f);
	}
}
