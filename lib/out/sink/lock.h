/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_SINK_LOCK_H
#define MRBENCH_SINK_LOCK_H

#include <stdbool.h>
#include <stddef.h>

/* The lock of one -o stem: STEM.lock, held for the whole run. */
struct sink_lock {
	char *path; /* NULL when not held */
	int fd;
};

/*
 * Lock the stem (its first stem_len characters); shown is the -o the
 * user gave, for the message when another run holds it.
 */
int sink_lock(struct sink_lock *l, const char *stem, size_t stem_len,
	      const char *shown, char *err, size_t errlen);
/* Remove the lock file and let go; nothing when not held. */
void sink_unlock(struct sink_lock *l);

#endif
