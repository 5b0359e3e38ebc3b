// SPDX-License-Identifier: GPL-2.0
/*
 * iova: ibv_reg_mr_iova2, an MR whose I/O virtual address is not the
 * buffer's, as communication libraries and GPU memory managers register
 * (a window of their own address space, zero-based keys). The pin is
 * ib_umem_get()'s, as for regular; what differs is the driver's page
 * size choice: ib_umem_find_best_pgsz() can map a block only where the
 * IOVA and the address agree in the bits below it. So the IOVA keeps the
 * buffer's offset within 1 GiB, and a 2 MiB or 1 GiB page still maps as
 * one block.
 */
#include <stdint.h>

#include "reg/umem.h"

#define IOVA_HELP "ibv_reg_mr_iova2: the regular pin at an IOVA of its own"

#if HAVE_DECL_IBV_REG_MR_IOVA2
/* Far from any user address of x86-64 or arm64 (47 or 48 bits). */
#define IOVA_BASE (1ULL << 52)
#define IOVA_KEEP ((1ULL << 30) - 1)

static int iova_reg(const struct reg_env *env, struct mem_region *r,
		    int access, void **handle)
{
	uint64_t iova = IOVA_BASE | ((uintptr_t)r->addr & IOVA_KEEP);

	return reg_mr_handle(ibv_reg_mr_iova2(env->verbs->pd, r->addr, r->size,
					      iova, (unsigned)access),
			     handle);
}

const struct registrar reg_iova = {
	.name = "iova",
	.help = IOVA_HELP,
	.flags = REG_NEEDS_VERBS | REG_MEMLOCK,
	.reg = iova_reg,
	.dereg = reg_dereg_mr,
	.trace_entry = reg_verbs_entry,
	.expect = umem_expect,
};
#else
const struct registrar reg_iova = {
	.name = "iova",
	.help = IOVA_HELP,
	.flags = REG_NEEDS_VERBS | REG_MEMLOCK,
	.unimplemented = "libibverbs has no ibv_reg_mr_iova2 (rdma-core < 29)",
};
#endif
