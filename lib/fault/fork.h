/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_FAULT_FORK_H
#define MRBENCH_FAULT_FORK_H

#include <stdbool.h>

#include "fault/fault.h"

/*
 * One way of forking over a pinned region (fork, fork-cow): which memory,
 * how the pin is taken and when, and what the kernel is expected to do.
 */
struct fork_way {
	const char *name; /* the record's case */
	const char *mem; /* a memory source, 2 MiB of it */
	bool dontfork; /* MADV_DONTFORK over the MR before fork */
	bool read_only; /* an MR without write access: a R/O pin */
	bool pin_after_fork; /* register while the child shares the pages */
	const char *expect; /* the expected verdict */
	const char *because; /* the kernel change behind it */
};

/*
 * Register, fork, let the child read and then write tag 2 over the region,
 * and fill rec with who sees what: the child, the parent's CPU, an RDMA
 * READ; then whether a parent write reaches the device and (writable MRs)
 * a device write the parent. rec is the caller's, fig its figures line.
 */
void fork_coherence(struct fault_env *env, const struct fork_way *w,
		    struct record *rec, char *fig, size_t figlen);
/* fork-cow's vmsplice cases: one record each, emitted. */
int fork_vmsplice_cases(struct fault_env *env);

#endif
