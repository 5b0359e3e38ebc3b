/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_XALLOC_H
#define MRBENCH_XALLOC_H

#include <stddef.h>

/*
 * The one out-of-memory policy: the program's own bookkeeping (samples,
 * rows, names, buffers) comes from these, and when the heap is out they
 * end the program with "out of memory" and exit status 1, the undo log
 * putting the system back on the way out. The memory under test is not
 * heap: a region that cannot be mapped is a failed cell, as ever.
 */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

#endif
