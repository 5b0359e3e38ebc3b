// SPDX-License-Identifier: GPL-2.0
/*
 * compaction: what scattered long-term pins cost the supply of 2 MiB
 * pages. 256 MiB of 4 KiB anonymous pages (MADV_NOHUGEPAGE) are touched,
 * then one page is kept in every 2 MiB of it and the rest given back
 * (MADV_DONTNEED): 128 pages, each alone in a block that is otherwise
 * free. The kept pages are pinned one by one by 4 KiB regular MRs
 * (pinned), mlocked (mlocked), left as they are (plain), or not kept at
 * all (none, the baseline). Then /proc/sys/vm/compact_memory compacts
 * every zone, timed. pagemap's frame numbers before and after say which
 * kept pages moved and how many 2 MiB blocks they occupy; the free lists
 * (/proc/buddyinfo) and debugfs's indexes say how much free memory sits
 * in whole 2 MiB blocks; compact_* and pgmigrate_* say what compaction
 * did. Last, the hugetlb pool asks for nearly all free memory and the
 * record says how much it got, and how fast (lib/fault/compaction_supply.c).
 *
 * Compaction moves a page only when nothing but its mappings refer to
 * it: a pinned page stays where it is, and so does the hole around it,
 * for as long as the MR lives. 4 KiB pinned per 2 MiB block are enough
 * to keep every block from ever becoming a huge page. mlock keeps a page
 * in memory but not in place: compaction moves it unless
 * vm.compact_unevictable_allowed says no.
 *
 * compact_memory is a trigger, nothing to put back; the pool's growth
 * goes back at once and through the undo log (restore_add()).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fault/compaction.h"
#include "fault/numa.h"
#include "measure/clock.h"
#include "measure/measure.h"

#define REGION	(256UL << 20)
#define BLOCK	(2UL << 20)
#define KEPT	(REGION / BLOCK)
#define COMPACT "/proc/sys/vm/compact_memory"
#define UNEVICT "/proc/sys/vm/compact_unevictable_allowed"

#define PIN_BECAUSE \
	"compaction never isolates an anonymous page with references beyond its mappings (isolate_migratepages_block(); \"mm, compaction: avoid isolating pinned pages\", 3.15): a pinned page keeps its frame, the 2 MiB block around it stays unusable for a huge page, and the device and the CPU keep sharing the page"
#define MLOCK_MOVES_BECAUSE \
	"vm.compact_unevictable_allowed is 1: compaction isolates unevictable (mlocked) pages like any other and migrates them (isolate_migratepages(), ISOLATE_UNEVICTABLE; \"mm: allow compaction of unevictable pages\", 4.1, added the sysctl, default 1, 0 under PREEMPT_RT since 5.7): mlock keeps a page in memory, not in place"
#define MLOCK_STAYS_BECAUSE \
	"vm.compact_unevictable_allowed is 0 (or absent, before 4.1): compaction skips unevictable (mlocked) pages (isolate_migratepages() without ISOLATE_UNEVICTABLE; \"mm: allow compaction of unevictable pages\", 4.1), so they keep their frames"
#define PLAIN_BECAUSE \
	"compaction through vm/compact_memory migrates the movable pages of whole zones, from the low end into free pages at the high end (compact_node(), MIGRATE_SYNC): an unpinned anonymous page may move, and the block it leaves can become a free 2 MiB block"

enum keep { KEEP_NONE, KEEP_PLAIN, KEEP_MLOCKED, KEEP_PINNED };

static const char *const keep_name[] = { "none", "plain", "mlocked", "pinned" };

/* What the cases share: the baseline's pool, the run's settings. */
struct comp_run {
	struct fault_env *env;
	long unevictable_allowed; /* -1: no such sysctl */
	bool debugfs;
	char no_debugfs[200];
	long none_got; /* the pool's pages in case none, -1 before */
	int node; /* where the region lives, -1: where it lands */
};

struct comp {
	struct comp_run *run;
	enum keep keep;
	struct record rec;
	char *base;
	struct ibv_mr *mr[KEPT];
	uint64_t pfn[2][KEPT]; /* before and after compaction */
	struct kstat_window w;
	char err[300];
};

static const int tags[] = { 1, 2, 3 };

static char *kept(const struct comp *c, size_t i)
{
	return c->base + i * BLOCK;
}

/* Touch it all, then keep the first page of every block. */
static int prepare(struct comp *c)
{
	size_t page = mem_base_page();

	c->base = mem_map_aligned(REGION, BLOCK, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE);
	if (c->base == MAP_FAILED) {
		c->base = NULL;
		snprintf(c->err, sizeof(c->err), "mmap: %s", strerror(errno));
		return -1;
	}
	madvise(c->base, REGION, MADV_NOHUGEPAGE);
	/* On one node, the one whose pool grows. */
	if (c->run->node >= 0 && numa_bind(c->base, REGION, c->run->node, 0)) {
		snprintf(c->err, sizeof(c->err), "mbind(MPOL_BIND, %d): %s",
			 c->run->node, strerror(errno));
		return -1;
	}
	memset(c->base, 0x5a, REGION);
	for (size_t i = 0; i < KEPT; i++) {
		size_t skip = c->keep == KEEP_NONE ? 0 : page;

		fault_fill(kept(c, i), page, i * BLOCK, 1);
		if (madvise(kept(c, i) + skip, BLOCK - skip, MADV_DONTNEED)) {
			snprintf(c->err, sizeof(c->err), "MADV_DONTNEED: %s",
				 strerror(errno));
			return -1;
		}
	}
	return 0;
}

/* Pin or lock the kept pages: 0, or -1 with the reason. */
static int hold(struct comp *c)
{
	struct fault_env *env = c->run->env;
	size_t page = mem_base_page();
	struct kstat_window w;

	if (c->keep == KEEP_MLOCKED) {
		for (size_t i = 0; i < KEPT; i++)
			if (mlock(kept(c, i), page)) {
				snprintf(c->err, sizeof(c->err),
					 "mlock: %s (ulimit -l)",
					 strerror(errno));
				return -1;
			}
		fault_add_int(&c->rec, "locked_bytes",
			      mem_smaps_sum(c->base, REGION, "Locked"));
	}
	if (c->keep != KEEP_PINNED)
		return 0;
	if (!env->qp) {
		snprintf(c->err, sizeof(c->err), "%s", env->no_qp);
		return -1;
	}
	kstat_window_open(&w);
	for (size_t i = 0; i < KEPT; i++)
		if (!(c->mr[i] = fault_reg_mr(env, kept(c, i), page, c->err,
					      sizeof(c->err))))
			return -1;
	kstat_window_close(&w);
	c->rec.pins = kstat_window_per(&w, KSTAT_FOLL_PIN_ACQUIRED, 1);
	return 0;
}

/* The kept pages' frame numbers into c->pfn[k]: 0, or -1 (not root). */
static int frames(struct comp *c, int k)
{
	for (size_t i = 0; i < KEPT; i++) {
		uint64_t e;

		if (mem_pagemap_read(kept(c, i), 1, &e) || !MEM_PM_PFN(e))
			return -1;
		c->pfn[k][i] = MEM_PM_PFN(e);
	}
	return 0;
}

/* Distinct 2 MiB blocks of physical memory the kept pages sit in. */
static size_t blocks(const uint64_t *pfn)
{
	int order = supply_huge_order();
	size_t n = 0;

	for (size_t i = 0; i < KEPT; i++) {
		bool seen = false;

		for (size_t j = 0; j < i && !seen; j++)
			seen = pfn[j] >> order == pfn[i] >> order;
		n += !seen;
	}
	return n;
}

/* One write of "1" to compact_memory, timed: 0 or an errno. */
static int compact(struct comp *c)
{
	int fd = open(COMPACT, O_WRONLY | O_CLOEXEC), err = 0;
	uint64_t t0;

	if (fd < 0)
		return errno;
	kstat_window_open(&c->w);
	t0 = clock_ns();
	if (write(fd, "1", 1) != 1)
		err = errno ? errno : EIO;
	fault_add_int(&c->rec, "compact_ns", (long long)(clock_ns() - t0));
	kstat_window_close(&c->w);
	close(fd);
	return err;
}

static void counters(struct comp *c)
{
	static const enum kstat_id ids[] = {
		KSTAT_COMPACT_MIGRATE_SCANNED,
		KSTAT_COMPACT_FREE_SCANNED,
		KSTAT_COMPACT_ISOLATED,
		KSTAT_COMPACT_STALL,
		KSTAT_COMPACT_FAIL,
		KSTAT_COMPACT_SUCCESS,
		KSTAT_COMPACT_DAEMON_WAKE,
		KSTAT_COMPACT_DAEMON_MIGRATE_SCANNED,
		KSTAT_COMPACT_DAEMON_FREE_SCANNED,
	};
	json_object *o = json_object_new_object();

	for (size_t i = 0; i < sizeof(ids) / sizeof(*ids); i++)
		json_object_object_add(o, kstat_name(ids[i]),
				       fault_counter_json(&c->w, ids[i]));
	json_object_object_add(c->rec.extra, "compaction", o);
	json_object_object_add(
		c->rec.extra, "pgmigrate_success",
		fault_counter_json(&c->w, KSTAT_PGMIGRATE_SUCCESS));
	json_object_object_add(c->rec.extra, "pgmigrate_fail",
			       fault_counter_json(&c->w, KSTAT_PGMIGRATE_FAIL));
	c->rec.migrated = kstat_window_per(&c->w, KSTAT_PGMIGRATE_SUCCESS, 1);
	c->rec.migrate_failed =
		kstat_window_per(&c->w, KSTAT_PGMIGRATE_FAIL, 1);
}

/* The CPU writes the first pinned page, the device reads it; NULL when
 * the QP failed (c->err says why). */
static const char *share(struct comp *c)
{
	fault_fill(kept(c, 0), c->run->env->o->op_size, 0, 2);
	return fault_device_sees(c->run->env, c->mr[0], kept(c, 0), 0, tags, 3,
				 c->err, sizeof(c->err));
}

static void expect(struct comp *c)
{
	if (c->keep == KEEP_PINNED)
		fault_expect(&c->rec, "pins-stay", PIN_BECAUSE);
	else if (c->keep == KEEP_PLAIN)
		fault_expect(&c->rec, "moved", PLAIN_BECAUSE);
	else if (c->keep == KEEP_MLOCKED && c->run->unevictable_allowed == 1)
		fault_expect(&c->rec, "moved", MLOCK_MOVES_BECAUSE);
	else if (c->keep == KEEP_MLOCKED)
		fault_expect(&c->rec, "stayed", MLOCK_STAYS_BECAUSE);
}

/* Kept memory as huge pages it keeps from being: per GiB held. */
static double per_gib(long huge_pages)
{
	return (double)huge_pages * (double)(1UL << 30) /
	       (double)(KEPT * mem_base_page());
}

static int give_up(struct comp *c, enum record_status st, int err)
{
	fault_verdict(&c->rec,
		      st == STATUS_UNSUPPORTED ? "unsupported" : "failed");
	record_set_status(&c->rec, st, err, "%s", c->err);
	return fault_emit(c->run->env, &c->rec, NULL);
}

static int look(struct comp *c, const struct pool_growth *g, const char *dev)
{
	size_t moved = 0, before = blocks(c->pfn[0]), after = blocks(c->pfn[1]);
	const char *verdict = "baseline";
	bool data_ok = true;
	char fig[400];

	for (size_t i = 0; i < KEPT && c->keep != KEEP_NONE; i++) {
		/* Past the CPU's write to the first pinned page. */
		size_t skip = i || !dev ? 0 : c->run->env->o->op_size;

		moved += c->pfn[0][i] != c->pfn[1][i];
		data_ok &=
			fault_check(kept(c, i) + skip, mem_base_page() - skip,
				    i * BLOCK + skip, 1) < 0;
	}
	if (c->keep != KEEP_NONE) {
		fault_add_int(&c->rec, "kept_moved", (long long)moved);
		fault_add_int(&c->rec, "kept_blocks_before", (long long)before);
		fault_add_int(&c->rec, "kept_blocks_after", (long long)after);
		json_object_object_add(c->rec.extra, "kept_data_ok",
				       json_object_new_boolean(data_ok));
		json_object_object_add(
			c->rec.extra, "huge_pages_held_per_gib",
			json_object_new_double(per_gib((long)after)));
		verdict = moved ? "moved" : "stayed";
	}
	if (c->keep == KEEP_PINNED) {
		json_object_object_add(c->rec.extra, "device_reads_cpu_write",
				       json_object_new_string(dev));
		verdict = moved		      ? "pins-moved" :
			  strcmp(dev, "tag2") ? "incoherent" :
						"pins-stay";
	}
	if (g) {
		supply_pool_put(&c->rec, g);
		if (c->keep == KEEP_NONE)
			c->run->none_got = g->got;
		else if (c->run->none_got >= 0)
			json_object_object_add(
				c->rec.extra, "pool_shortfall_per_gib",
				json_object_new_double(
					per_gib(c->run->none_got - g->got)));
	}
	fault_verdict(&c->rec, verdict);
	expect(c);
	snprintf(
		fig, sizeof(fig),
		"kept %lu pages in %zu blocks, after compaction %zu blocks (%zu moved); pool got %ld of %ld 2M pages",
		c->keep == KEEP_NONE ? 0UL : KEPT, c->keep ? before : 0,
		c->keep ? after : 0, c->keep ? moved : 0, g ? g->got : -1,
		g ? g->target : -1);
	return fault_emit(c->run->env, &c->rec, fig);
}

/* Compact, and see what it did: the record is emitted. */
static int measure(struct comp *c)
{
	struct supply s[2];
	struct pool_growth g;
	const char *dev = NULL;
	bool have_pool;
	int rc;

	if (c->keep != KEEP_NONE && frames(c, 0)) {
		snprintf(c->err, sizeof(c->err),
			 "pagemap shows no frame numbers (needs root)");
		return give_up(c, STATUS_UNSUPPORTED, 0);
	}
	supply_take(&s[0], c->run->debugfs);
	if ((rc = compact(c))) {
		snprintf(c->err, sizeof(c->err), "writing 1 to %s: %s", COMPACT,
			 strerror(rc));
		supply_put(&c->rec, "_before", &s[0]);
		return give_up(c, STATUS_UNSUPPORTED, rc);
	}
	supply_take(&s[1], c->run->debugfs);
	counters(c);
	supply_put(&c->rec, "_before", &s[0]);
	supply_put(&c->rec, "_after", &s[1]);
	if (c->keep != KEEP_NONE && frames(c, 1)) {
		snprintf(c->err, sizeof(c->err),
			 "pagemap lost a kept page after compaction");
		return give_up(c, STATUS_FAILED, EIO);
	}
	/* Before the pool takes nearly all memory: the QP needs some. */
	if (c->keep == KEEP_PINNED && !(dev = share(c))) {
		qp_reset(c->run->env->qp, c->err, sizeof(c->err));
		return give_up(c, STATUS_FAILED, EIO);
	}
	have_pool = !supply_pool_grow(c->run->node, &g, c->err, sizeof(c->err));
	if (!have_pool)
		json_object_object_add(c->rec.extra, "pool_reason",
				       json_object_new_string(c->err));
	return look(c, have_pool ? &g : NULL, dev);
}

static int comp_case(struct comp_run *run, enum keep keep)
{
	struct comp *c = calloc(1, sizeof(*c));
	int rc;

	if (!c)
		return -1;
	c->run = run;
	c->keep = keep;
	fault_record(&c->rec, "compaction", keep_name[keep]);
	c->rec.mem = "anon";
	c->rec.reg = keep == KEEP_PINNED  ? "regular" :
		     keep == KEEP_MLOCKED ? "mlock" :
					    NULL;
	c->rec.access = keep == KEEP_PINNED ? "lw+rr+rw" : NULL;
	c->rec.size = REGION;
	c->rec.page_size = mem_base_page();
	c->rec.pages = keep == KEEP_NONE ? 0 : KEPT;
	fault_add_int(&c->rec, "node", run->node);
	fault_add_int(&c->rec, "compact_unevictable_allowed",
		      run->unevictable_allowed);
	if (!run->debugfs)
		json_object_object_add(c->rec.extra, "index_reason",
				       json_object_new_string(run->no_debugfs));
	if (prepare(c))
		rc = give_up(c, STATUS_FAILED, errno);
	else if (hold(c))
		rc = give_up(c, STATUS_UNSUPPORTED, errno);
	else
		rc = measure(c);
	for (size_t i = 0; i < KEPT; i++)
		if (c->mr[i])
			ibv_dereg_mr(c->mr[i]);
	if (c->base)
		munmap(c->base, REGION);
	free(c);
	return rc;
}

static int compaction_run(struct fault_env *env)
{
	struct comp_run run = { .env = env, .none_got = -1, .node = -1 };
	cpu_set_t nodes;
	unsigned long v;
	int rc = 0;

	if (access(COMPACT, W_OK))
		return fault_unsupported(
			env, "compaction", NULL,
			errno == ENOENT ? "no " COMPACT
					  ": kernel without CONFIG_COMPACTION" :
					  "cannot write " COMPACT
					  " (needs root)");
	/* The first node with memory: its pool is the one asked. */
	if (numa_memory_nodes(&nodes) > 0)
		for (int i = CPU_SETSIZE - 1; i >= 0; i--)
			if (CPU_ISSET(i, &nodes))
				run.node = i;
	run.unevictable_allowed = mem_read_ulong(UNEVICT, &v) ? -1 : (long)v;
	run.debugfs = !supply_debugfs(run.no_debugfs, sizeof(run.no_debugfs));
	for (int k = KEEP_NONE; k <= KEEP_PINNED && !rc && !measure_stop; k++)
		rc = comp_case(&run, (enum keep)k);
	return rc;
}

const struct fault_scenario fault_compaction = {
	.name = "compaction",
	.help = "compact_memory over one kept 4K page per 2M block, pinned, mlocked or plain: what pins cost the supply of huge pages",
	.flags = FAULT_SLOW,
	.run = compaction_run,
};
