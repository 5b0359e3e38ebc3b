// SPDX-License-Identifier: GPL-2.0
#include <infiniband/verbs.h>
#include <stdio.h>
#include <string.h>

#include "cli/access.h"
#include "cli/quote.h"

static const struct {
	const char *name;
	int flag;
} access_flags[] = {
	{ "lw", IBV_ACCESS_LOCAL_WRITE },
	{ "rr", IBV_ACCESS_REMOTE_READ },
	{ "rw", IBV_ACCESS_REMOTE_WRITE },
	{ "ra", IBV_ACCESS_REMOTE_ATOMIC },
	/*
	 * An optional flag: a device that cannot order PCIe writes relaxed
	 * ignores it (libibverbs drops it where the kernel has no optional
	 * access support), so it never changes what is pinned. Spelled out
	 * because perftest and others use "ro" for it; here "ro" is a
	 * read-only registration.
	 */
	{ "relaxed", IBV_ACCESS_RELAXED_ORDERING },
	{ "ro", 0 },
};

#define NFLAGS (sizeof(access_flags) / sizeof(access_flags[0]))
#define ACCESS_FORM \
	"sets like lw, lw+rr+rw, lw+relaxed or ro (flags lw, rr, rw, ra, relaxed)"

static int parse_set(const char *s, size_t len, struct access_set *set,
		     char *err, size_t errlen)
{
	size_t start = 0;
	int ro = 0, nflags = 0;

	set->flags = 0;
	set->name[0] = '\0';
	while (start <= len) {
		const char *plus = memchr(s + start, '+', len - start);
		size_t tl = (plus ? (size_t)(plus - s) : len) - start;
		size_t i;

		for (i = 0; i < NFLAGS; i++)
			if (strlen(access_flags[i].name) == tl &&
			    !strncmp(s + start, access_flags[i].name, tl))
				break;
		if (i == NFLAGS || (set->flags & access_flags[i].flag) ||
		    (ro && tl) || (i == NFLAGS - 1 && nflags)) {
			char q[128];

			snprintf(err, errlen, "invalid access '%s': expected %s",
				 quote(q, sizeof(q), s, len), ACCESS_FORM);
			return -1;
		}
		ro |= access_flags[i].flag == 0;
		nflags++;
		set->flags |= access_flags[i].flag;
		start += tl + 1;
	}
	/* The canonical name lists flags in table order. */
	for (size_t i = 0; i < NFLAGS; i++)
		if ((set->flags & access_flags[i].flag) ||
		    (ro && !access_flags[i].flag)) {
			if (set->name[0])
				strcat(set->name, "+");
			strcat(set->name, access_flags[i].name);
		}
	return 0;
}

int access_list_parse(const char *s, struct access_list *out, char *err,
		      size_t errlen)
{
	const char *p = s, *comma;

	out->n = 0;
	do {
		comma = strchr(p, ',');
		if (out->n == ACCESS_MAX) {
			char q[128];

			snprintf(err, errlen, "invalid access '%s': at most %d sets",
				 quote(q, sizeof(q), s, strlen(s)), ACCESS_MAX);
			return -1;
		}
		if (parse_set(p, comma ? (size_t)(comma - p) : strlen(p),
			      &out->v[out->n++], err, errlen))
			return -1;
		p = comma + 1;
	} while (comma);
	return 0;
}
