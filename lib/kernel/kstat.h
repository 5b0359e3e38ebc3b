/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_KSTAT_H
#define MRBENCH_KSTAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum kstat_id {
#define KSTAT(id, name) KSTAT_##id,
#include "kernel/kstat_list.h"
#undef KSTAT
	KSTAT_NR
};

struct kstat_snap {
	int64_t v[KSTAT_NR];
	bool have[KSTAT_NR];
};

const char *kstat_name(enum kstat_id id);
/* Fold per-cpu deltas (when allowed) and read /proc/vmstat. */
int kstat_snapshot(struct kstat_snap *s);
/* b - a; a counter missing from either is missing from the delta. */
void kstat_delta(const struct kstat_snap *a, const struct kstat_snap *b,
		 struct kstat_snap *d);
/*
 * A counter window: the kernel's account of what happened between two
 * snapshots, e.g. of one registration. Opened and closed outside the
 * timed region; a window may be extended by closing it again later.
 */
struct kstat_window {
	struct kstat_snap before, after;
};

void kstat_window_open(struct kstat_window *w);
void kstat_window_close(struct kstat_window *w);
/* The change of one counter over the window divided by ops, or -1 when
 * the kernel does not have the counter. */
double kstat_window_per(const struct kstat_window *w, enum kstat_id id,
			size_t ops);
/* The change of every counter over the window. */
void kstat_window_delta(const struct kstat_window *w, struct kstat_snap *d);

/* True when snapshots are exact (vm/stat_refresh is writable). */
bool kstat_exact(void);
/* Parse the text of /proc/vmstat; exposed for the unit tests. */
void kstat_parse(const char *text, struct kstat_snap *s);

#endif
