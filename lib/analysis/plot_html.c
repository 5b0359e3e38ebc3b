// SPDX-License-Identifier: GPL-2.0
/*
 * index.html beside the figures: a static page a person opens first,
 * with where and how the sets were measured, each set's cells, the
 * verdicts that did not come true, and every figure drawn. Every string
 * from a record goes through html_text: result sets travel between
 * people, and a memory source named "<script>" must stay text.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analysis/plot.h"
#include "cli/size.h"

#define SUMMARY_MAX (1u << 20) /* bytes of summary.txt shown */

static void html_text(FILE *f, const char *s)
{
	for (; s && *s; s++)
		switch (*s) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\'':
			fputs("&#39;", f);
			break;
		default:
			fputc(*s, f);
		}
}

/* <td>text</td>, escaped. */
static void td(FILE *f, const char *s)
{
	fputs("<td>", f);
	html_text(f, s ? s : "");
	fputs("</td>", f);
}

static void td_us(FILE *f, double ns)
{
	if (isfinite(ns))
		fprintf(f, "<td class=n>%.2f</td>", ns / 1000);
	else
		fputs("<td class=n>-</td>", f);
}

static void provenance(FILE *f, const struct plot_ctx *c)
{
	fputs("<h2>Provenance</h2>\n<p class=prov>", f);
	html_text(f, c->footer);
	fputs("</p>\n<table>\n<tr><th>set</th><th>kernel</th><th>machine</th>"
	      "<th>emulation</th><th>first record</th><th>runs</th>"
	      "<th>cells</th><th>provider</th></tr>\n",
	      f);
	for (size_t i = 0; i < c->nsets; i++) {
		const struct results_set *s = &c->sets[i];
		char n[32];

		fputs("<tr>", f);
		td(f, s->path);
		td(f, s->kernel);
		td(f, s->host);
		td(f, s->emulation);
		td(f, s->time);
		snprintf(n, sizeof(n), "%zu", s->nruns ? s->nruns : 1);
		td(f, n);
		snprintf(n, sizeof(n), "%zu", s->n);
		td(f, n);
		td(f, s->prov.v[PROV_PROVIDER]);
		fputs("</tr>\n", f);
	}
	fputs("</table>\n", f);
}

/* summary.txt of a set directory, as mrbench run wrote it. */
static void summary_txt(FILE *f, const struct results_set *s)
{
	char path[PATH_MAX], *buf;
	size_t n;
	FILE *in;

	snprintf(path, sizeof(path), "%.4000s/summary.txt", s->path);
	in = fopen(path, "r");
	if (!in)
		return;
	buf = malloc(SUMMARY_MAX + 1);
	n = buf ? fread(buf, 1, SUMMARY_MAX, in) : 0;
	fclose(in);
	if (!buf)
		return;
	buf[n] = '\0';
	fputs("<details><summary>summary.txt</summary><pre>", f);
	html_text(f, buf);
	fputs("</pre></details>\n", f);
	free(buf);
}

static void cells(FILE *f, const struct plot_ctx *c)
{
	fputs("<h2>Summary</h2>\n", f);
	for (size_t i = 0; i < c->nsets; i++) {
		const struct results_set *s = &c->sets[i];

		fputs("<h3>", f);
		html_text(f, c->labels[i]);
		fputs(" (", f);
		html_text(f, s->path);
		fputs(")</h3>\n", f);
		summary_txt(f, s);
		fputs("<table>\n<tr><th>bench</th><th>memory</th><th>registrar"
		      "</th><th>size</th><th>access</th><th>prefault</th>"
		      "<th>case</th><th>outcome</th><th>reg p50 (µs)</th>"
		      "<th>dereg p50 (µs)</th><th>note</th></tr>\n",
		      f);
		for (size_t j = 0; j < s->n; j++) {
			const struct results_cell *cell = &s->cells[j];
			char size[16];

			size_format(cell->size, size, sizeof(size));
			fprintf(f, "<tr%s>",
				cell->unexpected ? " class=bad" : "");
			td(f, cell->bench);
			td(f, cell->mem_label);
			td(f, cell->reg);
			td(f, size);
			td(f, cell->access);
			td(f, cell->prefault ? "yes" : "no");
			td(f, cell->scenario);
			td(f, results_outcome(cell));
			td_us(f,
			      cell->status == RES_OK ? cell->op[0].p50 : NAN);
			td_us(f, cell->status == RES_OK && cell->nops > 1 ?
					 cell->op[1].p50 :
					 NAN);
			td(f, cell->reason);
			fputs("</tr>\n", f);
		}
		fputs("</table>\n", f);
	}
}

static void verdicts(FILE *f, const struct plot_ctx *c)
{
	size_t n = 0;

	fputs("<h2>Verdicts that did not come true</h2>\n<ul>\n", f);
	for (size_t i = 0; i < c->nsets; i++)
		for (size_t j = 0; j < c->sets[i].n; j++) {
			const struct results_cell *cell = &c->sets[i].cells[j];

			if (!cell->unexpected)
				continue;
			n++;
			fputs("<li>", f);
			html_text(f, c->labels[i]);
			fputs(": ", f);
			html_text(f, cell->key);
			fputs(": expected ", f);
			html_text(f, cell->expected ? cell->expected : "?");
			fputs(", got ", f);
			html_text(f, cell->outcomes ? cell->outcomes :
						      results_outcome(cell));
			fputs("</li>\n", f);
		}
	if (!n)
		fputs("<li>none: every cell with a verdict came out as the "
		      "kernel's rules say</li>\n",
		      f);
	fputs("</ul>\n", f);
}

/* The figures: SVG shown when drawn (it scales), else PNG; both linked. */
static void figures(FILE *f, const struct plot_ctx *c, const char *prefix)
{
	const char *ext = c->formats & PLOT_SVG ? "svg" : "png";

	fputs("<h2>Figures</h2>\n", f);
	if (c->no_gnuplot)
		fputs("<p>None: gnuplot could not be run here. Draw them "
		      "with <code>mrbench plot</code> where it is installed."
		      "</p>\n",
		      f);
	else if (!c->ndrawn)
		fputs("<p>None: no cell was timed.</p>\n", f);
	for (size_t i = 0; i < c->ndrawn; i++) {
		const char *name = c->drawn[i];

		fputs("<figure id=\"", f);
		html_text(f, name);
		fputs("\"><img src=\"", f);
		html_text(f, prefix);
		html_text(f, name);
		fprintf(f, ".%s\" alt=\"", ext);
		html_text(f, name);
		fputs("\"><figcaption>", f);
		html_text(f, name);
		for (int e = 0; e < 2; e++) {
			if (!(c->formats & (e ? PLOT_SVG : PLOT_PNG)))
				continue;
			fputs(" <a href=\"", f);
			html_text(f, prefix);
			html_text(f, name);
			fprintf(f, ".%s\">%s</a>", e ? "svg" : "png",
				e ? "SVG" : "PNG");
		}
		fputs("</figcaption></figure>\n", f);
	}
}

static const char style[] =
	"body{font-family:sans-serif;margin:1em 2em;color:#222}"
	"table{border-collapse:collapse;font-size:85%;margin-bottom:1em}"
	"td,th{border:1px solid #ccc;padding:2px 6px;text-align:left}"
	"td.n{text-align:right}tr.bad{background:#fdd}"
	".prov{color:#555;font-size:90%}"
	"figure{margin:1em 0}img{max-width:100%;border:1px solid #eee}"
	"details{margin-bottom:.5em}";

int plot_html(struct plot_ctx *c, const char *path, const char *prefix)
{
	char tmp[PATH_MAX + 16];
	FILE *f;
	int fd;

	snprintf(tmp, sizeof(tmp), "%.4000s.XXXXXX", path);
	fd = mkstemp(tmp);
	if (fd < 0 || fchmod(fd, 0644) || !(f = fdopen(fd, "w"))) {
		snprintf(c->err, sizeof(c->err), "cannot write %.900s: %s",
			 path, strerror(errno));
		if (fd >= 0)
			close(fd), unlink(tmp);
		return -1;
	}
	fputs("<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>"
	      "<title>mrbench: ",
	      f);
	for (size_t i = 0; i < c->nsets; i++) {
		html_text(f, i ? ", " : "");
		html_text(f, c->labels[i]);
	}
	fprintf(f,
		"</title><style>%s</style></head><body>\n<h1>mrbench: ", style);
	for (size_t i = 0; i < c->nsets; i++) {
		html_text(f, i ? ", " : "");
		html_text(f, c->labels[i]);
	}
	fputs("</h1>\n", f);
	provenance(f, c);
	verdicts(f, c);
	figures(f, c, prefix);
	cells(f, c);
	fputs("</body></html>\n", f);
	errno = EIO;
	if (ferror(f) | fflush(f) | fsync(fileno(f)) | fclose(f) ||
	    rename(tmp, path)) {
		snprintf(c->err, sizeof(c->err), "cannot write %.900s: %s",
			 path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}
