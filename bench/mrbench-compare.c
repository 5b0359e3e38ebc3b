// SPDX-License-Identifier: GPL-2.0
/*
 * mrbench compare: two result sets side by side. Ratios of medians with
 * bootstrap intervals, verdicts the intervals support, changed outcomes
 * and the cells only one set has.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "compare_report.h"
#include "opt.h"

struct cmp_opts {
	enum report_format fmt;
	const char *out;
	struct compare_opts stats;
	unsigned ops;
};

static const char usage_text[] =
		"usage: mrbench compare [OPTIONS] A B\n"
		"Compare two result sets (results/<run-id>/ directories or .jsonl files):\n"
		"the ratio B/A of the median latencies with a 95% bootstrap interval,\n"
		"the cells whose outcome changed, and the cells only one set has.\n";

static int set_format(void *o, const char *arg, char *err, size_t errlen)
{
	struct cmp_opts *c = o;

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

static int set_threshold(void *o, const char *arg, char *err, size_t errlen)
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
			"invalid threshold '%s': expected a percentage from 0 to 100, such as 2 or 2.5%%",
			arg);
		return -1;
	}
	((struct cmp_opts *)o)->stats.threshold = v / 100;
	return 0;
}

static int set_resamples(void *o, const char *arg, char *err, size_t errlen)
{
	char *end;
	unsigned long v = strtoul(arg, &end, 10);

	if (end == arg || *end || *arg == '-' || v < 100 ||
	    v > COMPARE_MAX_RESAMPLES) {
		snprintf(err, errlen,
			 "invalid resample count '%s': expected 100 to %d", arg,
			 COMPARE_MAX_RESAMPLES);
		return -1;
	}
	((struct cmp_opts *)o)->stats.resamples = (unsigned)v;
	return 0;
}

static int set_op(void *o, const char *arg, char *err, size_t errlen)
{
	struct cmp_opts *c = o;

	if (!strcmp(arg, "reg"))
		c->ops = REPORT_OP_REG;
	else if (!strcmp(arg, "dereg"))
		c->ops = REPORT_OP_DEREG;
	else if (!strcmp(arg, "both"))
		c->ops = REPORT_OP_REG | REPORT_OP_DEREG;
	else {
		snprintf(err, errlen,
			 "invalid operation '%s': expected reg, dereg or both",
			 arg);
		return -1;
	}
	return 0;
}

static const struct opt cmp_opt_table[] = {
	{ "format", 'f', "FMT", "human, markdown or json (human)", set_format },
	{ "output", 'o', "FILE", "write the report to FILE instead of stdout",
	  set_out },
	{ "threshold", 't', "PCT",
	  "smallest change worth a verdict, in percent (2)", set_threshold },
	{ "op", 0, "OP", "operations in the table: reg, dereg or both (both)",
	  set_op },
	{ "resamples", 0, "N", "bootstrap resamples per ratio (4000)",
	  set_resamples },
	{ NULL },
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
		cli_die(EXIT_USAGE, "cannot write '%s': %s", path,
			strerror(errno));
	return fdopen(fd, "w");
}

int main(int argc, char **argv)
{
	struct cmp_opts o = { .fmt = REPORT_HUMAN,
			      .ops = REPORT_OP_REG | REPORT_OP_DEREG };
	const struct opt_group groups[] = { { "Options", cmp_opt_table, &o },
					    { "Other", cli_opt_table, NULL },
					    { NULL } };
	struct results_set a, b;
	struct compare_result r;
	const char *sets[2];
	char err[1024], *tmp;
	FILE *f;
	int rc;

	cli_init("mrbench-compare");
	compare_opts_init(&o.stats);
	cli_set_help(usage_text, groups);
	parse_args(argc, argv, groups, sets);
	if (results_load(sets[0], &a, err, sizeof(err)))
		cli_die(EXIT_USAGE, "%s", err);
	if (results_load(sets[1], &b, err, sizeof(err)))
		cli_die(EXIT_USAGE, "%s", err);
	if (a.dupes || b.dupes)
		cli_warn(
			"%zu repeated cells in A and %zu in B: the first of each compared",
			a.dupes, b.dupes);
	if (compare_sets(&a, &b, &o.stats, &r))
		cli_die(EXIT_RUN_ERROR, "out of memory");
	f = open_out(o.out, &tmp);
	if (!f)
		cli_die(EXIT_RUN_ERROR, "cannot write '%s': %s", o.out,
			strerror(errno));
	rc = compare_report(f, o.fmt, &a, &b, &r, &o.stats, o.ops);
	if (f != stdout) {
		rc |= fclose(f);
		if (!rc && rename(tmp, o.out))
			rc = -1;
		if (rc)
			unlink(tmp);
		free(tmp);
	} else {
		rc |= fflush(stdout);
	}
	if (rc)
		cli_die(EXIT_RUN_ERROR, "cannot write the report%s%s: %s",
			o.out ? " to " : "", o.out ? o.out : "",
			strerror(errno));
	compare_result_free(&r);
	results_free(&a);
	results_free(&b);
	return 0;
}
