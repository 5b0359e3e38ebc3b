// SPDX-License-Identifier: GPL-2.0
/*
 * offline: memory hot-unplug of ZONE_MOVABLE blocks around pinned and
 * locked memory. 512 KiB of 4 KiB pages are placed in ZONE_MOVABLE (the
 * movable source, checked page by page), and the memory blocks holding
 * them are taken offline by writing "offline" to their sysfs state,
 * timed, then brought back with "online_movable" (also on every way
 * out: the undo log). Offlining migrates every page in use out of a
 * block, and retries until a signal for as long as one will not move,
 * so each write is cut short by a signal after a timeout and says EINTR.
 *
 * long-term-pin: a regular MR over the pages first. FOLL_LONGTERM may
 * not hold ZONE_MOVABLE pages, so the pin migrates them out, and the
 * blocks they came from offline; the device still reads the data.
 * mlocked: mlock(2) keeps pages resident, not in place: offlining moves
 * them, with their data, and they stay locked.
 * short-term-pin: an O_DIRECT write from the pages held still
 * (lib/fault/stall.c): a page with I/O in flight cannot migrate, so
 * offlining fails until the I/O completes, then succeeds. What holds
 * the pages is a FOLL_PIN from 6.3 on, a page reference before.
 * spare-block: a ZONE_MOVABLE block with none of our pages, for scale.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fault/fault.h"
#include "fault/offline.h"
#include "fault/stall.h"
#include "kernel/kver.h"
#include "kernel/memblock.h"
#include "kernel/zoneinfo.h"
#include "measure/clock.h"

#define REGION	  STALL_MAX_BYTES
#define PAGES_MAX (REGION / 4096)
/* A write expected to succeed is still cut short after this. */
#define LONG_MS 30000
/* The write expected to wait for the I/O: long enough to retry. */
#define STALLED_MS 2000

#define OFFLINE_RULE                                                                                                                                 \
	"offline_pages() migrates every page in use out of the block and retries while one will not move, until a signal (no timeout since "         \
	"\"mm, memory_hotplug: remove timeout from __offline_memory\", 4.15); a ZONE_MOVABLE block holds only movable pages (has_unmovable_pages() " \
	"skips the zone)"

static const char longterm_because[] =
	"a FOLL_LONGTERM pin may not hold a ZONE_MOVABLE page: GUP migrates it out first (\"mm/gup: migrate pinned pages out of movable zone\", 5.13), so the blocks it came from hold no pinned page; " OFFLINE_RULE;
static const char mlock_because[] =
	"mlock(2) keeps pages resident, not in place: mlocked pages are on the unevictable LRU and migrate like others; " OFFLINE_RULE;
static const char spare_because[] = OFFLINE_RULE;
static const char pinned_because[] =
	"a page held by I/O in flight has references migration will not drop (folio_migrate_mapping()'s reference count check): offlining retries until the signal and says EINTR, and once the I/O completes the blocks go; block direct I/O holds FOLL_PIN pins since \"block: Convert bio_iov_iter_get_pages to use iov_iter_extract_pages\" (6.3), plain page references before; " OFFLINE_RULE;

static const int tags[] = { 1 };

struct ocase {
	struct fault_env *env;
	struct record rec;
	struct fault_region fr;
	char *p;
	size_t n;
	uint64_t pfn[PAGES_MAX], pfn_after[PAGES_MAX];
	struct blocks b;
	struct offlined o;
	struct kstat_window w;
	uint64_t t0;
	char why[400];
};

/* The record, with the case's wall time (placement included). */
static int emit(struct ocase *c, const char *fig)
{
	json_object_object_add(
		c->rec.extra, "case_ns",
		json_object_new_int64((int64_t)(clock_ns() - c->t0)));
	return fault_emit(c->env, &c->rec, fig);
}

static int give_up(struct ocase *c, enum record_status st, int err)
{
	fault_verdict(&c->rec,
		      st == STATUS_UNSUPPORTED ? "unsupported" : "failed");
	record_set_status(&c->rec, st, err, "%s", c->why);
	return emit(c, NULL);
}

/* The region placed in ZONE_MOVABLE, filled with tag1, and its blocks. */
static enum record_status place(struct ocase *c, unsigned long block_bytes)
{
	struct mem_placement pl;
	int rc;

	if (fault_alloc("movable", "4k", REGION, &c->fr, c->why,
			sizeof(c->why)))
		return STATUS_UNSUPPORTED;
	if ((rc = c->fr.src->populate(&c->fr.r))) {
		c->fr.src->placement(&c->fr.r, &pl);
		snprintf(c->why, sizeof(c->why), "placing in ZONE_MOVABLE: %s",
			 pl.error ? pl.error : strerror(rc));
		return STATUS_FAILED;
	}
	c->p = c->fr.r.addr;
	c->n = REGION / mem_base_page();
	fault_fill(c->p, REGION, 0, 1);
	if (blocks_of(c->p, c->n, block_bytes, c->pfn, &c->b)) {
		snprintf(c->why, sizeof(c->why),
			 "memory blocks of the region: %s", strerror(errno));
		return STATUS_FAILED;
	}
	json_object_object_add(c->rec.extra, "blocks", blocks_json(&c->b));
	return STATUS_OK;
}

/* Offline c->b inside a counter window; the figures into the record. */
static void offline(struct ocase *c, unsigned timeout_ms, const char *key)
{
	char k[64];

	kstat_window_open(&c->w);
	blocks_offline(&c->b, timeout_ms, &c->o);
	kstat_window_close(&c->w);
	json_object_object_add(c->rec.extra, key, c->o.each);
	snprintf(k, sizeof(k), "%s_ns", key);
	fault_add_int(&c->rec, k, (long long)c->o.ns);
	snprintf(k, sizeof(k), "%s_migrated", key);
	json_object_object_add(
		c->rec.extra, k,
		fault_counter_json(&c->w, KSTAT_PGMIGRATE_SUCCESS));
	snprintf(k, sizeof(k), "%s_migrate_failed", key);
	json_object_object_add(c->rec.extra, k,
			       fault_counter_json(&c->w, KSTAT_PGMIGRATE_FAIL));
}

/* No block could be tried (each has a hole): nothing to say. */
static bool none_tried(struct ocase *c, const struct offlined *o)
{
	if (o->tried)
		return false;
	fault_verdict(&c->rec, "unsupported");
	record_set_status(
		&c->rec, STATUS_UNSUPPORTED, 0, "%s",
		"every block holding the region has a hole (/proc/iomem): offlining refuses those");
	return true;
}

/* Where the pages are now: moved ones, those in the blocks that went
 * offline (all of the region's blocks before any did), and those in
 * blocks left alone for their holes. */
static void look_after(struct ocase *c, size_t *moved, size_t *in_old)
{
	struct blocks now, went = { .bytes = c->b.bytes };
	size_t in_any;

	*moved = *in_old = 0;
	if (blocks_of(c->p, c->n, c->b.bytes, c->pfn_after, &now))
		return;
	for (size_t i = 0; i < c->n; i++)
		*moved += c->pfn_after[i] != c->pfn[i];
	for (size_t i = 0; i < c->o.went; i++)
		went.id[went.n++] = c->o.done_id[i];
	in_any = blocks_hold(&c->b, c->pfn_after, c->n);
	*in_old = c->o.went ? blocks_hold(&went, c->pfn_after, c->n) : in_any;
	fault_add_int(&c->rec, "pages_moved", (long long)*moved);
	fault_add_int(&c->rec, "pages_in_offlined_blocks", (long long)*in_old);
	fault_add_int(&c->rec, "pages_in_skipped_blocks",
		      c->o.went ? (long long)(in_any - *in_old) : 0);
}

static const char *refused(int err)
{
	static char v[48];

	snprintf(v, sizeof(v), "refused:%s", errno_name(err));
	return v;
}

static int long_term(struct ocase *c)
{
	struct kstat_window reg;
	struct ibv_mr *mr;
	const char *dev;
	size_t moved, in_old;
	char fig[400];
	int rc;

	kstat_window_open(&reg);
	mr = fault_reg_mr(c->env, c->p, REGION, c->why, sizeof(c->why));
	kstat_window_close(&reg);
	if (!mr)
		return give_up(c, STATUS_UNSUPPORTED, 0);
	c->rec.pins = kstat_window_per(&reg, KSTAT_FOLL_PIN_ACQUIRED, 1);
	c->rec.migrated = kstat_window_per(&reg, KSTAT_PGMIGRATE_SUCCESS, 1);
	c->rec.migrate_failed = kstat_window_per(&reg, KSTAT_PGMIGRATE_FAIL, 1);
	look_after(c, &moved, &in_old);
	offline(c, LONG_MS, "offline");
	dev = fault_device_sees(c->env, mr, c->p, 0, tags, 1, c->why,
				sizeof(c->why));
	rc = blocks_online(&c->o);
	fault_add_bool(&c->rec, "blocks_back_online", !rc);
	ibv_dereg_mr(mr);
	if (!dev) {
		qp_reset(c->env->qp, fig, sizeof(fig));
		return give_up(c, STATUS_FAILED, EIO);
	}
	json_object_object_add(c->rec.extra, "device_sees",
			       json_object_new_string(dev));
	if (none_tried(c, &c->o))
		return emit(c, NULL);
	fault_verdict(&c->rec, c->o.err		   ? refused(c->o.err) :
			       strcmp(dev, "tag1") ? "data-lost" :
						     "offlined");
	fault_expect(&c->rec, "offlined", longterm_because);
	snprintf(
		fig, sizeof(fig),
		"pin migrated %.0f of %zu pages, %zu left in the blocks; %zu block(s) offline in %.1f ms; RDMA READ sees %s",
		c->rec.migrated, c->n, in_old, c->o.went, (double)c->o.ns / 1e6,
		dev);
	return emit(c, fig);
}

static int mlocked(struct ocase *c)
{
	size_t moved, in_old;
	long long locked;
	bool data_ok;
	char fig[400];
	int rc;

	if (mlock(c->p, REGION)) {
		snprintf(c->why, sizeof(c->why), "mlock: %s", strerror(errno));
		return give_up(c, STATUS_UNSUPPORTED, 0);
	}
	offline(c, LONG_MS, "offline");
	c->rec.migrated = kstat_window_per(&c->w, KSTAT_PGMIGRATE_SUCCESS, 1);
	look_after(c, &moved, &in_old);
	data_ok = fault_check(c->p, REGION, 0, 1) < 0;
	locked = mem_smaps_sum(c->p, REGION, "Locked");
	rc = blocks_online(&c->o);
	munlock(c->p, REGION);
	fault_add_bool(&c->rec, "blocks_back_online", !rc);
	fault_add_bool(&c->rec, "data_ok", data_ok);
	fault_add_int(&c->rec, "locked_bytes_after", locked);
	if (none_tried(c, &c->o))
		return emit(c, NULL);
	fault_verdict(&c->rec, c->o.err ? refused(c->o.err) :
			       !data_ok ? "data-lost" :
			       in_old	? "offlined-pages-stayed" :
					  "offlined-migrated");
	fault_expect(&c->rec, "offlined-migrated", mlock_because);
	snprintf(
		fig, sizeof(fig),
		"%zu block(s) offline in %.1f ms; %zu of %zu pages moved, still locked: %lld KiB; data %s",
		c->o.went, (double)c->o.ns / 1e6, moved, c->n, locked / 1024,
		data_ok ? "intact" : "lost");
	return emit(c, fig);
}

static int short_term(struct ocase *c)
{
	struct kstat_window sw;
	struct offlined first;
	struct stall s;
	const char *dir = stall_target(c->env->o->stall_dev,
				       c->env->o->ext4_dir),
		   *v;
	bool pinned_rule = kver_running() >= KVER(6, 3, 0);
	double pins;
	size_t moved, in_old;
	char fig[500];
	int rc;

	if (!dir) {
		snprintf(c->why, sizeof(c->why), "%s", STALL_NONE);
		return give_up(c, STATUS_UNSUPPORTED, 0);
	}
	kstat_window_open(&sw);
	if (stall_start(&s, dir, c->p, REGION, c->why, sizeof(c->why)))
		return give_up(c, STATUS_UNSUPPORTED, 0);
	kstat_window_close(&sw);
	pins = kstat_window_per(&sw, KSTAT_FOLL_PIN_ACQUIRED, 1);
	c->rec.pins = pins;
	fault_add_int(&c->rec, "pins_held_by_io", (long long)pins);
	fault_add_int(&c->rec, "pins_expected",
		      pinned_rule ? (long long)c->n : 0);
	offline(c, STALLED_MS, "offline_during_io");
	first = c->o;
	rc = stall_finish(&s, c->why, sizeof(c->why));
	fault_add_bool(&c->rec, "io_completed", !rc);
	/* What went offline regardless comes back before the retry. */
	blocks_online(&first);
	offline(c, LONG_MS, "offline_after_io");
	c->rec.migrated = kstat_window_per(&c->w, KSTAT_PGMIGRATE_SUCCESS, 1);
	look_after(c, &moved, &in_old);
	fault_add_bool(&c->rec, "data_ok", fault_check(c->p, REGION, 0, 1) < 0);
	fault_add_bool(&c->rec, "blocks_back_online", !blocks_online(&c->o));
	if (none_tried(c, &first))
		return emit(c, NULL);
	if (!first.err)
		v = "offlined-under-io";
	else if (first.err != EINTR || c->o.err)
		v = refused(c->o.err ? c->o.err : first.err);
	else
		v = pins >= (double)c->n ? "refused-while-pinned" :
					   "refused-while-referenced";
	fault_verdict(&c->rec, rc ? "io-failed" : v);
	fault_expect(&c->rec,
		     pinned_rule ? "refused-while-pinned" :
				   "refused-while-referenced",
		     pinned_because);
	snprintf(
		fig, sizeof(fig),
		"I/O in flight: %.0f pins, offline %s after %.1f ms; I/O done: %zu block(s) offline in %.1f ms, %zu of %zu pages moved",
		pins, first.err ? errno_name(first.err) : "ok",
		(double)first.ns / 1e6, c->o.went, (double)c->o.ns / 1e6, moved,
		c->n);
	return emit(c, fig);
}

static int spare(struct ocase *c)
{
	char fig[300];
	long id;

	c->b.n = 0;
	c->b.bytes = memblock_bytes();
	if ((id = blocks_spare_movable(&c->b)) < 0) {
		snprintf(c->why, sizeof(c->why),
			 "no online ZONE_MOVABLE block to take offline");
		return give_up(c, STATUS_UNSUPPORTED, 0);
	}
	c->b.id[c->b.n++] = id;
	json_object_object_add(c->rec.extra, "blocks", blocks_json(&c->b));
	offline(c, LONG_MS, "offline");
	c->rec.migrated = kstat_window_per(&c->w, KSTAT_PGMIGRATE_SUCCESS, 1);
	fault_add_bool(&c->rec, "blocks_back_online", !blocks_online(&c->o));
	fault_verdict(&c->rec, c->o.err ? refused(c->o.err) : "offlined");
	fault_expect(&c->rec, "offlined", spare_because);
	snprintf(fig, sizeof(fig),
		 "block %ld offline in %.1f ms, %.0f pages migrated", id,
		 (double)c->o.ns / 1e6, c->rec.migrated);
	return emit(c, fig);
}

static const struct {
	const char *name, *reg;
	int (*run)(struct ocase *c);
	bool region;
} cases[] = {
	{ "long-term-pin", "regular", long_term, true },
	{ "mlocked", "mlock", mlocked, true },
	{ "short-term-pin", "odirect", short_term, true },
	{ "spare-block", NULL, spare, false },
};

static int one_case(struct fault_env *env, size_t i, unsigned long bb)
{
	struct ocase *c = calloc(1, sizeof(*c));
	enum record_status st = STATUS_OK;
	int rc;

	if (!c)
		return -1;
	c->env = env;
	c->t0 = clock_ns();
	fault_record(&c->rec, "offline", cases[i].name);
	c->rec.reg = cases[i].reg;
	fault_add_int(&c->rec, "block_bytes", (long long)bb);
	if (cases[i].region) {
		c->rec.mem = "movable";
		c->rec.size = REGION;
		c->rec.page_size = mem_base_page();
		c->rec.pages = REGION / mem_base_page();
		st = place(c, bb);
	}
	rc = st == STATUS_OK ? cases[i].run(c) : give_up(c, st, 0);
	fault_free(&c->fr);
	free(c);
	return rc;
}

static int offline_run(struct fault_env *env)
{
	const struct zone_info *mz;
	unsigned long bb = memblock_bytes();
	struct zones zs;
	int rc = 0;

	if (zoneinfo_read(-1, &zs) || !(mz = zones_find(&zs, "Movable")) ||
	    !mz->managed)
		return fault_unsupported(
			env, "offline", NULL,
			"no ZONE_MOVABLE: boot with movablecore=SIZE|N% (mrbench vm --profile movable)");
	if (!bb)
		return fault_unsupported(
			env, "offline", NULL,
			"no " MEMBLOCK_DIR
			"block_size_bytes: kernel without CONFIG_MEMORY_HOTPLUG");
	if (geteuid())
		return fault_unsupported(
			env, "offline", NULL,
			"taking memory blocks offline needs root");
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases) && !rc; i++)
		rc = one_case(env, i, bb);
	return rc;
}

const struct fault_scenario fault_offline = {
	.name = "offline",
	.help = "offlining ZONE_MOVABLE memory blocks under long-term pins, mlock and I/O in flight",
	.flags = FAULT_NEEDS_QP,
	.run = offline_run,
};
