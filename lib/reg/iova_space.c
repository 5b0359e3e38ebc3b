// SPDX-License-Identifier: GPL-2.0
/*
 * IOVA windows for the registrars that map memory into an IOMMU domain
 * (vfio, iommufd). A map outside the domain's ranges is refused with
 * EINVAL (vfio_iommu_iova_dma_valid(), iopt_check_iova()), and two maps
 * may not overlap, so each region takes the next free window that fits
 * in one range, aligned so that huge pages can be mapped with huge IOMMU
 * pages. Pure logic: tested in tests/unit/test-iova-space.c.
 */
#include <errno.h>

#include "reg/iova_space.h"

int iova_add_range(struct iova_space *s, uint64_t start, uint64_t last)
{
	if (s->n == IOVA_MAX_RANGES || last < start)
		return -1;
	s->start[s->n] = start;
	s->last[s->n++] = last;
	return 0;
}

int iova_alloc(struct iova_space *s, uint64_t len, uint64_t align,
	       uint64_t *iova)
{
	uint64_t next = s->used ? s->used_last + 1 : 0;

	if (!len || !align || (align & (align - 1)))
		return EINVAL;
	if (s->used && !next) /* the top address is taken */
		return ENOSPC;
	for (unsigned i = 0; i < s->n; i++) {
		uint64_t lo = s->start[i] > next ? s->start[i] : next;
		/* Aligning up past the top wraps to a small number. */
		uint64_t at = (lo + align - 1) & ~(align - 1);

		if (at < lo || at > s->last[i] || len - 1 > s->last[i] - at)
			continue;
		*iova = at;
		s->used_last = at + len - 1;
		s->used = 1;
		return 0;
	}
	return ENOSPC;
}

/* Huge pages map to huge IOMMU pages only at an IOVA aligned like them. */
#define WINDOW_ALIGN (2ULL << 20)

int iova_window_for(struct iova_space *s, uint64_t size, uint64_t base_page,
		    uint64_t page_size, struct iova_window *w)
{
	if (!base_page || (base_page & (base_page - 1)))
		return EINVAL;
	w->len = (size + base_page - 1) & ~(base_page - 1);
	return iova_alloc(s, w->len,
			  page_size > WINDOW_ALIGN ? page_size : WINDOW_ALIGN,
			  &w->iova);
}
