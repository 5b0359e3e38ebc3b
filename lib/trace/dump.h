/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_DUMP_H
#define MRBENCH_DUMP_H

#include <stdint.h>
#include <stdio.h>

#include "trace/attrib.h"

/*
 * A traced operation as text, so that attribution can be checked on
 * recorded traces without a kernel:
 *
 *   op LABEL reg|dereg T0 T1
 *   E TS PHASE FUNCTION      a traced function called
 *   X TS PHASE FUNCTION      ... returned
 *   S TS                     a syscall entered
 *   R TS                     ... returned
 *
 * FUNCTION numbers are per file: the reader numbers names as it meets
 * them.
 */
struct dumped_op {
	char label[128], op[8];
	uint64_t t0, t1;
	struct tev *ev;
	size_t n;
	char (*names)[64];
	size_t nnames;
};

/* names(ctx, fn) gives a function's name. */
void dump_write(FILE *f, const char *label, const char *op, uint64_t t0,
		uint64_t t1, const struct tev *ev, size_t n,
		const char *(*names)(const void *ctx, uint16_t fn),
		const void *ctx);
/* The next op of a file: 1, 0 at its end, -1 on a malformed line. */
int dump_read(FILE *f, struct dumped_op *op);
void dumped_op_free(struct dumped_op *op);

#endif
