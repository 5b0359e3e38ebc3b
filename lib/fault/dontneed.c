// SPDX-License-Identifier: GPL-2.0
/*
 * dontneed: MADV_DONTNEED on a range a regular MR holds pinned. The kernel
 * zaps the page tables but cannot take the pages from the MR: the pin
 * keeps the old pages alive and the device keeps using them, with no
 * notifier to tell it otherwise. Private anonymous memory (4K, THP,
 * hugetlb) then faults in fresh zero pages for the CPU while an RDMA READ
 * still returns the old contents: the two views part for good. Shared
 * memory (memfd) refaults the same page-cache page, so they stay one.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "fault/fault.h"
#include "kernel/kstat.h"
#include "measure/measure.h"

#define PRIVATE_BECAUSE \
	"madvise(2): MADV_DONTNEED on private anonymous memory gives zero-fill-on-demand pages; a long-term pin (ib_umem, no MMU notifier) keeps the old page for the device, on every kernel since pins exist"
#define SHARED_BECAUSE \
	"madvise(2): MADV_DONTNEED on a shared mapping only unmaps; the next CPU fault maps the same page-cache page the device holds"

struct dn {
	struct fault_env *env;
	struct fault_region fr;
	struct ibv_mr *mr;
	char err[300];
};

static const int tags[] = { 1, 2, 3 };

static const char *cpu_sees(struct dn *d, size_t off)
{
	return fault_what((char *)d->fr.r.addr + off, d->env->o->op_size, off,
			  tags, 3);
}

/* After the zap: who sees what, and do later writes cross over? */
static int observe(struct dn *d, struct record *rec, char *fig, size_t len)
{
	struct fault_env *env = d->env;
	size_t last = d->fr.r.size - env->o->op_size, bad = 0;
	const char *cpu, *dev, *dev_last, *verdict;
	bool cpu_to_dev, dev_to_cpu;
	uint64_t ns;
	int rc;

	cpu = cpu_sees(d, 0);
	if (!(dev = fault_device_sees(env, d->mr, d->fr.r.addr, 0, tags, 3,
				      d->err, sizeof(d->err))) ||
	    !(dev_last = fault_device_sees(env, d->mr, d->fr.r.addr, last, tags,
					   3, d->err, sizeof(d->err))))
		return EIO;
	/* The CPU writes tag 2: does the device read it? */
	fault_fill(d->fr.r.addr, env->o->op_size, 0, 2);
	rc = fault_pass(env, d->mr, d->fr.r.addr, 0, 1, QP_READ, 2, &ns, &bad,
			d->err, sizeof(d->err));
	if (rc)
		return rc;
	cpu_to_dev = !bad;
	/* The device writes tag 3 at the end: does the CPU read it? */
	rc = fault_pass(env, d->mr, (char *)d->fr.r.addr + last, 0, 1, QP_WRITE,
			3, &ns, &bad, d->err, sizeof(d->err));
	if (rc)
		return rc;
	dev_to_cpu = fault_check((char *)d->fr.r.addr + last, env->o->op_size,
				 0, 3) < 0;
	json_object_object_add(rec->extra, "cpu_sees",
			       json_object_new_string(cpu));
	json_object_object_add(rec->extra, "device_sees",
			       json_object_new_string(dev));
	json_object_object_add(rec->extra, "device_sees_last",
			       json_object_new_string(dev_last));
	json_object_object_add(rec->extra, "cpu_write_reaches_device",
			       json_object_new_boolean(cpu_to_dev));
	json_object_object_add(rec->extra, "device_write_reaches_cpu",
			       json_object_new_boolean(dev_to_cpu));
	if (!strcmp(cpu, dev) && cpu_to_dev && dev_to_cpu)
		verdict = "coherent";
	else if (!strcmp(dev, "tag1") && !strcmp(cpu, "zeros"))
		verdict = "incoherent";
	else
		verdict = "incoherent-other";
	fault_verdict(rec, verdict);
	snprintf(
		fig, len,
		"after DONTNEED: CPU sees %s, RDMA READ sees %s (old: tag1); CPU->device %s, device->CPU %s",
		cpu, dev, cpu_to_dev ? "yes" : "no", dev_to_cpu ? "yes" : "no");
	return 0;
}

static int one_mem(struct fault_env *env, const struct mem_source *src)
{
	struct dn d = { .env = env };
	const char *mem = src->name;
	struct record rec;
	bool shared;
	char fig[400] = "";
	struct kstat_window w;
	int rc = 0;

	fault_record(&rec, "dontneed", "madv-dontneed");
	rec.mem = mem;
	rec.reg = "regular";
	rec.access = "lw+rr+rw";
	rec.size = 2UL << 20;
	rec.pages = rec.size / mem_base_page();
	/*
	 * hugetlb: the pinned page stays out of the pool after the zap, so
	 * the CPU's next touch needs a second free page, or it gets SIGBUS.
	 */
	if ((src->probe_size &&
	     src->probe_size(src, NULL, 2 * rec.size, d.err, sizeof(d.err))) ||
	    fault_alloc(mem, NULL, rec.size, &d.fr, d.err, sizeof(d.err))) {
		fault_verdict(&rec, "unsupported");
		record_set_status(&rec, STATUS_UNSUPPORTED, 0, "%s", d.err);
		return fault_emit(env, &rec, NULL);
	}
	rec.page_size = d.fr.r.page_size;
	fault_fill(d.fr.r.addr, d.fr.r.size, 0, 1);
	d.mr = fault_reg_mr(env, d.fr.r.addr, d.fr.r.size, d.err,
			    sizeof(d.err));
	if (!d.mr) {
		rc = errno;
		goto out;
	}
	kstat_window_open(&w);
	if (madvise(d.fr.r.addr, d.fr.r.map_len, MADV_DONTNEED)) {
		rc = errno;
		snprintf(d.err, sizeof(d.err),
			 "madvise(MADV_DONTNEED) failed: %s", strerror(rc));
		goto dereg;
	}
	kstat_window_close(&w);
	/* The kernel's word that the zap left the pin alone. */
	json_object_object_add(rec.extra, "unpins_by_madvise",
			       fault_counter_json(&w, KSTAT_FOLL_PIN_RELEASED));
	rc = observe(&d, &rec, fig, sizeof(fig));
	shared = d.fr.r.flags & MEM_SHARED;
	if (!rc)
		fault_expect(&rec, shared ? "coherent" : "incoherent",
			     shared ? SHARED_BECAUSE : PRIVATE_BECAUSE);
dereg:
	ibv_dereg_mr(d.mr);
out:
	if (rc) {
		fault_verdict(&rec, "failed");
		record_set_status(&rec, STATUS_FAILED, rc, "%s", d.err);
		if (rc == EIO)
			qp_reset(env->qp, d.err, sizeof(d.err));
	}
	fault_free(&d.fr);
	return fault_emit(env, &rec, fig);
}

/*
 * One source for each kind of page MADV_DONTNEED treats its own way:
 * private base pages, a private THP (the PMD is zapped whole), private
 * hugetlb pages, and shared shmem page cache.
 */
static const struct mem_source *const kinds[] = { &mem_anon, &mem_thp,
						  &mem_hugetlb_2m, &mem_memfd };

static int dontneed_run(struct fault_env *env)
{
	int rc = 0;

	for (size_t i = 0;
	     i < sizeof(kinds) / sizeof(kinds[0]) && !rc && !measure_stop; i++)
		rc = one_mem(env, kinds[i]);
	return rc;
}

const struct fault_scenario fault_dontneed = {
	.name = "dontneed",
	.help = "regular MR, MADV_DONTNEED: what the CPU and an RDMA READ see",
	.flags = FAULT_NEEDS_QP,
	.run = dontneed_run,
};
