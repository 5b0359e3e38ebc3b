// SPDX-License-Identifier: GPL-2.0
/*
 * What a fork does to a pinned region, seen from both sides of the pin:
 * the child reads the region and writes its own tag over it, then the
 * parent's CPU and an RDMA READ say which page each of them is on. The
 * way (struct fork_way) picks the memory and when and how it is pinned,
 * so that fork and fork-cow ask the same question of anonymous pages,
 * THP, hugetlb, shmem, read-only pins and pins taken after the fork.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fault/fork.h"
#include "measure/clock.h"
#include "mem/hugepool.h"

#define COHERENT_SIZE (2UL << 20)

static const int tags[] = { 1, 2, 3, 4 };

/* In the child: wait for the parent, say what the range holds, write 2. */
static void child_side(void *addr, size_t len, size_t op, int go, int out)
{
	unsigned char vec[1];
	char res[64], b;

	if (read(go, &b, 1) < 0)
		_exit(1);
	if (mincore(addr, mem_base_page(), vec) && errno == ENOMEM) {
		snprintf(res, sizeof(res), "absent");
	} else {
		snprintf(res, sizeof(res), "%s",
			 fault_what(addr, op, 0, tags, 4));
		fault_fill(addr, len, 0, 2);
	}
	if (write(out, res, strlen(res) + 1) < 0)
		_exit(1);
	_exit(0);
}

static struct ibv_mr *way_reg(struct fault_env *env, const struct fork_way *w,
			      struct fault_region *fr, char *reason, size_t len)
{
	struct ibv_mr *mr;

	if (!w->read_only)
		return fault_reg_mr(env, fr->r.addr, fr->r.size, reason, len);
	/* Remote read only: ib_umem_get pins without FOLL_WRITE. */
	mr = ibv_reg_mr(env->reg.verbs->pd, fr->r.addr, fr->r.size,
			IBV_ACCESS_REMOTE_READ);
	if (!mr)
		snprintf(reason, len, "ibv_reg_mr (read-only) failed: %s",
			 strerror(errno));
	return mr;
}

/*
 * A private hugetlb page pinned at fork is copied for the child from the
 * pool's free pages, not its reservations: one more must be free, or
 * fork fails with ENOMEM. Grown through the undo log.
 */
static int hugetlb_spare(struct fault_region *fr, char *reason, size_t len)
{
	unsigned long avail = 0;
	long before, after;
	char err[200];

	if (!(fr->r.flags & MEM_HUGETLB))
		return 0;
	hugepool_avail(fr->r.page_size, &avail);
	if (hugepool_grow(fr->r.page_size, 1, avail, &before, &after, err,
			  sizeof(err))) {
		snprintf(reason, len, "no spare hugetlb page for the child: %s",
			 err);
		return ENOMEM;
	}
	return 0;
}

/* The frame of the region's first page, 0 when pagemap hides it. */
static uint64_t first_pfn(const struct fault_region *fr)
{
	uint64_t e = 0;

	return mem_pagemap_read(fr->r.addr, 1, &e) ? 0 : MEM_PM_PFN(e);
}

/* Bytes the region maps huge (THP), -1 for other memory. */
static long long huge_bytes(const struct fault_region *fr)
{
	json_object *o = json_object_new_object(), *v;
	long long n = -1;

	if (fr->src->describe) {
		fr->src->describe(&fr->r, o);
		if (json_object_object_get_ex(o, "huge_bytes", &v))
			n = json_object_get_int64(v);
	}
	json_object_put(o);
	return n;
}

static const char *verdict_of(bool shared, const char *cpu, const char *dev,
			      bool cpu_to_dev, bool dev_to_cpu)
{
	bool two = !strcmp(cpu, "tag2") || !strcmp(dev, "tag2");

	/* A shared mapping is the child's as much as the parent's. */
	if (shared)
		return two && !strcmp(cpu, dev) && cpu_to_dev && dev_to_cpu ?
			       "shared-with-child" :
			       "incoherent";
	if (two)
		return "child-write-leaks";
	return !strcmp(cpu, dev) && cpu_to_dev && dev_to_cpu ? "coherent" :
							       "incoherent";
}

static void add_str(struct record *rec, const char *k, const char *v)
{
	json_object_object_add(rec->extra, k, json_object_new_string(v));
}

void fork_coherence(struct fault_env *env, const struct fork_way *w,
		    struct record *rec, char *fig, size_t figlen)
{
	struct fault_region fr;
	struct ibv_mr *mr = NULL;
	size_t op = env->o->op_size, last = COHERENT_SIZE - op, bad = 0;
	char reason[300], child[64] = "?";
	const char *cpu, *dev, *verdict;
	bool cpu_to_dev, dev_to_cpu = true;
	long long huge_before, huge_after;
	uint64_t t0, fork_ns, ns, pfn_before;
	int go[2] = { -1, -1 }, ans[2] = { -1, -1 }, rc = 0, status;
	pid_t pid;

	rec->mem = w->mem;
	rec->reg = "regular";
	rec->access = w->read_only ? "rr" : "lw+rr+rw";
	rec->size = COHERENT_SIZE;
	if (fault_alloc(w->mem, NULL, COHERENT_SIZE, &fr, reason,
			sizeof(reason))) {
		record_set_status(rec, STATUS_UNSUPPORTED, 0, "%s", reason);
		return;
	}
	rec->page_size = fr.r.page_size;
	rec->pages = COHERENT_SIZE / mem_base_page();
	fault_fill(fr.r.addr, fr.r.size, 0, 1);
	if ((rc = hugetlb_spare(&fr, reason, sizeof(reason))))
		goto out;
	if (!w->pin_after_fork &&
	    !(mr = way_reg(env, w, &fr, reason, sizeof(reason)))) {
		rc = errno;
		goto out;
	}
	if (w->dontfork)
		madvise(fr.r.addr, fr.r.map_len, MADV_DONTFORK);
	if (pipe(go) || pipe(ans)) {
		rc = errno;
		snprintf(reason, sizeof(reason), "pipe failed: %s",
			 strerror(rc));
		goto out;
	}
	pfn_before = first_pfn(&fr);
	huge_before = huge_bytes(&fr);
	t0 = clock_ns();
	pid = fork();
	fork_ns = clock_ns() - t0;
	if (pid == 0) {
		close(go[1]);
		close(ans[0]);
		child_side(fr.r.addr, fr.r.size, op, go[0], ans[1]);
	}
	if (pid < 0) {
		rc = errno;
		snprintf(reason, sizeof(reason), "fork failed: %s",
			 strerror(rc));
		goto out;
	}
	/* The child waits: a pin taken now meets pages it still shares. */
	if (w->pin_after_fork &&
	    !(mr = way_reg(env, w, &fr, reason, sizeof(reason))))
		rc = errno;
	if (write(go[1], "g", 1) < 0 ||
	    read(ans[0], child, sizeof(child) - 1) <= 0)
		snprintf(child, sizeof(child), "no answer");
	waitpid(pid, &status, 0);
	if (rc)
		goto out;
	huge_after = huge_bytes(&fr);
	cpu = fault_what(fr.r.addr, op, 0, tags, 4);
	if (!(dev = fault_device_sees(env, mr, fr.r.addr, 0, tags, 4, reason,
				      sizeof(reason)))) {
		rc = EIO;
		goto out;
	}
	fault_fill(fr.r.addr, op, 0, 3);
	rc = fault_pass(env, mr, fr.r.addr, 0, 1, QP_READ, 3, &ns, &bad, reason,
			sizeof(reason));
	cpu_to_dev = !rc && !bad;
	if (!rc && !w->read_only) {
		rc = fault_pass(env, mr, (char *)fr.r.addr + last, 0, 1,
				QP_WRITE, 4, &ns, &bad, reason, sizeof(reason));
		dev_to_cpu = !rc && fault_check((char *)fr.r.addr + last, op, 0,
						4) < 0;
	}
	if (rc)
		goto out;
	json_object_object_add(rec->extra, "fork_ns",
			       json_object_new_int64((int64_t)fork_ns));
	add_str(rec, "child_sees", child);
	add_str(rec, "parent_cpu_sees", cpu);
	add_str(rec, "device_sees", dev);
	fault_add_bool(rec, "cpu_write_reaches_device", cpu_to_dev);
	if (!w->read_only)
		fault_add_bool(rec, "device_write_reaches_cpu", dev_to_cpu);
	/* Whether the parent's page changed under it: fork or the pin. */
	if (pfn_before)
		fault_add_bool(rec, "parent_page_replaced",
			       first_pfn(&fr) != pfn_before);
	if (huge_before >= 0) {
		json_object_object_add(rec->extra, "huge_bytes_before_fork",
				       json_object_new_int64(huge_before));
		json_object_object_add(rec->extra, "huge_bytes_after_fork",
				       json_object_new_int64(huge_after));
	}
	verdict = verdict_of(fr.r.flags & MEM_SHARED, cpu, dev, cpu_to_dev,
			     dev_to_cpu);
	fault_verdict(rec, verdict);
	fault_expect(rec, w->expect, w->because);
	snprintf(
		fig, figlen,
		"child saw %s and wrote tag2; parent CPU %s, RDMA READ %s; parent write->device %s%s; fork %.0fus",
		child, cpu, dev, cpu_to_dev ? "yes" : "no",
		w->read_only ? "" :
		dev_to_cpu   ? ", device write->parent yes" :
			       ", device write->parent no",
		(double)fork_ns / 1e3);
out:
	for (int i = 0; i < 2; i++) {
		if (go[i] >= 0)
			close(go[i]);
		if (ans[i] >= 0)
			close(ans[i]);
	}
	if (mr)
		ibv_dereg_mr(mr);
	if (rc) {
		fault_verdict(rec, "failed");
		record_set_status(rec, STATUS_FAILED, rc, "%s", reason);
		if (rc == EIO)
			qp_reset(env->qp, reason, sizeof(reason));
	}
	fault_free(&fr);
}
