// SPDX-License-Identifier: GPL-2.0
/*
 * cma-alloc: a CMA allocation of nearly the whole area while memory that
 * had been placed in it is pinned, held by I/O or locked. 512 KiB of
 * 4 KiB pages are placed in the CMA area (the cma source, page by page),
 * then held one way, then the balloon that placement needed is given
 * back and one DMA buffer is asked for through a dma-contig V4L2 device
 * (lib/fault/cma_dev.c): cma_alloc() must find an aligned window of the
 * area whose every page in use migrates out. The size is the free part
 * of the area in whole window steps (drivers took its first pages at
 * boot), which leaves about one window; the pages placed are counted in
 * every window the size allows, and the expectation follows from that
 * count (a page outside some window lets the allocation go around it).
 *
 * long-term-pin: a regular MR first; FOLL_LONGTERM may not hold CMA
 * pages, so the pin moved them out and the allocation succeeds.
 * short-term-pin: an O_DIRECT write from the pages stalled on a
 * userfaultfd page (lib/fault/stall.c): every window holds a page that
 * will not migrate, cma_alloc() fails (alloc_pages_fail), the page
 * allocator has no block that large, and the buffer is ENOMEM; once the
 * I/O is done the same allocation succeeds. mlocked: the allocation
 * migrates mlocked pages like any other. nothing: the allocation alone.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fault/cma_dev.h"
#include "fault/fault.h"
#include "fault/stall.h"
#include "kernel/kver.h"
#include "kernel/zoneinfo.h"
#include "measure/clock.h"
#include "mem/place/place.h"

#define REGION STALL_MAX_BYTES
#define PAGES  (REGION / 4096)
/* cma_alloc_aligned(): windows aligned to 2^CONFIG_CMA_ALIGNMENT pages
 * (8 in Debian's config, 1 MiB); the size leaves one more. */
#define WINDOW_STEP 256

#define ALLOC_RULE                                                                                                                                                                           \
	"cma_alloc() takes an aligned window of the area whose pages in use all migrate out (alloc_contig_range()) and tries the next window when one will not (-EBUSY); when none is left " \
	"it fails (alloc_pages_fail) and dma-direct asks the page allocator, which has no block that large"

static const char longterm_because[] =
	"a FOLL_LONGTERM pin may not hold a CMA page: GUP migrates it out first (\"mm: update get_user_pages_longterm to migrate pages allocated from CMA region\", 5.1), so the allocation finds nothing pinned; " ALLOC_RULE;
static const char mlock_because[] =
	"alloc_contig_range() isolates unevictable (mlocked) pages like the others (isolate_migratepages_range(), ISOLATE_UNEVICTABLE) and migrates them; " ALLOC_RULE;
static const char nothing_because[] = ALLOC_RULE;
static const char pinned_because[] =
	"a page held by I/O in flight has references migration will not drop, so every window holding one is -EBUSY; block direct I/O holds FOLL_PIN pins since \"block: Convert bio_iov_iter_get_pages to use iov_iter_extract_pages\" (6.3); once the I/O is done the allocation succeeds; " ALLOC_RULE;

struct ccase {
	struct fault_env *env;
	struct record rec;
	struct fault_region fr;
	char *p;
	struct pfn_range area;
	char name[64];
	size_t bytes; /* the allocation */
	int dev;
	uint64_t t0;
	char why[400];
};

static int emit(struct ccase *c, const char *fig)
{
	fault_add_int(&c->rec, "case_ns", (long long)(clock_ns() - c->t0));
	return fault_emit(c->env, &c->rec, fig);
}

static int give_up(struct ccase *c, enum record_status st, int err)
{
	fault_verdict(&c->rec,
		      st == STATUS_UNSUPPORTED ? "unsupported" : "failed");
	record_set_status(&c->rec, st, err, "%s", c->why);
	return emit(c, NULL);
}

/* Pages of the region in every window the allocation could take. */
static long held_in_every_window(struct ccase *c)
{
	unsigned long a = c->area.end - c->area.start,
		      s = c->bytes / mem_base_page();
	uint64_t pfn[PAGES];
	long n = 0;

	if (mem_pagemap_read(c->p, PAGES, pfn))
		return -1;
	for (size_t i = 0; i < PAGES; i++) {
		unsigned long f = MEM_PM_PFN(pfn[i]), x = f - c->area.start;

		n += f >= c->area.start && f < c->area.end && x >= a - s &&
		     x < s;
	}
	return n;
}

/* One allocation and its release: the figures under prefix. */
static int alloc_once(struct ccase *c, const char *prefix, bool *cma_served)
{
	struct cma_counts before, after;
	struct kstat_window w;
	uint64_t ns;
	char k[64];
	int err;

	cma_counts_read(c->name, &before);
	kstat_window_open(&w);
	err = cma_dev_alloc(c->dev, c->bytes, &ns);
	kstat_window_close(&w);
	cma_counts_read(c->name, &after);
	cma_dev_free(c->dev);
	*cma_served = !err && after.success - before.success >=
				      (long long)(c->bytes / mem_base_page());
#define KEY(s) (snprintf(k, sizeof(k), "%s_%s", prefix, s), k)
	fault_add_int(&c->rec, KEY("ns"), (long long)ns);
	json_object_object_add(c->rec.extra, KEY("errno"),
			       err ? json_object_new_string(errno_name(err)) :
				     NULL);
	fault_add_int(&c->rec, KEY("cma_pages_success"),
		      after.success - before.success);
	fault_add_int(&c->rec, KEY("cma_pages_fail"), after.fail - before.fail);
	json_object_object_add(c->rec.extra, KEY("migrated"),
			       fault_counter_json(&w, KSTAT_PGMIGRATE_SUCCESS));
	json_object_object_add(c->rec.extra, KEY("migrate_failed"),
			       fault_counter_json(&w, KSTAT_PGMIGRATE_FAIL));
#undef KEY
	return err;
}

static const char *outcome(int err, bool cma, char *v, size_t len)
{
	if (err)
		snprintf(v, len, "refused:%s", errno_name(err));
	else
		snprintf(v, len, "%s",
			 cma ? "allocated" : "served-outside-cma");
	return v;
}

static int simple(struct ccase *c, const char *because, bool check_data)
{
	char fig[300], v[48];
	bool cma;
	int err;

	if (c->fr.src)
		place_unsqueeze(&c->fr.r);
	err = alloc_once(c, "alloc", &cma);
	if (check_data)
		json_object_object_add(
			c->rec.extra, "data_ok",
			json_object_new_boolean(
				fault_check(c->p, REGION, 0, 1) < 0));
	fault_verdict(&c->rec, outcome(err, cma, v, sizeof(v)));
	fault_expect(&c->rec, "allocated", because);
	snprintf(fig, sizeof(fig), "%zu MiB from CMA: %s in %.1f ms",
		 c->bytes >> 20, err ? errno_name(err) : "ok",
		 (double)(json_object_get_int64(
			 json_object_object_get(c->rec.extra, "alloc_ns"))) /
			 1e6);
	return emit(c, fig);
}

static int long_term(struct ccase *c)
{
	struct kstat_window reg;
	struct ibv_mr *mr;
	int rc;

	/* Where the pages were: the pin moves them. */
	fault_add_int(&c->rec, "held_in_every_window", held_in_every_window(c));
	kstat_window_open(&reg);
	mr = fault_reg_mr(c->env, c->p, REGION, c->why, sizeof(c->why));
	kstat_window_close(&reg);
	if (!mr)
		return give_up(c, STATUS_UNSUPPORTED, 0);
	c->rec.pins = kstat_window_per(&reg, KSTAT_FOLL_PIN_ACQUIRED, 1);
	c->rec.migrated = kstat_window_per(&reg, KSTAT_PGMIGRATE_SUCCESS, 1);
	rc = simple(c, longterm_because, false);
	ibv_dereg_mr(mr);
	return rc;
}

static int mlocked(struct ccase *c)
{
	int rc;

	if (mlock(c->p, REGION)) {
		snprintf(c->why, sizeof(c->why), "mlock: %s", strerror(errno));
		return give_up(c, STATUS_UNSUPPORTED, 0);
	}
	fault_add_int(&c->rec, "held_in_every_window", held_in_every_window(c));
	rc = simple(c, mlock_because, true);
	munlock(c->p, REGION);
	return rc;
}

static int nothing(struct ccase *c)
{
	return simple(c, nothing_because, false);
}

static int short_term(struct ccase *c)
{
	const char *dir =
		stall_target(c->env->o->stall_dev, c->env->o->ext4_dir);
	bool pinned_rule = kver_running() >= KVER(6, 3, 0), cma1, cma2;
	struct kstat_window sw;
	struct stall s;
	long held;
	int err1, err2, rc;
	char fig[400], v1[48], v2[48];

	if (!dir) {
		snprintf(c->why, sizeof(c->why), "%s", STALL_NONE);
		return give_up(c, STATUS_UNSUPPORTED, 0);
	}
	kstat_window_open(&sw);
	if (stall_start(&s, dir, c->p, REGION, c->why, sizeof(c->why)))
		return give_up(c, STATUS_UNSUPPORTED, 0);
	kstat_window_close(&sw);
	c->rec.pins = kstat_window_per(&sw, KSTAT_FOLL_PIN_ACQUIRED, 1);
	fault_add_int(&c->rec, "pins_held_by_io", (long long)c->rec.pins);
	held = held_in_every_window(c);
	fault_add_int(&c->rec, "held_in_every_window", held);
	place_unsqueeze(&c->fr.r);
	err1 = alloc_once(c, "alloc_during_io", &cma1);
	rc = stall_finish(&s, c->why, sizeof(c->why));
	json_object_object_add(c->rec.extra, "io_completed",
			       json_object_new_boolean(!rc));
	err2 = alloc_once(c, "alloc_after_io", &cma2);
	json_object_object_add(
		c->rec.extra, "data_ok",
		json_object_new_boolean(fault_check(c->p, REGION, 0, 1) < 0));
	if (rc)
		fault_verdict(&c->rec, "io-failed");
	else if (!err1 && cma1)
		fault_verdict(&c->rec, "allocated-around-io");
	else if (err1 && !err2 && cma2)
		fault_verdict(&c->rec, c->rec.pins >= PAGES ?
					       "refused-while-pinned" :
					       "refused-while-referenced");
	else
		fault_verdict(&c->rec, outcome(err2 ? err2 : err1, cma2, v1,
					       sizeof(v1)));
	fault_expect(&c->rec,
		     held <= 0	 ? "allocated-around-io" :
		     pinned_rule ? "refused-while-pinned" :
				   "refused-while-referenced",
		     pinned_because);
	snprintf(
		fig, sizeof(fig),
		"%zu MiB from CMA; I/O in flight (%.0f pins, %ld pages in every window): %s; I/O done: %s",
		c->bytes >> 20, c->rec.pins, held,
		outcome(err1, cma1, v1, sizeof(v1)),
		outcome(err2, cma2, v2, sizeof(v2)));
	return emit(c, fig);
}

static const struct {
	const char *name, *reg;
	int (*run)(struct ccase *c);
	bool region;
} cases[] = {
	{ "nothing", NULL, nothing, false },
	{ "long-term-pin", "regular", long_term, true },
	{ "short-term-pin", "odirect", short_term, true },
	{ "mlocked", "mlock", mlocked, true },
};

static int one_case(struct fault_env *env, size_t i, const struct ccase *proto)
{
	struct ccase *c = malloc(sizeof(*c));
	struct mem_placement pl;
	int rc;

	if (!c)
		return -1;
	*c = *proto;
	c->t0 = clock_ns();
	fault_record(&c->rec, "cma-alloc", cases[i].name);
	c->rec.reg = cases[i].reg;
	fault_add_int(&c->rec, "alloc_bytes", (long long)c->bytes);
	json_object_object_add(c->rec.extra, "cma_area",
			       json_object_new_string(c->name));
	if (cases[i].region) {
		c->rec.mem = "cma";
		c->rec.size = REGION;
		c->rec.page_size = mem_base_page();
		c->rec.pages = PAGES;
		if (fault_alloc("cma", "4k", REGION, &c->fr, c->why,
				sizeof(c->why))) {
			rc = give_up(c, STATUS_UNSUPPORTED, 0);
			goto out;
		}
		if ((rc = c->fr.src->populate(&c->fr.r))) {
			c->fr.src->placement(&c->fr.r, &pl);
			snprintf(c->why, sizeof(c->why), "placing in CMA: %s",
				 pl.error ? pl.error : strerror(rc));
			rc = give_up(c, STATUS_FAILED, 0);
			goto out;
		}
		c->p = c->fr.r.addr;
		fault_fill(c->p, REGION, 0, 1);
	}
	rc = cases[i].run(c);
out:
	fault_free(&c->fr);
	free(c);
	return rc;
}

static int cma_alloc_run(struct fault_env *env)
{
	struct ccase proto = { .env = env, .dev = -1 };
	struct cma_counts cc;
	long long total = meminfo_read_kb("CmaTotal");
	int rc = 0;

	if (total <= 0)
		return fault_unsupported(
			env, "cma-alloc", NULL,
			total < 0 ?
				"kernel without CMA (CONFIG_CMA): no CmaTotal in /proc/meminfo" :
				"no CMA area: boot with cma=SIZE (mrbench vm --profile cma, on debian:sid)");
	if (cma_area_name(proto.name, sizeof(proto.name), proto.why,
			  sizeof(proto.why)) ||
	    (proto.dev = cma_dev_open(proto.why, sizeof(proto.why))) < 0)
		return fault_unsupported(env, "cma-alloc", NULL, proto.why);
	cma_counts_read(proto.name, &cc);
	if (cma_ranges_read(&proto.area, 1) != 1 || cc.available <= 0) {
		close(proto.dev);
		return fault_unsupported(
			env, "cma-alloc", NULL,
			"the CMA area's place (boot log, root) or its available_pages (CONFIG_CMA_SYSFS) is not to be seen");
	}
	/* As much as the free part of the bitmap holds in whole window
	 * steps: what drivers took at boot sits at the area's start (first
	 * fit), so one window is left, from the first free step to the end,
	 * and every page placed after the first step is in it. */
	proto.bytes = ((size_t)cc.available / WINDOW_STEP) * WINDOW_STEP *
		      mem_base_page();
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases) && !rc; i++)
		rc = one_case(env, i, &proto);
	close(proto.dev);
	return rc;
}

const struct fault_scenario fault_cma_alloc = {
	.name = "cma-alloc",
	.help = "a CMA allocation of nearly the whole area while memory placed there is pinned, under I/O or mlocked",
	.flags = FAULT_NEEDS_QP,
	.run = cma_alloc_run,
};
