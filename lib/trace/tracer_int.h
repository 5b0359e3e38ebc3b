/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_TRACER_INT_H
#define MRBENCH_TRACER_INT_H

/*
 * The tracer's own state, shared by its two halves: arming it
 * (lib/trace/tracer.c) and reading back what it recorded
 * (lib/trace/tracer_read.c). Nothing else includes this.
 */
#include <stdint.h>
#include <sys/types.h>

#include "trace/attrib.h"
#include "trace/phase.h"

/* An event's function address lies this far past its symbol at most
 * (an ENDBR64 before the fentry call with IBT). */
#define FENTRY_SLACK 64

#define TRACER_OFF_CPU "(off-cpu)"

struct fn_addr {
	unsigned long long addr;
	uint16_t fn;
};

struct tracer {
	struct tep_handle *tep;
	int id_entry, id_exit, id_sys_enter, id_sys_exit, id_switch;
	struct tep_format_field *f_entry, *f_exit, *f_prev, *f_next;
	/* The traced functions, deduplicated, then one pseudo-function:
	 * the thread switched out (TRACER_OFF_CPU), from sched_switch. */
	char **names;
	int8_t *phase;
	size_t nnames, nfuncs; /* with the pseudo-function, and without */
	struct fn_addr *addrs; /* sorted by address */
	size_t naddrs;
	char untraceable[PHASE_COUNT][160];
	int on_fd;
	pid_t tid;
	struct tev *ev;
	size_t n, cap;
	int bad; /* lost events, or an unknown function */
};

#endif
