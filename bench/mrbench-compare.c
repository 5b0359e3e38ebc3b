// SPDX-License-Identifier: GPL-2.0
/*
 * mrbench compare: two result sets side by side, run by run. Ratios with
 * rank-test intervals over the runs, verdicts the intervals support,
 * changed outcomes, and a gate for CI and bisection.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
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
	"usage: mrbench compare [OPTIONS] A B\n"
	"Compare two result sets (results/<run-id>/ directories or .jsonl files),\n"
	"with the run as the unit: per figure, B/A and its 95% interval from a rank\n"
	"test on the runs' medians; the cells whose outcome changed; a count of the\n"
	"rest. Exit status: 0, or 1 with --fail-on when a figure got slower by more\n"
	"than PCT with confidence or a behaviour changed; 2 bad input; 3 write error.\n";

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

/*
 * Options may come before, between or after the two sets: parse, take an
 * operand, parse again from there (opt_parse stops at the first operand).
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
		if (nsets == 2)
			cli_die(EXIT_USAGE,
				"unexpected argument '%s': expected two result sets",
				argv[base]);
		/* After "--" everything is an operand. */
		if (idx > 1 && !strcmp(argv[base - 1], "--")) {
			while (base < argc && nsets < 2)
				sets[nsets++] = argv[base++];
			if (base < argc)
				cli_die(EXIT_USAGE,
					"unexpected argument '%s': expected two result sets",
					argv[base]);
			break;
		}
		sets[nsets++] = argv[base];
	}
	if (nsets != 2)
		cli_die(EXIT_USAGE,
			"expected two result sets (directories or .jsonl files), got %d: see 'mrbench compare --help'",
			nsets);
	return 0;
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
static int gate(const struct cmp_opts *o, const struct compare_result *r)
{
	size_t slower = 0;

	if (!isfinite(o->fail_on))
		return 0;
	for (size_t i = 0; i < r->ntimed; i++)
		for (unsigned k = 0; k < r->timed[i].nops; k++) {
			const struct compare_ratio *x = &r->timed[i].op[k];

			if (report_shows(&o->report, x->op) &&
			    x->verdict == CMP_SLOWER && x->lo > 1 + o->fail_on)
				slower++;
		}
	if (slower)
		cli_warn("%zu figures slower by more than %g%% with confidence",
			 slower, o->fail_on * 100);
	if (r->nchanged)
		cli_warn("%zu cells changed behaviour", r->nchanged);
	return slower || r->nchanged ? EXIT_GATE : 0;
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

/* The report, to -o FILE atomically (whole and on disk before it is
 * named) or to stdout; any failed write, even one stdio dropped, dies. */
static void write_report(const struct cmp_opts *o, const struct results_set *a,
			 const struct results_set *b,
			 const struct compare_result *r)
{
	char *tmp;
	FILE *f = open_out(o->out, &tmp);
	int rc;

	if (!f)
		cli_die(EXIT_WRITE, "cannot write '%s': %s", o->out,
			strerror(errno));
	rc = compare_report(f, &o->report, a, b, r, &o->stats);
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
static void load(const char *const sets[2], struct results_set *a,
		 struct results_set *b, struct results_phases *pa,
		 struct results_phases *pb)
{
	char err[1024];

	if (results_load(sets[0], a, err, sizeof(err)) ||
	    results_load(sets[1], b, err, sizeof(err)) ||
	    results_phases_load(a, pa, err, sizeof(err)) ||
	    results_phases_load(b, pb, err, sizeof(err)))
		cli_die(EXIT_USAGE, "%s", err);
	if (a->dupes || b->dupes)
		cli_warn(
			"%zu repeated cells in A and %zu in B: the first of each compared",
			a->dupes, b->dupes);
}

int main(int argc, char **argv)
{
	struct cmp_opts o = { .report = { .fmt = REPORT_HUMAN },
			      .fail_on = NAN };
	const struct opt_group groups[] = { { "Options", cmp_opt_table, &o },
					    { "Other", cli_opt_table, NULL },
					    { NULL } };
	struct results_set a, b;
	struct results_phases pa, pb;
	struct compare_result r;
	const char *sets[2];
	int rc;

	cli_init("mrbench-compare");
	compare_opts_init(&o.stats);
	cli_set_help(usage_text, groups);
	parse_args(argc, argv, groups, sets);
	load(sets, &a, &b, &pa, &pb);
	if (compare_sets(&a, &b, &o.stats, &r) ||
	    compare_phases(&r, &a, &pa, &b, &pb, &o.stats))
		cli_die(EXIT_WRITE, "out of memory");
	compare_provenance(&r, &a, &b);
	write_report(&o, &a, &b, &r);
	provenance(&a, &b, &r);
	rc = gate(&o, &r);
	compare_result_free(&r);
	results_phases_free(&pa);
	results_phases_free(&pb);
	results_free(&a);
	results_free(&b);
	return rc;
}
