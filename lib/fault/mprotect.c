// SPDX-License-Identifier: GPL-2.0
/*
 * mprotect: a regular MR outlives changes to the mapping it was made
 * from. mprotect(PROT_READ) takes the CPU's write permission but not the
 * device's: the MR still writes the same pinned pages, and the CPU reads
 * what it wrote. munmap takes the range from the process, not from the
 * MR: the pages stay pinned (nr_foll_pin_released does not move) and
 * RDMA keeps working on them until ibv_dereg_mr, which releases them.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "fault/fault.h"

#define PIN_BECAUSE \
	"a long-term pin (ib_umem_get, FOLL_LONGTERM) holds page references, not the VMA: protection changes and unmapping leave the pinned pages to the MR until ibv_dereg_mr"

static const int tags[] = { 1, 2, 3, 4 };

struct mp {
	struct fault_env *env;
	struct fault_region fr;
	struct ibv_mr *mr;
	size_t last;
	char err[300];
};

static struct record *start(struct record *rec, struct mp *m, const char *what)
{
	fault_record(rec, "mprotect", what);
	rec->mem = "anon";
	rec->reg = "regular";
	rec->access = "lw+rr+rw";
	rec->size = m->fr.r.size;
	rec->page_size = m->fr.r.page_size;
	rec->pages = m->fr.r.size / mem_base_page();
	return rec;
}

static int device_write(struct mp *m, size_t off, int tag)
{
	uint64_t ns;
	size_t bad;

	return fault_pass(m->env, m->mr, (char *)m->mr->addr + off, 0, 1,
			  QP_WRITE, tag, &ns, &bad, m->err, sizeof(m->err));
}

static int failed(struct mp *m, struct record *rec, int rc)
{
	fault_verdict(rec, "failed");
	record_set_status(rec, STATUS_FAILED, rc, "%s", m->err);
	if (rc == EIO)
		qp_reset(m->env->qp, m->err, sizeof(m->err));
	return fault_emit(m->env, rec, NULL);
}

/* PROT_READ: the device reads and writes, the CPU sees its writes. */
static int prot_read(struct mp *m)
{
	struct record rec;
	const char *dev, *cpu;
	char fig[300];
	int rc;

	start(&rec, m, "prot-read");
	if (mprotect(m->fr.r.addr, m->fr.r.map_len, PROT_READ)) {
		snprintf(m->err, sizeof(m->err), "mprotect failed: %s",
			 strerror(errno));
		return failed(m, &rec, errno);
	}
	if (!(dev = fault_device_sees(m->env, m->mr, m->fr.r.addr, 0, tags, 4,
				      m->err, sizeof(m->err))))
		return failed(m, &rec, EIO);
	if ((rc = device_write(m, 0, 2)))
		return failed(m, &rec, rc);
	cpu = fault_what(m->fr.r.addr, m->env->o->op_size, 0, tags, 4);
	json_object_object_add(rec.extra, "device_reads",
			       json_object_new_string(dev));
	json_object_object_add(rec.extra, "cpu_sees_device_write",
			       json_object_new_string(cpu));
	fault_verdict(&rec, !strcmp(dev, "tag1") && !strcmp(cpu, "tag2") ?
				    "device-writes-read-only-pages" :
				    "incoherent");
	fault_expect(&rec, "device-writes-read-only-pages", PIN_BECAUSE);
	snprintf(
		fig, sizeof(fig),
		"after PROT_READ: RDMA READ sees %s, RDMA WRITE of tag2 completes, CPU reads %s",
		dev, cpu);
	mprotect(m->fr.r.addr, m->fr.r.map_len, PROT_READ | PROT_WRITE);
	return fault_emit(m->env, &rec, fig);
}

/* munmap: the MR keeps its pages, and gives them back at dereg. */
static int unmapped(struct mp *m)
{
	struct record rec;
	struct kstat_window by_munmap_w, by_dereg_w;
	long long by_munmap, by_dereg;
	const char *dev;
	char fig[300];
	uint64_t ns;
	size_t bad = 0;
	int rc, drc;

	start(&rec, m, "munmap");
	fault_fill(m->fr.r.addr, m->fr.r.size, 0, 3);
	kstat_window_open(&by_munmap_w);
	if (munmap(m->fr.r.addr, m->fr.r.map_len)) {
		snprintf(m->err, sizeof(m->err), "munmap failed: %s",
			 strerror(errno));
		return failed(m, &rec, errno);
	}
	m->fr.r.addr = NULL; /* gone from the process; the MR's address stays */
	kstat_window_close(&by_munmap_w);
	by_dereg_w.before = by_munmap_w.after;
	if (!(dev = fault_device_sees(m->env, m->mr, (void *)m->mr->addr,
				      m->last, tags, 4, m->err,
				      sizeof(m->err))))
		return failed(m, &rec, EIO);
	/* A device write to the unmapped range, read back by the device. */
	rc = device_write(m, m->last, 4);
	if (!rc)
		rc = fault_pass(m->env, m->mr, (char *)m->mr->addr + m->last, 0,
				1, QP_READ, 4, &ns, &bad, m->err,
				sizeof(m->err));
	if (rc)
		return failed(m, &rec, rc);
	drc = ibv_dereg_mr(m->mr);
	m->mr = NULL;
	kstat_window_close(&by_dereg_w);
	by_munmap = (long long)kstat_window_per(&by_munmap_w,
						KSTAT_FOLL_PIN_RELEASED, 1);
	by_dereg = (long long)kstat_window_per(&by_dereg_w,
					       KSTAT_FOLL_PIN_RELEASED, 1);
	json_object_object_add(rec.extra, "device_reads_after_munmap",
			       json_object_new_string(dev));
	json_object_object_add(
		rec.extra, "unpins_by_munmap",
		fault_counter_json(&by_munmap_w, KSTAT_FOLL_PIN_RELEASED));
	json_object_object_add(
		rec.extra, "unpins_by_dereg",
		fault_counter_json(&by_dereg_w, KSTAT_FOLL_PIN_RELEASED));
	json_object_object_add(
		rec.extra, "dereg",
		json_object_new_string(drc ? strerror(drc) : "ok"));
	json_object_object_add(rec.extra, "device_write_after_munmap",
			       json_object_new_boolean(!bad));
	fault_verdict(&rec,
		      !strcmp(dev, "tag3") && !bad && !drc && by_munmap <= 0 ?
			      "pages-live-until-dereg" :
			      "pages-lost");
	fault_expect(&rec, "pages-live-until-dereg", PIN_BECAUSE);
	snprintf(
		fig, sizeof(fig),
		"after munmap: RDMA READ sees %s, RDMA WRITE %s; unpins: munmap %lld, dereg %lld (%s)",
		dev, bad ? "lost" : "lands", by_munmap, by_dereg,
		drc ? strerror(drc) : "dereg ok");
	return fault_emit(m->env, &rec, fig);
}

static int mprotect_run(struct fault_env *env)
{
	struct mp m = { .env = env };
	char reason[300];
	int rc;

	if (fault_alloc("anon", NULL, 2UL << 20, &m.fr, reason, sizeof(reason)))
		return fault_unsupported(env, "mprotect", "regular", reason);
	m.last = m.fr.r.size - env->o->op_size;
	fault_fill(m.fr.r.addr, m.fr.r.size, 0, 1);
	m.mr = fault_reg_mr(env, m.fr.r.addr, m.fr.r.size, reason,
			    sizeof(reason));
	if (!m.mr) {
		fault_free(&m.fr);
		return fault_unsupported(env, "mprotect", "regular", reason);
	}
	rc = prot_read(&m);
	if (!rc)
		rc = unmapped(&m);
	if (m.mr)
		ibv_dereg_mr(m.mr);
	fault_free(&m.fr);
	return rc;
}

const struct fault_scenario fault_mprotect = {
	.name = "mprotect",
	.help = "regular MR after mprotect(PROT_READ) and munmap of its range",
	.flags = FAULT_NEEDS_QP,
	.run = mprotect_run,
};
