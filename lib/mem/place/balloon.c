// SPDX-License-Identifier: GPL-2.0
/*
 * The balloon: memory held so that the page allocator serves a placement
 * from where it is wanted. For CMA it squeezes the free memory outside
 * CMA until free CMA outweighs it (__rmqueue's balance rule); to starve a
 * migration it takes every page the zones outside ZONE_MOVABLE and CMA
 * can give above their low watermarks. Either way it stays for the
 * region's life.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

#include "mem/place/balloon.h"
#include "mem/place/census.h"

#define BALLOON_CHUNK (256UL << 20)

#ifdef HAVE_LIBURING
/* io_uring takes at most 1 GiB a buffer, so longer ranges go as several. */
int longterm_pin(struct io_uring *ring, void *addr, size_t len)
{
	struct iovec iov[16];
	unsigned n = 0;
	int rc;

	for (size_t off = 0; off < len && n < 16; n++) {
		size_t l = len - off < (1UL << 30) ? len - off : (1UL << 30);

		iov[n] = (struct iovec){ (char *)addr + off, l };
		off += l;
	}
	rc = io_uring_register_buffers(ring, iov, n);
	return rc < 0 ? -rc : 0;
}
#endif

static int balloon_grow(struct balloon *b, size_t len)
{
#ifdef HAVE_LIBURING
	void *a;
	int rc;

	if (b->n == BALLOON_MAX)
		return ENOSPC;
	a = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		 -1, 0);
	if (a == MAP_FAILED)
		return errno;
	madvise(a, len, MADV_NOHUGEPAGE);
	if ((rc = -io_uring_queue_init(1, &b->ring[b->n], 0))) {
		munmap(a, len);
		return rc;
	}
	/* Untouched: the pin faults every page in, outside ZONE_MOVABLE
	 * and CMA, and holds it there. */
	if ((rc = longterm_pin(&b->ring[b->n], a, len))) {
		io_uring_queue_exit(&b->ring[b->n]);
		munmap(a, len);
		return rc;
	}
	b->addr[b->n] = a;
	b->len[b->n++] = len;
	b->bytes += len;
	return 0;
#else
	return EOPNOTSUPP;
#endif
}

void balloon_free(struct balloon *b)
{
	for (unsigned i = 0; i < b->n; i++) {
#ifdef HAVE_LIBURING
		io_uring_queue_exit(&b->ring[i]);
#endif
		munmap(b->addr[i], b->len[i]);
	}
	b->n = 0;
	b->bytes = 0;
}

void drop_page_cache(void)
{
	int fd = open("/proc/sys/vm/drop_caches", O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	sync();
	if (write(fd, "1", 1) < 0) {
		/* the balloon then has more to squeeze, no more */
	}
	close(fd);
}

static unsigned long squeeze_level(bool starve, const struct zones *zs)
{
	return starve ? outside_usable(zs) : cma_zone_other_free(zs);
}

/*
 * Squeeze until squeeze_level() is down to target pages, and never more
 * than the usable pages (outside_usable) allow.
 */
int balloon_squeeze(struct balloon *b, bool starve, unsigned long target,
		    char *err, size_t errlen)
{
	size_t ps = mem_base_page(), len;
	unsigned long level, usable;
	struct zones zs;
	int rc, settled = 0;

	for (;;) {
		if (zoneinfo_read(-1, &zs))
			return EIO;
		level = squeeze_level(starve, &zs);
		usable = outside_usable(&zs);
		/* kswapd may still be freeing pages: look again a few times. */
		if (level <= target || (level - target) * ps < (1UL << 20)) {
			if (++settled == 4)
				return 0;
			usleep(20000);
			continue;
		}
		len = (level - target) * ps;
		if (len > usable * ps)
			len = usable * ps;
		if (len < (1UL << 20))
			return 0;

		if (len > BALLOON_CHUNK)
			len = BALLOON_CHUNK;
		if ((rc = balloon_grow(b, len))) {
			snprintf(err, errlen,
				 "the balloon stopped at %zu MiB: %s",
				 b->bytes >> 20, strerror(rc));
			return rc;
		}
	}
}

/*
 * How far the balloon squeezes (squeeze_level), 0 for no balloon. CMA:
 * the other free pages of the CMA zones below the free CMA pages less
 * the region and a margin, so that CMA still outweighs the rest when
 * the last page is touched. Starving: nothing usable above the low
 * watermarks (hugetlb's migration targets may still go down to the min
 * watermark).
 */
unsigned long balloon_target(enum place_target t, bool starve, size_t pages,
			     const struct zones *zs)
{
	long long cma = 0, pcp;

	if (starve)
		return 1;
	if (t != PLACE_CMA)
		return 0;
	target_free(t, zs, &cma, &pcp);
	if ((unsigned long)cma < pages + 2 * SLACK_PAGES)
		return 1;
	return (unsigned long)cma - pages - 2 * SLACK_PAGES;
}

unsigned long balloon_outside_need(const struct zones *zs, size_t pages)
{
	unsigned long free_pages, high;

	outside_free(zs, &free_pages, &high);
	return high + pages + SLACK_PAGES;
}
