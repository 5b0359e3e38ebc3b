// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's rules for a long-term pin (FOLL_PIN | FOLL_LONGTERM), as
 * selftests/mm/gup_longterm.c states them, written once for every
 * registrar that takes one (regular MRs, io_uring fixed buffers). Each
 * registrar says which gup flags it asks for and adds its own rules.
 */
#include <string.h>

#include "kernel/kver.h"
#include "reg/longterm.h"

void longterm_refused(struct reg_expect *e, const char *err)
{
	e->outcome = err;
	e->pins = 0;
}

/*
 * - A mapping made by frame number (VM_IO | VM_PFNMAP: a DMA heap's
 *   dmabuf mapped with remap_pfn_range()) has no pages GUP may pin:
 *   GUP-fast leaves its special PTEs to the slow path, and
 *   check_vma_flags() refuses it with EFAULT, on every kernel we run.
 * - FS-DAX: check_vma_flags() refuses FOLL_LONGTERM on a DAX file mapping
 *   with EOPNOTSUPP (whatever the access) on every kernel we run.
 * - A mapping without PROT_WRITE: check_vma_flags() fails FOLL_WRITE on a
 *   VMA without VM_WRITE with EFAULT unless FOLL_FORCE is set and the
 *   mapping is private (COW) and not hugetlb ("mm/gup: disallow
 *   FOLL_FORCE|FOLL_WRITE on hugetlb mappings", 6.0). A read (no
 *   FOLL_WRITE) succeeds everywhere.
 * - Writable pins of MAP_SHARED file mappings whose filesystem tracks
 *   dirty pages (ext4, xfs, btrfs; not tmpfs or hugetlbfs) fail with
 *   EFAULT since Linux 6.5, "mm/gup: disallow FOLL_LONGTERM GUP-nonfast
 *   writing to file-backed mappings" and its GUP-fast twin (Lorenzo
 *   Stoakes); before that they were allowed. GUP-fast cannot see the
 *   mapping: it takes the first folio's pin, finds the folio's mapping
 *   not allowed (folio_fast_pin_allowed()) and drops it, then the slow
 *   path refuses before pinning. So a refusal through
 *   pin_user_pages_fast() counts one pin and one unpin (6.12, 7.2); the
 *   other refusals are seen by GUP-fast before it pins anything (a PTE
 *   without write permission, a DAX PTE with FOLL_LONGTERM).
 * - A read-only long-term pin of a file or shmem page under a read-only
 *   PTE must be unshared if the mapping is a private (COW) one, and
 *   GUP-fast has no VMA to tell ("mm/gup: reliable R/O long-term pinning
 *   in COW mappings", 6.2): it pins the first page, gives it back and
 *   leaves the range to the slow path, which pins every page. One pin
 *   and one unpin more than the pages (17 for 64K of a PROT_READ memfd
 *   on 6.12 and 7.2). A writable PTE, or an anonymous page (exclusive),
 *   needs no such care.
 * - A read-only long-term pin of untouched anonymous memory still gets
 *   real pages rather than the shared zero page (GUP unshares it for
 *   FOLL_LONGTERM), so every base page is counted: seen over rxe on 6.12.
 *   Since 6.2, that is: "mm/gup: reliable R/O long-term pinning in COW
 *   mappings" made gup_must_unshare() unshare any page that is not
 *   anonymous in a private mapping. Before it, only anonymous pages were
 *   unshared, GUP handed out the zero page itself and took no pin on it
 *   (try_grab_folio(): "Don't take a pin on the zero page"), so nothing
 *   is counted (vfio, which pins read-only without FOLL_FORCE, on 6.1:
 *   0 pins for 2M). The huge zero page of a THP region is pinned and
 *   counted.
 */
void longterm_expect(const struct mem_region *r, unsigned gup, int kv,
		     struct reg_expect *e)
{
	bool write = gup & LONGTERM_WRITE, force = gup & LONGTERM_FORCE;

	e->outcome = "ok";
	e->pins = (long long)(mem_round_up(r->size, mem_base_page()) /
			      mem_base_page());
	if (r->flags & MEM_PFNMAP)
		longterm_refused(e, "EFAULT");
	else if (r->flags & MEM_FSDAX)
		longterm_refused(e, "EOPNOTSUPP");
	else if ((r->flags & MEM_READONLY) && write &&
		 (!force || r->flags & (MEM_SHARED | MEM_HUGETLB)))
		longterm_refused(e, "EFAULT");
	else if (write && (r->flags & MEM_SHARED) &&
		 (r->flags & MEM_DIRTY_TRACKED) && kv >= KVER(6, 5, 0)) {
		longterm_refused(e, "EFAULT");
		e->pins = gup & LONGTERM_FAST ? 1 : 0;
	} else if (!write && (gup & LONGTERM_UNTOUCHED) && kv < KVER(6, 2, 0) &&
		   !(r->flags & (MEM_FILE | MEM_HUGETLB | MEM_THP))) {
		e->pins = 0; /* the zero page, uncounted */
	} else if (!write && (r->flags & MEM_READONLY) &&
		   (r->flags & MEM_FILE) && (gup & LONGTERM_FAST) &&
		   kv >= KVER(6, 2, 0)) {
		e->pins++;
	}
}
