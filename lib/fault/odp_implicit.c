// SPDX-License-Identifier: GPL-2.0
/*
 * odp-implicit: first touch and invalidation through an implicit ODP MR
 * (ibv_reg_mr(pd, NULL, SIZE_MAX, ...ON_DEMAND)), which covers the whole
 * address space and builds its child MRs as the device faults. A device
 * without IBV_ODP_SUPPORT_IMPLICIT makes it unsupported.
 */
#include "fault/fault.h"

static int implicit_run(struct fault_env *env)
{
	char reason[300];

	if (fault_odp_probe(env, true, reason, sizeof(reason)))
		return fault_unsupported(env, "odp-implicit", "odp-implicit",
					 reason);
	return fault_odp_touch_cells(env, true) ||
	       fault_odp_inval_cells(env, true);
}

const struct fault_scenario fault_odp_implicit = {
	.name = "odp-implicit",
	.help = "the ODP scenarios through an implicit ODP MR",
	.flags = FAULT_NEEDS_QP,
	.run = implicit_run,
};
