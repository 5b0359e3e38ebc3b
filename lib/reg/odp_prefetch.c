// SPDX-License-Identifier: GPL-2.0
/*
 * odp-prefetch, odp-prefetch-async: an explicit ODP MR, then
 * ibv_advise_mr(PREFETCH_WRITE) over the whole range, synchronous
 * (IBV_ADVISE_MR_FLAG_FLUSH: returns once the pages are mapped in the
 * device) or asynchronous (returns once the work is queued). Together they
 * are the cost of making an ODP range device-ready up front.
 */
#include "reg/odp_common.h"

#define SYNC_HELP "explicit ODP MR + synchronous ibv_advise_mr(PREFETCH_WRITE)"
#define ASYNC_HELP "explicit ODP MR + asynchronous ibv_advise_mr(PREFETCH_WRITE)"

#ifdef ODP_PREFETCH_BUILT
static int prefetch_sync_reg(const struct reg_env *env, struct mem_region *r,
			     int access, void **handle)
{
	return odp_reg(env, r->addr, r->size, r, access, ODP_PREFETCH_SYNC, handle);
}

static int prefetch_async_reg(const struct reg_env *env, struct mem_region *r,
			      int access, void **handle)
{
	return odp_reg(env, r->addr, r->size, r, access, ODP_PREFETCH_ASYNC, handle);
}

const struct registrar reg_odp_prefetch = {
	.name = "odp-prefetch",
	.help = SYNC_HELP,
	.flags = REG_NEEDS_VERBS,
	.probe = odp_probe_explicit,
	.reg = prefetch_sync_reg,
	.dereg = reg_dereg_mr,
	.trace_entry = reg_verbs_entry,
	.expect = odp_expect,
	.unsupported = odp_unsupported,
};

const struct registrar reg_odp_prefetch_async = {
	.name = "odp-prefetch-async",
	.help = ASYNC_HELP,
	.flags = REG_NEEDS_VERBS,
	.probe = odp_probe_explicit,
	.reg = prefetch_async_reg,
	.dereg = reg_dereg_mr,
	.trace_entry = reg_verbs_entry,
	.expect = odp_expect,
	.unsupported = odp_unsupported,
};
#else
const struct registrar reg_odp_prefetch = {
	.name = "odp-prefetch",
	.help = SYNC_HELP,
	.flags = REG_NEEDS_VERBS,
	.unimplemented = ODP_PREFETCH_MISSING,
};

const struct registrar reg_odp_prefetch_async = {
	.name = "odp-prefetch-async",
	.help = ASYNC_HELP,
	.flags = REG_NEEDS_VERBS,
	.unimplemented = ODP_PREFETCH_MISSING,
};
#endif
