// SPDX-License-Identifier: GPL-2.0
/*
 * Figures against region size, from the reg records: median latency and
 * cost per base page, one figure per registrar and access set (and
 * prefault, threads), one line per result set and memory source.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/xalloc.h"
#include "analysis/plot.h"
#include "cli/size.h"

/* What one figure holds: every cell that shares these. */
struct combo {
	const char *bench, *reg, *access;
	bool prefault;
	unsigned threads;
};

static bool in_combo(const struct results_cell *c, const struct combo *k)
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

/* Distinct strings, in first-seen order; n bounded by cap. */
static size_t add_unique(const char **list, size_t n, size_t cap, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(list[i], s))
			return n;
	if (n < cap)
		list[n++] = s;
	return n;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

#define MAX_MEMS  64
#define MAX_SIZES 256

/* Tics at the sizes measured ("4K" 4096, ...), at most about 12. */
static void xtics(struct plot_fig *f, const struct plot_ctx *c,
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

			if (!in_combo(cell, k))
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

static void put_num(FILE *f, double v)
{
	if (isfinite(v))
		fprintf(f, " %.6g", v);
	else
		fprintf(f, " NaN");
}

/* One row: size, then p50/lo/hi for reg and dereg, whole and per page. */
static void put_row(FILE *f, const struct results_cell *cell)
{
	double pages = cell->pages ? (double)cell->pages : NAN;

	fprintf(f, "%llu", (unsigned long long)cell->size);
	for (int per_page = 0; per_page < 2; per_page++)
		for (int op = 0; op < 2; op++) {
			const struct results_op *o = &cell->op[op];
			double div = per_page ? pages : 1;
			double lo = isfinite(o->ci95_lo) ? o->ci95_lo : o->p50;
			double hi = isfinite(o->ci95_hi) ? o->ci95_hi : o->p50;

			put_num(f, o->p50 / div);
			put_num(f, lo / div);
			put_num(f, hi / div);
		}
	fputc('\n', f);
}

static void describe(const struct combo *k, char *buf, size_t len)
{
	char thr[32] = "";

	if (k->threads != 1)
		snprintf(thr, sizeof(thr), ", %u threads", k->threads);
	snprintf(buf, len, "%s, access %s, %s%s", k->reg, k->access,
		 k->prefault ? "prefaulted" : "not prefaulted", thr);
}

static int one_combo(struct plot_ctx *c, const struct combo *k,
		     const char **mems, size_t nmems, bool per_page)
{
	struct plot_fig f;
	char name[160], what[200], title[300];

	snprintf(name, sizeof(name), "%s-%s-%s%s",
		 per_page ? "per-page" : "latency", k->reg, k->access,
		 k->prefault ? "" : "-noprefault");
	if (k->threads != 1)
		snprintf(name + strlen(name), sizeof(name) - strlen(name),
			 "-t%u", k->threads);
	if (plot_fig_open(c, &f, name))
		return -1;
	describe(k, what, sizeof(what));
	snprintf(title, sizeof(title), "%s against region size: %s",
		 per_page ? "Median time per base page" : "Median latency",
		 what);
	plot_set_str(&f, "fig_title", title);
	plot_set_str(&f, "ylabel_text",
		     per_page ? "median time per base page (ns, log scale)" :
				"median latency (µs, log scale)");
	fprintf(f.params, "col_reg = %d\ncol_dereg = %d\nyscale = %g\n",
		per_page ? 8 : 2, per_page ? 11 : 5, per_page ? 1.0 : 1000.0);
	xtics(&f, c, k);
	for (size_t s = 0; s < c->nsets; s++)
		for (size_t m = 0; m < nmems; m++) {
			char legend[300];
			size_t rows = 0;

			for (size_t i = 0; i < c->sets[s].n; i++) {
				const struct results_cell *cell =
					&c->sets[s].cells[i];

				if (!in_combo(cell, k) ||
				    strcmp(cell->mem_label, mems[m]))
					continue;
				put_row(f.data, cell);
				rows++;
			}
			if (!rows)
				continue;
			fputs("\n\n", f.data);
			snprintf(legend, sizeof(legend), "%s %s", c->labels[s],
				 mems[m]);
			plot_series(&f, legend, (unsigned)m, (unsigned)s);
		}
	return plot_fig_draw(c, &f, "vs-size");
}

int plot_vs_size(struct plot_ctx *c)
{
	struct combo *done = NULL;
	const char *mems[MAX_MEMS];
	size_t ndone = 0, nmems = 0;
	int rc = 0;

	for (size_t s = 0; s < c->nsets; s++)
		for (size_t i = 0; i < c->sets[s].n; i++)
			if (c->sets[s].cells[i].status == RES_OK &&
			    !strcmp(c->sets[s].cells[i].bench, "reg"))
				nmems = add_unique(
					mems, nmems, MAX_MEMS,
					c->sets[s].cells[i].mem_label);
	qsort(mems, nmems, sizeof(*mems), cmp_str);
	for (size_t s = 0; s < c->nsets && !rc; s++)
		for (size_t i = 0; i < c->sets[s].n && !rc; i++) {
			const struct results_cell *cell = &c->sets[s].cells[i];
			struct combo k = { "reg", cell->reg, cell->access,
					   cell->prefault, cell->threads };
			bool seen = false;

			if (!cell->reg || !cell->access || !in_combo(cell, &k))
				continue;
			for (size_t j = 0; j < ndone; j++)
				seen |= same_combo(&done[j], &k);
			if (seen)
				continue;
			done = xrealloc(done, (ndone + 1) * sizeof(*done));
			done[ndone++] = k;
			rc = one_combo(c, &k, mems, nmems, false);
			if (!rc)
				rc = one_combo(c, &k, mems, nmems, true);
		}
	free(done);
	return rc;
}
