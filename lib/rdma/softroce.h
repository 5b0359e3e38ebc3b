/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_SOFTROCE_H
#define MRBENCH_SOFTROCE_H

#include <stddef.h>

/*
 * Soft-RoCE for a run on a host without an RDMA device. When there is
 * none, note rxe_prog's ("mrbench-rxe") "down" in the undo log, then run
 * its "up", so the device goes on every way out; SIGINT and SIGTERM wait
 * until "up" is done. Returns 1 with the device's
 * name in name when it made one; 0 when a device was there already or
 * the kernel has no rdma_rxe (mrbench-rxe said why on stderr); -1 with a
 * one-line reason in err when making one failed.
 */
int softroce_ensure(const char *rxe_prog, char *name, size_t len, char *err,
		    size_t errlen);

#endif
