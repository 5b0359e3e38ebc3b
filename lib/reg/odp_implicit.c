// SPDX-License-Identifier: GPL-2.0
/*
 * odp-implicit: an implicit ODP MR (address 0, length SIZE_MAX) covers the
 * whole address space; the driver builds its page table lazily, per range,
 * as ranges are used. Registration here is the implicit MR plus a
 * synchronous prefetch of the region, the first use of that range, so the
 * figure compares with odp-prefetch.
 */
#include <stdint.h>

#include "reg/odp_common.h"

#define IMPLICIT_HELP \
	"implicit ODP MR (0, SIZE_MAX) + synchronous prefetch of the range"

#ifdef ODP_PREFETCH_BUILT
static int implicit_probe(const struct reg_env *env, char *reason, size_t len)
{
	return odp_probe(env, IBV_ODP_SUPPORT_IMPLICIT, reason, len);
}

static int implicit_reg(const struct reg_env *env, struct mem_region *r,
			int access, void **handle)
{
	return odp_reg(env, NULL, SIZE_MAX, r, access, ODP_PREFETCH_SYNC, handle);
}

const struct registrar reg_odp_implicit = {
	.name = "odp-implicit",
	.help = IMPLICIT_HELP,
	.flags = REG_NEEDS_VERBS,
	.probe = implicit_probe,
	.reg = implicit_reg,
	.dereg = reg_dereg_mr,
	.trace_entry = reg_verbs_entry,
	.expect = odp_expect,
	.unsupported = odp_unsupported,
};
#else
const struct registrar reg_odp_implicit = {
	.name = "odp-implicit",
	.help = IMPLICIT_HELP,
	.flags = REG_NEEDS_VERBS,
	.unimplemented = ODP_PREFETCH_MISSING,
};
#endif
