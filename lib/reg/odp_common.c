// SPDX-License-Identifier: GPL-2.0
/*
 * On-demand paging: the MR holds no pins; the device faults pages in
 * through the driver's MMU-notifier-backed page table (hmm_range_fault),
 * and the kernel invalidates them when the CPU page tables change.
 */
#include <errno.h>
#include <stdio.h>

#include "reg/odp_common.h"

#ifdef ODP_BUILT
int odp_probe(const struct reg_env *env, uint32_t need_caps, char *reason,
	      size_t len)
{
	const struct verbs_ctx *v = env->verbs;

	if (!verbs_has_odp(v, reason, len))
		return -1;
	if ((v->attr.odp_caps.general_caps & need_caps) != need_caps) {
		snprintf(reason, len, "device %s has no implicit ODP (IBV_ODP_SUPPORT_IMPLICIT)",
			 v->dev_name);
		return -1;
	}
	return 0;
}

int odp_probe_explicit(const struct reg_env *env, char *reason, size_t len)
{
	return odp_probe(env, 0, reason, len);
}

#ifdef ODP_PREFETCH_BUILT
/* ibv_advise_mr over the region, in pieces an SGE's 32-bit length holds. */
static int prefetch(struct ibv_pd *pd, struct ibv_mr *mr,
		    const struct mem_region *r, int access, bool sync)
{
	const size_t chunk = 1UL << 30;
	enum ibv_advise_mr_advice advice = access & IBV_ACCESS_LOCAL_WRITE ?
		IBV_ADVISE_MR_ADVICE_PREFETCH_WRITE : IBV_ADVISE_MR_ADVICE_PREFETCH;

	for (size_t off = 0; off < r->size; off += chunk) {
		struct ibv_sge sge = {
			.addr = (uintptr_t)r->addr + off,
			.length = (uint32_t)(r->size - off < chunk ? r->size - off : chunk),
			.lkey = mr->lkey,
		};
		int rc = ibv_advise_mr(pd, advice, sync ? IBV_ADVISE_MR_FLAG_FLUSH : 0,
				       &sge, 1);

		if (rc)
			return rc;
	}
	return 0;
}
#else
/* Never called: the prefetching registrars are unimplemented then. */
static int prefetch(struct ibv_pd *pd, struct ibv_mr *mr,
		    const struct mem_region *r, int access, bool sync)
{
	return EOPNOTSUPP;
}
#endif

int odp_reg(const struct reg_env *env, void *mr_addr, size_t mr_len,
	    const struct mem_region *r, int access, enum odp_prefetch_mode mode,
	    void **handle)
{
	struct ibv_pd *pd = env->verbs->pd;
	int rc = reg_mr_handle(ibv_reg_mr(pd, mr_addr, mr_len,
					  access | IBV_ACCESS_ON_DEMAND),
			       handle);

	if (rc || mode == ODP_NO_PREFETCH)
		return rc;
	rc = prefetch(pd, *handle, r, access, mode == ODP_PREFETCH_SYNC);
	if (rc)
		ibv_dereg_mr(*handle);
	return rc;
}

/* ODP never pins: nr_foll_pin_acquired must not move. */
void odp_expect(const struct reg_env *env, const struct mem_region *r,
		int access, bool prefault, struct reg_expect *e)
{
	e->outcome = "ok";
	e->pins = 0;
}

bool odp_unsupported(int err, char *reason, size_t len)
{
	if (err != EOPNOTSUPP && err != ENOSYS)
		return false;
	snprintf(reason, len, "the provider does not implement ibv_advise_mr");
	return true;
}
#endif
