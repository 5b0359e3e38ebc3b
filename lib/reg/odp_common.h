/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_REG_ODP_COMMON_H
#define MRBENCH_REG_ODP_COMMON_H

#include "reg/reg.h"

/*
 * What the ODP registrars share: capability checks, registration and
 * prefetching. A libibverbs without ODP, or without ibv_advise_mr for the
 * prefetching ones, gets the registrars' unimplemented descriptors.
 */
#if HAVE_DECL_IBV_ACCESS_ON_DEMAND
#define ODP_BUILT 1
#endif
#if HAVE_DECL_IBV_ACCESS_ON_DEMAND && HAVE_DECL_IBV_ADVISE_MR
#define ODP_PREFETCH_BUILT 1
#endif
#define ODP_MISSING "libibverbs built without IBV_ACCESS_ON_DEMAND"
#define ODP_PREFETCH_MISSING \
	"libibverbs built without IBV_ACCESS_ON_DEMAND or ibv_advise_mr"

enum odp_prefetch_mode { ODP_NO_PREFETCH, ODP_PREFETCH_SYNC, ODP_PREFETCH_ASYNC };

int odp_probe(const struct reg_env *env, uint32_t need_caps, char *reason,
	      size_t len);
int odp_probe_explicit(const struct reg_env *env, char *reason, size_t len);
/*
 * An ODP MR over [mr_addr, mr_addr + mr_len) (NULL, SIZE_MAX: implicit),
 * then, as mode says, a prefetch of the region through it.
 */
int odp_reg(const struct reg_env *env, void *mr_addr, size_t mr_len,
	    const struct mem_region *r, int access, enum odp_prefetch_mode mode,
	    void **handle);
void odp_expect(const struct reg_env *env, const struct mem_region *r,
		int access, bool prefault, struct reg_expect *e);
bool odp_unsupported(int err, char *reason, size_t len);

#endif
