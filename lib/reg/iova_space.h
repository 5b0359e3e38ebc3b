/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_REG_IOVA_SPACE_H
#define MRBENCH_REG_IOVA_SPACE_H

#include <stddef.h>
#include <stdint.h>

#define IOVA_MAX_RANGES 16

/*
 * The I/O virtual addresses an IOMMU domain accepts, as the kernel
 * reports them (VFIO_IOMMU_GET_INFO's IOVA range capability, iommufd's
 * IOMMU_IOAS_IOVA_RANGES): inclusive ranges, in ascending order, with
 * the holes the platform reserves (the MSI window, RMRRs) left out.
 * Every region registered through one domain gets a window of its own,
 * handed out in order; all go back at once when the domain is closed.
 */
struct iova_space {
	uint64_t start[IOVA_MAX_RANGES], last[IOVA_MAX_RANGES];
	unsigned n;
	uint64_t used_last; /* the last address handed out, */
	int used; /* when any was */
};

/* Add one range [start, last]; -1 when the table is full or it is empty. */
int iova_add_range(struct iova_space *s, uint64_t start, uint64_t last);
/*
 * A window of len bytes aligned to align (a power of two) inside one
 * range: 0 and its address in *iova, or ENOSPC.
 */
int iova_alloc(struct iova_space *s, uint64_t len, uint64_t align,
	       uint64_t *iova);

/* A region's window in a domain. */
struct iova_window {
	uint64_t iova, len;
};

/*
 * The window for a region of size bytes made of page_size pages: whole
 * base pages long (the maps take whole IOMMU pages), aligned to its page
 * size and at least 2M. 0, or iova_alloc()'s error.
 */
int iova_window_for(struct iova_space *s, uint64_t size, uint64_t base_page,
		    uint64_t page_size, struct iova_window *w);

#endif
