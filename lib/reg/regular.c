// SPDX-License-Identifier: GPL-2.0
/*
 * regular: ibv_reg_mr / ibv_dereg_mr. The kernel (ib_umem_get) pins the
 * range with pin_user_pages_fast(FOLL_LONGTERM), adding FOLL_WRITE when
 * any write access is asked for, so every base page shows once in
 * nr_foll_pin_acquired.
 */
#include <errno.h>

#include "kernel/kver.h"
#include "reg/longterm.h"

static int regular_reg(const struct reg_env *env, struct mem_region *r,
		       int access, void **handle)
{
	return reg_mr_handle(ibv_reg_mr(env->verbs->pd, r->addr, r->size, access),
			     handle);
}

/*
 * Up to Linux 6.1, ib_umem_get asked for FOLL_WRITE | FOLL_FORCE even for
 * read-only registrations; "RDMA/umem: remove FOLL_FORCE usage" (David
 * Hildenbrand, 6.2) made them plain reads. So a read-only MR of a mapping
 * without PROT_WRITE fails up to 6.1 on shared or hugetlb mappings and
 * succeeds on a private one, where FOLL_FORCE breaks COW. The rest is
 * GUP's: lib/reg/longterm.c.
 */
static void regular_expect(const struct reg_env *env, const struct mem_region *r,
			   int access, bool prefault, struct reg_expect *e)
{
	int kv = kver_running();
	unsigned gup = LONGTERM_FAST; /* ib_umem_get: pin_user_pages_fast() */

	if (access & REG_WRITABLE)
		gup |= LONGTERM_WRITE;
	else if (kv < KVER(6, 2, 0))
		gup |= LONGTERM_WRITE | LONGTERM_FORCE;
	longterm_expect(r, gup, kv, e);
}

const struct registrar reg_regular = {
	.name = "regular",
	.help = "ibv_reg_mr: a long-term pin of every page (FOLL_LONGTERM)",
	.flags = REG_NEEDS_VERBS | REG_MEMLOCK,
	.reg = regular_reg,
	.dereg = reg_dereg_mr,
	.trace_entry = reg_verbs_entry,
	.expect = regular_expect,
};
