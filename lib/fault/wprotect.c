// SPDX-License-Identifier: GPL-2.0
/*
 * wprotect: write-protecting the pages of a regular MR after it was made,
 * the three ways user space takes write permission from memory it still
 * means to write: soft-dirty tracking (clear_refs 4, as CRIU and live
 * migration do), userfaultfd write-protect (UFFDIO_WRITEPROTECT, as
 * qemu's live snapshot does), and mprotect(PROT_READ) then PROT_WRITE
 * again. Each leaves the PTE read-only, so the CPU's next write faults.
 * Had that fault copied the page (COW), the CPU would go on writing a
 * new page and the MR keep the old one: the CPU's view and the device's
 * parted, silently. After the CPU's write, an RDMA READ says what the
 * device sees; an RDMA WRITE read back by the CPU checks the other way.
 * The page's frame number (pagemap, root) before and after says whether
 * it was replaced, the thread's minor faults whether the protection was
 * real, and the pin counters that nothing was pinned again.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include "fault/fault.h"
#include "fault/wprotect.h"

#define SIZE (2UL << 20)

/*
 * On an anonymous page: from 5.19 a pinned anonymous page is exclusive
 * to its process (PageAnonExclusive, David Hildenbrand's "mm: COW fixes
 * part 2"), and a write fault on an exclusive page reuses it instead of
 * copying. On shmem: a shared mapping's write fault never copies.
 */
#define ANON_BECAUSE \
	"a pinned anonymous page is exclusive (PageAnonExclusive, 5.19): the write fault after write-protection reuses it, never copies it away from the MR"
#define SOFT_DIRTY_BECAUSE \
	"clear_refs leaves a pinned page of a COW mapping alone (pte_is_pinned() in clear_soft_dirty(), from the 5.9-5.10 work on COW of pinned pages): never write-protected, it stays soft-dirty and shared with the MR"
#define SHMEM_BECAUSE \
	"a write fault on a shared (shmem) mapping makes the same page writable: there is nothing to copy"

static const int tags[] = { 1, 2, 3 };

static const struct wp_case cases[] = {
	{ "soft-dirty", "anon", SOFT_DIRTY_BECAUSE, &wp_soft_dirty },
	{ "uffd-wp", "anon", ANON_BECAUSE, &wp_uffd },
	{ "uffd-wp-shmem", "memfd", SHMEM_BECAUSE, &wp_uffd },
	{ "mprotect-rw", "anon", ANON_BECAUSE, &wp_mprotect },
};

/* The page's frame number, 0 when pagemap does not show it (not root,
 * not present). */
static uint64_t pfn_of(const void *addr, bool *soft_dirty)
{
	uint64_t e = 0;

	if (mem_pagemap_read(addr, 1, &e))
		e = 0;
	if (soft_dirty)
		*soft_dirty = MEM_PM_SOFT_DIRTY(e);
	return MEM_PM_PRESENT(e) ? MEM_PM_PFN(e) : 0;
}

static long minor_faults(void)
{
	struct rusage ru;

	return getrusage(RUSAGE_THREAD, &ru) ? -1 : ru.ru_minflt;
}

static int failed(struct fault_env *env, struct record *rec, int err,
		  const char *why)
{
	char again[300];

	fault_verdict(rec, "failed");
	record_set_status(rec, STATUS_FAILED, err, "%s", why);
	if (err == EIO)
		qp_reset(env->qp, again, sizeof(again));
	return fault_emit(env, rec, NULL);
}

static const char *verdict_of(const char *dev, const char *cpu)
{
	if (!strcmp(dev, "tag2") && !strcmp(cpu, "tag3"))
		return "coherent";
	return !strcmp(dev, "tag1") ? "cow-broke-pin" : "incoherent";
}

/* The CPU writes tag2 over the protected page, then each side reads
 * what the other wrote. */
static int write_and_look(struct fault_env *env, struct record *rec,
			  struct ibv_mr *mr, struct wp_state *st)
{
	bool dirty = false, dirty_before = false;
	uint64_t pfn0 = pfn_of(mr->addr, &dirty_before), pfn1, ns;
	struct kstat_window w;
	const char *dev, *cpu;
	char err[300], fig[300];
	long flt0, flt1;
	size_t bad;
	int rc;

	kstat_window_open(&w);
	flt0 = minor_faults();
	fault_fill(mr->addr, env->o->op_size, 0, 2);
	flt1 = minor_faults();
	st->c->how->settle(st);
	kstat_window_close(&w);
	pfn1 = pfn_of(mr->addr, &dirty);
	if (!(dev = fault_device_sees(env, mr, mr->addr, 0, tags, 3, err,
				      sizeof(err))))
		return failed(env, rec, EIO, err);
	if ((rc = fault_pass(env, mr, mr->addr, 0, 1, QP_WRITE, 3, &ns, &bad,
			     err, sizeof(err))))
		return failed(env, rec, rc, err);
	cpu = fault_what(mr->addr, env->o->op_size, 0, tags, 3);
	json_object_object_add(rec->extra, "device_reads_cpu_write",
			       json_object_new_string(dev));
	json_object_object_add(rec->extra, "cpu_sees_device_write",
			       json_object_new_string(cpu));
	json_object_object_add(rec->extra, "write_faults",
			       json_object_new_int64(flt1 - flt0));
	json_object_object_add(
		rec->extra, "page_replaced",
		pfn0 && pfn1 ? json_object_new_boolean(pfn0 != pfn1) : NULL);
	/* Whether clear_refs cleared the pinned page's bit (and so
	 * write-protected it) or left it alone. */
	if (st->c->how->reports_dirty) {
		json_object_object_add(rec->extra, "soft_dirty_cleared",
				       json_object_new_boolean(!dirty_before));
		json_object_object_add(rec->extra, "soft_dirty_after_write",
				       json_object_new_boolean(dirty));
	}
	if (st->wp_faults >= 0)
		json_object_object_add(rec->extra, "uffd_wp_faults",
				       json_object_new_int64(st->wp_faults));
	rec->pins = kstat_window_per(&w, KSTAT_FOLL_PIN_ACQUIRED, 1);
	rec->unpins = kstat_window_per(&w, KSTAT_FOLL_PIN_RELEASED, 1);
	fault_verdict(rec, verdict_of(dev, cpu));
	fault_expect(rec, "coherent", st->c->because);
	snprintf(
		fig, sizeof(fig),
		"%s, CPU writes (%ld faults%s): RDMA READ sees %s; RDMA WRITE, CPU reads %s",
		st->c->how->name, flt1 - flt0,
		pfn0 && pfn1 ?
			pfn0 == pfn1 ? ", same page" : ", page replaced" :
			"",
		dev, cpu);
	return fault_emit(env, rec, fig);
}

static int run_case(struct fault_env *env, const struct wp_case *c)
{
	struct wp_state st = { .c = c, .uffd = -1, .wp_faults = -1 };
	struct fault_region fr;
	struct ibv_mr *mr;
	struct record rec;
	char reason[300];
	int rc;

	fault_record(&rec, "wprotect", c->name);
	rec.mem = c->mem;
	rec.reg = "regular";
	rec.access = "lw+rr+rw";
	rec.size = SIZE;
	if (fault_alloc(c->mem, NULL, SIZE, &fr, reason, sizeof(reason)))
		return fault_unsupported(env, "wprotect", "regular", reason);
	rec.page_size = fr.r.page_size;
	rec.pages = SIZE / mem_base_page();
	fault_fill(fr.r.addr, SIZE, 0, 1);
	mr = fault_reg_mr(env, fr.r.addr, SIZE, reason, sizeof(reason));
	if (!mr) {
		fault_free(&fr);
		return fault_unsupported(env, "wprotect", "regular", reason);
	}
	st.r = &fr.r;
	st.page = (size_t)getpagesize();
	if (c->how->protect(&st, reason, sizeof(reason))) {
		fault_verdict(&rec, "unsupported");
		record_set_status(&rec, STATUS_UNSUPPORTED, 0, "%s", reason);
		rc = fault_emit(env, &rec, NULL);
	} else {
		rc = write_and_look(env, &rec, mr, &st);
	}
	c->how->undo(&st);
	ibv_dereg_mr(mr);
	fault_free(&fr);
	return rc;
}

static int wprotect_run(struct fault_env *env)
{
	int rc = 0;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]) && !rc; i++)
		rc = run_case(env, &cases[i]);
	return rc;
}

const struct fault_scenario fault_wprotect = {
	.name = "wprotect",
	.help = "regular MR after soft-dirty, userfaultfd-wp and mprotect write-protect its pages",
	.flags = FAULT_NEEDS_QP,
	.run = wprotect_run,
};
