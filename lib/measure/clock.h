/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_CLOCK_H
#define MRBENCH_CLOCK_H

#include <stdint.h>
#include <time.h>

/*
 * CLOCK_MONOTONIC_RAW is not slewed by NTP, so a sample never stretches or
 * shrinks while the clock is being disciplined. It is served by the vDSO.
 */
static inline uint64_t clock_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

#endif
