// SPDX-License-Identifier: GPL-2.0
/*
 * mrbench compare: two result sets side by side, run by run. Ratios with
 * rank-test intervals over the runs, verdicts the intervals support,
 * changed outcomes, and a gate for CI and bisection. More than two: each
 * further set against the first, a column each (analysis/compare_many.h).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "analysis/compare_many.h"
#include "analysis/compare_phases.h"
#include "analysis/compare_report.h"
#include "cli/opt.h"

struct cmp_opts {
	struct report_opts report;
	const char *out;
	struct compare_opts stats;
	double fail_on; /* fraction; NAN: never fail on a result */
	char ops[128];
};

/* The gate: a result worth failing a CI job or a bisect step on. */
#define EXIT_GATE  1
#define EXIT_WRITE 3

static const char usage_text[] =
	"usage: mrbench compare [OPTIONS] A B [C ...]\n"
	"Compare two result sets (results/<run-id>/ directories or .jsonl files),\n"
	"with the run as the unit: per figure, B/A and its 95% interval from a rank\n"
	"test on the runs' medians; the cells whose outcome changed; a count of the\n"
	"rest. With more sets (up to 14: a fleet's hosts), each against A in one\n"
	"table, a column each. Exit status: 0, or 1 with --fail-on when a figure got\n"
	"slower by more than PCT with confidence or a behaviour changed; 2 bad\n"
	"input; 3 write error.\n";

static int set_format(void *o, const char *arg, char *err, size_t errlen)
{
	struct report_opts *c = &((struct cmp_opts *)o)->report;

	if (!strcmp(arg, "human"))
		c->fmt = REPORT_HUMAN;
	else if (!strcmp(arg, "markdown") || !strcmp(arg, "md"))
		c->fmt = REPORT_MARKDOWN;
	else if (!strcmp(arg, "json"))
		c->fmt = REPORT_JSON;
	else {
		snprintf(
			err, errlen,
			"invalid format '%s': expected human, markdown or json",
			arg);
		return -1;
	}
	return 0;
}

static int set_out(void *o, const char *arg, char *err, size_t errlen)
{
	if (!*arg) {
		snprintf(err, errlen,
			 "invalid output file '': expected a file name");
		return -1;
	}
	((struct cmp_opts *)o)->out = arg;
	return 0;
}

/* A percentage from 0 up to (not including) 100, "2" or "2.5%". */
static int percent(const char *arg, const char *what, double *out, char *err,
		   size_t errlen)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (end != arg && *end == '%')
		end++;
	if (end == arg || *end || errno || !isfinite(v) || v < 0 || v >= 100) {
		snprintf(
			err, errlen,
			"invalid %s '%s': expected a percentage from 0 to 100, such as 2 or 2.5%%",
			what, arg);
		return -1;
	}
	*out = v / 100;
	return 0;
}

static int set_threshold(void *o, const char *arg, char *err, size_t errlen)
{
	return percent(arg, "threshold",
		       &((struct cmp_opts *)o)->stats.threshold, err, errlen);
}

static int set_fail_on(void *o, const char *arg, char *err, size_t errlen)
{
	return percent(arg, "--fail-on", &((struct cmp_opts *)o)->fail_on, err,
		       errlen);
}

/* Names of figures: reg, dereg, fork, cold, ...; "both" is reg,dereg. */
static int set_op(void *o, const char *arg, char *err, size_t errlen)
{
	struct cmp_opts *c = o;
	size_t len = strlen(arg);

	if (!strcmp(arg, "all")) {
		c->report.ops = NULL;
		return 0;
	}
	if (!strcmp(arg, "both"))
		arg = "reg,dereg";
	if (!len || len + 3 > sizeof(c->ops) ||
	    strspn(arg, "abcdefghijklmnopqrstuvwxyz0123456789_-,") != len ||
	    strstr(arg, ",,") || *arg == ',' || arg[len - 1] == ',') {
		snprintf(
			err, errlen,
			"invalid figure list '%s': expected names such as reg,dereg,fork,cold, or all",
			arg);
		return -1;
	}
	snprintf(c->ops, sizeof(c->ops), ",%s,", arg);
	c->report.ops = c->ops;
	return 0;
}

static const struct opt cmp_opt_table[] = {
	OPT_SET("format", 'f', "FMT", "human, markdown or json (human)", set_format),
	OPT_SET("output", 'o', "FILE", "write the report to FILE instead of stdout", set_out),
	OPT_ROW("all", 'a', NULL, "list every figure and cell, not only the changes",
		OPT_FLAG, struct cmp_opts, report.all),
	OPT_SET("threshold", 't', "PCT", "smallest change worth a verdict, in percent (2)", set_threshold),
	OPT_SET("fail-on", 0, "PCT", "exit 1 if a figure is slower by more than PCT with confidence, or a behaviour changed", set_fail_on),
	OPT_SET("op", 0, "LIST", "figures to show: reg, dereg, fork, cold, ... or all (all)", set_op),
	OPT_END,
};

static void too_many(const char *arg)
{
	cli_die(EXIT_USAGE,
		"unexpected argument '%s': expected at most %d result sets",
		arg, COMPARE_MANY_MAX);
}

/*
 * Options may come before, between or after the sets: parse, take an
 * operand, parse again from there (opt_parse stops at the first operand).
 * Returns the number of sets.
 */
static int parse_args(int argc, char **argv, const struct opt_group *groups,
		      const char **sets)
{
	char err[512];
	int nsets = 0, base = 0;

	for (;;) {
		int idx = opt_parse(argc - base, argv + base, groups, err,
				    sizeof(err));

		if (idx < 0)
			cli_die(EXIT_USAGE, "%s", err);
		base += idx;
		if (base >= argc)
			break;
		if (nsets == COMPARE_MANY_MAX)
			too_many(argv[base]);
		/* After "--" everything is an operand. */
		if (idx > 1 && !strcmp(argv[base - 1], "--")) {
			while (base < argc && nsets < COMPARE_MANY_MAX)
				sets[nsets++] = argv[base++];
			if (base < argc)
				too_many(argv[base]);
			break;
		}
		sets[nsets++] = argv[base];
	}
	if (nsets < 2)
		cli_die(EXIT_USAGE,
			"expected two result sets or more (directories or .jsonl files), got %d: see 'mrbench compare --help'",
			nsets);
	return nsets;
}

static FILE *open_out(const char *path, char **tmp)
{
	int fd;

	*tmp = NULL;
	if (!path || !strcmp(path, "-"))
		return stdout;
	if (asprintf(tmp, "%s.tmp.XXXXXX", path) < 0 ||
	    (fd = mkstemp(*tmp)) < 0)
		cli_die(EXIT_WRITE, "cannot write '%s': %s", path,
			strerror(errno));
	return fdopen(fd, "w");
}

/*
 * What the gate trips on: a figure whose whole interval lies above
 * 1 + PCT (slower by more than PCT, with confidence), or any cell whose
 * outcome changed. Reported on stderr, one line each, so that a CI log
 * or a bisect step says why.
 */
static size_t slower_than(const struct cmp_opts *o,
			  const struct compare_result *r)
{
	size_t slower = 0;

	for (size_t i = 0; i < r->ntimed; i++)
		for (unsigned k = 0; k < r->timed[i].nops; k++) {
			const struct compare_ratio *x = &r->timed[i].op[k];

			if (report_shows(&o->report, x->op) &&
			    x->verdict == CMP_SLOWER && x->lo > 1 + o->fail_on)
				slower++;
		}
	return slower;
}

static int gate(const struct cmp_opts *o, const struct compare_result *r)
{
	size_t slower;

	if (!isfinite(o->fail_on))
		return 0;
	slower = slower_than(o, r);
	if (slower)
		cli_warn("%zu figures slower by more than %g%% with confidence",
			 slower, o->fail_on * 100);
	if (r->nchanged)
		cli_warn("%zu cells changed behaviour", r->nchanged);
	return slower || r->nchanged ? EXIT_GATE : 0;
}

/* The same, set by set: a line per set that trips it. */
static int gate_many(const struct cmp_opts *o, const struct compare_many *m)
{
	int rc = 0;

	if (!isfinite(o->fail_on))
		return 0;
	for (size_t k = 0; k < m->nsets; k++) {
		size_t slower = slower_than(o, &m->r[k]);
		const char *l = m->label[k + 1];

		if (slower)
			cli_warn(
				"%s: %zu figures slower than %s by more than %g%% with confidence",
				l, slower, m->label[0], o->fail_on * 100);
		if (m->r[k].nchanged)
			cli_warn("%s: %zu cells changed behaviour from %s", l,
				 m->r[k].nchanged, m->label[0]);
		if (slower || m->r[k].nchanged)
			rc = EXIT_GATE;
	}
	return rc;
}

/*
 * What else differs between the sets (build, libibverbs, firmware...):
 * on stderr whatever the format, one line each, after the report so
 * that a terminal shows it last; the JSON report carries it too.
 */
static void provenance(const struct results_set *a, const struct results_set *b,
		       const struct compare_result *r)
{
	char la[80], lb[80], prefix[64];

	report_labels(a, b, la, lb, sizeof(la));
	snprintf(prefix, sizeof(prefix), "%s: ", cli_prog);
	compare_prov_print(stderr, prefix, r, la, lb);
}

/* What goes in the report: two sets, or a baseline and many. */
struct what {
	const struct results_set *a, *b;
	const struct compare_result *r;
	const struct compare_many *many;
};

/* The report, to -o FILE atomically (whole and on disk before it is
 * named) or to stdout; any failed write, even one stdio dropped, dies. */
static void write_report(const struct cmp_opts *o, const struct what *w)
{
	char *tmp;
	FILE *f = open_out(o->out, &tmp);
	int rc;

	if (!f)
		cli_die(EXIT_WRITE, "cannot write '%s': %s", o->out,
			strerror(errno));
	if (w->many)
		rc = compare_many_report(f, &o->report, w->many, &o->stats);
	else
		rc = compare_report(f, &o->report, w->a, w->b, w->r, &o->stats);
	if (f != stdout) {
		errno = EIO;
		rc |= ferror(f) | fflush(f) | fsync(fileno(f));
		rc |= fclose(f);
		if (!rc && rename(tmp, o->out))
			rc = -1;
		if (rc)
			unlink(tmp);
		free(tmp);
	} else {
		rc |= fflush(stdout);
		rc |= ferror(stdout);
	}
	if (rc)
		cli_die(EXIT_WRITE, "cannot write the report%s%s: %s",
			o->out ? " to " : "", o->out ? o->out : "",
			strerror(errno));
}

/* The sets, and their records' breakdowns when they have any. */
static void load(const char *const *paths, size_t n, struct results_set *s,
		 struct results_phases *p)
{
	char err[1024];

	for (size_t i = 0; i < n; i++)
		if (results_load(paths[i], &s[i], err, sizeof(err)) ||
		    results_phases_load(&s[i], &p[i], err, sizeof(err)))
			cli_die(EXIT_USAGE, "%s", err);
	if (n == 2 && (s[0].dupes || s[1].dupes))
		cli_warn(
			"%zu repeated cells in A and %zu in B: the first of each compared",
			s[0].dupes, s[1].dupes);
	for (size_t i = 0; n > 2 && i < n; i++)
		if (s[i].dupes)
			cli_warn(
				"%zu repeated cells in %s: the first of each compared",
				s[i].dupes, paths[i]);
}

/* Each further set against the first: the report, its provenance. */
static int many(const struct cmp_opts *o, struct results_set *s,
		struct results_phases *p, size_t n)
{
	const struct results_set *sets[COMPARE_MANY_MAX];
	struct compare_many m;
	char prefix[64];
	int rc;

	for (size_t k = 1; k < n; k++)
		sets[k - 1] = &s[k];
	if (compare_many(&m, &s[0], sets, n - 1, &o->stats))
		cli_die(EXIT_WRITE, "out of memory");
	for (size_t k = 1; k < n; k++)
		if (compare_phases(&m.r[k - 1], &s[0], &p[0], &s[k], &p[k],
				   &o->stats))
			cli_die(EXIT_WRITE, "out of memory");
	write_report(o, &(struct what){ .many = &m });
	snprintf(prefix, sizeof(prefix), "%s: ", cli_prog);
	for (size_t k = 1; k < n; k++)
		compare_prov_print(stderr, prefix, &m.r[k - 1], m.label[0],
				   m.label[k]);
	rc = gate_many(o, &m);
	compare_many_free(&m);
	return rc;
}

int main(int argc, char **argv)
{
	struct cmp_opts o = { .report = { .fmt = REPORT_HUMAN },
			      .fail_on = NAN };
	const struct opt_group groups[] = { { "Options", cmp_opt_table, &o },
					    { "Other", cli_opt_table, NULL },
					    { NULL } };
	struct results_set s[COMPARE_MANY_MAX];
	struct results_phases p[COMPARE_MANY_MAX];
	struct compare_result r;
	const char *sets[COMPARE_MANY_MAX];
	int rc, n;

	cli_init("mrbench-compare");
	compare_opts_init(&o.stats);
	cli_set_help(usage_text, groups);
	n = parse_args(argc, argv, groups, sets);
	load(sets, (size_t)n, s, p);
	if (n > 2) {
		rc = many(&o, s, p, (size_t)n);
	} else {
		if (compare_sets(&s[0], &s[1], &o.stats, &r) ||
		    compare_phases(&r, &s[0], &p[0], &s[1], &p[1], &o.stats))
			cli_die(EXIT_WRITE, "out of memory");
		compare_provenance(&r, &s[0], &s[1]);
		write_report(&o, &(struct what){ &s[0], &s[1], &r, NULL });
		provenance(&s[0], &s[1], &r);
		rc = gate(&o, &r);
		compare_result_free(&r);
	}
	for (int i = 0; i < n; i++) {
		results_phases_free(&p[i]);
		results_free(&s[i]);
	}
	return rc;
}
