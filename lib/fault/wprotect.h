/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_FAULT_WPROTECT_H
#define MRBENCH_FAULT_WPROTECT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "mem/mem.h"

/*
 * The wprotect scenario's ways of write-protecting a region
 * (lib/fault/wprotect_ways.c), each a protect before the CPU's write, a
 * settle after it and an undo.
 */
struct wp_state;

struct wp_how {
	const char *name; /* what the figures call it */
	bool reports_dirty; /* pagemap's soft-dirty bit is the point */
	/* 0, or -1 with why this kernel cannot (the case is unsupported). */
	int (*protect)(struct wp_state *st, char *reason, size_t len);
	void (*settle)(struct wp_state *st);
	void (*undo)(struct wp_state *st);
};

struct wp_case {
	const char *name, *mem, *because;
	const struct wp_how *how;
};

struct wp_state {
	const struct wp_case *c;
	struct mem_region *r;
	size_t page;
	/* userfaultfd-wp: the fd, its fault server, what it served. */
	int uffd;
	pthread_t server;
	bool serving;
	volatile bool stop;
	long wp_faults; /* -1: not a userfaultfd case */
};

extern const struct wp_how wp_soft_dirty, wp_uffd, wp_mprotect;

#endif
