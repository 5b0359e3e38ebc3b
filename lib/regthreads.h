/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_REGTHREADS_H
#define MRBENCH_REGTHREADS_H

#include "regcell.h"

#define REGTHREADS_MAX 64

/* What one timed pass over a cell produced, single- or multi-threaded. */
struct regpass {
	struct measure_result res; /* every thread's samples, merged */
	uint64_t *round_ns;	   /* wall time of each round's registrations */
	size_t rounds;
	int err;
	const char *failed_what;
};

/*
 * n threads, each with its own region, register and deregister in
 * lockstep rounds: every registration of a round starts together, so
 * contention on mmap_lock and the pin accounting shows. The first round
 * is observed between counter snapshots, like a single-thread cell.
 */
int regthreads_run(const struct regcell *c, struct mem_region *regions,
		   unsigned n, const struct measure_opts *m, struct record *rec,
		   struct regpass *pass);

#endif
