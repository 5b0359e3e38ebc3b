// SPDX-License-Identifier: GPL-2.0
/*
 * regular: ibv_reg_mr / ibv_dereg_mr. The kernel pins the range in
 * ib_umem_get() with FOLL_LONGTERM; its rules are lib/reg/umem.c's.
 */
#include "reg/umem.h"

static int regular_reg(const struct reg_env *env, struct mem_region *r,
		       int access, void **handle)
{
	return reg_mr_handle(ibv_reg_mr(env->verbs->pd, r->addr, r->size, access),
			     handle);
}

const struct registrar reg_regular = {
	.name = "regular",
	.help = "ibv_reg_mr: a long-term pin of every page (FOLL_LONGTERM)",
	.flags = REG_NEEDS_VERBS | REG_MEMLOCK,
	.reg = regular_reg,
	.dereg = reg_dereg_mr,
	.trace_entry = reg_verbs_entry,
	.expect = umem_expect,
};
