/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_ACCESS_H
#define MRBENCH_ACCESS_H

#include <stddef.h>

#define ACCESS_MAX 16

/* A set of verbs access flags and its canonical name ("lw+rr"). */
struct access_set {
	int flags;
	char name[32];
};

struct access_list {
	struct access_set v[ACCESS_MAX];
	size_t n;
};

/*
 * "lw,lw+rr+rw,ro": a comma list of sets, each a '+' list of lw (local
 * write), rr (remote read), rw (remote write), ra (remote atomic),
 * relaxed (IBV_ACCESS_RELAXED_ORDERING), or ro alone (no access flag: a
 * read-only registration, no FOLL_WRITE).
 */
int access_list_parse(const char *s, struct access_list *out, char *err,
		      size_t errlen);

#endif
