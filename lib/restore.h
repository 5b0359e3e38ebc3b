/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_RESTORE_H
#define MRBENCH_RESTORE_H

#include <stddef.h>

/*
 * An undo log for the system settings mrbench changes (sysfs and procfs
 * files such as nr_hugepages). restore_write() saves a file's content the
 * first time it writes that file, then writes value; restore_all() puts
 * every saved content back, last changed first. restore_all() runs at
 * exit (registered on first use), does nothing twice, does nothing in a
 * forked child, and is async-signal-safe: a signal handler may call it.
 */
int restore_write(const char *path, const char *value, char *err,
		  size_t errlen);
void restore_all(void);

#endif
