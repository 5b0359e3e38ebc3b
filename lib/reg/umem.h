/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_REG_UMEM_H
#define MRBENCH_REG_UMEM_H

#include "reg/reg.h"

/* What ib_umem_get() asks of GUP for an access, on the running kernel:
 * the rule of every verbs registrar that pins (regular, iova). */
void umem_expect(const struct reg_env *env, const struct mem_region *r,
		 int access, bool prefault, struct reg_expect *e);

#endif
