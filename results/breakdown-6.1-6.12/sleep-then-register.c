// SPDX-License-Identifier: GPL-2.0
/*
 * The experiment behind "the 174.6 us" in results/README.md: register and
 * unregister one 4K io_uring fixed buffer 200 times, optionally sleeping
 * before each registration, and print the medians. On 6.1 every
 * unregistration sleeps ~15 ms; this shows what such a sleep does to the
 * registration after it, on a kernel whose unregistration does not.
 *
 *	cc -O2 -o sleep-then-register sleep-then-register.c -luring
 *	mrbench vm --kernel debian:6.12 --share . -- \
 *		sh -c './sleep-then-register 0; ./sleep-then-register 15000'
 */
#include <liburing.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define OPS 200

static double now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e9 + t.tv_nsec;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	long sleep_us = argc > 1 ? atol(argv[1]) : 0;
	double reg[OPS], dereg[OPS];
	struct io_uring ring;
	struct iovec v;
	char *p;

	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED || io_uring_queue_init(8, &ring, 0))
		return 1;
	memset(p, 1, 4096);
	v = (struct iovec){ p, 4096 };
	for (int i = 0; i < OPS; i++) {
		double t0, t1;

		if (sleep_us)
			usleep(sleep_us);
		t0 = now_ns();
		if (io_uring_register_buffers(&ring, &v, 1))
			return 1;
		t1 = now_ns();
		io_uring_unregister_buffers(&ring);
		reg[i] = t1 - t0;
		dereg[i] = now_ns() - t1;
	}
	qsort(reg, OPS, sizeof(*reg), by_value);
	qsort(dereg, OPS, sizeof(*dereg), by_value);
	printf("sleep %ld us: reg p50 %.2f us, dereg p50 %.2f us\n", sleep_us,
	       reg[OPS / 2] / 1e3, dereg[OPS / 2] / 1e3);
	return 0;
}
