// SPDX-License-Identifier: GPL-2.0
/*
 * The typed option rows: one parser per kind of value, so that every
 * program takes a count, a duration or a list the same way and says the
 * same thing about a bad one: "invalid WHAT 'ARG': expected ...".
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cli/opt.h"
#include "cli/size.h"

static void *at(const struct opt *o, void *owner)
{
	return (char *)owner + o->off;
}

static int bad(const struct opt *o, const char *arg, const char *expected,
	       char *err, size_t errlen)
{
	snprintf(err, errlen, "invalid %s '%s': expected %s", o->what, arg,
		 expected);
	return -1;
}

static int set_uint(const struct opt *o, void *owner, const char *arg,
		    char *err, size_t errlen)
{
	char expected[64], *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (errno || end == arg || *end || arg[0] == '-' || v < o->lo ||
	    v > o->hi) {
		snprintf(expected, sizeof(expected),
			 "a whole number from %u to %u", o->lo, o->hi);
		return bad(o, arg, expected, err, errlen);
	}
	*(unsigned *)at(o, owner) = (unsigned)v;
	return 0;
}

static int set_double(const struct opt *o, void *owner, const char *arg,
		      double hi, const char *suffix, const char *expected,
		      char *err, size_t errlen)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (errno || end == arg || (*end && (!suffix || strcmp(end, suffix))) ||
	    !(v >= 0 && v <= hi))
		return bad(o, arg, expected, err, errlen);
	*(double *)at(o, owner) = o->type == OPT_PERCENT ? v / 100 : v;
	return 0;
}

static int index_of(const char *const *names, const char *s, size_t len)
{
	for (int i = 0; names[i]; i++)
		if (strlen(names[i]) == len && !strncmp(names[i], s, len))
			return i;
	return -1;
}

/* "a or b" / "a, b or c", for the error. */
static void name_list(const char *const *names, char *buf, size_t len)
{
	size_t n = 0, used = 0;

	while (names[n])
		n++;
	buf[0] = '\0';
	for (size_t i = 0; i < n && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
					 i == 0	    ? "" :
					 i == n - 1 ? " or " :
						      ", ",
					 names[i]);
}

static int set_choice(const struct opt *o, void *owner, const char *arg,
		      char *err, size_t errlen)
{
	int i = index_of(o->names, arg, strlen(arg));
	char expected[256];

	if (i < 0) {
		name_list(o->names, expected, sizeof(expected));
		return bad(o, arg, expected, err, errlen);
	}
	*(int *)at(o, owner) = i;
	return 0;
}

/* "a,c": those set, the others cleared; at least one. */
static int set_names(const struct opt *o, void *owner, const char *arg,
		     char *err, size_t errlen)
{
	bool *flags = at(o, owner), any = false;
	char expected[256];
	size_t n = 0;

	while (o->names[n])
		n++;
	memset(flags, 0, n * sizeof(*flags));
	for (const char *p = arg;; p++) {
		size_t len = strcspn(p, ",");
		int i = index_of(o->names, p, len);

		if (i < 0) {
			name_list(o->names, expected, sizeof(expected));
			snprintf(err, errlen, "invalid %s '%.*s': expected %s",
				 o->what, (int)len, p, expected);
			return -1;
		}
		flags[i] = any = true;
		p += len;
		if (!*p)
			break;
	}
	return any ? 0 : -1;
}

int opt_set_typed(const struct opt *o, void *owner, const char *arg, char *err,
		  size_t errlen)
{
	switch (o->type) {
	case OPT_FN:
		return o->set(owner, arg, err, errlen);
	case OPT_FLAG:
		*(bool *)at(o, owner) = true;
		return 0;
	case OPT_UINT:
		return set_uint(o, owner, arg, err, errlen);
	case OPT_SECONDS:
		return set_double(o, owner, arg, 86400, NULL,
				  "seconds from 0 to 86400", err, errlen);
	case OPT_PERCENT:
		return set_double(o, owner, arg, 100, "%",
				  "a percentage from 0 (off) to 100", err,
				  errlen);
	case OPT_SIZES:
		size_list_free(at(o, owner));
		return size_list_parse(arg, at(o, owner), err, errlen);
	case OPT_STR:
		*(const char **)at(o, owner) = arg;
		return 0;
	case OPT_CHOICE:
		return set_choice(o, owner, arg, err, errlen);
	case OPT_NAMES:
		return set_names(o, owner, arg, err, errlen);
	}
	return -1;
}
