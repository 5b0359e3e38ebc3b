// SPDX-License-Identifier: GPL-2.0
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli/xalloc.h"
#include "kernel/kfile.h"

char *kfile_read(const char *path, size_t *len)
{
	size_t cap = 65536, got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	char *buf;
	ssize_t n;

	if (fd < 0)
		return NULL;
	buf = xmalloc(cap);
	/* /proc/zoneinfo grows with the cpus: read until the end. */
	while ((n = read(fd, buf + got, cap - 1 - got)) > 0) {
		got += (size_t)n;
		if (got == cap - 1) {
			cap *= 2;
			buf = xrealloc(buf, cap);
		}
	}
	close(fd);
	buf[got] = '\0';
	if (len)
		*len = got;
	return buf;
}
