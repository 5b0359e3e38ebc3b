/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_KFILE_H
#define MRBENCH_KFILE_H

#include <stddef.h>

/*
 * A whole file the kernel writes (procfs, sysfs) or a small one beside
 * them: read to its end, whatever size stat claims (procfs says 0), NUL
 * terminated, its length in *len when len is not NULL (it may hold NUL
 * bytes: /sys/kernel/notes). NULL when it cannot be opened. Free it.
 */
char *kfile_read(const char *path, size_t *len);

#endif
