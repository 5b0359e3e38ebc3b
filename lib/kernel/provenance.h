/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_PROVENANCE_H
#define MRBENCH_PROVENANCE_H

#include <stddef.h>

/*
 * Where and how a figure was measured: the machine that did the work and
 * whether an emulator stood between it and the kernel. In mrbench vm the
 * guest is told (the host's name, and tcg, tcg-icount or kvm); elsewhere
 * it is this machine, "none" on bare metal, "hypervisor" when the CPU
 * says it runs under one.
 */
struct provenance {
	char host[64];
	char emulation[16];
	long cpus; /* online CPUs the kernel measured on */
	long run_index; /* MRBENCH_RUN_INDEX: which run of a set, else 0 */
};

void provenance_read(struct provenance *p);

#endif
