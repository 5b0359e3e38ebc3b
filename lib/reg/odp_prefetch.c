// SPDX-License-Identifier: GPL-2.0
/*
 * odp-prefetch, odp-prefetch-async: an explicit ODP MR, then
 * ibv_advise_mr(PREFETCH_WRITE) over the whole range, synchronous
 * (IBV_ADVISE_MR_FLAG_FLUSH: returns once the pages are mapped in the
 * device) or asynchronous (returns once the work is queued). Together they
 * are the cost of making an ODP range device-ready up front.
 */
#include <errno.h>

#include "reg/odp_common.h"

struct prefetch_mr {
	struct ibv_mr *mr;
};

static int prefetch_probe(const struct reg_env *env, char *reason, size_t len)
{
	return odp_probe(env, 0, reason, len);
}

static int reg_and_prefetch(const struct reg_env *env, struct mem_region *r,
			    int access, void **handle, bool sync)
{
#if HAVE_DECL_IBV_ACCESS_ON_DEMAND
	struct ibv_mr *mr = ibv_reg_mr(env->verbs->pd, r->addr, r->size,
				       access | IBV_ACCESS_ON_DEMAND);
	int rc;

	if (!mr)
		return errno ? errno : EIO;
	rc = odp_prefetch(env->verbs->pd, mr, r->addr, r->size, access, sync);
	if (rc) {
		ibv_dereg_mr(mr);
		return rc;
	}
	*handle = mr;
	return 0;
#else
	return EOPNOTSUPP;
#endif
}

static int prefetch_sync_reg(const struct reg_env *env, struct mem_region *r,
			     int access, void **handle)
{
	return reg_and_prefetch(env, r, access, handle, true);
}

static int prefetch_async_reg(const struct reg_env *env, struct mem_region *r,
			      int access, void **handle)
{
	return reg_and_prefetch(env, r, access, handle, false);
}

static int prefetch_dereg(void *handle)
{
	return ibv_dereg_mr(handle);
}

const struct registrar reg_odp_prefetch = {
	.name = "odp-prefetch",
	.help = "explicit ODP MR + synchronous ibv_advise_mr(PREFETCH_WRITE)",
	.flags = REG_NEEDS_VERBS,
	.probe = prefetch_probe,
	.reg = prefetch_sync_reg,
	.dereg = prefetch_dereg,
	.expect = odp_expect,
	.unsupported = odp_unsupported,
};

const struct registrar reg_odp_prefetch_async = {
	.name = "odp-prefetch-async",
	.help = "explicit ODP MR + asynchronous ibv_advise_mr(PREFETCH_WRITE)",
	.flags = REG_NEEDS_VERBS,
	.probe = prefetch_probe,
	.reg = prefetch_async_reg,
	.dereg = prefetch_dereg,
	.expect = odp_expect,
	.unsupported = odp_unsupported,
};
