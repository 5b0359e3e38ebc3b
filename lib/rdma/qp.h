/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_QP_H
#define MRBENCH_QP_H

#include <stdint.h>

#include "rdma/verbs.h"

/*
 * A loopback data path: one RC QP connected to itself on the device's
 * port, a CQ, and a small local bounce buffer. RDMA READ and WRITE go
 * between the bounce buffer and any offset of a target MR, one at a time,
 * so the device touches the target's pages exactly where we say.
 */
struct loop_qp {
	struct verbs_ctx *v;
	struct ibv_comp_channel *ch;
	struct ibv_cq *cq;
	struct ibv_qp *qp;
	struct ibv_mr *bounce_mr;
	void *bounce;
	uint32_t bounce_len;
	int gid_index; /* -1: no GRH (InfiniBand link layer) */
	char gid[48]; /* the GID in use, for the record */
	enum ibv_mtu mtu;
	int last_status; /* enum ibv_wc_status of the last completion */
};

/*
 * Make the QP and bring it to RTS, connected to itself. gid_index < 0
 * picks the first RoCE v2 IPv4-mapped GID, else the first RoCE v2 one,
 * else index 0. Returns 0, or -1 with a one-line reason in err.
 */
int qp_open(struct loop_qp *q, struct verbs_ctx *v, int gid_index,
	    uint32_t bounce_len, char *err, size_t errlen);
void qp_close(struct loop_qp *q);

enum qp_op { QP_READ, QP_WRITE };

/*
 * One RDMA READ (target -> bounce) or WRITE (bounce -> target) of len
 * bytes at target address addr, covered by mr (rkey). Waits for the
 * completion by polling; *ns is the time from post to completion
 * (CLOCK_MONOTONIC_RAW). Returns 0, or a positive errno with the
 * completion status or the failing call in err; a failed completion
 * leaves the QP in the error state and qp_reset brings it back.
 */
int qp_rdma(struct loop_qp *q, enum qp_op op, struct ibv_mr *mr, uint64_t addr,
	    uint32_t len, uint64_t *ns, char *err, size_t errlen);
/* Back to RTS after an error completion. 0 or -1 with err. */
int qp_reset(struct loop_qp *q, char *err, size_t errlen);

#endif
