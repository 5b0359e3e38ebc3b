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

struct fn_addr {
	unsigned long long addr;
	uint16_t fn;
};

struct tracer {
	struct tep_handle *tep;
	int id_entry, id_exit, id_sys_enter, id_sys_exit;
	struct tep_format_field *f_entry, *f_exit;
	char **names; /* the traced functions, deduplicated */
	int8_t *phase;
	size_t nnames;
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
