// SPDX-License-Identifier: GPL-2.0
/*
 * ksm: identical pages, half of them pinned by a regular MR, all
 * advised MADV_MERGEABLE, and ksmd run until it has scanned everything
 * twice. Merging a page means write-protecting it and pointing its PTE
 * at a shared KSM page; done to a pinned page it would leave the device
 * on the old page and the CPU on the new one. The kernel's answer: KSM
 * merges only a page whose references are its mappings and KSM's own
 * (write_protect_page()), so a pinned page is never a candidate; the
 * unpinned twins merge among themselves when ksmd meets one of them
 * first. Its unstable tree keeps the first page of a content it scans,
 * and when that one is pinned the identical pages behind it fail to
 * merge with it and stay apart (seen run alone on 6.1, 6.12 and 7.2;
 * 7.2 merged them after an earlier merge of the same content). So the
 * pinned half comes first in one case and last in the other.
 * pagemap's frame numbers count the distinct pages left in each half;
 * ksm_merging_pages (the process's) and pages_sharing (the system's)
 * say what ksmd merged; then the CPU writes a pinned page and the
 * device reads it.
 *
 * ksmd's settings are the system's: run, pages_to_scan and
 * sleep_millisecs are saved and put back (lib/kernel/restore.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "fault/fault.h"
#include "kernel/restore.h"

#define KSM_DIR	  "/sys/kernel/mm/ksm/"
#define HALF	  (2UL << 20) /* each half: pinned, and not */
#define SCANS	  4 /* full scans: one to checksum, one to merge, spare */
#define WAIT_SECS 60

#define KSM_BECAUSE \
	"KSM merges only a page whose references are its mappings and KSM's own (write_protect_page()): a pinned page's extra references keep it out, so the device and the CPU keep one page"

static const int tags[] = { 1, 2, 3 };

/* A number ksm or procfs shows, -1 when it cannot be read. */
static long read_long(const char *path)
{
	unsigned long v;

	return mem_read_ulong(path, &v) ? -1 : (long)v;
}

/* Distinct frame numbers among the pages of [p, p + len), or -1 when
 * pagemap does not show them (not root). */
static long distinct_frames(const void *p, size_t len)
{
	size_t n = len / mem_base_page();
	uint64_t *pfn = calloc(n, sizeof(*pfn));
	long distinct = -1;

	if (pfn && !mem_pagemap_read(p, n, pfn)) {
		distinct = 0;
		for (size_t i = 0; i < n; i++) {
			bool seen = false;

			pfn[i] = MEM_PM_PFN(pfn[i]);
			if (!pfn[i]) {
				distinct = -1;
				break;
			}
			for (size_t j = 0; j < i && !seen; j++)
				seen = pfn[j] == pfn[i];
			distinct += !seen;
		}
	}
	free(pfn);
	return distinct;
}

/* ksmd on, fast, until it has scanned everything SCANS more times. */
static int run_ksmd(char *reason, size_t len)
{
	long start = read_long(KSM_DIR "full_scans"), now = start;
	time_t deadline = time(NULL) + WAIT_SECS;

	if (start < 0) {
		snprintf(reason, len,
			 "no %sfull_scans: kernel without CONFIG_KSM", KSM_DIR);
		return -1;
	}
	if (restore_write(KSM_DIR "pages_to_scan", "4096", reason, len) ||
	    restore_write(KSM_DIR "sleep_millisecs", "10", reason, len) ||
	    restore_write(KSM_DIR "run", "1", reason, len))
		return -1;
	while (now >= 0 && now < start + SCANS && time(NULL) < deadline) {
		usleep(20000);
		now = read_long(KSM_DIR "full_scans");
	}
	/* Stopped again, merged pages left as they are. */
	restore_write(KSM_DIR "run", "0", reason, len);
	if (now < start + SCANS) {
		snprintf(reason, len,
			 "ksmd did not finish %d full scans in %d s", SCANS,
			 WAIT_SECS);
		return -1;
	}
	return 0;
}

static int look(struct fault_env *env, struct record *rec, struct ibv_mr *mr,
		char *pin, char *twin)
{
	long pinned = distinct_frames(pin, HALF),
	     free_half = distinct_frames(twin, HALF);
	char err[300], fig[300];
	const char *dev;
	bool merged_pinned;

	if (pinned < 0 || free_half < 0) {
		fault_verdict(rec, "unsupported");
		record_set_status(
			rec, STATUS_UNSUPPORTED, 0, "%s",
			"pagemap shows no frame numbers (needs root)");
		return fault_emit(env, rec, NULL);
	}
	json_object_object_add(rec->extra, "pinned_pages_distinct",
			       json_object_new_int64(pinned));
	json_object_object_add(rec->extra, "unpinned_pages_distinct",
			       json_object_new_int64(free_half));
	json_object_object_add(rec->extra, "ksm_merging_pages",
			       json_object_new_int64(read_long(
				       "/proc/self/ksm_merging_pages")));
	json_object_object_add(
		rec->extra, "pages_sharing",
		json_object_new_int64(read_long(KSM_DIR "pages_sharing")));
	fault_fill(pin, env->o->op_size, 0, 2);
	if (!(dev = fault_device_sees(env, mr, pin, 0, tags, 3, err,
				      sizeof(err)))) {
		fault_verdict(rec, "failed");
		record_set_status(rec, STATUS_FAILED, EIO, "%s", err);
		qp_reset(env->qp, err, sizeof(err));
		return fault_emit(env, rec, NULL);
	}
	json_object_object_add(rec->extra, "device_reads_cpu_write",
			       json_object_new_string(dev));
	merged_pinned = (size_t)pinned < HALF / mem_base_page();
	json_object_object_add(
		rec->extra, "unpinned_merged",
		json_object_new_boolean(free_half <
					(long)(HALF / mem_base_page())));
	fault_verdict(rec, merged_pinned       ? "pinned-merged" :
			   strcmp(dev, "tag2") ? "incoherent" :
						 "pinned-never-merged");
	fault_expect(rec, "pinned-never-merged", KSM_BECAUSE);
	snprintf(
		fig, sizeof(fig),
		"distinct pages: pinned %ld, unpinned %ld of %lu each; CPU write, RDMA READ sees %s",
		pinned, free_half, HALF / mem_base_page(), dev);
	return fault_emit(env, rec, fig);
}

static int ksm_case(struct fault_env *env, bool pinned_first)
{
	char reason[300], *base, *pin, *twin;
	struct ibv_mr *mr;
	struct record rec;
	int rc;

	base = mmap(NULL, 2 * HALF, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (base == MAP_FAILED)
		return fault_unsupported(env, "ksm", "regular",
					 strerror(errno));
	/* Base pages, every one alike: 0x5a, never zero (KSM treats the
	 * zero page apart). */
	madvise(base, 2 * HALF, MADV_NOHUGEPAGE);
	memset(base, 0x5a, 2 * HALF);
	pin = pinned_first ? base : base + HALF;
	twin = pinned_first ? base + HALF : base;
	mr = fault_reg_mr(env, pin, HALF, reason, sizeof(reason));
	if (!mr) {
		munmap(base, 2 * HALF);
		return fault_unsupported(env, "ksm", "regular", reason);
	}
	fault_record(&rec, "ksm",
		     pinned_first ? "pinned-first" : "twins-first");
	rec.mem = "anon";
	rec.reg = "regular";
	rec.access = "lw+rr+rw";
	rec.size = HALF;
	rec.page_size = mem_base_page();
	rec.pages = HALF / mem_base_page();
	if (madvise(base, 2 * HALF, MADV_MERGEABLE)) {
		snprintf(reason, sizeof(reason), "MADV_MERGEABLE failed: %s",
			 strerror(errno));
		rc = -1;
	} else {
		rc = run_ksmd(reason, sizeof(reason));
	}
	if (rc) {
		fault_verdict(&rec, "unsupported");
		record_set_status(&rec, STATUS_UNSUPPORTED, 0, "%s", reason);
		rc = fault_emit(env, &rec, NULL);
	} else {
		rc = look(env, &rec, mr, pin, twin);
	}
	ibv_dereg_mr(mr);
	munmap(base, 2 * HALF);
	return rc;
}

static int ksm_run(struct fault_env *env)
{
	int rc = ksm_case(env, false);

	return rc ? rc : ksm_case(env, true);
}

const struct fault_scenario fault_ksm = {
	.name = "ksm",
	.help = "KSM over identical pages, half of them pinned: are pinned pages merged?",
	.flags = FAULT_NEEDS_QP,
	.run = ksm_run,
};
