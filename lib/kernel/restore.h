/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_RESTORE_H
#define MRBENCH_RESTORE_H

#include <stddef.h>

/*
 * An undo log for the system settings mrbench changes (sysfs and procfs
 * files such as nr_hugepages, and devices a tool made). restore_write()
 * saves a file's content the first time it writes that file, then writes
 * value; restore_command() notes a command that undoes a change (such as
 * "mrbench-rxe down --name rxe0"); restore_remove() a file to delete.
 * restore_all() undoes every entry,
 * last changed first. It runs at exit (registered on first use), does
 * nothing twice, does nothing in a forked child, and is async-signal-safe:
 * a signal handler may call it.
 */
int restore_write(const char *path, const char *value, char *err,
		  size_t errlen);
/*
 * Write value to path, and note undo as what restore_all() writes back,
 * whatever the file showed: a file whose content cannot be written back
 * as read (a memory block's state reads "online" and must go back
 * "online_movable", not into whatever zone a plain online picks).
 * value NULL: only note undo, the caller writes (a write it times).
 * restore_forget() says the caller put it back itself.
 */
int restore_write_undo(const char *path, const char *value, const char *undo,
		       char *err, size_t errlen);
void restore_forget(const char *path);
/*
 * Add delta to a counter file shared with other processes (nr_hugepages),
 * under a lock every mrbench takes; delta may be negative. restore_all()
 * takes back, under the same lock, the change the kernel really made, so
 * overlapping runs leave the counter as found whatever order they end in.
 * before and after (may be NULL) get the value read before and after the
 * write.
 */
int restore_add(const char *path, long delta, long *before, long *after,
		char *err, size_t errlen);
/* argv[0] is the program's path; argv ends with NULL. */
int restore_command(const char *const argv[], char *err, size_t errlen);
/*
 * Forget the newest entry: a change noted before it was made (so that
 * every way out undoes it) turned out not to happen.
 */
void restore_cancel_last(void);
/*
 * A file this process made that must not outlive it (a temporary result
 * file): removed by restore_all() unless restore_keep() says otherwise;
 * restore_discard() removes it now and forgets it.
 */
int restore_remove(const char *path, char *err, size_t errlen);
void restore_keep(const char *path);
void restore_discard(const char *path);
void restore_all(void);

#endif
