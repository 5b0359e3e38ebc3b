// SPDX-License-Identifier: GPL-2.0
/* odp: an explicit ODP MR over the region, ibv_reg_mr(IBV_ACCESS_ON_DEMAND). */
#include <errno.h>

#include "reg/odp_common.h"

static int odp_probe_explicit(const struct reg_env *env, char *reason, size_t len)
{
	return odp_probe(env, 0, reason, len);
}

static int odp_reg(const struct reg_env *env, struct mem_region *r, int access,
		   void **handle)
{
#if HAVE_DECL_IBV_ACCESS_ON_DEMAND
	struct ibv_mr *mr = ibv_reg_mr(env->verbs->pd, r->addr, r->size,
				       access | IBV_ACCESS_ON_DEMAND);

	if (!mr)
		return errno ? errno : EIO;
	*handle = mr;
	return 0;
#else
	return EOPNOTSUPP;
#endif
}

static int odp_dereg(void *handle)
{
	return ibv_dereg_mr(handle);
}

const struct registrar reg_odp = {
	.name = "odp",
	.help = "explicit ODP MR: no pins, the device faults pages in",
	.flags = REG_NEEDS_VERBS,
	.probe = odp_probe_explicit,
	.reg = odp_reg,
	.dereg = odp_dereg,
	.expect = odp_expect,
};
