// SPDX-License-Identifier: GPL-2.0
/*
 * fork: a process forks while a regular MR pins part of its memory. The
 * classic hazard: the parent's next write breaks COW, moves the parent to
 * a new page and leaves the device on the old one. Since Linux 5.9 ("mm:
 * Do early cow for pinned pages during fork() for ptes") the kernel
 * instead copies pinned pages for the child at fork, so the parent keeps
 * its pinned pages; since 5.13 ("RDMA/nldev: Add copy-on-fork attribute
 * to get sys command") it says so, and rdma-core's ibv_fork_init becomes
 * a no-op (ibv_is_fork_initialized answers IBV_FORK_UNNEEDED). That copy
 * is not free: fork() latency grows with the pinned size, and the copies
 * show in nr_anon_pages while the child lives.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "measure/clock.h"
#include "fault/fork.h"
#include "cli/size.h"
#include "measure/measure.h"

#define COW_BECAUSE \
	"Linux 5.9 'mm: Do early cow for pinned pages during fork() for ptes': pinned anonymous pages are copied for the child at fork, the parent keeps the pinned page"
#define UNNEEDED_BECAUSE \
	"Linux 5.13 'RDMA/nldev: Add copy-on-fork attribute to get sys command': rdma-core sees copy-on-fork and makes ibv_fork_init a no-op"
#define COHERENT_SIZE (2UL << 20)

static const char *fork_status_name(enum ibv_fork_status s)
{
	switch (s) {
	case IBV_FORK_DISABLED:
		return "IBV_FORK_DISABLED";
	case IBV_FORK_ENABLED:
		return "IBV_FORK_ENABLED";
	case IBV_FORK_UNNEEDED:
		return "IBV_FORK_UNNEEDED";
	}
	return "unknown";
}

static const struct fork_way plain = { "plain", "anon",	    false,	false,
				       false,	"coherent", COW_BECAUSE };
static const struct fork_way dontfork = { "dontfork", "anon", true,
					  false,      false,  "coherent",
					  COW_BECAUSE };

/* A coherence case, with what rdma-core makes of fork. */
static void coherence(struct fault_env *env, const struct fork_way *w,
		      struct record *rec, char *fig, size_t figlen)
{
	json_object_object_add(rec->extra, "fork_status",
			       json_object_new_string(fork_status_name(
				       ibv_is_fork_initialized())));
	fork_coherence(env, w, rec, fig, figlen);
}

/* The ibv_fork_init variant: this program again, as a fresh process. */
int fault_fork_init_child(const struct verbs_opts *vo)
{
	struct fault_opts o = { .op_size = 64 };
	struct fault_env env = { .o = &o };
	enum ibv_fork_status before = ibv_is_fork_initialized();
	int init_rc = ibv_fork_init();
	struct verbs_ctx v;
	struct loop_qp q;
	struct record rec;
	char err[300], fig[400] = "";
	json_object *out;

	fault_record(&rec, "fork", "ibv-fork-init");
	json_object_object_add(
		rec.extra, "fork_status_before_init",
		json_object_new_string(fork_status_name(before)));
	json_object_object_add(
		rec.extra, "ibv_fork_init",
		json_object_new_string(init_rc ? strerror(init_rc) : "ok"));
	if (verbs_open(vo, &v, err, sizeof(err)) ||
	    qp_open(&q, &v, vo->gid_index, 4096, err, sizeof(err))) {
		record_set_status(&rec, STATUS_FAILED, EIO, "%s", err);
	} else {
		env.reg.verbs = &v;
		env.qp = &q;
		coherence(&env, &plain, &rec, fig, sizeof(fig));
		qp_close(&q);
		verbs_close(&v);
	}
	out = json_object_new_object();
	json_object_object_add(out, "status", json_object_new_int(rec.status));
	json_object_object_add(out, "err", json_object_new_int(rec.err));
	json_object_object_add(out, "reason",
			       json_object_new_string(rec.reason));
	json_object_object_add(out, "figures", json_object_new_string(fig));
	json_object_object_add(out, "extra", json_object_get(rec.extra));
	printf("%s\n",
	       json_object_to_json_string_ext(out, JSON_C_TO_STRING_PLAIN));
	json_object_put(out);
	record_free(&rec);
	return 0;
}

/* Run the variant in a child process and turn its answer into a record. */
static int fork_init_case(struct fault_env *env)
{
	char port[16], gid[16], buf[16384], cmd[64];
	const char *argv[8] = { env->self, "--fork-init-child", cmd, port, gid,
				NULL };
	json_object *j = NULL, *v;
	struct record rec;
	size_t got = 0;
	ssize_t n;
	int fds[2], status;
	pid_t pid;

	snprintf(cmd, sizeof(cmd), "%s", env->reg.verbs->dev_name);
	snprintf(port, sizeof(port), "%d", env->vo->port);
	snprintf(gid, sizeof(gid), "%d", env->vo->gid_index);
	fault_record(&rec, "fork", "ibv-fork-init");
	if (pipe(fds) || (pid = fork()) < 0) {
		record_set_status(&rec, STATUS_FAILED, errno,
				  "cannot start the child");
		return fault_emit(env, &rec, NULL);
	}
	if (pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		execv(env->self, (char **)argv);
		_exit(127);
	}
	close(fds[1]);
	while (got < sizeof(buf) - 1 &&
	       (n = read(fds[0], buf + got, sizeof(buf) - 1 - got)) > 0)
		got += (size_t)n;
	buf[got] = '\0';
	close(fds[0]);
	waitpid(pid, &status, 0);
	if (!(j = json_tokener_parse(buf)) ||
	    !json_object_object_get_ex(j, "extra", &v)) {
		record_set_status(
			&rec, STATUS_FAILED, EIO,
			"the ibv_fork_init child gave no answer (exit %d)",
			WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		json_object_put(j);
		return fault_emit(env, &rec, NULL);
	}
	json_object_put(rec.extra);
	rec.extra = json_object_get(v);
	rec.mem = "anon";
	rec.reg = "regular";
	rec.access = "lw+rr+rw";
	rec.size = COHERENT_SIZE;
	rec.pages = COHERENT_SIZE / mem_base_page();
	rec.page_size = mem_base_page();
	json_object_object_get_ex(j, "status", &v);
	rec.status = (enum record_status)json_object_get_int(v);
	json_object_object_get_ex(j, "err", &v);
	rec.err = json_object_get_int(v);
	json_object_object_get_ex(j, "reason", &v);
	snprintf(rec.reason, sizeof(rec.reason), "%s",
		 json_object_get_string(v));
	json_object_object_get_ex(j, "figures", &v);
	snprintf(buf, sizeof(buf), "%s", json_object_get_string(v));
	json_object_put(j);
	return fault_emit(env, &rec, buf);
}

/* Copies made for the child: new anonymous pages while it lives. */
struct fork_cost {
	uint64_t ns;
	long long copied;
	bool child_has_range;
};

static int one_fork(struct fault_region *fr, struct fork_cost *c)
{
	int go[2], ans[2], status;
	struct kstat_window w;
	unsigned char vec;
	char got = '?';
	uint64_t t0;
	pid_t pid;

	if (pipe(go) || pipe(ans))
		return errno;
	kstat_window_open(&w);
	t0 = clock_ns();
	pid = fork();
	if (pid == 0) {
		char b;

		close(go[1]); /* or the read below never sees EOF */
		got = mincore(fr->r.addr, mem_base_page(), &vec) ? 'n' : 'y';
		if (write(ans[1], &got, 1) < 0 || read(go[0], &b, 1) < 0)
			_exit(1);
		_exit(0);
	}
	c->ns = clock_ns() - t0;
	if (pid < 0)
		return errno;
	if (read(ans[0], &got, 1) != 1)
		got = '?';
	kstat_window_close(&w);
	close(go[1]);
	waitpid(pid, &status, 0);
	close(go[0]);
	close(ans[0]);
	close(ans[1]);
	c->copied = (long long)kstat_window_per(&w, KSTAT_NR_ANON_PAGES, 1);
	c->child_has_range = got == 'y';
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

static int cost_case(struct fault_env *env, uint64_t size, int kind)
{
	static const char *const kinds[] = { "unpinned", "pinned",
					     "pinned-dontfork" };
	unsigned reps = env->o->fork_reps;
	uint64_t ns[64];
	long long copied[64];
	struct fault_region fr;
	struct ibv_mr *mr = NULL;
	struct record rec;
	struct fork_cost c = { 0 };
	char reason[300], fig[300] = "", a[16];
	size_t pages = size / mem_base_page();
	const char *verdict;
	int rc = 0;

	fault_record(&rec, "fork", kinds[kind]);
	rec.mem = "anon";
	rec.reg = kind ? "regular" : NULL;
	rec.access = kind ? "lw" : NULL;
	rec.size = size;
	rec.pages = pages;
	if (fault_alloc("anon", NULL, size, &fr, reason, sizeof(reason))) {
		record_set_status(&rec, STATUS_UNSUPPORTED, 0, "%s", reason);
		return fault_emit(env, &rec, NULL);
	}
	rec.page_size = fr.r.page_size;
	fault_fill(fr.r.addr, fr.r.size, 0, 1);
	if (kind && !(mr = ibv_reg_mr(env->reg.verbs->pd, fr.r.addr, fr.r.size,
				      IBV_ACCESS_LOCAL_WRITE))) {
		rc = errno;
		snprintf(reason, sizeof(reason), "ibv_reg_mr failed: %s",
			 strerror(rc));
	}
	if (kind == 2)
		madvise(fr.r.addr, fr.r.map_len, MADV_DONTFORK);
	for (unsigned i = 0; !rc && i < reps; i++) {
		if ((rc = one_fork(&fr, &c)))
			snprintf(reason, sizeof(reason), "fork failed: %s",
				 strerror(rc));
		ns[i] = c.ns;
		copied[i] = c.copied;
	}
	if (mr)
		ibv_dereg_mr(mr);
	fault_free(&fr);
	if (rc) {
		fault_verdict(&rec, "failed");
		record_set_status(&rec, STATUS_FAILED, rc, "%s", reason);
		return fault_emit(env, &rec, NULL);
	}
	json_object_object_add(rec.extra, "fork_ns",
			       fault_stats_json(ns, reps));
	/* The fewest copies seen: others' activity only adds to the count. */
	qsort(copied, reps, sizeof(copied[0]), cmp_ll);
	json_object_object_add(rec.extra, "copied_pages",
			       json_object_new_int64(copied[0]));
	json_object_object_add(rec.extra, "child_has_range",
			       json_object_new_boolean(c.child_has_range));
	if (pages < 64)
		verdict = "too-small-to-tell";
	else if (!c.child_has_range)
		verdict = "not-inherited";
	else
		verdict = copied[0] >= (long long)(pages * 9 / 10) ?
				  "copied-at-fork" :
				  "shared-at-fork";
	fault_verdict(&rec, verdict);
	if (pages >= 64)
		fault_expect(
			&rec,
			kind == 1 ? "copied-at-fork" :
			kind == 2 ? "not-inherited" :
				    "shared-at-fork",
			kind == 1 ?
				COW_BECAUSE :
			kind == 2 ?
				"madvise(2) MADV_DONTFORK: the child has no mapping of the range" :
				"fork(2): unpinned private pages are shared copy-on-write");
	qsort(ns, reps, sizeof(ns[0]), cmp_u64);
	ns_format((double)ns[reps / 2], a, sizeof(a));
	snprintf(fig, sizeof(fig),
		 "fork %s (p50 of %u), %lld of %zu pages copied", a, reps,
		 copied[0], pages);
	return fault_emit(env, &rec, fig);
}

static int fork_run(struct fault_env *env)
{
	struct record rec;
	char fig[400] = "";
	int rc;

	fault_record(&rec, "fork", "plain");
	coherence(env, &plain, &rec, fig, sizeof(fig));
	if ((rc = fault_emit(env, &rec, fig)))
		return rc;
	fault_record(&rec, "fork", "dontfork");
	coherence(env, &dontfork, &rec, fig, sizeof(fig));
	if ((rc = fault_emit(env, &rec, fig)))
		return rc;
	if ((rc = fork_init_case(env)))
		return rc;
	for (size_t i = 0; i < env->o->fork_sizes.n && !rc && !measure_stop;
	     i++)
		for (int kind = 0; kind < 3 && !rc; kind++)
			rc = cost_case(env, env->o->fork_sizes.v[i], kind);
	return rc;
}

const struct fault_scenario fault_fork = {
	.name = "fork",
	.help = "fork with a live regular MR: coherence, ibv_fork_init, fork() cost vs pinned size",
	.flags = FAULT_NEEDS_QP,
	.run = fork_run,
};
