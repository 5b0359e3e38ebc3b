/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_REG_ODP_COMMON_H
#define MRBENCH_REG_ODP_COMMON_H

#include "reg/reg.h"

/* What the ODP registrars share: capability checks and prefetching. */
int odp_probe(const struct reg_env *env, uint32_t need_caps, char *reason,
	      size_t len);
/* ibv_advise_mr over the region, in chunks an SGE can hold. */
int odp_prefetch(struct ibv_pd *pd, struct ibv_mr *mr, void *addr,
		 size_t size, int access, bool sync);
void odp_expect(const struct reg_env *env, const struct mem_region *r,
		int access, bool prefault, struct reg_expect *e);
bool odp_unsupported(int err, char *reason, size_t len);

#endif
