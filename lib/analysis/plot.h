/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_PLOT_H
#define MRBENCH_PLOT_H

#include <stdbool.h>
#include <stdio.h>

#include "results/results.h"

struct results_phases;

/*
 * mrbench plot: C writes each figure's data and a parameter file, a
 * gnuplot template (scripts/plot/NAME.gp) draws it, once per format.
 */

#define PLOT_PNG 1u
#define PLOT_SVG 2u

struct plot_ctx {
	struct results_set *sets;
	char **labels; /* per set: what legends call it */
	struct results_phases *phases; /* per set: its records' breakdowns */
	size_t nsets;
	const char *outdir;
	char tpl_dir[1024];
	char tmpdir[512]; /* data and parameter files, removed at the end */
	unsigned formats;
	unsigned figures, files; /* drawn so far */
	char err[1024]; /* why the last call failed */
	char footer[1024]; /* provenance: kernels, machine, date, method */
	char **drawn; /* names of the figures drawn, for the index page */
	size_t ndrawn;
	bool no_gnuplot; /* it could not be run: the page says so */
};

/*
 * Where the templates are: $MRBENCH_PLOT_DIR, then $MRBENCH_SRCDIR/
 * scripts/plot (the tree under test), SELF_DIR/scripts/plot (a build in
 * the source tree), SELF_DIR/../share/mrbench/plot (an installed tree),
 * then the configured pkgdatadir.
 */
int plot_find_templates(struct plot_ctx *c, const char *self_dir);

/* lib/analysis/plot_prov.c: the provenance line of every figure. */
void plot_provenance(struct plot_ctx *c);

/* Legend names for the sets: short kernel names while they differ. */
void plot_label_sets(struct plot_ctx *c);

/*
 * A figure in the making: data goes to ->data (blocks separated by two
 * blank lines, one per series), gnuplot variables to ->params.
 */
struct plot_fig {
	char name[160];
	FILE *data, *params;
	char data_path[600], params_path[600];
	unsigned nseries;
};

int plot_fig_open(struct plot_ctx *c, struct plot_fig *f, const char *name);
/* A gnuplot string variable, quoted. */
/* A string column of a data file, safe whatever the values hold. */
void plot_data_label(FILE *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void plot_set_str(struct plot_fig *f, const char *var, const char *val);
/* One series: its legend title and line style (colour, dash, point). */
void plot_series(struct plot_fig *f, const char *title, unsigned colour,
		 unsigned dash);
/* A series in a colour of its own ("#rrggbb"), solid. */
void plot_series_rgb(struct plot_fig *f, const char *title, const char *rgb);
/* Draw with template TPL.gp in every format; -1 with c->err set. */
int plot_fig_draw(struct plot_ctx *c, struct plot_fig *f, const char *tpl);
void plot_fig_discard(struct plot_fig *f);

/* A file name part from any string: [A-Za-z0-9.+-], others '_'. */
void plot_safe_name(const char *in, char *out, size_t len);

/* The figures; each returns 0 when it had nothing to draw. */
/*
 * lib/analysis/plot_run.c: a temporary file beside out for gnuplot to
 * draw into; gnuplot run (killed by a first SIGINT or SIGTERM, dead with
 * its parent); the temporary renamed to out once it is whole, or removed.
 */
int plot_tmp_out(struct plot_ctx *c, const char *out, char *tmp, size_t len);
int plot_run_gnuplot(struct plot_ctx *c, const char *setup, const char *params,
		     const char *tpl, const char *out);
int plot_publish(struct plot_ctx *c, const char *tmp, const char *out,
		 const char *ext);

int plot_vs_size(struct plot_ctx *c);
/*
 * lib/analysis/plot_html.c: the index page at path, the figures named
 * prefix + name + ".svg" (or ".png") from it.
 */
int plot_html(struct plot_ctx *c, const char *path, const char *prefix);
/* lib/analysis/plot_cdf.c: empirical CDFs of the raw samples. */
int plot_cdf(struct plot_ctx *c);
int plot_migrate(struct plot_ctx *c);
int plot_fault(struct plot_ctx *c);
int plot_compare(struct plot_ctx *c);
/* lib/analysis/plot_breakdown.c: share of traced time per phase. */
int plot_breakdown(struct plot_ctx *c);

#endif
