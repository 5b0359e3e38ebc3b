// SPDX-License-Identifier: GPL-2.0
/*
 * mrbench plot: gnuplot figures from one or more result sets. The data
 * files are written here, in C, from the same reader compare uses, so a
 * set compare accepts is a set plot accepts and a bad one is refused with
 * the same one-line message; gnuplot only draws (scripts/plot/).
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/xalloc.h"
#include "cli/cli.h"
#include "cli/execdir.h"
#include "measure/measure.h"
#include "cli/opt.h"
#include "analysis/plot.h"
#include "results/phases.h"

#define MAX_SETS 16

struct plot_opts {
	const char *outdir;
	const char *html; /* the index page, else OUTDIR/index.html */
	unsigned formats;
};

static const char usage_text[] =
	"usage: mrbench plot [OPTIONS] SET...\n"
	"Draw figures (PNG and SVG, with gnuplot) from result sets: results/<run-id>/\n"
	"directories or .jsonl files. The files written are listed on stdout.\n";

static int set_out(void *o, const char *arg, char *err, size_t errlen)
{
	if (!*arg) {
		snprintf(
			err, errlen,
			"invalid output directory '': expected a directory name");
		return -1;
	}
	((struct plot_opts *)o)->outdir = arg;
	return 0;
}

static int set_formats(void *o, const char *arg, char *err, size_t errlen)
{
	struct plot_opts *p = o;
	char *list = xstrdup(arg), *save = NULL;

	p->formats = 0;
	for (char *t = strtok_r(list, ",", &save); t;
	     t = strtok_r(NULL, ",", &save)) {
		if (!strcmp(t, "png"))
			p->formats |= PLOT_PNG;
		else if (!strcmp(t, "svg"))
			p->formats |= PLOT_SVG;
		else {
			snprintf(
				err, errlen,
				"invalid format '%s': expected png, svg or png,svg",
				t);
			free(list);
			return -1;
		}
	}
	free(list);
	if (!p->formats) {
		snprintf(err, errlen,
			 "invalid format '%s': expected png, svg or png,svg",
			 arg);
		return -1;
	}
	return 0;
}

static int set_html(void *o, const char *arg, char *err, size_t errlen)
{
	if (!*arg) {
		snprintf(err, errlen,
			 "invalid index page '': expected a file name");
		return -1;
	}
	((struct plot_opts *)o)->html = arg;
	return 0;
}

static const struct opt plot_opt_table[] = {
	OPT_SET("output", 'o', "DIR",
		"write the figures into DIR (SET/plots for one set directory, else plots)",
		set_out),
	OPT_SET("format", 'f', "LIST", "png, svg or png,svg (png,svg)",
		set_formats),
	OPT_SET("html", 0, "FILE",
		"write the index page to FILE (DIR/index.html)", set_html),
	OPT_END,
};

/* Options anywhere among the sets (opt_parse stops at an operand). */
static size_t parse_args(int argc, char **argv, const struct opt_group *groups,
			 const char **sets)
{
	size_t n = 0;
	int base = 0;
	char err[512];

	for (;;) {
		int idx = opt_parse(argc - base, argv + base, groups, err,
				    sizeof(err));
		bool dashdash;

		if (idx < 0)
			cli_die(EXIT_USAGE, "%s", err);
		dashdash = idx > 1 && !strcmp(argv[base + idx - 1], "--");
		base += idx;
		for (; base < argc; base++) {
			if (n == MAX_SETS)
				cli_die(EXIT_USAGE,
					"too many result sets: expected at most %d",
					MAX_SETS);
			sets[n++] = argv[base];
			if (!dashdash)
				break;
		}
		if (base >= argc)
			break;
	}
	if (!n)
		cli_die(EXIT_USAGE,
			"expected at least one result set (a directory or a .jsonl file): see 'mrbench plot --help'");
	return n;
}

static void default_outdir(struct plot_opts *o, const char *first, size_t nsets,
			   char **owned)
{
	struct stat st;

	*owned = NULL;
	if (o->outdir)
		return;
	if (nsets == 1 && !stat(first, &st) && S_ISDIR(st.st_mode) &&
	    asprintf(owned, "%s/plots", first) >= 0)
		o->outdir = *owned;
	else
		o->outdir = "plots";
}

static void remove_tmpdir(const char *dir)
{
	char path[PATH_MAX];

	for (unsigned i = 0; i < 1000; i++) {
		snprintf(path, sizeof(path), "%s/%u.dat", dir, i);
		if (unlink(path) && errno == ENOENT)
			break;
		snprintf(path, sizeof(path), "%s/%u.gp", dir, i);
		unlink(path);
	}
	rmdir(dir);
}

/* Scratch files go under TMPDIR, in a folder of their own. */
static void make_tmpdir(struct plot_ctx *c)
{
	const char *tmp = getenv("TMPDIR");

	if (!tmp || !*tmp)
		tmp = "/tmp";
	if (snprintf(c->tmpdir, sizeof(c->tmpdir), "%s/mrbench-plot.XXXXXX",
		     tmp) >= (int)sizeof(c->tmpdir))
		cli_die(EXIT_USAGE,
			"invalid TMPDIR '%.64s...': longer than %zu bytes", tmp,
			sizeof(c->tmpdir) - 20);
	if (!mkdtemp(c->tmpdir))
		cli_die(EXIT_RUN_ERROR,
			"cannot create a temporary directory: %s",
			strerror(errno));
}

/* How the figures ended: the list of files is the output, and one that
 * did not arrive, or none at all, fails. */
static void check_end(const struct plot_ctx *c, int rc, const char *what)
{
	if (measure_stop)
		cli_die(128 + measure_stop,
			"interrupted: the figures listed are whole, no other was kept");
	if (rc)
		cli_die(EXIT_RUN_ERROR, "%s", c->err);
	if (!c->files)
		cli_die(EXIT_RUN_ERROR,
			"nothing to plot: no cell was timed in %s", what);
	errno = 0;
	if (fflush(stdout) || ferror(stdout))
		cli_die(EXIT_RUN_ERROR, "cannot write to standard output: %s",
			strerror(errno ? errno : EIO));
}

static void prepare(struct plot_ctx *c, struct plot_opts *o,
		    const char *const *names, char **owned)
{
	char self[PATH_MAX];

	c->formats = o->formats;
	default_outdir(o, names[0], c->nsets, owned);
	c->outdir = o->outdir;
	if (exec_dir(self, sizeof(self)))
		self[0] = '\0';
	if (plot_find_templates(c, self))
		cli_die(EXIT_RUN_ERROR, "%s", c->err);
	if (mkdir(c->outdir, 0777) && errno != EEXIST)
		cli_die(EXIT_RUN_ERROR, "cannot create '%s': %s", c->outdir,
			strerror(errno));
}

/* Every figure the sets allow, until one fails or a Ctrl-C. */
static int draw_all(struct plot_ctx *c)
{
	typedef int figure(struct plot_ctx *);
	static figure *const figures[] = { plot_vs_size, plot_cdf,
					   plot_migrate, plot_fault,
					   plot_compare, plot_breakdown };
	int rc = 0;

	for (size_t i = 0;
	     i < sizeof(figures) / sizeof(figures[0]) && !rc && !measure_stop;
	     i++)
		rc = figures[i](c);
	return rc;
}

/*
 * The index page: OUTDIR/index.html, or --html FILE with the figures
 * named relative to FILE's directory when OUTDIR is under it (mrbench
 * run puts the page beside summary.txt, the figures in plots/), else by
 * their absolute path.
 */
static void write_index(struct plot_ctx *c, const struct plot_opts *o)
{
	char path[PATH_MAX], dir[PATH_MAX], rdir[PATH_MAX], rout[PATH_MAX];
	char prefix[PATH_MAX + 1] = "";
	char *slash;
	size_t n;

	if (o->html)
		snprintf(path, sizeof(path), "%s", o->html);
	else
		snprintf(path, sizeof(path), "%.4000s/index.html", c->outdir);
	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	else
		snprintf(dir, sizeof(dir), ".");
	if (!realpath(*dir ? dir : "/", rdir) || !realpath(c->outdir, rout))
		cli_die(EXIT_RUN_ERROR, "cannot write %s: %s", path,
			strerror(errno));
	n = strlen(rdir);
	if (!strcmp(rout, rdir))
		prefix[0] = '\0';
	else if (!strncmp(rout, rdir, n) && rout[n] == '/')
		snprintf(prefix, sizeof(prefix), "%s/", rout + n + 1);
	else
		snprintf(prefix, sizeof(prefix), "%s/", rout);
	if (plot_html(c, path, prefix))
		cli_die(EXIT_RUN_ERROR, "%s", c->err);
	printf("%s\n", path);
	errno = 0;
	if (fflush(stdout) || ferror(stdout))
		cli_die(EXIT_RUN_ERROR, "cannot write to standard output: %s",
			strerror(errno ? errno : EIO));
}

static void load(struct plot_ctx *c, const char *const *names)
{
	char err[1024];

	for (size_t i = 0; i < c->nsets; i++)
		if (results_load(names[i], &c->sets[i], err, sizeof(err)) ||
		    results_phases_load(&c->sets[i], &c->phases[i], err,
					sizeof(err)))
			cli_die(EXIT_USAGE, "%s", err);
}

int main(int argc, char **argv)
{
	struct plot_opts o = { .formats = PLOT_PNG | PLOT_SVG };
	const struct opt_group groups[] = { { "Options", plot_opt_table, &o },
					    { "Other", cli_opt_table, NULL },
					    { NULL } };
	struct results_set sets[MAX_SETS];
	struct results_phases phases[MAX_SETS];
	char *labels[MAX_SETS] = { 0 }, *owned;
	const char *names[MAX_SETS];
	struct plot_ctx c = { .sets = sets,
			      .labels = labels,
			      .phases = phases };
	int rc;

	cli_init("mrbench-plot");
	cli_set_help(usage_text, groups);
	c.nsets = parse_args(argc, argv, groups, names);
	load(&c, names);
	prepare(&c, &o, names, &owned);
	/* From here a first Ctrl-C kills gnuplot, and the scratch files
	 * and the figure in the making are removed. */
	cli_catch_signals();
	make_tmpdir(&c);
	plot_label_sets(&c);
	plot_provenance(&c);
	rc = draw_all(&c);
	remove_tmpdir(c.tmpdir);
	/*
	 * The page is worth having without figures too: a guest without
	 * gnuplot still gets its provenance, verdicts and cells. Not after
	 * an interruption or another failure (a full disk).
	 */
	if (!measure_stop && (!rc || c.no_gnuplot))
		write_index(&c, &o);
	check_end(&c, rc, c.nsets == 1 ? names[0] : "these sets");
	for (size_t i = 0; i < c.nsets; i++) {
		free(labels[i]);
		results_free(&sets[i]);
		results_phases_free(&phases[i]);
	}
	for (size_t i = 0; i < c.ndrawn; i++)
		free(c.drawn[i]);
	free(c.drawn);
	free(owned);
	return 0;
}
