// SPDX-License-Identifier: GPL-2.0
/*
 * The watchdog of --op-timeout: a thread that notices an operation in
 * flight for too long and ends the run from there. A thread stuck in the
 * kernel (a long-term pin waiting in handle_userfault, a folio lock that
 * never comes) cannot be joined, interrupted or waited for, so the
 * watchdog does what the end of a run does in its place: the record of
 * the cell in hand, completed as hung with the stuck thread's kernel
 * stack, goes through the sinks, every file is published, what the run
 * changed is put back, and the process exits with WATCHDOG_EXIT_HUNG.
 *
 * What is safe here while the measuring thread sits in a system call:
 * it holds no lock of ours (the loop calls the operation with none held,
 * and the main thread does not touch the sinks or the record while an
 * operation runs), so the sinks, the record and restore_all() are the
 * watchdog's alone. It may hold mmap_lock in the kernel, though: while a
 * reader holds it, a mapping or unmapping waits, and so would every page
 * fault queued behind it. So the watchdog never unmaps what the stuck
 * thread uses (no region is freed, no registration undone: the kernel
 * does that at exit), touches its own buffers and warms its malloc arena
 * when it starts, and publishes with rename, which needs no mapping.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "kernel/restore.h"
#include "measure/clock.h"
#include "measure/watchdog.h"

static struct {
	double timeout;
	const struct run_meta *meta;
	struct sink_set *sinks;
} out;

void watchdog_setup(double op_timeout, const struct run_meta *meta,
		    struct sink_set *sinks)
{
	out.timeout = op_timeout;
	out.meta = meta;
	out.sinks = sinks;
}

double watchdog_timeout(void)
{
	return out.timeout;
}

/* What was seen of the stuck thread; static, touched before any hang. */
static struct {
	char stack[8192];
	char wchan[128];
	char stat[512];
	char path[64];
} seen;

/* A /proc file of the thread whole into buf; 0 or an errno. */
static int read_task(pid_t tid, const char *file, char *buf, size_t len)
{
	ssize_t n, got = 0;
	int fd;

	snprintf(seen.path, sizeof(seen.path), "/proc/self/task/%d/%s", tid,
		 file);
	if ((fd = open(seen.path, O_RDONLY | O_CLOEXEC)) < 0)
		return errno;
	while ((size_t)got < len - 1 &&
	       (n = read(fd, buf + got, len - 1 - (size_t)got)) > 0)
		got += n;
	n = n < 0 ? errno : 0;
	close(fd);
	buf[got] = '\0';
	return (int)n;
}

/* "[<0>] handle_userfault+0x1f6/0x5c0" lines into their function parts. */
static json_object *stack_frames(const char *text)
{
	json_object *a = json_object_new_array();

	for (const char *p = text; *p;) {
		const char *nl = strchrnul(p, '\n'), *f = p;
		const char *close = memchr(p, ']', (size_t)(nl - p));

		if (close && close[1] == ' ')
			f = close + 2;
		if (nl > f)
			json_object_array_add(a, json_object_new_string_len(
							 f, (int)(nl - f)));
		p = *nl ? nl + 1 : nl;
	}
	return a;
}

/* The thread's scheduler state: 'D' uninterruptible, 'S' sleeping... */
static json_object *task_state(pid_t tid)
{
	const char *close;

	if (read_task(tid, "stat", seen.stat, sizeof(seen.stat)) ||
	    !(close = strrchr(seen.stat, ')')) || close[1] != ' ' || !close[2])
		return NULL;
	return json_object_new_string_len(close + 2, 1);
}

/* The hang into the record: what hung, for how long, and where. */
static void describe(struct record *rec, const struct watchdog *w,
		     const struct watchdog_slot *s, const char *op)
{
	json_object *h = json_object_new_object();
	bool in;
	int err;

	json_object_object_add(h, "op", json_object_new_string(op));
	json_object_object_add(h, "timeout_s",
			       json_object_new_double(w->timeout));
	json_object_object_add(h, "tid", json_object_new_int(s->tid));
	json_object_object_add(h, "state", task_state(s->tid));
	err = read_task(s->tid, "wchan", seen.wchan, sizeof(seen.wchan));
	json_object_object_add(h, "wchan",
			       err ? NULL : json_object_new_string(seen.wchan));
	/* Only root may read a kernel stack; say why when it cannot be. */
	err = read_task(s->tid, "stack", seen.stack, sizeof(seen.stack));
	if (err) {
		char why[160];

		snprintf(why, sizeof(why), "%s: %s%s", seen.path, strerror(err),
			 err == EACCES || err == EPERM ? " (root only)" : "");
		json_object_object_add(h, "stack_error",
				       json_object_new_string(why));
	}
	json_object_object_add(h, "stack",
			       err ? NULL : stack_frames(seen.stack));
	if (!rec->extra)
		rec->extra = json_object_new_object();
	json_object_object_add(rec->extra, "hang", h);
	/* Its samples so far belong to a cell that never finished. */
	rec->have_stats = false;
	rec->nsamples = 0;
	rec->iters = 0;
	in = *seen.wchan && strcmp(seen.wchan, "0");
	record_set_status(rec, STATUS_HUNG, 0,
			  "%s did not return within %g s%s%s%s", op, w->timeout,
			  in ? " (in " : "", in ? seen.wchan : "",
			  in ? ")" : "");
}

/* The end of the run, on the watchdog thread; never returns. */
static void end_run(const struct watchdog *w, const struct watchdog_slot *s,
		    unsigned long state)
{
	const char *op = w->op_names[state % WATCHDOG_OPS];
	struct record *rec = record_in_hand();
	int rc = 0;

	if (rec) {
		describe(rec, w, s, op);
		cli_warn("%s", rec->reason);
	} else {
		cli_warn("%s did not return within %g s", op, w->timeout);
	}
	if (rec && out.sinks) {
		json_object *j = record_to_json(out.meta, rec);

		rc = sinks_write(out.sinks, j);
		json_object_put(j);
	}
	if (out.sinks && (sinks_close(out.sinks) || rc))
		cli_warn("the results could not all be written");
	else if (out.sinks)
		cli_warn("the completed cells and the hung one are saved");
	restore_all();
	/* Not exit(): no library's destructor may wait on the stuck
	 * thread's device or locks. The kernel ends that thread (it waits
	 * killable in handle_userfault; one in D state holds the process
	 * until it wakes) and releases its pins with the process. */
	_exit(WATCHDOG_EXIT_HUNG);
}

void watchdog_parked(void)
{
	sigset_t all;

	/* Nothing of the run may go on here, not even a signal handler's
	 * restore_all() racing the watchdog's: wait for the exit. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	for (;;)
		pause();
}

/*
 * The operation in slot i when it is still the one seen timeout ago and
 * the watchdog took it (it may return meanwhile: see watchdog_disarm),
 * else 0.
 */
static unsigned long overdue(struct watchdog *w, unsigned i,
			     unsigned long *last, uint64_t *since, uint64_t now)
{
	unsigned long st = atomic_load(&w->slot[i].state), was = st;

	if (!st || st != last[i]) {
		last[i] = st;
		since[i] = now;
		return 0;
	}
	if ((double)(now - since[i]) < w->timeout * 1e9)
		return 0;
	return atomic_compare_exchange_strong(&w->slot[i].state, &st,
					      WATCHDOG_FIRED) ?
		       was :
		       0;
}

/*
 * Off the measuring thread's core: the watchdog inherits its binding, and
 * its looks would preempt the operations being timed. Anywhere the
 * process may run (the kernel keeps the cpuset's part of the mask).
 */
static void unbind(void)
{
	long n = sysconf(_SC_NPROCESSORS_CONF);
	cpu_set_t any;

	CPU_ZERO(&any);
	for (long i = 0; i < n && i < CPU_SETSIZE; i++)
		CPU_SET(i, &any);
	sched_setaffinity(0, sizeof(any), &any);
}

static void *watch(void *arg)
{
	struct watchdog *w = arg;
	unsigned long last[CREW_MAX] = { 0 };
	uint64_t since[CREW_MAX] = { 0 };
	/* A look every eighth of the timeout: a hang is seen within 9/8 of
	 * it after it began. */
	double tick = fmin(fmax(w->timeout / 8, 0.01), 0.25);
	sigset_t all;
	struct timespec at;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	unbind();
	memset(&seen, 0, sizeof(seen));
	free(malloc(4096));
	pthread_mutex_lock(&w->lock);
	while (!w->stop) {
		uint64_t now = clock_ns();

		for (unsigned i = 0; i < w->n; i++) {
			unsigned long st = overdue(w, i, last, since, now);

			if (!st)
				continue;
			pthread_mutex_unlock(&w->lock);
			end_run(w, &w->slot[i], st);
		}
		clock_gettime(CLOCK_MONOTONIC, &at);
		at.tv_nsec += (long)(tick * 1e9);
		at.tv_sec += at.tv_nsec / 1000000000;
		at.tv_nsec %= 1000000000;
		pthread_cond_timedwait(&w->wake, &w->lock, &at);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

int watchdog_start(struct watchdog *w, double timeout,
		   const char *const *op_names, struct watchdog_slot *slot,
		   unsigned n)
{
	pthread_condattr_t ca;
	int rc;

	*w = (struct watchdog){
		.timeout = timeout, .op_names = op_names, .slot = slot, .n = n
	};
	pthread_mutex_init(&w->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&w->wake, &ca);
	pthread_condattr_destroy(&ca);
	if ((rc = pthread_create(&w->thread, NULL, watch, w))) {
		pthread_cond_destroy(&w->wake);
		pthread_mutex_destroy(&w->lock);
	}
	return rc;
}

void watchdog_stop(struct watchdog *w)
{
	pthread_mutex_lock(&w->lock);
	w->stop = true;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	pthread_cond_destroy(&w->wake);
	pthread_mutex_destroy(&w->lock);
}
