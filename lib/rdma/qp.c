// SPDX-License-Identifier: GPL-2.0
/*
 * The loopback RC QP. Connecting a QP to itself needs no peer, no socket
 * and no second device, so every data-path check runs on one rxe port;
 * the responder side of each operation is the target MR, which is where
 * ODP faults and pinned-page effects show.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "measure/clock.h"
#include "rdma/qp.h"

/* A completion that never comes is a bug in the lab, not a result. */
#define QP_WAIT_NS (10ULL * 1000000000ULL)

static bool gid_is_zero(const union ibv_gid *g)
{
	static const union ibv_gid zero;

	return !memcmp(g, &zero, sizeof(zero));
}

static bool gid_is_v4_mapped(const union ibv_gid *g)
{
	static const uint8_t prefix[12] = { [10] = 0xff, [11] = 0xff };

	return !memcmp(g->raw, prefix, sizeof(prefix));
}

/* The GID to route through, as perftest's -x would pick it. */
static int pick_gid(struct loop_qp *q, int want, int tbl_len, char *err,
		    size_t errlen)
{
	struct ibv_context *ctx = q->v->ctx;
	uint8_t port = (uint8_t)q->v->port;
	int v2 = -1, v2_v4 = -1, any = -1;

	if (want >= 0) {
		union ibv_gid g;

		if (want >= tbl_len || ibv_query_gid(ctx, port, want, &g) ||
		    gid_is_zero(&g)) {
			snprintf(
				err, errlen,
				"no GID at index %d of %s port %d (table of %d)",
				want, q->v->dev_name, port, tbl_len);
			return -1;
		}
		return want;
	}
	for (int i = 0; i < tbl_len; i++) {
		struct ibv_gid_entry e;

		if (ibv_query_gid_ex(ctx, port, (uint32_t)i, &e, 0) ||
		    gid_is_zero(&e.gid))
			continue;
		if (any < 0)
			any = i;
		if (e.gid_type != IBV_GID_TYPE_ROCE_V2)
			continue;
		if (v2 < 0)
			v2 = i;
		if (v2_v4 < 0 && gid_is_v4_mapped(&e.gid))
			v2_v4 = i;
	}
	if (v2_v4 >= 0)
		return v2_v4;
	if (v2 >= 0)
		return v2;
	if (any >= 0)
		return any;
	snprintf(err, errlen, "%s port %d has no GID: is its netdev up?",
		 q->v->dev_name, port);
	return -1;
}

static int modify(struct loop_qp *q, struct ibv_qp_attr *a, int mask,
		  const char *state, char *err, size_t errlen)
{
	int rc = ibv_modify_qp(q->qp, a, mask);

	if (rc)
		snprintf(err, errlen, "cannot move the loopback QP to %s: %s",
			 state, strerror(rc));
	return rc ? -1 : 0;
}

/* RESET -> INIT -> RTR -> RTS, the remote end being this QP. */
static int connect_self(struct loop_qp *q, const struct ibv_port_attr *pa,
			char *err, size_t errlen)
{
	struct ibv_qp_attr a = {
		.qp_state = IBV_QPS_INIT,
		.port_num = (uint8_t)q->v->port,
		.qp_access_flags =
			IBV_ACCESS_REMOTE_READ | IBV_ACCESS_REMOTE_WRITE,
	};

	if (modify(q, &a,
		   IBV_QP_STATE | IBV_QP_PKEY_INDEX | IBV_QP_PORT |
			   IBV_QP_ACCESS_FLAGS,
		   "INIT", err, errlen))
		return -1;
	memset(&a, 0, sizeof(a));
	a.qp_state = IBV_QPS_RTR;
	a.path_mtu = q->mtu;
	a.dest_qp_num = q->qp->qp_num;
	a.rq_psn = 0;
	a.max_dest_rd_atomic = 1;
	a.min_rnr_timer = 12;
	a.ah_attr.port_num = (uint8_t)q->v->port;
	a.ah_attr.dlid = pa->lid;
	if (q->gid_index >= 0) {
		a.ah_attr.is_global = 1;
		a.ah_attr.grh.sgid_index = (uint8_t)q->gid_index;
		a.ah_attr.grh.hop_limit = 1;
		ibv_query_gid(q->v->ctx, (uint8_t)q->v->port, q->gid_index,
			      &a.ah_attr.grh.dgid);
	}
	if (modify(q, &a,
		   IBV_QP_STATE | IBV_QP_AV | IBV_QP_PATH_MTU |
			   IBV_QP_DEST_QPN | IBV_QP_RQ_PSN |
			   IBV_QP_MAX_DEST_RD_ATOMIC | IBV_QP_MIN_RNR_TIMER,
		   "RTR", err, errlen))
		return -1;
	memset(&a, 0, sizeof(a));
	a.qp_state = IBV_QPS_RTS;
	a.timeout = 14;
	a.retry_cnt = 7;
	a.rnr_retry = 7;
	a.sq_psn = 0;
	a.max_rd_atomic = 1;
	return modify(q, &a,
		      IBV_QP_STATE | IBV_QP_TIMEOUT | IBV_QP_RETRY_CNT |
			      IBV_QP_RNR_RETRY | IBV_QP_SQ_PSN |
			      IBV_QP_MAX_QP_RD_ATOMIC,
		      "RTS", err, errlen);
}

static int make_qp(struct loop_qp *q, char *err, size_t errlen)
{
	struct ibv_qp_init_attr ia = {
		.send_cq = q->cq,
		.recv_cq = q->cq,
		.cap = { .max_send_wr = 4,
			 .max_recv_wr = 1,
			 .max_send_sge = 1,
			 .max_recv_sge = 1 },
		.qp_type = IBV_QPT_RC,
		.sq_sig_all = 1,
	};

	q->qp = ibv_create_qp(q->v->pd, &ia);
	if (!q->qp) {
		snprintf(err, errlen, "cannot create an RC QP on %s: %s",
			 q->v->dev_name, strerror(errno));
		return -1;
	}
	return 0;
}

int qp_open(struct loop_qp *q, struct verbs_ctx *v, int gid_index,
	    uint32_t bounce_len, char *err, size_t errlen)
{
	struct ibv_port_attr pa;
	int rc;

	memset(q, 0, sizeof(*q));
	q->v = v;
	q->gid_index = -1;
	if ((rc = ibv_query_port(v->ctx, (uint8_t)v->port, &pa))) {
		snprintf(err, errlen, "cannot query %s port %d: %s",
			 v->dev_name, v->port, strerror(rc));
		return -1;
	}
	q->mtu = pa.active_mtu;
	if (pa.link_layer == IBV_LINK_LAYER_ETHERNET || gid_index >= 0) {
		q->gid_index =
			pick_gid(q, gid_index, pa.gid_tbl_len, err, errlen);
		if (q->gid_index < 0)
			return -1;
		{
			union ibv_gid g;

			ibv_query_gid(v->ctx, (uint8_t)v->port, q->gid_index,
				      &g);
			inet_ntop(AF_INET6, g.raw, q->gid, sizeof(q->gid));
		}
	}
	q->bounce_len = bounce_len;
	q->bounce = aligned_alloc(4096, (bounce_len + 4095) & ~4095u);
	q->ch = ibv_create_comp_channel(v->ctx);
	if (q->ch)
		fcntl(q->ch->fd, F_SETFL,
		      fcntl(q->ch->fd, F_GETFL) | O_NONBLOCK);
	q->cq = q->ch ? ibv_create_cq(v->ctx, 8, NULL, q->ch, 0) : NULL;
	if (!q->bounce || !q->cq) {
		snprintf(err, errlen, "cannot create a CQ on %s: %s",
			 v->dev_name, strerror(errno));
		goto fail;
	}
	memset(q->bounce, 0, bounce_len);
	q->bounce_mr = ibv_reg_mr(v->pd, q->bounce, bounce_len,
				  IBV_ACCESS_LOCAL_WRITE);
	if (!q->bounce_mr) {
		snprintf(err, errlen, "cannot register the bounce buffer: %s",
			 strerror(errno));
		goto fail;
	}
	if (make_qp(q, err, errlen) || connect_self(q, &pa, err, errlen))
		goto fail;
	return 0;
fail:
	qp_close(q);
	return -1;
}

void qp_close(struct loop_qp *q)
{
	if (q->qp)
		ibv_destroy_qp(q->qp);
	if (q->bounce_mr)
		ibv_dereg_mr(q->bounce_mr);
	if (q->cq)
		ibv_destroy_cq(q->cq);
	if (q->ch)
		ibv_destroy_comp_channel(q->ch);
	free(q->bounce);
	memset(q, 0, sizeof(*q));
}

int qp_reset(struct loop_qp *q, char *err, size_t errlen)
{
	struct ibv_qp_attr a = { .qp_state = IBV_QPS_RESET };
	struct ibv_port_attr pa;
	struct ibv_wc wc;

	if (modify(q, &a, IBV_QP_STATE, "RESET", err, errlen))
		return -1;
	while (ibv_poll_cq(q->cq, 1, &wc) > 0)
		;
	if (ibv_query_port(q->v->ctx, (uint8_t)q->v->port, &pa)) {
		snprintf(err, errlen, "cannot query %s port %d", q->v->dev_name,
			 q->v->port);
		return -1;
	}
	return connect_self(q, &pa, err, errlen);
}

/*
 * Soft devices (rxe) do the work in kernel workers that may share this
 * CPU, and a spinning poller delays its own completion to the next
 * scheduler tick (milliseconds under qemu). So: a short spin for fast
 * hardware, then sleep on the completion channel until the event.
 */
static int wait_one(struct loop_qp *q, struct ibv_wc *wc, uint64_t t0)
{
	struct ibv_cq *ev_cq;
	void *ev_ctx;
	struct pollfd pfd = { .fd = q->ch->fd, .events = POLLIN };
	int n;

	for (int spin = 0; spin < 64; spin++)
		if ((n = ibv_poll_cq(q->cq, 1, wc)))
			return n;
	for (;;) {
		if (ibv_req_notify_cq(q->cq, 0))
			return -1;
		/* A completion that came before the request raised no event. */
		if ((n = ibv_poll_cq(q->cq, 1, wc)))
			return n;
		if (poll(&pfd, 1, 100) < 0 && errno != EINTR)
			return -1;
		if (pfd.revents & POLLIN &&
		    !ibv_get_cq_event(q->ch, &ev_cq, &ev_ctx))
			ibv_ack_cq_events(ev_cq, 1);
		if ((n = ibv_poll_cq(q->cq, 1, wc)))
			return n;
		if (clock_ns() - t0 > QP_WAIT_NS)
			return 0;
	}
}

int qp_rdma(struct loop_qp *q, enum qp_op op, struct ibv_mr *mr, uint64_t addr,
	    uint32_t len, uint64_t *ns, char *err, size_t errlen)
{
	struct ibv_sge sge = {
		.addr = (uintptr_t)q->bounce,
		.length = len,
		.lkey = q->bounce_mr->lkey,
	};
	struct ibv_send_wr wr = {
		.wr_id = addr,
		.sg_list = &sge,
		.num_sge = 1,
		.opcode = op == QP_READ ? IBV_WR_RDMA_READ : IBV_WR_RDMA_WRITE,
		.send_flags = IBV_SEND_SIGNALED,
		.wr.rdma = { .remote_addr = addr, .rkey = mr->rkey },
	}, *bad;
	const char *what = op == QP_READ ? "RDMA READ" : "RDMA WRITE";
	struct ibv_wc wc;
	uint64_t t0, t1;
	int rc, n;

	if (len > q->bounce_len) {
		snprintf(err, errlen,
			 "%s of %u bytes exceeds the %u-byte bounce buffer",
			 what, len, q->bounce_len);
		return EINVAL;
	}
	q->last_status = -1;
	t0 = clock_ns();
	if ((rc = ibv_post_send(q->qp, &wr, &bad))) {
		snprintf(err, errlen, "posting an %s failed: %s", what,
			 strerror(rc));
		return rc;
	}
	n = wait_one(q, &wc, t0);
	t1 = clock_ns();
	*ns = t1 - t0;
	if (n < 0) {
		snprintf(err, errlen, "polling the CQ after an %s failed",
			 what);
		return EIO;
	}
	if (n == 0) {
		snprintf(err, errlen,
			 "no completion for an %s at 0x%llx within 10 s", what,
			 (unsigned long long)addr);
		return ETIMEDOUT;
	}
	q->last_status = wc.status;
	if (wc.status != IBV_WC_SUCCESS) {
		snprintf(err, errlen,
			 "%s at 0x%llx completed with %s (vendor error 0x%x)",
			 what, (unsigned long long)addr,
			 ibv_wc_status_str(wc.status), wc.vendor_err);
		return EIO;
	}
	return 0;
}
