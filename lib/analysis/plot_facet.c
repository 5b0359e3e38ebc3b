// SPDX-License-Identifier: GPL-2.0
/*
 * The shared part of the faceted figures: which cells a figure holds,
 * its name and tics, and its panels, one per memory source.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/plot_facet.h"
#include "cli/size.h"
#include "cli/xalloc.h"

bool facet_in_combo(const struct results_cell *c, const struct combo *k)
{
	return c->status == RES_OK && !strcmp(c->bench, k->bench) && c->reg &&
	       !strcmp(c->reg, k->reg) && c->access &&
	       !strcmp(c->access, k->access) && c->prefault == k->prefault &&
	       c->threads == k->threads && isfinite(c->op[0].p50);
}

static bool same_combo(const struct combo *a, const struct combo *b)
{
	return !strcmp(a->reg, b->reg) && !strcmp(a->access, b->access) &&
	       a->prefault == b->prefault && a->threads == b->threads;
}

void facet_name(const struct combo *k, const char *prefix, char *buf,
		size_t len)
{
	snprintf(buf, len, "%s-%s-%s%s", prefix, k->reg, k->access,
		 k->prefault ? "" : "-noprefault");
	if (k->threads != 1)
		snprintf(buf + strlen(buf), len - strlen(buf), "-t%u",
			 k->threads);
}

void facet_describe(const struct combo *k, char *buf, size_t len)
{
	char thr[32] = "";

	if (k->threads != 1)
		snprintf(thr, sizeof(thr), ", %u threads", k->threads);
	snprintf(buf, len, "%s, access %s, %s%s", k->reg, k->access,
		 k->prefault ? "prefaulted" : "not prefaulted", thr);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

#define MAX_SIZES 256

void facet_xtics(struct plot_fig *f, const struct plot_ctx *c,
		 const struct combo *k)
{
	uint64_t sizes[MAX_SIZES];
	size_t n = 0, step;
	char buf[4096] = "(", name[16];
	size_t used = 1;

	for (size_t s = 0; s < c->nsets; s++)
		for (size_t i = 0; i < c->sets[s].n; i++) {
			const struct results_cell *cell = &c->sets[s].cells[i];
			bool seen = false;

			if (!facet_in_combo(cell, k))
				continue;
			for (size_t j = 0; j < n; j++)
				seen |= sizes[j] == cell->size;
			if (!seen && n < MAX_SIZES)
				sizes[n++] = cell->size;
		}
	qsort(sizes, n, sizeof(*sizes), cmp_u64);
	step = n > 12 ? (n + 11) / 12 : 1;
	for (size_t i = 0; i < n && used < sizeof(buf) - 64; i += step) {
		size_format(sizes[i], name, sizeof(name));
		used += (size_t)snprintf(buf + used, sizeof(buf) - used,
					 "%s\"%s\" %llu", i ? ", " : "", name,
					 (unsigned long long)sizes[i]);
	}
	snprintf(buf + used, sizeof(buf) - used, ")");
	fprintf(f->params, "set xtics %s\n", buf);
}

size_t facet_panels(struct plot_fig *f, const struct plot_ctx *c,
		    const struct combo *k, const char **mems)
{
	size_t n = 0, cols, rows;

	for (size_t s = 0; s < c->nsets; s++)
		for (size_t i = 0; i < c->sets[s].n; i++) {
			const struct results_cell *cell = &c->sets[s].cells[i];
			bool seen = false;

			if (!facet_in_combo(cell, k))
				continue;
			for (size_t j = 0; j < n; j++)
				seen |= !strcmp(mems[j], cell->mem_label);
			if (!seen && n < FACET_MAX_PANELS)
				mems[n++] = cell->mem_label;
		}
	qsort(mems, n, sizeof(*mems), cmp_str);
	/* Four panels read better as two by two than three and one. */
	cols = n < 3 ? n : n == 4 ? 2 : 3;
	rows = cols ? (n + cols - 1) / cols : 1;
	fprintf(f->params, "npanels = %zu\nprows = %zu\npcols = %zu\n", n, rows,
		cols);
	fprintf(f->params, "fig_h = %zu\narray panel[%zu]\n", 150 + 330 * rows,
		n ? n : 1);
	for (size_t i = 0; i < n; i++) {
		char var[32];

		snprintf(var, sizeof(var), "panel[%zu]", i + 1);
		plot_set_str(f, var, mems[i]);
	}
	return n;
}

bool facet_set_has(const struct plot_ctx *c, size_t s, const struct combo *k)
{
	for (size_t i = 0; i < c->sets[s].n; i++)
		if (facet_in_combo(&c->sets[s].cells[i], k))
			return true;
	return false;
}

size_t facet_nsets(const struct plot_ctx *c, const struct combo *k)
{
	size_t n = 0;

	for (size_t s = 0; s < c->nsets; s++)
		n += facet_set_has(c, s, k);
	return n;
}

int facet_each_combo(struct plot_ctx *c,
		     int (*fn)(struct plot_ctx *c, const struct combo *k))
{
	struct combo *done = NULL;
	size_t ndone = 0;
	int rc = 0;

	for (size_t s = 0; s < c->nsets && !rc; s++)
		for (size_t i = 0; i < c->sets[s].n && !rc; i++) {
			const struct results_cell *cell = &c->sets[s].cells[i];
			struct combo k = { "reg", cell->reg, cell->access,
					   cell->prefault, cell->threads };
			bool seen = false;

			if (!cell->reg || !cell->access ||
			    !facet_in_combo(cell, &k))
				continue;
			for (size_t j = 0; j < ndone; j++)
				seen |= same_combo(&done[j], &k);
			if (seen)
				continue;
			done = xrealloc(done, (ndone + 1) * sizeof(*done));
			done[ndone++] = k;
			rc = fn(c, &k);
		}
	free(done);
	return rc;
}
