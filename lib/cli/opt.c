// SPDX-License-Identifier: GPL-2.0
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli/opt.h"

#define OPT_MAX 128
#define LONG_BASE 256

struct opt_ref {
	const struct opt *o;
	void *owner;
	const char *group;
};

static size_t collect(const struct opt_group *groups, struct opt_ref *refs)
{
	size_t n = 0;

	for (const struct opt_group *g = groups; g->title; g++)
		for (const struct opt *o = g->opts; o->name && n < OPT_MAX;
		     o++)
			refs[n++] = (struct opt_ref){ o, g->owner, g->title };
	return n;
}

/*
 * Two groups that declare the same option would each think it theirs
 * and getopt would hand it to the first: a program's mistake, said at
 * start-up whatever the command line.
 */
static int collision(const struct opt_ref *refs, size_t n, char *err,
		     size_t errlen)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++) {
			const struct opt *a = refs[i].o, *b = refs[j].o;

			if (a->key && a->key == b->key)
				snprintf(err, errlen,
					 "option -%c is declared twice: --%s (%s) and --%s (%s)",
					 a->key, a->name, refs[i].group,
					 b->name, refs[j].group);
			else if (!strcmp(a->name, b->name))
				snprintf(err, errlen,
					 "option --%s is declared twice: in %s and in %s",
					 a->name, refs[i].group, refs[j].group);
			else
				continue;
			return -1;
		}
	return 0;
}

static int has_arg(const struct opt *o)
{
	if (!o->arg)
		return no_argument;
	return o->arg[0] == '[' ? optional_argument : required_argument;
}

/*
 * Short options that perftest users type from habit and that mean
 * something else there: mrbench declares none of them (its own -s, -n,
 * -d, -i, -x mean what perftest's do), and says what to use instead
 * rather than a bare "unknown option".
 */
static const char *perftest_hint(int c)
{
	switch (c) {
	case 't':
		return "perftest's TX depth has no meaning here; threads are --threads N";
	case 'a':
		return "perftest's all sizes is -s 2..8M (a range); access flags are --access";
	case 'F':
		return "mrbench never fails on CPU frequency scaling, it warns; the full suite is --full";
	default:
		return NULL;
	}
}

int opt_parse(int argc, char **argv, const struct opt_group *groups,
	      char *err, size_t errlen)
{
	struct opt_ref refs[OPT_MAX];
	struct option longopts[OPT_MAX + 1];
	char shortopts[3 * OPT_MAX + 2] = "+:";
	size_t n = collect(groups, refs), sl = 2;
	int c, idx;

	if (collision(refs, n, err, errlen))
		return -1;
	for (size_t i = 0; i < n; i++) {
		longopts[i] = (struct option){ refs[i].o->name,
					       has_arg(refs[i].o), NULL,
					       LONG_BASE + (int)i };
		if (refs[i].o->key) {
			shortopts[sl++] = (char)refs[i].o->key;
			if (has_arg(refs[i].o) != no_argument)
				shortopts[sl++] = ':';
		}
	}
	shortopts[sl] = '\0';
	memset(&longopts[n], 0, sizeof(longopts[n]));

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		if (c == '?' || c == ':') {
			const char *bad = argv[optind - 1];

			if (c == '?' && optopt && optopt < LONG_BASE &&
			    perftest_hint(optopt))
				snprintf(err, errlen,
					 "unknown option '-%c': %s", optopt,
					 perftest_hint(optopt));
			else if (c == '?' && optopt && optopt < LONG_BASE)
				snprintf(err, errlen, "unknown option '-%c'",
					 optopt);
			else if (c == '?')
				snprintf(err, errlen, "unknown option '%s'",
					 bad);
			else
				snprintf(err, errlen, "option '%s' needs a value",
					 bad);
			return -1;
		}
		idx = -1;
		if (c >= LONG_BASE)
			idx = c - LONG_BASE;
		else
			for (size_t i = 0; i < n; i++)
				if (refs[i].o->key == c)
					idx = (int)i;
		if (idx < 0 || (refs[idx].o->type == OPT_FN && !refs[idx].o->set))
			continue;
		if (opt_set_typed(refs[idx].o, refs[idx].owner, optarg, err,
				  errlen))
			return -1;
	}
	return optind;
}

void opt_help(FILE *f, const struct opt_group *groups)
{
	char lhs[64];

	for (const struct opt_group *g = groups; g->title; g++) {
		fprintf(f, "\n%s:\n", g->title);
		for (const struct opt *o = g->opts; o->name; o++) {
			int len = 0;

			if (o->key)
				len = snprintf(lhs, sizeof(lhs), "-%c, ", o->key);
			else
				len = snprintf(lhs, sizeof(lhs), "    ");
			if (!o->arg)
				snprintf(lhs + len, sizeof(lhs) - (size_t)len,
					 "--%s", o->name);
			else if (o->arg[0] == '[')
				snprintf(lhs + len, sizeof(lhs) - (size_t)len,
					 "--%s[=%.*s]", o->name,
					 (int)strlen(o->arg) - 2, o->arg + 1);
			else
				snprintf(lhs + len, sizeof(lhs) - (size_t)len,
					 "--%s %s", o->name, o->arg);
			fprintf(f, "  %-26s %s\n", lhs, o->help);
		}
	}
}
