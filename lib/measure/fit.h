/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_FIT_H
#define MRBENCH_FIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rdma/verbs.h"

/* Bytes from a /proc/meminfo line ("MemAvailable"), or 0 if absent. */
uint64_t fit_meminfo(const char *key);
/*
 * Whether bytes of memory can be had and registered here: MemAvailable
 * (unless the memory comes from a pool, as hugetlb's does), RLIMIT_MEMLOCK
 * for a pinning registration without CAP_IPC_LOCK, the device's
 * max_mr_size. 0, or -1 with the reason and the numbers.
 */
int fit_check(uint64_t bytes, bool from_pool, bool pins,
		 const struct verbs_ctx *v, char *reason, size_t len);

#endif
