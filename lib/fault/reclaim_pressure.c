// SPDX-License-Identifier: GPL-2.0
/*
 * reclaim's pressure case: real memory pressure rather than an advice.
 * A child process joins a cgroup v2 with memory.max of 16 MiB
 * (reclaim_cgroup.c), opens the device itself (a context is not shared
 * across fork), pins the first half of 4 MiB of anonymous base pages
 * with a regular MR, then touches 32 MiB more: try_charge() has the
 * cgroup reclaim its own LRU through the same shrink_folio_list() that
 * MADV_PAGEOUT uses, and swaps what it can. pagemap then says where the
 * pages of each half (and of the 32 MiB) are, memory.swap.current and
 * pswpout how much went to swap, and the device still reads what the CPU
 * wrote to a pinned page. A child, so that an OOM kill stays in the
 * cgroup; its answer comes back through a pipe.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fault/reclaim.h"
#include "mem/mem.h"

#define MEM_MAX	  "16M"
#define REGION	  (4UL << 20) /* the first half pinned */
#define HOG	  (32UL << 20) /* twice memory.max */
#define WAIT_SECS 120

#define PRESSURE_BECAUSE    \
	RECLAIM_PIN_BECAUSE \
	"; memory.max makes try_charge() reclaim the cgroup's LRU (try_to_free_mem_cgroup_pages()) through the same shrink_folio_list()"

/* What the child saw, sent whole through the pipe. */
struct answer {
	int err; /* 0: the figures hold */
	char why[240];
	struct reclaim_census pin, rest, hog;
	long long swap_current, current;
	bool data_ok;
	char dev[16], cpu[16];
};

static void child_look(struct fault_env *env, const struct reclaim_cgroup *cg,
		       struct ibv_mr *mr, char *region, char *hog,
		       struct answer *a)
{
	const char *dev, *cpu;

	reclaim_census(region, REGION / 2, &a->pin);
	reclaim_census(region + REGION / 2, REGION / 2, &a->rest);
	reclaim_census(hog, HOG, &a->hog);
	a->swap_current = reclaim_cgroup_read(cg, "memory.swap.current", NULL);
	a->current = reclaim_cgroup_read(cg, "memory.current", NULL);
	a->data_ok =
		fault_check(region + REGION / 2, REGION / 2, REGION / 2, 1) < 0;
	if (reclaim_share(env, mr, region, REGION / 2, &dev, &cpu, a->why,
			  sizeof(a->why))) {
		a->err = EIO;
		return;
	}
	snprintf(a->dev, sizeof(a->dev), "%s", dev);
	snprintf(a->cpu, sizeof(a->cpu), "%s", cpu);
}

/* In the child: every resource goes with _exit. */
static void child(struct fault_env *env, const struct reclaim_cgroup *cg,
		  struct answer *a)
{
	struct fault_env mine = *env;
	struct verbs_ctx v;
	struct loop_qp q;
	struct ibv_mr *mr;
	char *region, *hog;

	if ((a->err = reclaim_cgroup_join(cg))) {
		snprintf(a->why, sizeof(a->why), "joining %s: %s", cg->dir,
			 strerror(a->err));
		return;
	}
	if (verbs_open(env->vo, &v, a->why, sizeof(a->why)) ||
	    qp_open(&q, &v, env->vo->gid_index, 4096, a->why, sizeof(a->why))) {
		a->err = EIO;
		return;
	}
	mine.reg.verbs = &v;
	mine.qp = &q;
	region = mmap(NULL, REGION, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	hog = mmap(NULL, HOG, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (region == MAP_FAILED || hog == MAP_FAILED) {
		a->err = errno;
		snprintf(a->why, sizeof(a->why), "mmap: %s", strerror(errno));
		return;
	}
	madvise(region, REGION, MADV_NOHUGEPAGE);
	madvise(hog, HOG, MADV_NOHUGEPAGE);
	fault_fill(region, REGION, 0, 1);
	if (!(mr = fault_reg_mr(&mine, region, REGION / 2, a->why,
				sizeof(a->why)))) {
		a->err = errno ? errno : EIO;
		return;
	}
	memset(hog, 0x5a, HOG);
	child_look(&mine, cg, mr, region, hog, a);
}

/* The child's answer, or an error of its own when it gave none. */
static void wait_child(pid_t pid, int fd, struct answer *a)
{
	time_t deadline = time(NULL) + WAIT_SECS;
	int st = 0;
	pid_t got;

	while ((got = waitpid(pid, &st, WNOHANG)) == 0 && time(NULL) < deadline)
		usleep(50000);
	if (got == 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
		a->err = ETIMEDOUT;
		snprintf(a->why, sizeof(a->why),
			 "the child did not finish in %d s", WAIT_SECS);
	} else if (read(fd, a, sizeof(*a)) != (ssize_t)sizeof(*a)) {
		a->err = ECHILD;
		snprintf(a->why, sizeof(a->why),
			 "the child gave no answer (%s %d)",
			 WIFSIGNALED(st) ? "signal" : "exit status",
			 WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
	}
}

static const char *verdict(const struct answer *a)
{
	if (a->pin.resident < REGION / 2 / mem_base_page())
		return "pinned-swapped";
	if (!a->rest.swapped && !a->hog.swapped)
		return "no-pressure";
	if (strcmp(a->dev, "tag2") || strcmp(a->cpu, "tag3"))
		return "incoherent";
	return "pinned-resident";
}

static int emit(struct fault_env *env, struct record *rec,
		const struct answer *a, const struct reclaim_cgroup *cg,
		const struct kstat_window *w)
{
	char fig[400];

	json_object_object_add(rec->extra, "memory_max",
			       json_object_new_string(MEM_MAX));
	json_object_object_add(rec->extra, "oom_kill",
			       json_object_new_int64(reclaim_cgroup_read(
				       cg, "memory.events", "oom_kill")));
	json_object_object_add(rec->extra, "pswpout",
			       fault_counter_json(w, KSTAT_PSWPOUT));
	if (a->err) {
		fault_verdict(rec, "failed");
		record_set_status(rec, STATUS_FAILED, a->err, "%s", a->why);
		return fault_emit(env, rec, NULL);
	}
	reclaim_census_add(rec, "pinned", &a->pin);
	reclaim_census_add(rec, "unpinned", &a->rest);
	reclaim_census_add(rec, "hog", &a->hog);
	json_object_object_add(rec->extra, "swap_current",
			       json_object_new_int64(a->swap_current));
	json_object_object_add(rec->extra, "memory_current",
			       json_object_new_int64(a->current));
	json_object_object_add(rec->extra, "unpinned_data_ok",
			       json_object_new_boolean(a->data_ok));
	json_object_object_add(rec->extra, "device_reads_cpu_write",
			       json_object_new_string(a->dev));
	json_object_object_add(rec->extra, "cpu_reads_device_write",
			       json_object_new_string(a->cpu));
	fault_verdict(rec, verdict(a));
	fault_expect(rec, "pinned-resident", PRESSURE_BECAUSE);
	snprintf(
		fig, sizeof(fig),
		"memory.max %s: pinned %zu of %zu resident; swapped: unpinned %zu, hog %zu of %lu; swap.current %lld KiB; pswpout %.0f; RDMA READ sees %s, CPU sees %s",
		MEM_MAX, a->pin.resident, REGION / 2 / mem_base_page(),
		a->rest.swapped, a->hog.swapped, HOG / mem_base_page(),
		a->swap_current >> 10, kstat_window_per(w, KSTAT_PSWPOUT, 1),
		a->dev, a->cpu);
	return fault_emit(env, rec, fig);
}

int fault_reclaim_pressure(struct fault_env *env)
{
	struct answer a = { 0 };
	struct reclaim_cgroup cg;
	struct kstat_window w;
	struct record rec;
	int fds[2], rc;
	pid_t pid;

	reclaim_record(&rec, "pressure", REGION);
	if (!reclaim_have_swap(a.why, sizeof(a.why)) ||
	    reclaim_cgroup_make(&cg, MEM_MAX, a.why, sizeof(a.why))) {
		fault_verdict(&rec, "unsupported");
		record_set_status(&rec, STATUS_UNSUPPORTED, 0, "%s", a.why);
		return fault_emit(env, &rec, NULL);
	}
	kstat_window_open(&w);
	if (pipe(fds)) {
		a.err = errno;
	} else if ((pid = fork()) < 0) {
		a.err = errno;
		close(fds[0]);
		close(fds[1]);
	} else if (pid == 0) {
		close(fds[0]);
		child(env, &cg, &a);
		rc = write(fds[1], &a, sizeof(a)) == (ssize_t)sizeof(a);
		_exit(rc ? 0 : 1);
	} else {
		close(fds[1]);
		wait_child(pid, fds[0], &a);
		close(fds[0]);
	}
	if (a.err && !a.why[0])
		snprintf(a.why, sizeof(a.why), "cannot start the child: %s",
			 strerror(a.err));
	kstat_window_close(&w);
	rc = emit(env, &rec, &a, &cg, &w);
	reclaim_cgroup_remove(&cg);
	return rc;
}
