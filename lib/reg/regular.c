// SPDX-License-Identifier: GPL-2.0
/*
 * regular: ibv_reg_mr / ibv_dereg_mr. The kernel (ib_umem_get) pins the
 * range with pin_user_pages_fast(FOLL_LONGTERM), adding FOLL_WRITE when
 * any write access is asked for, so every base page shows once in
 * nr_foll_pin_acquired.
 */
#include <errno.h>

#include "reg/reg.h"

static int regular_reg(const struct reg_env *env, struct mem_region *r,
		       int access, void **handle)
{
	struct ibv_mr *mr = ibv_reg_mr(env->verbs->pd, r->addr, r->size, access);

	if (!mr)
		return errno ? errno : EIO;
	*handle = mr;
	return 0;
}

static int regular_dereg(void *handle)
{
	return ibv_dereg_mr(handle);
}

const struct registrar reg_regular = {
	.name = "regular",
	.help = "ibv_reg_mr: a long-term pin of every page (FOLL_LONGTERM)",
	.flags = REG_NEEDS_VERBS | REG_PINS,
	.reg = regular_reg,
	.dereg = regular_dereg,
};
