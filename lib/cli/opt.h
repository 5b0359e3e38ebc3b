/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_OPT_H
#define MRBENCH_OPT_H

#include <stddef.h>
#include <stdio.h>

/*
 * Options are declared in a table next to the code that owns them and
 * handed to the parser as groups; no program has one giant parser.
 *
 * Most options are typed rows: the parser stores the value at an offset
 * in the owner and checks it the same way for every program, so a bad
 * value reads the same everywhere. What no type says is a set function.
 */
enum opt_type {
	OPT_FN,	     /* set(owner, arg, ...) does it */
	OPT_FLAG,    /* bool: true */
	OPT_UINT,    /* unsigned, from lo to hi */
	OPT_SECONDS, /* double: seconds from 0 to a day */
	OPT_PERCENT, /* double: a percentage from 0 to 100, kept as a fraction */
	OPT_SIZES,   /* struct size_list: 4K,2M or 4K..64M */
	OPT_STR,     /* const char *: the argument as given */
	OPT_CHOICE,  /* int: the index of the argument in names */
	OPT_NAMES,   /* bool[]: those of names in a comma list set */
};

struct opt {
	const char *name; /* long name, without the dashes */
	int key;	  /* short option character, or 0 */
	const char *arg;  /* metavar; NULL: no value; "[X]": optional */
	const char *help;
	int (*set)(void *owner, const char *arg, char *err, size_t errlen);
	enum opt_type type;
	size_t off;		  /* where in the owner the value goes */
	unsigned lo, hi;	  /* OPT_UINT's range */
	const char *what;	  /* the value, in errors: "iteration count" */
	const char *const *names; /* OPT_CHOICE, OPT_NAMES: NULL-ended */
};

#define OPT_ROW(n, k, a, h, t, owner, field, ...)                          \
	{ .name = (n), .key = (k), .arg = (a), .help = (h), .type = (t),   \
	  .off = offsetof(owner, field), __VA_ARGS__ }
#define OPT_SET(n, k, a, h, fn)                                           \
	{ .name = (n), .key = (k), .arg = (a), .help = (h), .set = (fn) }
#define OPT_END { .name = NULL }

struct opt_group {
	const char *title;
	const struct opt *opts; /* ends with an entry whose name is NULL */
	void *owner;
};

/*
 * Parse argv against groups (ended by a NULL title). On success returns
 * the index of the first operand; on error returns -1 with a one-line
 * message in err.
 */
int opt_parse(int argc, char **argv, const struct opt_group *groups,
	      char *err, size_t errlen);
/* A typed row's value from arg; 0, or -1 with the one-line error. */
int opt_set_typed(const struct opt *o, void *owner, const char *arg, char *err,
		  size_t errlen);
void opt_help(FILE *f, const struct opt_group *groups);

#endif
