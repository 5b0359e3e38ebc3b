// SPDX-License-Identifier: GPL-2.0
/* The list of memory sources and what they share. */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "mem/mem.h"

const struct mem_source *const mem_sources[] = {
#define MEM_SOURCE(id) &mem_##id,
#define MEM_SOURCE_NAMED(id)
#include "mem/list.h"
#undef MEM_SOURCE_NAMED
#undef MEM_SOURCE
	NULL
};

const struct mem_source *const mem_named_sources[] = {
#define MEM_SOURCE(id)
#define MEM_SOURCE_NAMED(id) &mem_##id,
#include "mem/list.h"
#undef MEM_SOURCE_NAMED
#undef MEM_SOURCE
	NULL
};

static const struct mem_source *find_in(const struct mem_source *const *s,
					const char *name)
{
	for (; *s; s++)
		if (!strcmp((*s)->name, name))
			return *s;
	return NULL;
}

const struct mem_source *mem_source_find(const char *name)
{
	const struct mem_source *s = find_in(mem_sources, name);

	return s ? s : find_in(mem_named_sources, name);
}

size_t mem_base_page(void)
{
	return (size_t)sysconf(_SC_PAGESIZE);
}

size_t mem_round_up(size_t v, size_t to)
{
	return (v + to - 1) / to * to;
}

/* A write per page: the kernel must allocate real pages, not map the
 * shared zero page as a read would. */
/* Per thread: a SIGBUS goes to the thread that faulted. */
static _Thread_local sigjmp_buf touch_jmp;

static void touch_bus(int sig)
{
	siglongjmp(touch_jmp, 1);
}

/*
 * A shared file mapping whose filesystem runs out of room (a tmpfs that
 * another file filled) faults with SIGBUS: caught for the touch loop
 * only and turned into EFAULT, a failed cell, so that the records before
 * it, the undo log and the temporary files survive.
 */
int mem_touch(struct mem_region *r)
{
	struct sigaction bus = { .sa_handler = touch_bus }, old;
	volatile char *p = r->addr;
	int rc = 0;

	sigemptyset(&bus.sa_mask);
	sigaction(SIGBUS, &bus, &old);
	if (sigsetjmp(touch_jmp, 1))
		rc = EFAULT;
	else
		for (size_t off = 0; off < r->map_len; off += r->page_size)
			p[off] = 1;
	sigaction(SIGBUS, &old, NULL);
	return rc;
}

/*
 * An anonymous mapping whose start is a multiple of align: map align bytes
 * more than asked and unmap the head and tail around the aligned part, so
 * that THP can back it with PMD-sized pages from the first byte.
 */
void *mem_map_aligned(size_t len, size_t align, int prot, int flags)
{
	size_t over = len + align, head, tail;
	char *p = mmap(NULL, over, prot, flags | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return MAP_FAILED;
	head = mem_round_up((uintptr_t)p, align) - (uintptr_t)p;
	tail = over - head - len;
	if (head)
		munmap(p, head);
	if (tail)
		munmap(p + head + len, tail);
	return p + head;
}

/* The first line of a small text file (sysfs, procfs), without its '\n'. */
int mem_read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	int rc = 0;

	if (!f)
		return errno;
	if (!fgets(buf, (int)len, f))
		rc = ferror(f) ? EIO : ENODATA;
	else
		buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
	return rc;
}

int mem_pagemap_read(const void *addr, size_t n, uint64_t *e)
{
	size_t ps = mem_base_page();
	int fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC), rc = 0;
	ssize_t got;

	if (fd < 0)
		return errno;
	got = pread(fd, e, n * sizeof(*e),
		    (off_t)((uintptr_t)addr / ps * sizeof(*e)));
	if (got != (ssize_t)(n * sizeof(*e)))
		rc = got < 0 ? errno : EIO;
	close(fd);
	return rc;
}

int mem_read_ulong(const char *path, unsigned long *v)
{
	char buf[32], *end;
	int rc = mem_read_line(path, buf, sizeof(buf));

	if (rc)
		return rc;
	errno = 0;
	*v = strtoul(buf, &end, 10);
	return errno || end == buf ? EINVAL : 0;
}

/*
 * The sum of one "Field:  N kB" line of /proc/self/smaps over the VMAs
 * that overlap [addr, addr + len), in bytes; -1 when unreadable. A VMA the
 * kernel merged with a neighbour counts whole: sources keep their own VMA
 * distinct (MADV_HUGEPAGE, MAP_HUGETLB) so this rarely matters.
 */
long long mem_smaps_sum(const void *addr, size_t len, const char *field)
{
	uintptr_t lo = (uintptr_t)addr, hi = lo + len;
	size_t flen = strlen(field);
	unsigned long start, end;
	long long sum = 0, kb;
	bool inside = false;
	char line[512];
	FILE *f = fopen("/proc/self/smaps", "re");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		/* A VMA header: "start-end perms ..."; field names never
		 * parse as two hex numbers joined by '-'. */
		if (sscanf(line, "%lx-%lx ", &start, &end) == 2) {
			inside = start < hi && end > lo;
			continue;
		}
		if (inside && !strncmp(line, field, flen) &&
		    line[flen] == ':' &&
		    sscanf(line + flen + 1, "%lld", &kb) == 1)
			sum += kb * 1024;
	}
	fclose(f);
	return sum;
}
