// SPDX-License-Identifier: GPL-2.0
/*
 * A registration cell made by T processes instead of T threads: T
 * processes of mrbench-reg, each one cell of one thread, started
 * together. Threads share one mm and its mmap_lock; processes do not,
 * so the two together say where registrations serialise.
 *
 * A child may not use its parent's verbs context, so each is a fresh
 * program that opens the device itself. Each says when it is ready and
 * then waits at bench_main's start gate (BENCH_READY_ENV,
 * BENCH_GATE_ENV) until every one is: then the gate opens and they
 * measure at the same time. Their records become one: the samples of
 * every process pooled, the kernel's counters read around all of them
 * and given per registration, and the aggregate throughput.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/child.h"
#include "cli/cli.h"
#include "cli/execdir.h"
#include "cli/xalloc.h"
#include "kernel/kstat.h"
#include "rdma/topo.h"
#include "scale/scale.h"

struct argv_list {
	char *v[48];
	int n;
};

static void arg(struct argv_list *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void arg(struct argv_list *a, const char *fmt, ...)
{
	char buf[PATH_MAX + 32];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	a->v[a->n++] = xstrdup(buf);
	a->v[a->n] = NULL;
}

/* mrbench-reg's options for the k-th process's one cell. */
static void child_args(const struct bench_run *r, const struct regcell *c,
		       const char *prog, unsigned k, const char *out,
		       struct argv_list *a)
{
	const struct measure_opts *m = &r->m;
	int cpu = topo_nth_cpu(k);

	arg(a, "%s", prog);
	arg(a, "-s");
	arg(a, "%llu", (unsigned long long)c->size);
	arg(a, "-m");
	arg(a, "%s%s%s", c->src->name, c->src_arg ? ":" : "",
	    c->src_arg ? c->src_arg : "");
	arg(a, "-r");
	arg(a, "%s", c->reg->name);
	arg(a, "--access");
	arg(a, "%s", c->access_name);
	arg(a, "--prefault=%s", c->prefault ? "yes" : "no");
	arg(a, "--iters=%u", m->min_iters);
	arg(a, "--warmup=%u", m->warmup);
	arg(a, "--min-time=%.9g", m->min_time);
	arg(a, "--max-time=%.9g", m->max_time);
	arg(a, "--ci-target=%.9g", m->ci_target * 100);
	arg(a, "--max-samples=%u", m->max_samples);
	arg(a, "--op-timeout=%.9g", m->op_timeout);
	/* Each its own core, as the threads of a threaded cell. */
	if (cpu >= 0)
		arg(a, "--cpu=%d", cpu);
	if (r->env.verbs) {
		arg(a, "-d");
		arg(a, "%s", r->env.verbs->dev_name);
		arg(a, "-i");
		arg(a, "%d", r->vo.port);
		if (r->vo.gid_index >= 0) {
			arg(a, "-x");
			arg(a, "%d", r->vo.gid_index);
		}
	}
	if (c->force)
		arg(a, "--force");
	arg(a, "-f");
	arg(a, "json");
	arg(a, "-o");
	arg(a, "%s", out);
}

static void args_free(struct argv_list *a)
{
	for (int i = 0; i < a->n; i++)
		free(a->v[i]);
}

/* The processes, started at the gate, each its stderr to dir/p-K.err. */
struct crowd {
	pid_t pid[REGCELL_MAX_THREADS];
	int status[REGCELL_MAX_THREADS];
	unsigned n;
	pid_t pgid;
};

static pid_t start(const char *prog, char *const *argv, const char *err,
		   int ready, int gate, pid_t pgid, int cpu)
{
	pid_t pid = child_fork(pgid);
	char fd[16];
	int f;

	if (pid)
		return pid;
	/* Not the measuring thread's one core, which it would inherit. */
	if (cpu >= 0) {
		cpu_set_t one;

		CPU_ZERO(&one);
		CPU_SET(cpu, &one);
		sched_setaffinity(0, sizeof(one), &one);
	}
	f = open(err, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (f >= 0) {
		dup2(f, STDOUT_FILENO);
		dup2(f, STDERR_FILENO);
	}
	snprintf(fd, sizeof(fd), "%d", ready);
	setenv(BENCH_READY_ENV, fd, 1);
	snprintf(fd, sizeof(fd), "%d", gate);
	setenv(BENCH_GATE_ENV, fd, 1);
	execv(prog, argv);
	_exit(127);
}

static void wait_all(struct crowd *cr)
{
	for (unsigned k = 0; k < cr->n; k++) {
		cr->status[k] = child_wait(cr->pid[k]);
	}
}

/*
 * Start n processes, let them through the gate together when all are
 * ready, and wait for them, with the kernel's counters read around the
 * measuring: 0, or -1 when not all could be started.
 */
static int run_crowd(const struct bench_run *r, const struct regcell *c,
		     const char *prog, const char *dir, unsigned n,
		     struct crowd *cr, struct kstat_window *w)
{
	int ready[2], gate[2], rc = 0;
	char out[PATH_MAX], err[PATH_MAX + 8], buf[REGCELL_MAX_THREADS];
	unsigned got = 0;

	*cr = (struct crowd){ 0 };
	if (pipe(ready))
		return -1;
	if (pipe(gate)) {
		close(ready[0]);
		close(ready[1]);
		return -1;
	}
	/* The children must not hold the ends they do not use. */
	fcntl(ready[0], F_SETFD, FD_CLOEXEC);
	fcntl(gate[1], F_SETFD, FD_CLOEXEC);
	for (unsigned k = 0; k < n; k++) {
		struct argv_list a = { 0 };
		pid_t pid;

		snprintf(out, sizeof(out), "%s/p-%u", dir, k);
		snprintf(err, sizeof(err), "%s.err", out);
		child_args(r, c, prog, k, out, &a);
		pid = start(prog, a.v, err, ready[1], gate[0], cr->pgid,
			    topo_nth_cpu(k));
		args_free(&a);
		if (pid < 0) {
			rc = -1;
			break;
		}
		if (!cr->pgid)
			cr->pgid = pid;
		cr->pid[cr->n++] = pid;
	}
	close(ready[1]);
	close(gate[0]);
	if (cr->pgid)
		cli_forward_signals(-cr->pgid);
	/* Every one ready, or gone: each closes its end once it wrote. */
	while (got < cr->n && !rc) {
		ssize_t k = read(ready[0], buf, cr->n - got);

		if (k > 0)
			got += (unsigned)k;
		else if (!k || errno != EINTR || measure_stop)
			break;
	}
	close(ready[0]);
	if (rc && cr->pgid)
		kill(-cr->pgid, SIGTERM);
	kstat_window_open(w);
	close(gate[1]);
	wait_all(cr);
	kstat_window_close(w);
	cli_forward_signals(0);
	return rc;
}

/* A process's one record, or NULL. */
static json_object *child_record(const char *dir, unsigned k)
{
	char path[PATH_MAX], *line = NULL;
	json_object *rec = NULL;
	size_t cap = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/p-%u.jsonl", dir, k);
	f = fopen(path, "r");
	if (!f)
		return NULL;
	while (getline(&line, &cap, f) > 0) {
		json_object_put(rec);
		rec = json_tokener_parse(line);
	}
	free(line);
	fclose(f);
	return rec;
}

/* The last line a process wrote on stderr, for a reason. */
static void child_said(const char *dir, unsigned k, char *buf, size_t len)
{
	char path[PATH_MAX], line[300];
	FILE *f;

	snprintf(path, sizeof(path), "%s/p-%u.err", dir, k);
	buf[0] = '\0';
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (line[0] != '\n')
			snprintf(buf, len, "%s", line);
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
}

static json_object *get(json_object *o, const char *key)
{
	json_object *v = NULL;

	return o && json_object_object_get_ex(o, key, &v) ? v : NULL;
}

static int errno_of(const char *name)
{
	for (int e = 1; name && e < 200; e++)
		if (errno_name(e) && !strcmp(errno_name(e), name))
			return e;
	return 0;
}

static void append(uint64_t **dst, size_t *n, json_object *a)
{
	size_t m = a ? json_object_array_length(a) : 0;

	*dst = xrealloc(*dst, (*n + m + 1) * sizeof(**dst));
	for (size_t i = 0; i < m; i++)
		(*dst)[*n + i] = (uint64_t)json_object_get_int64(
			json_object_array_get_idx(a, i));
	*n += m;
}

/* A process's outcome as the point's, when it was not ok. */
static bool not_ok(json_object *j, unsigned k, struct record *rec)
{
	const char *st = json_object_get_string(get(j, "status"));
	const char *why = json_object_get_string(get(j, "reason"));
	enum record_status s = STATUS_FAILED;

	if (!strcmp(st, "ok"))
		return false;
	if (!strcmp(st, "unsupported"))
		s = STATUS_UNSUPPORTED;
	else if (!strcmp(st, "hung"))
		s = STATUS_HUNG;
	record_set_status(rec, s,
			  errno_of(json_object_get_string(get(j, "errno"))),
			  "process %u: %s", k + 1, why ? why : st);
	return true;
}

/* The processes' records as one: samples pooled, counters per op. */
static void pool(const struct regcell *c, json_object **j, unsigned n,
		 const struct kstat_window *w, struct record *rec,
		 struct scale_procs *keep)
{
	json_object *p50s = json_object_new_array(), *cnt;
	double gib = 0, ops = 0;
	struct kstat_snap d;
	size_t nr = 0, nd = 0;

	for (unsigned k = 0; k < n; k++) {
		json_object *s = get(j[k], RECORD_SAMPLES);
		double p50 = scale_num(j[k], "reg_ns", "p50");

		append(&keep->reg, &nr, get(s, "reg_ns"));
		append(&keep->dereg, &nd, get(s, "dereg_ns"));
		if (p50 > 0)
			gib += (double)c->size / p50 * 1e9 / (1 << 30);
		json_object_array_add(p50s, json_num6(p50));
		/* The observed registration, then the loop's. */
		ops += 1 + scale_num(j[k], "loop_counters", "ops");
		if (get(j[k], "as_expected") &&
		    !json_object_get_boolean(get(j[k], "as_expected")))
			rec->counters_unexpected = true;
	}
	record_set_samples(rec, keep->reg, keep->dereg, nr < nd ? nr : nd);
	kstat_window_delta(w, &d);
	rec->pins = kstat_window_per(w, KSTAT_FOLL_PIN_ACQUIRED, (size_t)ops);
	rec->unpins = kstat_window_per(w, KSTAT_FOLL_PIN_RELEASED, (size_t)ops);
	rec->migrated =
		kstat_window_per(w, KSTAT_PGMIGRATE_SUCCESS, (size_t)ops);
	rec->migrate_failed =
		kstat_window_per(w, KSTAT_PGMIGRATE_FAIL, (size_t)ops);
	/*
	 * Each process's rate is its size over its own median, and a
	 * process that waits for a CPU before it starts its clock hides the
	 * wait: past the CPUs the sum is only a bound, and says so.
	 */
	json_object_object_add(rec->extra,
			       n <= topo_near_count() ? "reg_gib_s" :
							"reg_gib_s_bound",
			       json_object_new_double(round(gib * 1e4) / 1e4));
	json_object_object_add(rec->extra, "procs_reg_p50", p50s);
	cnt = json_object_new_object();
	json_object_object_add(cnt, "ops", json_object_new_int64((int64_t)ops));
	json_object_object_add(
		cnt, "pins",
		json_object_new_int64(d.v[KSTAT_FOLL_PIN_ACQUIRED]));
	json_object_object_add(
		cnt, "unpins",
		json_object_new_int64(d.v[KSTAT_FOLL_PIN_RELEASED]));
	json_object_object_add(rec->extra, "procs_counters", cnt);
	/* A signal, passed on to every process, cut their loops short. */
	record_set_status(rec, STATUS_OK, 0, "%s",
			  measure_stop ? "interrupted" : "");
}

void scale_procs_cell(struct bench_run *r, const struct regcell *c,
		      struct record *rec, struct scale_procs *keep)
{
	char dir[] = "/tmp/mrbench-procs-XXXXXX", prog[PATH_MAX], said[400];
	json_object *j[REGCELL_MAX_THREADS] = { 0 };
	unsigned n = c->threads ? c->threads : 1;
	struct kstat_window w;
	struct crowd cr;

	*keep = (struct scale_procs){ 0 };
	rec->mem = c->src->name;
	rec->reg = c->reg->name;
	rec->size = c->size;
	rec->access = c->access_name;
	rec->prefault = c->prefault;
	rec->threads = n;
	rec->extra = json_object_new_object();
	json_object_object_add(rec->extra, "procs",
			       json_object_new_boolean(true));
	if (exec_program("reg", prog, sizeof(prog))) {
		record_set_status(rec, STATUS_FAILED, ENOENT,
				  "mrbench-reg is not beside this program");
		return;
	}
	if (!mkdtemp(dir)) {
		record_set_status(rec, STATUS_FAILED, errno,
				  "cannot make a directory in /tmp: %s",
				  strerror(errno));
		return;
	}
	if (run_crowd(r, c, prog, dir, n, &cr, &w))
		record_set_status(rec, STATUS_FAILED, EAGAIN,
				  "could not start %u processes", n);
	for (unsigned k = 0; k < cr.n; k++)
		j[k] = child_record(dir, k);
	for (unsigned k = 0; k < cr.n && rec->status == STATUS_OK; k++) {
		if (!j[k]) {
			child_said(dir, k, said, sizeof(said));
			record_set_status(rec, STATUS_FAILED, 0,
					  "process %u exited with %d: %s",
					  k + 1, cr.status[k], said);
			break;
		}
		if (not_ok(j[k], k, rec))
			break;
	}
	if (rec->status == STATUS_OK && j[0]) {
		json_object *pe = get(j[0], "pins_expected");
		const char *ex = json_object_get_string(get(j[0], "expected"));

		rec->page_size = (uint64_t)scale_num(j[0], "page_size", NULL);
		rec->pages = (uint64_t)scale_num(j[0], "pages", NULL);
		/* Kept beyond the child's record, which is freed below. */
		keep->expected = ex ? xstrdup(ex) : NULL;
		rec->expected = keep->expected;
		if (pe)
			json_object_object_add(rec->extra, "pins_expected",
					       json_object_get(pe));
		pool(c, j, cr.n, &w, rec, keep);
	}
	for (unsigned k = 0; k < cr.n; k++) {
		char path[PATH_MAX + 16];

		json_object_put(j[k]);
		snprintf(path, sizeof(path), "%s/p-%u.jsonl", dir, k);
		unlink(path);
		snprintf(path, sizeof(path), "%s/p-%u.err", dir, k);
		unlink(path);
	}
	rmdir(dir);
}

void scale_procs_free(struct scale_procs *keep)
{
	free(keep->reg);
	free(keep->dereg);
	free(keep->expected);
	*keep = (struct scale_procs){ 0 };
}
