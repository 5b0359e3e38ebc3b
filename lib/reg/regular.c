// SPDX-License-Identifier: GPL-2.0
/*
 * regular: ibv_reg_mr / ibv_dereg_mr. The kernel (ib_umem_get) pins the
 * range with pin_user_pages_fast(FOLL_LONGTERM), adding FOLL_WRITE when
 * any write access is asked for, so every base page shows once in
 * nr_foll_pin_acquired.
 */
#include <errno.h>

#include "kver.h"
#include "reg/reg.h"

static int regular_reg(const struct reg_env *env, struct mem_region *r,
		       int access, void **handle)
{
	return reg_mr_handle(ibv_reg_mr(env->verbs->pd, r->addr, r->size, access),
			     handle);
}

/* ib_access_writable(): the accesses for which ib_umem_get adds FOLL_WRITE. */
#define WRITABLE (IBV_ACCESS_LOCAL_WRITE | IBV_ACCESS_REMOTE_WRITE | \
		  IBV_ACCESS_REMOTE_ATOMIC | IBV_ACCESS_MW_BIND)

/*
 * The kernel's rules for a long-term pin, as selftests/mm/gup_longterm.c
 * states them:
 * - FS-DAX: check_vma_flags() refuses FOLL_LONGTERM on a DAX file mapping
 *   with EOPNOTSUPP (whatever the access) on every kernel we run.
 * - Writable pins of MAP_SHARED file mappings whose filesystem tracks
 *   dirty pages (ext4, xfs, btrfs; not tmpfs or hugetlbfs) fail with
 *   EFAULT since Linux 6.5, "mm/gup: disallow FOLL_LONGTERM GUP-nonfast
 *   writing to file-backed mappings" and its GUP-fast twin (Lorenzo
 *   Stoakes); before that they were allowed.
 * - Up to Linux 6.1, ib_umem_get asked for FOLL_WRITE | FOLL_FORCE even
 *   for read-only registrations; "RDMA/umem: remove FOLL_FORCE usage"
 *   (David Hildenbrand, 6.2) made them plain reads. A read-only long-term
 *   pin of untouched anonymous memory still gets real pages rather than
 *   the shared zero page (GUP unshares it for FOLL_LONGTERM), so every
 *   page is counted: seen over rxe on 6.12.
 * - A mapping without PROT_WRITE: check_vma_flags() fails FOLL_WRITE on a
 *   VMA without VM_WRITE with EFAULT unless FOLL_FORCE is set and the
 *   mapping is private (COW) and not hugetlb ("mm/gup: disallow
 *   FOLL_FORCE|FOLL_WRITE on hugetlb mappings", 6.0). So a writable MR
 *   there fails on every kernel; a read-only MR fails up to 6.1 on shared
 *   or hugetlb mappings (6.1's FOLL_WRITE | FOLL_FORCE) and succeeds on a
 *   private one, where FOLL_FORCE breaks COW; since 6.2 it is a plain
 *   read and succeeds everywhere.
 */
static void regular_expect(const struct reg_env *env, const struct mem_region *r,
			   int access, bool prefault, struct reg_expect *e)
{
	int kv = kver_running();
	bool writable = access & WRITABLE || kv < KVER(6, 2, 0);
	size_t pages = mem_round_up(r->size, mem_base_page()) / mem_base_page();

	e->outcome = "ok";
	e->pins = (long long)pages;
	if (r->flags & MEM_FSDAX) {
		e->outcome = "EOPNOTSUPP";
		e->pins = 0;
	} else if ((r->flags & MEM_READONLY) &&
		   (access & WRITABLE ||
		    (kv < KVER(6, 2, 0) && r->flags & (MEM_SHARED | MEM_HUGETLB)))) {
		e->outcome = "EFAULT";
		e->pins = 0;
	} else if (writable && (r->flags & MEM_SHARED) &&
		   (r->flags & MEM_DIRTY_TRACKED) && kv >= KVER(6, 5, 0)) {
		e->outcome = "EFAULT";
		e->pins = 0;
	}
}

const struct registrar reg_regular = {
	.name = "regular",
	.help = "ibv_reg_mr: a long-term pin of every page (FOLL_LONGTERM)",
	.flags = REG_NEEDS_VERBS | REG_MEMLOCK,
	.reg = regular_reg,
	.dereg = reg_dereg_mr,
	.expect = regular_expect,
};
