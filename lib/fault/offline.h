/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_FAULT_OFFLINE_H
#define MRBENCH_FAULT_OFFLINE_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The memory blocks a region's pages sit in, for the offline scenario. */
#define BLOCKS_MAX 8

struct blocks {
	long id[BLOCKS_MAX];
	size_t n;
	unsigned long bytes; /* per block */
};

/*
 * The blocks of the n base pages from p (pagemap frame numbers, root
 * only); pfn[] gets each page's frame number. 0, or -1 with errno.
 */
int blocks_of(const void *p, size_t n, unsigned long block_bytes, uint64_t *pfn,
	      struct blocks *b);
/* Pages of pfn[0..n) inside the blocks of b. */
size_t blocks_hold(const struct blocks *b, const uint64_t *pfn, size_t n);
/* A block of ZONE_MOVABLE, online, none of b's; -1 when there is none. */
long blocks_spare_movable(const struct blocks *b);

/* What offlining a set of blocks did. */
struct offlined {
	size_t tried; /* blocks without holes, written to */
	size_t went; /* blocks taken offline */
	size_t done; /* ... and not yet brought back */
	long done_id[BLOCKS_MAX];
	int err; /* the first failure's errno, 0 when all went */
	bool signalled; /* that failure came after the timeout's signal */
	uint64_t ns; /* all the writes */
	json_object *each; /* [{block, ns, errno, signalled}] */
};

/* Offline every block of b, each cut short after timeout_ms; a block
 * with a hole is noted and left alone (offlining refuses it anyway). */
void blocks_offline(const struct blocks *b, unsigned timeout_ms,
		    struct offlined *o);
/* online_movable every block o took offline; 0 when all came back. */
int blocks_online(struct offlined *o);
json_object *blocks_json(const struct blocks *b);

#endif
