// SPDX-License-Identifier: GPL-2.0
/*
 * ib_umem_get(), where every pinning verbs registration ends up: it pins
 * the range with pin_user_pages_fast(FOLL_LONGTERM), adding FOLL_WRITE
 * when any write access is asked for, so every base page shows once in
 * nr_foll_pin_acquired.
 */
#include "kernel/kver.h"
#include "reg/longterm.h"
#include "reg/umem.h"

/*
 * Up to Linux 6.1, ib_umem_get asked for FOLL_WRITE | FOLL_FORCE even for
 * read-only registrations; "RDMA/umem: remove FOLL_FORCE usage" (David
 * Hildenbrand, 6.2) made them plain reads. So a read-only MR of a mapping
 * without PROT_WRITE fails up to 6.1 on shared or hugetlb mappings and
 * succeeds on a private one, where FOLL_FORCE breaks COW. The rest is
 * GUP's: lib/reg/longterm.c.
 */
void umem_expect(const struct reg_env *env, const struct mem_region *r,
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
