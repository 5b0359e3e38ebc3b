// SPDX-License-Identifier: GPL-2.0
/*
 * Taking memory blocks offline and back, through sysfs, with the time
 * each write took and its errno, and a way out of a write the kernel
 * would otherwise retry for ever.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kernel/memblock.h"
#include "kernel/restore.h"
#include "measure/clock.h"

/* Between two signals to a write that has not returned. */
#define NUDGE_MS 50

unsigned long memblock_bytes(void)
{
	char buf[64];
	int fd = open(MEMBLOCK_DIR "block_size_bytes", O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	/* Hexadecimal, without 0x. */
	return strtoul(buf, NULL, 16);
}

long memblock_of_pfn(unsigned long pfn, unsigned long block_bytes)
{
	return (long)(pfn / (block_bytes / (unsigned long)getpagesize()));
}

bool memblock_whole(long id, unsigned long block_bytes)
{
	unsigned long long lo = (unsigned long long)id * block_bytes,
			   hi = lo + block_bytes - 1, a, b;
	FILE *f = fopen("/proc/iomem", "re");
	char line[256];
	bool whole = false;

	while (f && !whole && fgets(line, sizeof(line), f)) {
		int n = 0;

		/* Top-level ranges only: no indentation. */
		if (line[0] != ' ' &&
		    sscanf(line, "%llx-%llx : System RAM%n", &a, &b, &n) == 2 &&
		    n > 0 && a <= lo && hi <= b)
			whole = true;
	}
	if (f)
		fclose(f);
	return whole;
}

static void state_path(long id, const char *file, char *path, size_t len)
{
	snprintf(path, len, MEMBLOCK_DIR "memory%ld/%s", id, file);
}

int memblock_read(long id, const char *file, char *buf, size_t len)
{
	char path[128];
	int fd;
	ssize_t n;

	state_path(id, file, path, sizeof(path));
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

struct writer {
	char path[128];
	const char *value;
	struct memblock_op *op;
	volatile int done;
};

static void *write_state(void *arg)
{
	struct writer *w = arg;
	uint64_t t0 = clock_ns();
	int fd = open(w->path, O_WRONLY | O_CLOEXEC);

	w->op->err = 0;
	if (fd < 0 || write(fd, w->value, strlen(w->value)) < 0)
		w->op->err = errno;
	if (fd >= 0)
		close(fd);
	w->op->ns = clock_ns() - t0;
	__atomic_store_n(&w->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

/* Only there to interrupt the write: no SA_RESTART. */
static void nudged(int sig)
{
	(void)sig;
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = { .tv_sec = ms / 1000,
			       .tv_nsec = (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* value into block id's state, cut short after timeout_ms (0: never). */
static int write_timed(long id, const char *value, unsigned timeout_ms,
		       struct memblock_op *op)
{
	struct sigaction sa = { .sa_handler = nudged }, old;
	struct writer w = { .value = value, .op = op };
	unsigned waited = 0;
	pthread_t t;
	int rc;

	memset(op, 0, sizeof(*op));
	state_path(id, "state", w.path, sizeof(w.path));
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, &old);
	if ((rc = pthread_create(&t, NULL, write_state, &w))) {
		op->err = rc;
		sigaction(SIGUSR1, &old, NULL);
		return rc;
	}
	while (!__atomic_load_n(&w.done, __ATOMIC_ACQUIRE)) {
		unsigned step =
			waited < timeout_ms || !timeout_ms ? 5 : NUDGE_MS;

		sleep_ms(step);
		waited += step;
		if (timeout_ms && waited >= timeout_ms &&
		    !__atomic_load_n(&w.done, __ATOMIC_ACQUIRE)) {
			op->signalled = true;
			pthread_kill(t, SIGUSR1);
		}
	}
	pthread_join(t, NULL);
	sigaction(SIGUSR1, &old, NULL);
	return op->err;
}

int memblock_offline(long id, unsigned timeout_ms, struct memblock_op *op)
{
	char path[128], err[256];
	int rc;

	state_path(id, "state", path, sizeof(path));
	/* Noted, not written: the write itself is timed in a thread. */
	if ((rc = restore_write_undo(path, NULL, "online_movable", err,
				     sizeof(err)))) {
		memset(op, 0, sizeof(*op));
		op->err = rc;
		return rc;
	}
	rc = write_timed(id, "offline", timeout_ms, op);
	if (rc)
		restore_forget(path);
	return rc;
}

int memblock_online_movable(long id, struct memblock_op *op)
{
	char path[128];
	int rc = write_timed(id, "online_movable", 0, op);

	state_path(id, "state", path, sizeof(path));
	if (!rc)
		restore_forget(path);
	return rc;
}
