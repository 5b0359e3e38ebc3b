// SPDX-License-Identifier: GPL-2.0
/*
 * Which kernel functions make up each phase. Each phase lists the names
 * it has had across the kernels the lab runs (6.1, 6.12, unstable): a
 * kernel that has none of them cannot trace that phase, and says so. A
 * function's own time (its duration less that of the traced functions it
 * called) goes to its phase, so nesting decides nothing but where time
 * is cut: pin_user_pages_fast's time less its faults and migrations is
 * the walk itself.
 */
#include <fnmatch.h>
#include <stddef.h>

#include "trace/phase.h"

static const char *const pin_fns[] = {
	"pin_user_pages_fast", "pin_user_pages", "pin_user_pages_remote",
	"pin_user_pages_unlocked", "get_user_pages_fast", "memfd_pin_folios",
	/* O_DIRECT's pin (6.3+: extract, before: get) */
	"iov_iter_extract_pages", "iov_iter_get_pages2",
	/* udmabuf before memfd_pin_folios (6.1): a page cache lookup */
	"shmem_read_mapping_page_gfp",
	/* mlock's walk: GUP without a pin */
	"populate_vma_page_range", NULL
};

/* Zeroing a fresh page happens inside the fault that allocates it. */
static const char *const fault_fns[] = { "handle_mm_fault", NULL };

/*
 * A long-term pin checks every page for one it may not keep where it is
 * (6.1: check_and_migrate_movable_pages; 6.12: ..._folios and the
 * collect/migrate pair), drains the LRU caches and migrates.
 */
static const char *const migrate_fns[] = { "check_and_migrate_movable_pages",
					   "check_and_migrate_movable_folios",
					   "collect_longterm_unpinnable_pages",
					   "collect_longterm_unpinnable_folios",
					   "migrate_longterm_unpinnable_pages",
					   "migrate_longterm_unpinnable_folios",
					   "lru_add_drain_all",
					   "migrate_pages",
					   NULL };

/*
 * The umem: its own loop over the pins, the sg table, the DMA map. For
 * the registrars that map into an IOMMU domain themselves (vfio,
 * iommufd): the IOMMU API's map and unmap, once per contiguous run, and
 * the IOTLB flush after an unmap (iommu_iotlb_sync() is inline: its
 * driver's callback). And the mapping videobuf2's vmalloc allocator
 * makes of pinned user pages in the kernel's address space, its
 * counterpart of a DMA map.
 */
static const char *const dma_fns[] = { "ib_umem_get",
				       "ib_umem_odp_get",
				       "ib_umem_dmabuf_get*",
				       "sg_alloc_append_table_from_pages",
				       "__sg_alloc_table_from_pages",
				       "dma_map_sgtable",
				       "dma_map_sg_attrs",
				       "dma_unmap_sg_attrs",
				       "ib_dma_virt_map_sg",
				       "iommu_map",
				       "iommu_unmap",
				       "iommu_unmap_fast",
				       "intel_iommu_tlb_sync",
				       "amd_iommu_iotlb_sync",
				       "arm_smmu_iotlb_sync",
				       "vm_map_ram",
				       "vm_unmap_ram",
				       NULL };

/* A driver's own MR work: rxe_reg_user_mr, mlx5_ib_reg_user_mr... */
static const char *const driver_fns[] = { "*_reg_user_mr", "*_dereg_mr",
					  "*_reg_user_mr_dmabuf", "*_advise_mr",
					  NULL };

/*
 * The releases, once per operation or batch. Not the per-page and
 * per-range unpins inside them (unpin_user_page for each io_uring page,
 * unpin_user_page_range_dirty_lock for each of the umem's ranges): they
 * are the same phase, and tracing them multiplied a 64M io_uring
 * deregistration's time by 20. io_uring's release moved from
 * io_buffer_unmap (6.1, 6.12) to io_free_rsrc_node, once per buffer (on
 * 7.2 io_buffer_unmap and the buffer's release callback io_release_ubuf
 * are inlined into it; other builds may call the callback); udmabuf's
 * pages go in release_udmabuf when the last reference is put; vfio's in
 * vfio_unmap_unpin, once per unmap, around the IOMMU unmaps (dma); a
 * videobuf2 USERPTR buffer's in its allocator's put_userptr, which also
 * marks a capture buffer's pages dirty, page by page.
 */
static const char *const unpin_fns[] = {
	"ib_umem_release",   "io_buffer_unmap",
	"io_free_rsrc_node", "io_release_ubuf",
	"release_udmabuf",   "unpin_user_pages",
	"unpin_folios",	     "__bio_release_pages",
	"vfio_unmap_unpin",  "vb2_*_put_userptr",
	NULL
};

/*
 * Off the CPU: the tracer marks every stretch the thread spends switched
 * out (sched_switch events), asleep or preempted. The waits are traced by
 * name as well, so that the events show what was waited for (io_uring
 * before 6.2 waits for its resource nodes to quiesce when buffers are
 * unregistered). Not schedule itself: patching its call site while
 * function_graph starts up oopsed 7.2 under qemu (RIP schedule+0x5, in
 * tracing_set_tracer), once in a few boots.
 */
static const char *const wait_fns[] = {
	"wait_for_completion*", "synchronize_rcu*",
	"synchronize_srcu",	"rcu_barrier",
	"flush_work",		"flush_delayed_work",
	"io_rsrc_ref_quiesce",	NULL
};

const struct phase_desc phase_table[PHASE_COUNT] = {
	[PHASE_USER] = { "user", "user space", NULL },
	[PHASE_ENTRY] = { "entry",
			  "syscall and registrar bookkeeping (uverbs, io_uring)",
			  NULL },
	[PHASE_PIN] = { "pin", "pin walk (GUP)", pin_fns },
	[PHASE_FAULT] = { "fault", "fault-in and zeroing", fault_fns },
	[PHASE_MIGRATE] = { "migrate", "migration", migrate_fns },
	[PHASE_DMA] = { "dma", "umem, sg table, DMA mapping", dma_fns },
	[PHASE_DRIVER] = { "driver", "driver", driver_fns },
	[PHASE_UNPIN] = { "unpin", "unpin and release", unpin_fns },
	[PHASE_WAIT] = { "wait", "off the CPU: asleep or preempted", wait_fns },
	[PHASE_OTHER] = { "other", "other kernel time", NULL },
};

static int matches(const char *function, const char *const *globs)
{
	for (; globs && *globs; globs++)
		if (!fnmatch(*globs, function, 0))
			return 1;
	return 0;
}

int phase_of(const char *function, const char *const *entry)
{
	if (matches(function, entry))
		return PHASE_ENTRY;
	for (int p = 0; p < PHASE_COUNT; p++)
		if (matches(function, phase_table[p].functions))
			return p;
	return -1;
}
