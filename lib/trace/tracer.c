// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's function_graph tracer through libtracefs, narrowed to a
 * handful of functions (the phases') and one thread. Narrowed, because
 * the tracer's cost is per traced call: graphing every function below
 * ib_uverbs_ioctl at depth 4 made a 2M registration 4.8 times slower on
 * 6.12, these few functions 1.035 times (kprobe and kretprobe events on
 * them 1.045), and they still cut the time where the phases meet. The
 * raw_syscalls events mark the kernel's own entry and exit, so that the
 * time outside any traced function is split between user space and
 * "other kernel time" rather than guessed; sched_switch marks the time
 * the thread spends off the CPU.
 *
 * Only the top instance can run function_graph on the older kernels
 * (instances got it in 6.11), so the tracer is used only when nobody
 * else is using it, and everything written is saved first and put back
 * by the undo log.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <tracefs.h>

#include "cli/xalloc.h"
#include "kernel/restore.h"
#include "trace/phase.h"
#include "trace/tracer.h"
#include "trace/tracer_int.h"

#define TRACEFS_DIR	 "/sys/kernel/tracing"
#define TRACEFS_MAGIC_NR 0x74726163

static const char *path_of(const char *name)
{
	static char buf[256];

	snprintf(buf, sizeof(buf), "%s/%s", TRACEFS_DIR, name);
	return buf;
}

static int set(const char *name, const char *value, char *reason, size_t len)
{
	return restore_write(path_of(name), value, reason, len);
}

/* tracefs where the kernel puts it, mounted (and unmounted at the end)
 * when it is not. */
static int mount_tracefs(char *reason, size_t len)
{
	static const char *const umount_argv[] = { "/bin/umount", TRACEFS_DIR,
						   NULL };
	struct statfs st;

	if (!statfs(TRACEFS_DIR, &st) && st.f_type == TRACEFS_MAGIC_NR)
		return 0;
	if (mount("nodev", TRACEFS_DIR, "tracefs", 0, NULL)) {
		snprintf(reason, len, "cannot mount tracefs on %s: %s",
			 TRACEFS_DIR, strerror(errno));
		return -1;
	}
	return restore_command(umount_argv, reason, len) ? -1 : 0;
}

/* What tracefs says in a file, or NULL. */
static char *read_file(const char *name)
{
	return tracefs_instance_file_read(NULL, name, NULL);
}

static int check_tracer(char *reason, size_t len)
{
	char *avail = read_file("available_tracers");
	char *cur = read_file("current_tracer");
	int rc = -1;

	if (!avail || !cur)
		snprintf(reason, len, "cannot read %s: %s", TRACEFS_DIR,
			 strerror(errno));
	else if (!strstr(avail, "function_graph"))
		snprintf(
			reason, len,
			"the kernel has no function_graph tracer (CONFIG_FUNCTION_GRAPH_TRACER)");
	else if (strncmp(cur, "nop", 3))
		snprintf(
			reason, len,
			"the tracer is in use (current_tracer is %.*s): left alone",
			(int)strcspn(cur, "\n"), cur);
	else
		rc = 0;
	free(avail);
	free(cur);
	return rc;
}

/*
 * One basic regular expression matching any of a list of names, whole:
 * ^\(a\|b.*\)$, a glob's '*' as ".*". Built up one name at a time.
 */
struct names_re {
	char *re;
	size_t n, cap;
};

static void re_add(struct names_re *r, const char *name)
{
	size_t need = r->n + 2 * strlen(name) + 8;

	if (need >= r->cap)
		r->re = xrealloc(r->re, r->cap = 2 * need + 64);
	if (!r->n)
		r->n = (size_t)snprintf(r->re, r->cap, "^\\(");
	else
		r->n += (size_t)snprintf(r->re + r->n, r->cap - r->n, "\\|");
	for (const char *c = name; *c; c++) {
		if (*c == '*')
			r->re[r->n++] = '.';
		r->re[r->n++] = *c;
	}
	r->re[r->n] = '\0';
}

static char *re_done(struct names_re *r)
{
	if (!r->re)
		return xstrdup("^\\(\\)$");
	snprintf(r->re + r->n, r->cap - r->n, "\\)$");
	return r->re;
}

/* The registrar's entry functions and every phase's, as globs. */
static char *globs_regex(const char *const *entry)
{
	struct names_re r = { 0 };

	for (int p = -1; p < PHASE_COUNT; p++)
		for (const char *const *g = p < 0 ? entry :
						    phase_table[p].functions;
		     g && *g; g++)
			re_add(&r, *g);
	return re_done(&r);
}

static int known(const struct tracer *t, const char *name)
{
	for (size_t i = 0; i < t->nnames; i++)
		if (!strcmp(t->names[i], name))
			return (int)i;
	return -1;
}

static void add_name(struct tracer *t, const char *name, int phase)
{
	t->names = xrealloc(t->names, (t->nnames + 1) * sizeof(char *));
	t->phase = xrealloc(t->phase, t->nnames + 1);
	t->names[t->nnames] = xstrdup(name);
	t->phase[t->nnames++] = (int8_t)phase;
}

/* Which of the phase functions this kernel has, and so which phases
 * it can trace. Time off the CPU always can be, from sched_switch. */
static int pick_functions(struct tracer *t, const char *const *entry,
			  char *reason, size_t len)
{
	char *re = globs_regex(entry), **list = NULL;
	bool have[PHASE_COUNT] = { false };

	if (tracefs_filter_functions(re, NULL, &list) < 0 || !list) {
		snprintf(
			reason, len,
			"none of the phase functions is in available_filter_functions");
		free(re);
		return -1;
	}
	free(re);
	for (char **l = list; *l; l++) {
		int p = phase_of(*l, entry);

		/* The regex ignores case; the globs do not. */
		if (p < 0 || known(t, *l) >= 0)
			continue;
		add_name(t, *l, p);
		have[p] = true;
	}
	tracefs_list_free(list);
	t->nfuncs = t->nnames;
	add_name(t, TRACER_OFF_CPU, PHASE_WAIT);
	have[PHASE_WAIT] = true;
	for (int p = 0; p < PHASE_COUNT; p++) {
		const char *const *g =
			p == PHASE_ENTRY ? entry : phase_table[p].functions;

		if (have[p] || (!g && p != PHASE_ENTRY))
			continue;
		snprintf(
			t->untraceable[p], sizeof(t->untraceable[p]),
			g ? "not traceable here: none of %s%s in available_filter_functions" :
			    "not traceable here: the registrar names no entry function",
			g ? g[0] : "", g && g[1] ? ", ..." : "");
	}
	return 0;
}

static int by_addr(const void *a, const void *b)
{
	const struct fn_addr *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* The addresses the events will carry, from /proc/kallsyms (root sees
 * them; kptr_restrict shows others zeros). */
static int load_addresses(struct tracer *t, char *reason, size_t len)
{
	FILE *f = fopen("/proc/kallsyms", "re");
	char line[512], name[256];
	unsigned long long addr;

	if (!f) {
		snprintf(reason, len, "/proc/kallsyms: %s", strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		int fn;

		if (sscanf(line, "%llx %*s %255s", &addr, name) != 2 ||
		    (fn = known(t, name)) < 0)
			continue;
		t->addrs =
			xrealloc(t->addrs, (t->naddrs + 1) * sizeof(*t->addrs));
		t->addrs[t->naddrs++] = (struct fn_addr){ addr, (uint16_t)fn };
	}
	fclose(f);
	qsort(t->addrs, t->naddrs, sizeof(*t->addrs), by_addr);
	if (!t->naddrs || !t->addrs[t->naddrs - 1].addr) {
		snprintf(reason, len,
			 "/proc/kallsyms shows no addresses (kptr_restrict)");
		return -1;
	}
	return 0;
}

static int find_event(struct tracer *t, const char *sys, const char *name,
		      int *id, struct tep_format_field **func, char *reason,
		      size_t len)
{
	struct tep_event *e = tep_find_event_by_name(t->tep, sys, name);

	if (!e || (func && !(*func = tep_find_field(e, "func")))) {
		snprintf(reason, len, "no usable %s/%s event", sys, name);
		return -1;
	}
	*id = e->id;
	return 0;
}

/* sched_switch, with the two pids that say which way the thread went. */
static int find_switch(struct tracer *t, char *reason, size_t len)
{
	struct tep_event *e =
		tep_find_event_by_name(t->tep, "sched", "sched_switch");

	if (!e || !(t->f_prev = tep_find_field(e, "prev_pid")) ||
	    !(t->f_next = tep_find_field(e, "next_pid"))) {
		snprintf(reason, len, "no usable sched/sched_switch event");
		return -1;
	}
	t->id_switch = e->id;
	return 0;
}

static int load_events(struct tracer *t, char *reason, size_t len)
{
	const char *systems[] = { "ftrace", "raw_syscalls", "sched", NULL };

	t->tep = tracefs_local_events_system(NULL, systems);
	if (!t->tep) {
		snprintf(reason, len, "cannot read the event formats");
		return -1;
	}
	return find_event(t, "ftrace", "funcgraph_entry", &t->id_entry,
			  &t->f_entry, reason, len) ||
			       find_event(t, "ftrace", "funcgraph_exit",
					  &t->id_exit, &t->f_exit, reason,
					  len) ||
			       find_event(t, "raw_syscalls", "sys_enter",
					  &t->id_sys_enter, NULL, reason,
					  len) ||
			       find_event(t, "raw_syscalls", "sys_exit",
					  &t->id_sys_exit, NULL, reason, len) ||
			       find_switch(t, reason, len) ?
		       -1 :
		       0;
}

/* The traced functions, by exact name: one pass over the kernel's list. */
static int filter_names(const struct tracer *t, char *reason, size_t len)
{
	struct names_re r = { 0 };
	char *re;
	int rc;

	for (size_t i = 0; i < t->nfuncs; i++)
		re_add(&r, t->names[i]);
	re = re_done(&r);
	rc = tracefs_function_filter(NULL, re, NULL, 0);
	if (rc)
		snprintf(reason, len, "cannot set set_ftrace_filter: %s",
			 strerror(errno ? errno : EINVAL));
	free(re);
	return rc ? -1 : 0;
}

/*
 * The settings, each saved before it is written. Buffer: room for a
 * fault and a few more events per page, bounded.
 */
static int arm(struct tracer *t, size_t pages, char *reason, size_t len)
{
	char tid[24], kb[24];
	size_t want = pages / 4 + 4096;

	snprintf(tid, sizeof(tid), "%d", (int)t->tid);
	snprintf(kb, sizeof(kb), "%zu", want > 65536 ? 65536 : want);
	if (set("tracing_on", "0", reason, len) ||
	    /* Across CPUs, should the thread move; not slewed. */
	    set("trace_clock", "mono_raw", reason, len) ||
	    set("buffer_size_kb", kb, reason, len) ||
	    set("set_ftrace_pid", tid, reason, len) ||
	    set("set_event_pid", tid, reason, len) ||
	    set("set_ftrace_filter", "", reason, len) ||
	    filter_names(t, reason, len) ||
	    set("current_tracer", "function_graph", reason, len) ||
	    set("events/raw_syscalls/enable", "1", reason, len) ||
	    /* set_event_pid keeps a switch either way that names the
	     * thread, so both ends of its time off the CPU. */
	    set("events/sched/sched_switch/enable", "1", reason, len))
		return -1;
	/* A tracer's options show once it is the current one. Without
	 * this, functions called from interrupts are traced too: ours
	 * seldom are, so it is worth trying, not worth failing for. */
	set("options/funcgraph-irqs", "0", reason, len);
	t->on_fd = tracefs_trace_on_get_fd(NULL);
	if (t->on_fd < 0) {
		snprintf(reason, len, "cannot open tracing_on: %s",
			 strerror(errno));
		return -1;
	}
	return 0;
}

struct tracer *tracer_open(const char *const *entry, size_t pages, char *reason,
			   size_t len)
{
	struct tracer *t;

	if (geteuid()) {
		snprintf(reason, len, "tracing needs root");
		return NULL;
	}
	if (mount_tracefs(reason, len) || check_tracer(reason, len))
		return NULL;
	t = xcalloc(1, sizeof(*t));
	t->on_fd = -1;
	t->tid = (pid_t)syscall(SYS_gettid);
	if (pick_functions(t, entry, reason, len) ||
	    load_addresses(t, reason, len) || load_events(t, reason, len) ||
	    arm(t, pages, reason, len)) {
		tracer_close(t);
		return NULL;
	}
	return t;
}

const char *tracer_untraceable(const struct tracer *t, int phase)
{
	return t->untraceable[phase][0] ? t->untraceable[phase] : NULL;
}

size_t tracer_functions(const struct tracer *t)
{
	return t->nfuncs;
}

const char *tracer_function(const struct tracer *t, uint16_t fn)
{
	return fn < t->nnames ? t->names[fn] : "?";
}

/*
 * Off again now, not only at exit: an armed function_graph slows every
 * call of the traced functions, the next cell's timed loop among them.
 * The undo log still holds what was there before.
 */
void tracer_close(struct tracer *t)
{
	static const char *const off[][2] = {
		{ "current_tracer", "nop" },
		{ "events/raw_syscalls/enable", "0" },
		{ "events/sched/sched_switch/enable", "0" },
		{ "set_ftrace_filter", "" },
		{ "set_ftrace_pid", "" },
		{ "set_event_pid", "" },
	};

	if (t->on_fd >= 0) {
		for (size_t i = 0; i < sizeof(off) / sizeof(off[0]); i++)
			tracefs_instance_file_write(NULL, off[i][0], off[i][1]);
		close(t->on_fd);
	}
	for (size_t i = 0; i < t->nnames; i++)
		free(t->names[i]);
	free(t->names);
	free(t->phase);
	free(t->addrs);
	free(t->ev);
	if (t->tep)
		tep_free(t->tep);
	free(t);
}
