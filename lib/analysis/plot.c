// SPDX-License-Identifier: GPL-2.0
/*
 * The machinery of mrbench plot: finding the gnuplot templates, writing a
 * figure's data and parameter files, and running gnuplot on them with its
 * first complaint turned into one line.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/xalloc.h"
#include "analysis/compare_report.h"
#include "measure/measure.h"
#include "analysis/plot.h"
#include "kernel/restore.h"

static bool has_templates(const char *dir)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%.4000s/common.gp", dir);
	return access(path, R_OK) == 0;
}

/*
 * The templates of the tree under test first (the tests set MRBENCH_SRCDIR;
 * a build in the source tree has them beside its programs), then those
 * installed beside this program (a relocated prefix), then pkgdatadir. No
 * build tree's path is compiled in: the installed program would carry it.
 */
int plot_find_templates(struct plot_ctx *c, const char *self_dir)
{
	const char *env = getenv("MRBENCH_PLOT_DIR");
	const char *src = getenv("MRBENCH_SRCDIR");
	char cand[4][PATH_MAX];
	int n = 0;

	if (env && *env) {
		if (!has_templates(env)) {
			snprintf(
				c->err, sizeof(c->err),
				"MRBENCH_PLOT_DIR=%s: no common.gp there (expected the directory of mrbench's gnuplot templates)",
				env);
			return -1;
		}
		snprintf(c->tpl_dir, sizeof(c->tpl_dir), "%s", env);
		return 0;
	}
	if (src && *src)
		snprintf(cand[n++], PATH_MAX, "%.4000s/scripts/plot", src);
	if (self_dir && *self_dir) {
		snprintf(cand[n++], PATH_MAX, "%.4000s/scripts/plot", self_dir);
		snprintf(cand[n++], PATH_MAX, "%.4000s/../share/mrbench/plot",
			 self_dir);
	}
	snprintf(cand[n++], PATH_MAX, "%s", MRBENCH_PLOT_PKGDATADIR);
	for (int i = 0; i < n; i++) {
		if (has_templates(cand[i])) {
			snprintf(c->tpl_dir, sizeof(c->tpl_dir), "%.1000s",
				 cand[i]);
			return 0;
		}
	}
	snprintf(
		c->err, sizeof(c->err),
		"no gnuplot templates in %s/../share/mrbench/plot or %s: set MRBENCH_PLOT_DIR",
		self_dir ? self_dir : ".", MRBENCH_PLOT_PKGDATADIR);
	return -1;
}

void plot_label_sets(struct plot_ctx *c)
{
	bool clash = false;

	for (size_t i = 0; i < c->nsets; i++) {
		char buf[128];

		report_kernel_short(c->sets[i].label, buf, sizeof(buf));
		c->labels[i] = xstrdup(buf);
	}
	for (size_t i = 0; i < c->nsets; i++)
		for (size_t j = i + 1; j < c->nsets; j++)
			clash |= !strcmp(c->labels[i], c->labels[j]);
	if (!clash)
		return;
	/* Same kernel twice: the full release, then the set's path. */
	for (size_t i = 0; i < c->nsets; i++) {
		free(c->labels[i]);
		c->labels[i] = xstrdup(c->sets[i].label);
	}
	for (size_t i = 0; i < c->nsets; i++)
		for (size_t j = i + 1; j < c->nsets; j++)
			if (!strcmp(c->labels[i], c->labels[j]))
				clash = true;
	for (size_t i = 0; clash && i < c->nsets; i++) {
		char *s;

		if (asprintf(&s, "%s (%s)", c->sets[i].label,
			     c->sets[i].path) >= 0) {
			free(c->labels[i]);
			c->labels[i] = s;
		}
	}
}

void plot_safe_name(const char *in, char *out, size_t len)
{
	size_t i = 0;

	for (; *in && i + 1 < len; in++)
		out[i++] =
			strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.+-",
			       *in) ?
				*in :
				'_';
	out[i] = '\0';
}

/*
 * A gnuplot single-quoted string. Every string here may come from a
 * result set (kernel names, memory sources) or the command line (-o),
 * and gnuplot runs `backquoted` text inside double quotes as a shell
 * command; inside single quotes nothing is substituted, and a quote is
 * written twice. Control characters would end the line: spaces.
 */
static void put_quoted(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s; s++) {
		if (*s == '\'')
			fputc('\'', f);
		fputc((unsigned char)*s < 0x20 || *s == 0x7f ? ' ' : *s, f);
	}
	fputc('\'', f);
}

void plot_data_label(FILE *f, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	/* A data file's string column ends at a double quote or a line end. */
	fputc('"', f);
	for (const char *p = buf; *p; p++)
		fputc(*p == '"'				     ? '\'' :
		      (unsigned char)*p < 0x20 || *p == 0x7f ? ' ' :
							       *p,
		      f);
	fputc('"', f);
}

/*
 * The provenance line, in two when it would run off the figure: a set's
 * kernel and machine each add to it, and a fleet's four or more sets
 * outgrow the width. The method goes to the second line (footer2).
 */
#define FOOTER_ONE_LINE 220 /* characters the 1400-pixel figures show */

static void footer(struct plot_fig *f, const char *text)
{
	const char *method = strstr(text, " | method: ");
	char first[sizeof(((struct plot_ctx *)0)->footer)];

	if (strlen(text) <= FOOTER_ONE_LINE || !method) {
		plot_set_str(f, "footer", text);
		plot_set_str(f, "footer2", "");
		return;
	}
	snprintf(first, sizeof(first), "%.*s", (int)(method - text), text);
	plot_set_str(f, "footer", first);
	plot_set_str(f, "footer2", method + 3);
}

int plot_fig_open(struct plot_ctx *c, struct plot_fig *f, const char *name)
{
	memset(f, 0, sizeof(*f));
	plot_safe_name(name, f->name, sizeof(f->name));
	snprintf(f->data_path, sizeof(f->data_path), "%s/%u.dat", c->tmpdir,
		 c->figures);
	snprintf(f->params_path, sizeof(f->params_path), "%s/%u.gp", c->tmpdir,
		 c->figures);
	f->data = fopen(f->data_path, "w");
	f->params = fopen(f->params_path, "w");
	if (!f->data || !f->params) {
		snprintf(c->err, sizeof(c->err), "%s: %s", c->tmpdir,
			 strerror(errno));
		plot_fig_discard(f);
		return -1;
	}
	plot_set_str(f, "plot_dir", c->tpl_dir);
	plot_set_str(f, "datafile", f->data_path);
	footer(f, c->footer);
	fprintf(f->params, "fig_w = 1400\nfig_h = 620\n");
	return 0;
}

void plot_set_str(struct plot_fig *f, const char *var, const char *val)
{
	fprintf(f->params, "%s = ", var);
	put_quoted(f->params, val);
	fputc('\n', f->params);
}

/* Colour-blind-safe colours for memory sources; dashes and points for sets. */
static const char *const colours[] = { "#0072B2", "#D55E00", "#009E73",
				       "#CC79A7", "#E69F00", "#56B4E9",
				       "#000000", "#7F3C8D", "#999933",
				       "#882255" };
static const int dashes[] = { 1, 2, 4, 5, 3 };
static const int points[] = { 7, 5, 9, 11, 13 };

void plot_series(struct plot_fig *f, const char *title, unsigned colour,
		 unsigned dash)
{
	f->nseries++;
	fprintf(f->params,
		"set style line %u lc rgb \"%s\" dt %d pt %d ps 0.9 lw 2\n",
		f->nseries,
		colours[colour % (sizeof(colours) / sizeof(colours[0]))],
		dashes[dash % (sizeof(dashes) / sizeof(dashes[0]))],
		points[dash % (sizeof(points) / sizeof(points[0]))]);
	fprintf(f->params, "series_%u = ", f->nseries);
	put_quoted(f->params, title);
	fputc('\n', f->params);
}

void plot_series_rgb(struct plot_fig *f, const char *title, const char *rgb)
{
	f->nseries++;
	fprintf(f->params, "set style line %u lc rgb \"%s\" dt 1 pt 7 lw 2\n",
		f->nseries, rgb);
	fprintf(f->params, "series_%u = ", f->nseries);
	put_quoted(f->params, title);
	fputc('\n', f->params);
}

int plot_fig_draw(struct plot_ctx *c, struct plot_fig *f, const char *tpl)
{
	static const struct {
		unsigned bit;
		const char *term, *ext;
	} fmts[] = { { PLOT_PNG, "pngcairo", "png" },
		     { PLOT_SVG, "svg", "svg" } };
	char tpl_path[PATH_MAX], out[PATH_MAX], tmp[PATH_MAX + 16];
	char setup[PATH_MAX + 160];
	int rc = 0;

	fprintf(f->params, "nseries = %u\narray series[%u]\n", f->nseries,
		f->nseries ? f->nseries : 1);
	for (unsigned i = 1; i <= f->nseries; i++)
		fprintf(f->params, "series[%u] = series_%u\n", i, i);
	/*
	 * A write that failed earlier (a full /tmp) may have dropped its
	 * buffer and left fclose nothing to fail on: the error flag tells,
	 * or gnuplot would draw a figure, whole to look at, from half the
	 * data.
	 */
	errno = EIO;
	if (ferror(f->data) | ferror(f->params) | fclose(f->data) |
	    fclose(f->params)) {
		f->data = f->params = NULL;
		snprintf(c->err, sizeof(c->err),
			 "cannot write the data of %s in %s: %s", f->name,
			 c->tmpdir, strerror(errno));
		return -1;
	}
	f->data = f->params = NULL;
	snprintf(tpl_path, sizeof(tpl_path), "%s/%s.gp", c->tpl_dir, tpl);
	if (access(tpl_path, R_OK)) {
		snprintf(c->err, sizeof(c->err),
			 "%.500s: %s (expected mrbench's template)", tpl_path,
			 strerror(errno));
		return -1;
	}
	c->figures++;
	for (size_t i = 0; i < 2 && !rc; i++) {
		char *q;
		size_t len;
		FILE *m;

		if (!(c->formats & fmts[i].bit))
			continue;
		snprintf(out, sizeof(out), "%s/%s.%s", c->outdir, f->name,
			 fmts[i].ext);
		if (measure_stop || plot_tmp_out(c, out, tmp, sizeof(tmp)))
			return -1;
		m = open_memstream(&q, &len);
		if (!m)
			return snprintf(c->err, sizeof(c->err),
					"out of memory"),
			       -1;
		fprintf(m, "term_name = \"%s\"; outfile = ", fmts[i].term);
		put_quoted(m, tmp);
		fclose(m);
		snprintf(setup, sizeof(setup), "%s", q);
		free(q);
		/* The figure of an earlier plot stays until this one is whole. */
		rc = plot_run_gnuplot(c, setup, f->params_path, tpl_path, out);
		if (rc) {
			restore_discard(tmp);
		} else if (!(rc = plot_publish(c, tmp, out, fmts[i].ext))) {
			printf("%s\n", out);
			c->files++;
		}
	}
	/* On the index page only when every format was published. */
	if (!rc) {
		c->drawn =
			xrealloc(c->drawn, (c->ndrawn + 1) * sizeof(*c->drawn));
		c->drawn[c->ndrawn++] = xstrdup(f->name);
	}
	return rc;
}

void plot_fig_discard(struct plot_fig *f)
{
	if (f->data)
		fclose(f->data);
	if (f->params)
		fclose(f->params);
	f->data = f->params = NULL;
}
