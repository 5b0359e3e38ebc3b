/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_OPT_H
#define MRBENCH_OPT_H

#include <stddef.h>
#include <stdio.h>

/*
 * Options are declared in a table next to the code that owns them and
 * handed to the parser as groups; no program has one giant parser.
 */
struct opt {
	const char *name; /* long name, without the dashes */
	int key;	  /* short option character, or 0 */
	const char *arg;  /* metavar; NULL: no value; "[X]": optional */
	const char *help;
	int (*set)(void *owner, const char *arg, char *err, size_t errlen);
};

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
void opt_help(FILE *f, const struct opt_group *groups);

#endif
