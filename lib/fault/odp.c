// SPDX-License-Identifier: GPL-2.0
/*
 * ODP helpers for the fault scenarios: what the device can do, an ODP MR
 * over a region (explicit) or over the whole address space (implicit),
 * and a synchronous prefetch. The registrars' probe (lib/reg/odp_common.c)
 * states the capability rules; this adds the RC transport's, which the
 * loopback QP needs.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "fault/fault.h"
#include "reg/odp_common.h"

int fault_odp_probe(struct fault_env *env, bool implicit, char *reason,
		    size_t len)
{
#if HAVE_DECL_IBV_ACCESS_ON_DEMAND
	const uint32_t rc_need = IBV_ODP_SUPPORT_READ | IBV_ODP_SUPPORT_WRITE;
	const struct verbs_ctx *v = env->reg.verbs;

	if (!v) {
		snprintf(reason, len, "no RDMA device");
		return -1;
	}
	if (odp_probe(&env->reg, implicit ? IBV_ODP_SUPPORT_IMPLICIT : 0,
		      reason, len))
		return -1;
	if ((v->attr.odp_caps.per_transport_caps.rc_odp_caps & rc_need) !=
	    rc_need) {
		snprintf(
			reason, len,
			"device %s has no ODP RDMA READ/WRITE on RC (rc_odp_caps 0x%x)",
			v->dev_name,
			v->attr.odp_caps.per_transport_caps.rc_odp_caps);
		return -1;
	}
	if (!env->qp) {
		snprintf(reason, len, "%s", env->no_qp);
		return -1;
	}
	return 0;
#else
	snprintf(reason, len, "libibverbs built without IBV_ACCESS_ON_DEMAND");
	return -1;
#endif
}

struct ibv_mr *fault_odp_reg(struct fault_env *env, void *addr, size_t len,
			     bool implicit, int *err)
{
#if HAVE_DECL_IBV_ACCESS_ON_DEMAND
	int access = IBV_ACCESS_LOCAL_WRITE | IBV_ACCESS_REMOTE_READ |
		     IBV_ACCESS_REMOTE_WRITE | IBV_ACCESS_ON_DEMAND;
	struct ibv_mr *mr =
		implicit ?
			ibv_reg_mr(env->reg.verbs->pd, NULL, SIZE_MAX, access) :
			ibv_reg_mr(env->reg.verbs->pd, addr, len, access);

	*err = mr ? 0 : errno;
	return mr;
#else
	*err = EOPNOTSUPP;
	return NULL;
#endif
}

int fault_odp_prefetch(struct fault_env *env, struct ibv_mr *mr, void *addr,
		       size_t len)
{
#if HAVE_DECL_IBV_ADVISE_MR
	struct ibv_sge sge = {
		.addr = (uintptr_t)addr,
		.length = (uint32_t)len,
		.lkey = mr->lkey,
	};

	return ibv_advise_mr(env->reg.verbs->pd,
			     IBV_ADVISE_MR_ADVICE_PREFETCH_WRITE,
			     IBV_ADVISE_MR_FLAG_FLUSH, &sge, 1);
#else
	return EOPNOTSUPP;
#endif
}
