// SPDX-License-Identifier: GPL-2.0
/*
 * odp-implicit: an implicit ODP MR (address 0, length SIZE_MAX) covers the
 * whole address space; the driver builds its page table lazily, per range,
 * as ranges are used. Registration here is the implicit MR plus a
 * synchronous prefetch of the region, the first use of that range, so the
 * figure compares with odp-prefetch.
 */
#include <errno.h>
#include <stdint.h>

#include "reg/odp_common.h"

static int implicit_probe(const struct reg_env *env, char *reason, size_t len)
{
#if HAVE_DECL_IBV_ACCESS_ON_DEMAND
	return odp_probe(env, IBV_ODP_SUPPORT_IMPLICIT, reason, len);
#else
	return odp_probe(env, 0, reason, len);
#endif
}

static int implicit_reg(const struct reg_env *env, struct mem_region *r,
			int access, void **handle)
{
#if HAVE_DECL_IBV_ACCESS_ON_DEMAND
	struct ibv_mr *mr = ibv_reg_mr(env->verbs->pd, NULL, SIZE_MAX,
				       access | IBV_ACCESS_ON_DEMAND);
	int rc;

	if (!mr)
		return errno ? errno : EIO;
	rc = odp_prefetch(env->verbs->pd, mr, r->addr, r->size, access, true);
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

static int implicit_dereg(void *handle)
{
	return ibv_dereg_mr(handle);
}

const struct registrar reg_odp_implicit = {
	.name = "odp-implicit",
	.help = "implicit ODP MR (0, SIZE_MAX) + synchronous prefetch of the range",
	.flags = REG_NEEDS_VERBS,
	.probe = implicit_probe,
	.reg = implicit_reg,
	.dereg = implicit_dereg,
	.expect = odp_expect,
	.unsupported = odp_unsupported,
};
