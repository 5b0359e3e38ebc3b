// SPDX-License-Identifier: GPL-2.0
/*
 * rawloop: the least a registration benchmark can do, to measure what
 * mrbench's harness adds. For one size: map and touch anonymous memory,
 * then repeat clock_gettime / ibv_reg_mr / clock_gettime / ibv_dereg_mr
 * and print the median registration time in ns. No options parser, no
 * statistics library, no counters: only libibverbs and libc.
 *
 * usage: rawloop SIZE_BYTES SECONDS [CPU]
 */
#include <infiniband/verbs.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

static int cmp(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

static long long ns(const struct timespec *t)
{
	return t->tv_sec * 1000000000LL + t->tv_nsec;
}

int main(int argc, char **argv)
{
	struct ibv_device **list;
	struct ibv_context *ctx;
	struct ibv_pd *pd;
	struct timespec t0, t1, start, now;
	static long long v[1 << 20];
	size_t size, n = 0;
	double seconds;
	char *buf;

	if (argc < 3) {
		fprintf(stderr, "usage: rawloop SIZE_BYTES SECONDS [CPU]\n");
		return 2;
	}
	size = strtoull(argv[1], NULL, 10);
	seconds = atof(argv[2]);
	if (argc > 3) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(atoi(argv[3]), &set);
		sched_setaffinity(0, sizeof(set), &set);
	}
	list = ibv_get_device_list(NULL);
	if (!list || !list[0] || !(ctx = ibv_open_device(list[0])) ||
	    !(pd = ibv_alloc_pd(ctx))) {
		fprintf(stderr, "rawloop: no usable RDMA device\n");
		return 1;
	}
	buf = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED)
		return 1;
	madvise(buf, size, MADV_NOHUGEPAGE);
	memset(buf, 1, size);
	clock_gettime(CLOCK_MONOTONIC_RAW, &start);
	do {
		struct ibv_mr *mr;

		clock_gettime(CLOCK_MONOTONIC_RAW, &t0);
		mr = ibv_reg_mr(pd, buf, size, IBV_ACCESS_LOCAL_WRITE);
		clock_gettime(CLOCK_MONOTONIC_RAW, &t1);
		if (!mr)
			return 1;
		ibv_dereg_mr(mr);
		v[n++] = ns(&t1) - ns(&t0);
		clock_gettime(CLOCK_MONOTONIC_RAW, &now);
	} while (n < sizeof(v) / sizeof(v[0]) &&
		 (ns(&now) - ns(&start) < seconds * 1e9 || n < 10));
	qsort(v, n, sizeof(v[0]), cmp);
	printf("%lld %zu\n", n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2, n);
	return 0;
}
