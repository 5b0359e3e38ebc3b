// SPDX-License-Identifier: GPL-2.0
/*
 * How many 2 MiB pages memory can still give, seen three ways: the free
 * lists (/proc/buddyinfo: free memory in whole blocks of order 9 and
 * up; pages on the per-cpu lists are not in them, and since 6.7 those
 * lists may grow to hold tens of thousands of freed pages), the kernel's own indexes (debugfs extfrag/unusable_index: the
 * share of free memory in blocks too small; extfrag/extfrag_index:
 * whether a failure would be for lack of memory, near 0, or of
 * contiguity, near 1; -1 while a block is free), and the hugetlb pool
 * of one node asked for nearly all its free memory, which makes the allocator compact
 * and reclaim before it gives up.
 */
#include <errno.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "fault/compaction.h"
#include "kernel/buddyinfo.h"
#include "kernel/restore.h"
#include "kernel/zoneinfo.h"
#include "measure/clock.h"
#include "mem/hugepool.h"

#define HUGE	 (2UL << 20)
#define DEBUGFS	 "/sys/kernel/debug"
#define UNUSABLE DEBUGFS "/extfrag/unusable_index"
#define EXTFRAG	 DEBUGFS "/extfrag/extfrag_index"
int supply_huge_order(void)
{
	return __builtin_ctzl(HUGE / mem_base_page());
}

/* Free pages on the per-cpu lists of node's zones (node < 0: all). */
static unsigned long node_pcp_pages(int node)
{
	unsigned long pages = 0;
	struct zones zs;

	if (!zoneinfo_read(-1, &zs))
		for (size_t z = 0; z < zs.n; z++)
			if (node < 0 || zs.z[z].node == node)
				pages += zs.z[z].pcp_count;
	return pages;
}

int supply_debugfs(char *why, size_t len)
{
	static const char *const umount_argv[] = { "/bin/umount", DEBUGFS,
						   NULL };
	struct statfs st;
	int err;

	if (!access(UNUSABLE, R_OK))
		return 0;
	err = errno;
	if (!statfs(DEBUGFS, &st) && st.f_type == DEBUGFS_MAGIC) {
		snprintf(why, len, "%s: %s", UNUSABLE, strerror(err));
		return -1;
	}
	if (mount("debugfs", DEBUGFS, "debugfs", 0, NULL)) {
		snprintf(why, len, "cannot mount debugfs on %s: %s", DEBUGFS,
			 strerror(errno));
		return -1;
	}
	if (restore_command(umount_argv, why, len))
		return -1;
	if (access(UNUSABLE, R_OK)) {
		snprintf(why, len, "%s: %s", UNUSABLE, strerror(errno));
		return -1;
	}
	return 0;
}

/* Order 9 of each zone of a debugfs index: {"0/DMA32": 0.12}, or NULL. */
static json_object *index_at(const char *path)
{
	int order = supply_huge_order();
	struct order_table t;
	json_object *o;

	if (order_table_read(path, &t))
		return NULL;
	o = json_object_new_object();
	for (size_t z = 0; z < t.n; z++) {
		char key[40];

		if (t.r[z].orders <= order)
			continue;
		snprintf(key, sizeof(key), "%d/%s", t.r[z].node, t.r[z].zone);
		json_object_object_add(o, key,
				       json_object_new_double(t.r[z].v[order]));
	}
	return o;
}

int supply_take(struct supply *s, bool with_index)
{
	struct order_table t;
	int rc = order_table_read("/proc/buddyinfo", &t);

	memset(s, 0, sizeof(*s));
	if (rc)
		return rc;
	s->free_huge = buddy_free_blocks(&t, supply_huge_order());
	s->free_pages = buddy_free_pages(&t);
	s->pcp_pages = node_pcp_pages(-1);
	if (with_index) {
		s->unusable = index_at(UNUSABLE);
		s->extfrag = index_at(EXTFRAG);
	}
	return 0;
}

static void put(struct record *rec, const char *key, const char *suffix,
		json_object *v)
{
	char name[64];

	snprintf(name, sizeof(name), "%s%s", key, suffix);
	json_object_object_add(rec->extra, name, v);
}

void supply_put(struct record *rec, const char *suffix, struct supply *s)
{
	put(rec, "free_2m_blocks", suffix,
	    json_object_new_int64((int64_t)s->free_huge));
	put(rec, "free_pages", suffix,
	    json_object_new_int64((int64_t)s->free_pages));
	put(rec, "pcp_pages", suffix,
	    json_object_new_int64((int64_t)s->pcp_pages));
	put(rec, "unusable_index_2m", suffix, s->unusable);
	put(rec, "extfrag_index_2m", suffix, s->extfrag);
	s->unusable = s->extfrag = NULL;
}

/*
 * Asked for more than it can give, the pool grows page by page until an
 * allocation fails on every node (set_max_huge_pages(): after a first
 * failure a node is tried without retries); each allocation may compact
 * and reclaim first (__GFP_RETRY_MAYFAIL). So got is what compaction
 * could make of free memory. The pages go back at once: the next case
 * needs the memory, and restore_add() keeps the sum of both changes for
 * the undo log, zero when all went back.
 */
/* A node's free memory in kB ("Node 0 MemFree:  1234 kB"), -1 if none. */
static long long node_free_kb(int node)
{
	char path[96], line[128];
	long long kb = -1;
	FILE *f;

	if (node < 0)
		return meminfo_read_kb("MemFree");
	snprintf(path, sizeof(path), "/sys/devices/system/node/node%d/meminfo",
		 node);
	if (!(f = fopen(path, "re")))
		return -1;
	while (kb < 0 && fgets(line, sizeof(line), f)) {
		const char *p = strstr(line, "MemFree:");

		if (p)
			kb = strtoll(p + strlen("MemFree:"), NULL, 10);
	}
	fclose(f);
	return kb;
}

static void pool_path(int node, char *buf, size_t len)
{
	if (node < 0)
		hugepool_path(HUGE, "nr_hugepages", buf, len);
	else
		snprintf(
			buf, len,
			"/sys/devices/system/node/node%d/hugepages/hugepages-%lukB/nr_hugepages",
			node, HUGE >> 10);
}

/*
 * Asked for more than it can give, the pool grows page by page until an
 * allocation fails (set_max_huge_pages()); each allocation may compact
 * and reclaim first (__GFP_RETRY_MAYFAIL), and a failing one drains the
 * per-cpu lists. So got is what compaction could make of the node's
 * free memory. One node, not all: with init_on_alloc (Debian's default)
 * every page is cleared as it is taken, and under an emulator that is
 * most of the time. The pages go back at once: the next case needs the
 * memory, and restore_add() keeps the sum of both changes for the undo
 * log, zero when all went back.
 */
int supply_pool_grow(int node, struct pool_growth *g, char *err, size_t len)
{
	long long free_kb = node_free_kb(node);
	long before = 0, after = 0, back = 0;
	char path[128];
	uint64_t t0;
	int rc;

	memset(g, 0, sizeof(*g));
	g->node = node;
	pool_path(node, path, sizeof(path));
	if (access(path, W_OK)) {
		snprintf(err, len, "%s: %s", path, strerror(errno));
		return errno;
	}
	if (free_kb < 0) {
		snprintf(err, len, "no MemFree for node %d", node);
		return ENOENT;
	}
	/* More than there is: the per-cpu lists' pages are not in MemFree,
	 * and a failing allocation drains them into the free lists. */
	free_kb += (long long)(node_pcp_pages(node) * (mem_base_page() >> 10));
	g->target = (long)(free_kb / (long long)(HUGE >> 10));
	if (g->target <= 0) {
		snprintf(err, len, "%lld kB free: too little to grow the pool",
			 free_kb);
		return ENOMEM;
	}
	kstat_window_open(&g->w);
	t0 = clock_ns();
	rc = restore_add(path, g->target, &before, &after, err, len);
	g->ns = clock_ns() - t0;
	kstat_window_close(&g->w);
	g->got = after - before;
	if (g->got > 0 && !restore_add(path, -g->got, NULL, &back, err, len))
		g->left = back - before;
	return rc;
}

void supply_pool_put(struct record *rec, const struct pool_growth *g)
{
	static const enum kstat_id ids[] = {
		KSTAT_COMPACT_STALL,	    KSTAT_COMPACT_SUCCESS,
		KSTAT_COMPACT_FAIL,	    KSTAT_COMPACT_MIGRATE_SCANNED,
		KSTAT_COMPACT_FREE_SCANNED, KSTAT_COMPACT_ISOLATED,
		KSTAT_PGMIGRATE_SUCCESS,    KSTAT_PGMIGRATE_FAIL,
	};
	json_object *o = json_object_new_object();

	json_object_object_add(
		o, "node", g->node < 0 ? NULL : json_object_new_int(g->node));
	json_object_object_add(o, "target", json_object_new_int64(g->target));
	json_object_object_add(o, "got", json_object_new_int64(g->got));
	json_object_object_add(o, "not_given_back",
			       json_object_new_int64(g->left));
	json_object_object_add(o, "ns", json_object_new_int64((int64_t)g->ns));
	for (size_t i = 0; i < sizeof(ids) / sizeof(*ids); i++)
		json_object_object_add(o, kstat_name(ids[i]),
				       fault_counter_json(&g->w, ids[i]));
	json_object_object_add(rec->extra, "pool", o);
}
