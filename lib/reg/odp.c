// SPDX-License-Identifier: GPL-2.0
/* odp: an explicit ODP MR over the region, ibv_reg_mr(IBV_ACCESS_ON_DEMAND). */
#include "reg/odp_common.h"

#define ODP_HELP "explicit ODP MR: no pins, the device faults pages in"

#ifdef ODP_BUILT
static int odp_reg_explicit(const struct reg_env *env, struct mem_region *r,
			    int access, void **handle)
{
	return odp_reg(env, r->addr, r->size, r, access, ODP_NO_PREFETCH, handle);
}

const struct registrar reg_odp = {
	.name = "odp",
	.help = ODP_HELP,
	.flags = REG_NEEDS_VERBS,
	.probe = odp_probe_explicit,
	.reg = odp_reg_explicit,
	.dereg = reg_dereg_mr,
	.trace_entry = reg_verbs_entry,
	.expect = odp_expect,
};
#else
const struct registrar reg_odp = {
	.name = "odp",
	.help = ODP_HELP,
	.flags = REG_NEEDS_VERBS,
	.unimplemented = ODP_MISSING,
};
#endif
