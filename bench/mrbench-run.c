// SPDX-License-Identifier: GPL-2.0
/*
 * mrbench run: the standard suite into results/<run-id>/: each bench
 * program runs as its own process writing JSON Lines into a partial
 * directory, then the records are merged into results.jsonl and
 * results.csv, described in meta.json and summary.txt, plotted when
 * mrbench-plot is there, and the directory is renamed into place, so a
 * result set either exists whole or not at all.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <glob.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "clock.h"
#include "execdir.h"
#include "machine.h"
#include "measure.h"
#include "quote.h"
#include "record.h"
#include "restore.h"
#include "sink/sink.h"
#include "softroce.h"
#include "verbs.h"

struct run_opts {
	bool full, no_plot, no_rxe, add;
	unsigned runs; /* passes of the suite, each a fresh process per bench */
	const char *out;
	const char *id;
	const char *dev;
	const char *file_dir, *dax_dir;
	unsigned only; /* a bit per step to run, 0: all */
};

#define ARGS_MAX 48
/* A file or DAX directory, so that both fit reg's list of sources. */
#define DIR_MAX 400

struct argv_buf {
	char *v[ARGS_MAX];
	int n;
	char mem[1024];
};

static void push(struct argv_buf *a, const char *s)
{
	if (a->n < ARGS_MAX - 1)
		a->v[a->n++] = (char *)s;
	a->v[a->n] = NULL;
}

/* The quick suite's timing, the same for every bench that times cells:
 * a few iterations, and enough samples for a steady median in each run
 * (compare decides from the runs) while the result set stays small. */
static void quick_timing(struct argv_buf *a)
{
	static const char *const args[] = {
		"--iters", "5", "--min-time", "0.02", "--ci-target", "0",
		"--max-samples", "300",
	};

	for (size_t i = 0; i < sizeof(args) / sizeof(args[0]); i++)
		push(a, args[i]);
}

/*
 * The full matrix: four decades of size, from a base page to 64M,
 * writable and read-only (every writable set pins alike: FOLL_WRITE),
 * touched and untouched. Adaptive timing, capped at a fifth of a second
 * a cell, keeps the whole suite within ten minutes in the lab.
 */
static const char *const full_reg[] = {
	"-s", "4K,64K,2M,64M", "-a", "lw,ro", "--prefault=both",
	"--min-time", "0.05", "--max-time", "0.2",
};

/* The registration matrix; file and DAX cells where directories are given. */
static void reg_args(const struct run_opts *o, struct argv_buf *a)
{
	snprintf(a->mem, sizeof(a->mem), "%s%s%s%s%s",
		 o->full ? "all" : "anon,thp,hugetlb-2m,memfd,udmabuf",
		 o->file_dir ? ",file:" : "", o->file_dir ? o->file_dir : "",
		 o->dax_dir ? ",dax:" : "", o->dax_dir ? o->dax_dir : "");
	push(a, "-m");
	push(a, a->mem);
	if (o->file_dir && o->full) {
		static char priv[PATH_MAX + 16];

		snprintf(priv, sizeof(priv), "%s,file-private:%s", a->mem, o->file_dir);
		a->v[a->n - 1] = priv;
	}
	push(a, "-r");
	push(a, o->full ? "all" : "regular,odp,iouring,mlock");
	if (!o->full) {
		push(a, "-s");
		push(a, "4K,2M");
		quick_timing(a);
		return;
	}
	for (size_t i = 0; i < sizeof(full_reg) / sizeof(full_reg[0]); i++)
		push(a, full_reg[i]);
	/* O_DIRECT reads a file on a disk filesystem, not the results'. */
	if (o->file_dir) {
		push(a, "--odirect-file");
		push(a, o->file_dir);
	}
}

/* Normal memory against ZONE_MOVABLE and CMA, where the kernel has them. */
static void migrate_args(const struct run_opts *o, struct argv_buf *a)
{
	push(a, "-s");
	push(a, o->full ? "4M,64M" : "4M");
	if (o->full) {
		push(a, "--starve");
		return;
	}
	quick_timing(a);
}

/* Every fault scenario; the refusals on ext4 and FS-DAX where given. */
static void fault_args(const struct run_opts *o, struct argv_buf *a)
{
	if (o->file_dir) {
		push(a, "--ext4");
		push(a, o->file_dir);
	}
	if (o->dax_dir) {
		push(a, "--dax");
		push(a, o->dax_dir);
	}
	if (o->full)
		return;
	push(a, "-n");
	push(a, "8");
	push(a, "--fork-sizes");
	push(a, "4K,1M,16M");
	/* fork's time comes in modes (450 or 650 us for 1M under icount):
	 * enough forks that a run's median does not flip between them. */
	push(a, "--fork-reps");
	push(a, "9");
}

/* The suite, in order. A bench whose program is missing is skipped. */
static const struct step {
	const char *bench;
	void (*args)(const struct run_opts *o, struct argv_buf *a);
} steps[] = {
	{ "reg", reg_args },
	{ "migrate", migrate_args },
	{ "fault", fault_args },
};

#define NSTEPS (sizeof(steps) / sizeof(steps[0]))

struct step_result {
	const struct step *s;
	long run_index; /* which run of the set this pass is */
	int status; /* exit status, -1 not run: its program is missing */
	double seconds;
	size_t records;
	char prog[PATH_MAX]; /* the program it ran, or looked for */
};

static int set_quick(void *o, const char *a, char *e, size_t l)
{
	((struct run_opts *)o)->full = false;
	return 0;
}

static int set_full(void *o, const char *a, char *e, size_t l)
{
	((struct run_opts *)o)->full = true;
	return 0;
}

static int set_out(void *o, const char *a, char *e, size_t l)
{
	((struct run_opts *)o)->out = a;
	return 0;
}

static int set_id(void *o, const char *a, char *e, size_t l)
{
	if (!*a || strchr(a, '/') || a[0] == '.') {
		snprintf(e, l, "invalid run id '%s': expected a name without '/' or a leading '.'", a);
		return -1;
	}
	((struct run_opts *)o)->id = a;
	return 0;
}

/* Checked now: a device that is not there would fail every step alike. */
static int set_dev(void *o, const char *a, char *e, size_t l)
{
	if (!*a) {
		snprintf(e, l,
			 "invalid RDMA device '': expected a device name");
		return -1;
	}
	if (verbs_find(a, e, l))
		return -1;
	((struct run_opts *)o)->dev = a;
	return 0;
}

/*
 * The directory goes into reg's comma-separated list of memory sources
 * (file:DIR): a comma in it would make another source of the rest.
 */
static int set_dir(const char **dst, const char *a, const char *what, char *e, size_t l)
{
	struct stat st;
	char q[PATH_MAX];

	quote(q, sizeof(q), a, strlen(a));
	if (strchr(a, ',')) {
		snprintf(
			e, l,
			"invalid %s '%s': a ',' would split the list of memory sources",
			what, q);
		return -1;
	}
	if (strlen(a) > DIR_MAX) {
		snprintf(e, l, "invalid %s '%.64s...': longer than %d bytes",
			 what, q, DIR_MAX);
		return -1;
	}
	if (stat(a, &st) || !S_ISDIR(st.st_mode)) {
		snprintf(e, l,
			 "invalid %s '%s': expected an existing directory",
			 what, q);
		return -1;
	}
	*dst = a;
	return 0;
}

static int set_file_dir(void *o, const char *a, char *e, size_t l)
{
	return set_dir(&((struct run_opts *)o)->file_dir, a, "file directory", e, l);
}

static int set_dax_dir(void *o, const char *a, char *e, size_t l)
{
	return set_dir(&((struct run_opts *)o)->dax_dir, a, "DAX directory", e, l);
}

static int set_only(void *o, const char *a, char *e, size_t l)
{
	struct run_opts *r = o;
	char *dup = strdup(a), *save = NULL, q[128];

	r->only = 0;
	for (char *t = strtok_r(dup, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		size_t i;

		for (i = 0; i < NSTEPS && strcmp(t, steps[i].bench); i++)
			;
		if (i == NSTEPS) {
			snprintf(
				e, l,
				"invalid bench '%s': expected reg, migrate or fault",
				quote(q, sizeof(q), t, strlen(t)));
			free(dup);
			return -1;
		}
		r->only |= 1u << i;
	}
	free(dup);
	/* Nothing to run would make an empty set that looks like a result. */
	if (!r->only) {
		snprintf(
			e, l,
			"invalid bench list '%s': expected reg, migrate or fault",
			quote(q, sizeof(q), a, strlen(a)));
		return -1;
	}
	return 0;
}

static int set_runs(void *o, const char *a, char *e, size_t l)
{
	char *end;
	unsigned long v = strtoul(a, &end, 10);

	if (end == a || *end || *a == '-' || v < 1 || v > 1000) {
		snprintf(e, l, "invalid run count '%s': expected 1 to 1000", a);
		return -1;
	}
	((struct run_opts *)o)->runs = (unsigned)v;
	return 0;
}

static int set_add(void *o, const char *a, char *e, size_t l)
{
	((struct run_opts *)o)->add = true;
	return 0;
}

static int set_no_plot(void *o, const char *a, char *e, size_t l)
{
	((struct run_opts *)o)->no_plot = true;
	return 0;
}

static int set_no_rxe(void *o, const char *a, char *e, size_t l)
{
	((struct run_opts *)o)->no_rxe = true;
	return 0;
}

static const struct opt run_opt_table[] = {
	{ "quick", 'q', NULL, "the quick suite: a few cells per bench (default)", set_quick },
	{ "full", 'F', NULL, "the full suite: every source, registrar and size", set_full },
	{ "output", 'o', "DIR", "where result sets go (results)", set_out },
	{ "id", 0, "ID", "the result set's name (DATE-KERNEL)", set_id },
	{ "ib-dev", 'd', "DEV", "RDMA device, passed to every bench", set_dev },
	{ "file-dir", 0, "DIR", "add file:DIR cells (a disk filesystem: ext4, xfs)", set_file_dir },
	{ "dax-dir", 0, "DIR", "add dax:DIR cells (an FS-DAX mount)", set_dax_dir },
	{ "only", 0, "LIST", "run only these benches: reg, migrate, fault", set_only },
	{ "runs", 'N', "N", "run the suite N times, each bench a new process each time (1)", set_runs },
	{ "add", 0, NULL, "add the runs to the set --id when it exists (one set, many boots)", set_add },
	{ "no-plot", 0, NULL, "leave plotting for later (default inside mrbench vm)", set_no_plot },
	{ "no-rxe", 0, NULL, "without an RDMA device, do not add a soft-RoCE one for the run", set_no_rxe },
	{ NULL },
};

static void step_file(const char *dir, const struct step_result *r, char *buf,
		      size_t len)
{
	snprintf(buf, len, "%s/%s-%ld.jsonl", dir, r->s->bench, r->run_index);
}

/* Whether a step left a record to merge. */
static bool step_has_records(const char *dir, const struct step_result *r)
{
	char path[PATH_MAX + 32];
	struct stat st;

	step_file(dir, r, path, sizeof(path));
	return !stat(path, &st) && st.st_size > 0;
}

/* Why a step did not end well, or NULL when it did. */
static const char *step_error(const struct step_result *r, char *buf,
			      size_t len)
{
	if (!r->status)
		return NULL;
	if (r->status < 0)
		snprintf(buf, len, "not run: no program %s", r->prog);
	else if (r->status == EXIT_INTERRUPTED)
		snprintf(buf, len, "interrupted");
	else if (r->status > 128)
		snprintf(buf, len, "killed by signal %d (%s)", r->status - 128,
			 strsignal(r->status - 128));
	else
		snprintf(buf, len, "exited with status %d", r->status);
	return buf;
}

/* An interrupted step is the run's interruption, not a failure. */
static bool step_failed(const struct step_result *r)
{
	return r->status && r->status != EXIT_INTERRUPTED;
}

static int run_step(const struct run_opts *o, const struct step *s,
		    const char *dir, struct step_result *r)
{
	char *prog = r->prog, out[PATH_MAX + 32], idx[24];
	struct argv_buf a = { 0 };
	uint64_t t0 = clock_ns();
	pid_t pid, parent;
	int st;

	r->s = s;
	r->status = -1;
	if (exec_program(s->bench, prog, sizeof(r->prog)))
		return 0;
	step_file(dir, r, out, sizeof(out));
	snprintf(idx, sizeof(idx), "%ld", r->run_index);
	push(&a, prog);
	s->args(o, &a);
	if (o->dev) {
		push(&a, "-d");
		push(&a, o->dev);
	}
	push(&a, "-f");
	push(&a, "json");
	push(&a, "-o");
	push(&a, out);
	if (o->runs > 1 || r->run_index)
		fprintf(stderr, "%s: run %ld: %s ...\n", cli_prog, r->run_index,
			s->bench);
	else
		fprintf(stderr, "%s: %s ...\n", cli_prog, s->bench);
	/*
	 * The step gets a process group of its own, and each signal the run
	 * gets is passed on once: a first Ctrl-C lets it save the cell in
	 * hand, a second ends it at once, as when it runs alone.
	 */
	parent = getpid();
	pid = fork();
	if (pid == 0) {
		setpgid(0, 0);
		/* Outside our group it would outlive a killed run: stop it. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (getppid() != parent)
			_exit(EXIT_INTERRUPTED);
		/* Every record says which run of the set it belongs to. */
		setenv("MRBENCH_RUN_INDEX", idx, 1);
		execv(prog, a.v);
		_exit(127);
	}
	if (pid < 0)
		return -1;
	setpgid(pid, pid);
	cli_forward_signals(pid);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	cli_forward_signals(0);
	r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	r->seconds = (double)(clock_ns() - t0) / 1e9;
	return 0;
}

static void default_id(char *buf, size_t len)
{
	struct run_meta m;
	struct utsname u;

	run_meta_init(&m, 0, NULL);
	uname(&u);
	snprintf(buf, len, "%.16s-%s", m.run_id, u.release);
	run_meta_free(&m);
}

extern const struct sink_ops sink_human;

/* The soft-RoCE device this run added, if it added one. */
static char rxe_made[64];

struct tally {
	size_t ok, unsupported, failed, unexpected;
	json_object *first; /* the first record: where the run happened */
};

/* One step's records into the merged sinks, the summary table and tally. */
static size_t merge_step(const char *path, struct sink_set *set,
			 struct sink *table, struct tally *t, FILE *surprises)
{
	char *line = NULL;
	size_t cap = 0, n = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return 0;
	while (getline(&line, &cap, f) > 0) {
		json_object *rec = json_tokener_parse(line), *v;
		const char *st;

		if (!rec)
			continue; /* a bench's own file is whole: never here */
		sinks_write(set, rec);
		table->ops->write(table, rec);
		table->rows++;
		st = json_object_object_get_ex(rec, "status", &v) ?
			     json_object_get_string(v) : "";
		t->ok += !strcmp(st, "ok");
		t->unsupported += !strcmp(st, "unsupported");
		t->failed += !strcmp(st, "failed");
		if (json_object_object_get_ex(rec, "as_expected", &v) && v &&
		    !json_object_get_boolean(v)) {
			t->unexpected++;
			fprintf(surprises, "  %s\n", json_object_to_json_string_ext(
				rec, JSON_C_TO_STRING_PLAIN));
		}
		if (!t->first)
			t->first = json_object_get(rec);
		json_object_put(rec);
		n++;
	}
	free(line);
	fclose(f);
	return n;
}

static json_object *copy_key(json_object *from, const char *key)
{
	json_object *v;

	return from && json_object_object_get_ex(from, key, &v) ? json_object_get(v) : NULL;
}

/* What a set already holds when this run adds to it. */
struct prior {
	const char *dir; /* the published set, NULL for a new one */
	json_object *meta; /* its meta.json, or NULL */
	long runs; /* runs it holds: the first new run's index */
};

static int write_meta(const char *dir, const char *id, int argc, char **argv,
		      struct step_result *r, size_t nr, struct tally *t,
		      double seconds, const struct prior *pr, long runs)
{
	json_object *old = NULL;

	static const char *const from_record[] = {
		"kernel", "host", "device", "provider", "transport", "mrbench_version",
		"binding", "calibration", "counters_exact", NULL
	};
	json_object *m = json_object_new_object(), *s = json_object_new_array();
	struct run_meta rm;
	char path[PATH_MAX + 32], why[PATH_MAX + 32];
	int rc, failed = 0;

	run_meta_init(&rm, argc, argv);
	json_object_object_add(m, "schema", json_object_new_string(MRBENCH_SCHEMA));
	json_object_object_add(m, "run_id", json_object_new_string(id));
	json_object_object_add(m, "time", json_object_new_string(rm.time));
	json_object_object_add(m, "cmdline", json_object_new_string(rm.cmdline));
	for (const char *const *k = from_record; *k; k++)
		json_object_object_add(m, *k, copy_key(t->first, *k));
	json_object_object_add(m, "machine", machine_json());
	json_object_object_add(m, "rxe_added", rxe_made[0] ?
				json_object_new_string(rxe_made) : NULL);
	json_object_object_add(m, "runs", json_object_new_int64(runs));
	/* An added run keeps the earlier runs' steps on record. */
	if (pr->meta && json_object_object_get_ex(pr->meta, "steps", &old) &&
	    json_object_is_type(old, json_type_array))
		for (size_t i = 0; i < json_object_array_length(old); i++)
			json_object_array_add(s, json_object_get(
				json_object_array_get_idx(old, i)));
	for (size_t i = 0; i < nr; i++) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "bench", json_object_new_string(r[i].s->bench));
		json_object_object_add(o, "run_index", json_object_new_int64(r[i].run_index));
		json_object_object_add(o, "exit", r[i].status < 0 ? NULL :
					json_object_new_int(r[i].status));
		json_object_object_add(o, "records", json_object_new_int64((int64_t)r[i].records));
		json_object_object_add(o, "seconds", json_object_new_double(r[i].seconds));
		json_object_object_add(o, "error",
				       step_error(&r[i], why, sizeof(why)) ?
					       json_object_new_string(why) :
					       NULL);
		failed += step_failed(&r[i]);
		json_object_array_add(s, o);
	}
	json_object_object_add(m, "interrupted",
			       json_object_new_boolean(measure_stop != 0));
	json_object_object_add(m, "failed_steps", json_object_new_int(failed));
	json_object_object_add(m, "steps", s);
	json_object_object_add(m, "elapsed_s", json_object_new_double(seconds));
	snprintf(path, sizeof(path), "%s/meta.json", dir);
	rc = json_object_to_file_ext(path, m, JSON_C_TO_STRING_PRETTY);
	json_object_put(m);
	run_meta_free(&rm);
	return rc;
}

static void plot(const char *dir)
{
	char prog[PATH_MAX], out[PATH_MAX + 32];
	pid_t pid;
	int st;

	if (exec_program("plot", prog, sizeof(prog)))
		return;
	snprintf(out, sizeof(out), "%s/plots", dir);
	pid = fork();
	if (pid == 0) {
		/* The list of files it wrote is not for the run's output. */
		if (!freopen("/dev/null", "w", stdout))
			_exit(127);
		execl(prog, prog, dir, "-o", out, (char *)NULL);
		_exit(127);
	}
	if (pid > 0)
		waitpid(pid, &st, 0);
}

/* What a step killed outright (SIGKILL) left half-written. */
static void remove_strays(const char *dir)
{
	char pattern[PATH_MAX + 16];
	glob_t g;

	snprintf(pattern, sizeof(pattern), "%s/*.tmp.*", dir);
	if (glob(pattern, 0, NULL, &g))
		return;
	for (size_t i = 0; i < g.gl_pathc; i++)
		unlink(g.gl_pathv[i]);
	globfree(&g);
}

static int failed_steps(const struct step_result *r, size_t nr)
{
	int n = 0;

	for (size_t i = 0; i < nr; i++)
		n += step_failed(&r[i]);
	return n;
}

/* Lines in a file, or -1 when it cannot be read. */
static ssize_t count_lines(const char *path)
{
	FILE *f = fopen(path, "r");
	ssize_t n = 0;
	int c;

	if (!f)
		return -1;
	while ((c = getc(f)) != EOF)
		n += c == '\n';
	if (ferror(f))
		n = -1;
	fclose(f);
	return n;
}

/* Merge, summarise and describe what the steps wrote in dir. */
static int finish_set(const char *dir, const char *id, int argc, char **argv,
		      struct step_result *r, size_t nr, double seconds, bool plots,
		      const struct prior *pr, long runs)
{
	struct sink_opts so = { .formats = 0, .out = NULL };
	struct sink table = { .ops = &sink_human };
	struct sink_set set;
	struct tally t = { 0 };
	char path[PATH_MAX + 32], base[PATH_MAX + 32], err[512],
		why[PATH_MAX + 32];
	FILE *surprises = tmpfile();
	size_t merged = 0;
	ssize_t held;

	snprintf(base, sizeof(base), "%s/results", dir);
	so.out = base;
	snprintf(path, sizeof(path), "%s/summary.txt", dir);
	table.f = fopen(path, "w");
	if (!table.f || !surprises || sinks_open(&so, &set, err, sizeof(err))) {
		cli_warn("cannot write the result set in %s: %s", dir,
			 table.f ? err : strerror(errno));
		return -1;
	}
	fprintf(table.f, "mrbench run %s, %ld run%s\n\n", id, runs,
		runs == 1 ? "" : "s");
	/* First, where nobody reads past it: the set is not what was asked. */
	if (measure_stop)
		fprintf(table.f,
			"INTERRUPTED: the set holds the cells completed\n");
	for (size_t i = 0; i < nr; i++)
		if (step_failed(&r[i]))
			fprintf(table.f,
				"FAILED: run %ld %s %s (its messages went to standard error)\n",
				r[i].run_index, r[i].s->bench,
				step_error(&r[i], why, sizeof(why)));
	if (measure_stop || failed_steps(r, nr))
		fputc('\n', table.f);
	/* The runs the set holds already come first, as they were. */
	if (pr->dir) {
		snprintf(path, sizeof(path), "%s/results.jsonl", pr->dir);
		merged = merge_step(path, &set, &table, &t, surprises);
	}
	for (size_t i = 0; i < nr; i++) {
		step_file(dir, &r[i], path, sizeof(path));
		r[i].records = merge_step(path, &set, &table, &t, surprises);
		merged += r[i].records;
		unlink(path);
	}
	if (sinks_close(&set))
		return -1;
	/* The counts below are of what results.jsonl holds, not of what was read. */
	snprintf(path, sizeof(path), "%s/results.jsonl", dir);
	held = count_lines(path);
	if (held < 0 || (size_t)held != merged) {
		cli_warn("%s holds %zd records of the %zu merged", path, held,
			 merged);
		return -1;
	}
	remove_strays(dir);
	fprintf(table.f, "\n%zu cells: %zu ok, %zu unsupported, %zu failed; %zu verdicts did not come true\n",
		t.ok + t.unsupported + t.failed, t.ok, t.unsupported, t.failed, t.unexpected);
	for (size_t i = 0; i < nr; i++)
		fprintf(table.f, "run %-3ld %-8s %s, %zu records, %.1f s\n",
			r[i].run_index, r[i].s->bench,
			step_error(&r[i], why, sizeof(why)) ? why : "ok",
			r[i].records, r[i].seconds);
	if (t.unexpected) {
		char buf[4096];
		size_t n;

		fprintf(table.f, "\nVerdicts that did not come true:\n");
		rewind(surprises);
		while ((n = fread(buf, 1, sizeof(buf), surprises)) > 0)
			fwrite(buf, 1, n, table.f);
	}
	fprintf(table.f, "\nelapsed %.1f s\n", seconds);
	fclose(surprises);
	snprintf(path, sizeof(path), "%s/summary.txt", dir);
	errno = EIO;
	if (ferror(table.f) | fclose(table.f)) {
		cli_warn("cannot write '%s': %s", path, strerror(errno));
		json_object_put(t.first);
		return -1;
	}
	if (write_meta(dir, id, argc, argv, r, nr, &t, seconds, pr, runs)) {
		cli_warn("cannot write meta.json in %s", dir);
		json_object_put(t.first);
		return -1;
	}
	json_object_put(t.first);
	if (plots)
		plot(dir);
	return 0;
}

/* No RDMA device: soft-RoCE for this run, removed on the way out. */
static void add_rxe(void)
{
	char prog[PATH_MAX], err[512];
	int rc;

	exec_program("rxe", prog, sizeof(prog));
	rc = softroce_ensure(prog, rxe_made, sizeof(rxe_made), err, sizeof(err));
	if (rc < 0)
		cli_warn("%s", err);
	else if (rc > 0)
		fprintf(stderr, "%s: no RDMA device: added %s for this run\n",
			cli_prog, rxe_made);
}

/*
 * The runs an existing set holds: meta.json's count, 1 for older sets.
 * Runs of another kernel would pass for runs of this one: refused.
 */
static void read_prior(const char *final, struct prior *pr)
{
	char path[PATH_MAX + 16];
	struct utsname u;
	json_object *v;

	snprintf(path, sizeof(path), "%s/meta.json", final);
	pr->dir = final;
	pr->meta = json_object_from_file(path);
	pr->runs = 1;
	if (pr->meta && json_object_object_get_ex(pr->meta, "runs", &v) &&
	    json_object_get_int64(v) > 0)
		pr->runs = (long)json_object_get_int64(v);
	if (pr->meta && json_object_object_get_ex(pr->meta, "kernel", &v) &&
	    json_object_is_type(v, json_type_string) && !uname(&u) &&
	    strcmp(json_object_get_string(v), u.release))
		cli_die(EXIT_USAGE,
			"result set '%s' holds runs of kernel %s, not of %s: choose another --id",
			final, json_object_get_string(v), u.release);
}

/*
 * The new set in place of the old: one atomic exchange where the file
 * system has it, else the old set aside and the new one in (9p, under
 * mrbench vm, has no exchange). Either way the old set ends up under the
 * partial name, which the undo log removes on the way out.
 */
static int publish(const char *partial, const char *final, bool replace)
{
	char aside[PATH_MAX + 16];

	if (!replace)
		return rename(partial, final);
	if (!renameat2(AT_FDCWD, partial, AT_FDCWD, final, RENAME_EXCHANGE))
		return 0;
	snprintf(aside, sizeof(aside), "%s.old", partial);
	if (rename(final, aside) || rename(partial, final))
		return -1;
	return rename(aside, partial);
}

static int remove_entry(const char *path, const struct stat *st, int flag,
			struct FTW *ftw)
{
	return ftw->level ? remove(path) : 0;
}

/*
 * The partial directory, made or taken over, and locked for as long as
 * this run lives (the lock goes with the process, however it ends). A
 * run killed outright leaves its directory unlocked: stale, emptied and
 * used again. One that is locked is a live run's, and refused.
 */
static void take_partial(const char *partial)
{
	bool made = !mkdir(partial, 0755);
	int fd;

	if (!made && errno != EEXIST)
		cli_die(EXIT_RUN_ERROR, "cannot create '%s': %s", partial,
			strerror(errno));
	fd = open(partial, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		cli_die(EXIT_RUN_ERROR, "cannot open '%s': %s", partial,
			strerror(errno));
	if (flock(fd, LOCK_EX | LOCK_NB)) {
		if (errno == EWOULDBLOCK)
			cli_die(EXIT_USAGE,
				"'%s' is locked: another run is writing that set, choose another --id",
				partial);
		if (!made)
			cli_die(EXIT_RUN_ERROR,
				"'%s' exists and cannot be locked (%s): remove it if no run is writing it",
				partial, strerror(errno));
		/* A file system without locks: the directory is ours alone. */
		return;
	}
	if (made)
		return;
	cli_warn("removing '%s', left by a run that was killed", partial);
	if (nftw(partial, remove_entry, 16, FTW_DEPTH | FTW_PHYS))
		cli_die(EXIT_RUN_ERROR, "cannot empty '%s': %s", partial,
			strerror(errno));
}

int main(int argc, char **argv)
{
	struct run_opts o = { .out = "results", .runs = 1 };
	struct step_result *r;
	struct prior pr = { 0 };
	char id[256], partial[PATH_MAX], final[PATH_MAX], err[512],
		note[96] = "";
	const struct opt_group g[] = {
		{ "Options", run_opt_table, &o },
		{ "Other", cli_opt_table, NULL },
		{ NULL },
	};
	const char *rm_partial[] = { "/bin/rm", "-rf", "--", partial, NULL };
	const char *env_id = getenv("MRBENCH_RUN_ID");
	uint64_t t0 = clock_ns();
	size_t nr = 0;
	bool got = false;
	long runs;
	int first, failed;

	cli_init("mrbench-run");
	/* mrbench vm --profile pmem says where its ext4 and DAX mounts are. */
	if (getenv("MRBENCH_FILE_DIR") && *getenv("MRBENCH_FILE_DIR") &&
	    set_file_dir(&o, getenv("MRBENCH_FILE_DIR"), err, sizeof(err)))
		cli_die(EXIT_USAGE, "MRBENCH_FILE_DIR: %s", err);
	if (getenv("MRBENCH_DAX_DIR") && *getenv("MRBENCH_DAX_DIR") &&
	    set_dax_dir(&o, getenv("MRBENCH_DAX_DIR"), err, sizeof(err)))
		cli_die(EXIT_USAGE, "MRBENCH_DAX_DIR: %s", err);
	cli_set_help("usage: mrbench run [OPTIONS]\n"
		     "Run the standard suite into a result set DIR/ID/.\n", g);
	first = opt_parse(argc, argv, g, err, sizeof(err));
	if (first < 0)
		cli_die(EXIT_USAGE, "%s", err);
	if (first < argc)
		cli_die(EXIT_USAGE, "unexpected argument '%s': options only, see --help",
			argv[first]);
	/* mrbench vm --runs names one set per kernel; each boot adds to it. */
	if (!o.id && env_id && *env_id) {
		char e[256];

		if (set_id(&o, env_id, e, sizeof(e)))
			cli_die(EXIT_USAGE, "MRBENCH_RUN_ID: %s", e);
		o.add = true;
	}
	if (o.add && !o.id)
		cli_die(EXIT_USAGE, "--add needs the set to add to: --id ID");
	if (o.id)
		snprintf(id, sizeof(id), "%s", o.id);
	else
		default_id(id, sizeof(id));
	snprintf(final, sizeof(final), "%s/%s", o.out, id);
	snprintf(partial, sizeof(partial), "%s/.%s.partial", o.out, id);
	if (!access(final, F_OK)) {
		if (!o.add)
			cli_die(EXIT_USAGE, "result set '%s' exists already: choose another --id, or --add to it", final);
		read_prior(final, &pr);
	}
	r = calloc(NSTEPS * o.runs, sizeof(*r));
	if (!r)
		cli_die(EXIT_RUN_ERROR, "out of memory");
	cli_catch_signals();
	if (mkdir(o.out, 0755) && errno != EEXIST)
		cli_die(EXIT_RUN_ERROR, "cannot create '%s': %s", o.out,
			strerror(errno));
	take_partial(partial);
	/* Never left half-made: gone after the rename, or on the way out. */
	if (restore_command(rm_partial, err, sizeof(err)))
		cli_die(EXIT_RUN_ERROR, "%s", err);
	if (!o.dev && !o.no_rxe)
		add_rxe();
	/* Pass after pass of the whole suite, so that drift hits every bench. */
	for (unsigned run = 0; run < o.runs && !measure_stop; run++)
		for (size_t i = 0; i < NSTEPS && !measure_stop; i++) {
			if (o.only && !(o.only & 1u << i))
				continue;
			r[nr].run_index = pr.runs + run;
			if (run_step(&o, &steps[i], partial, &r[nr]))
				cli_die(EXIT_RUN_ERROR, "cannot start %s: %s", steps[i].bench,
					strerror(errno));
			nr++;
			if (r[nr - 1].status == EXIT_INTERRUPTED)
				measure_stop = 1;
		}
	/* gnuplot under TCG takes longer than the suite: plot on the host. */
	if (getenv("MRBENCH_VM"))
		o.no_plot = true;
	/* An interrupted run counts only the passes it began. */
	runs = nr ? r[nr - 1].run_index + 1 : pr.runs;
	for (size_t i = 0; i < nr; i++)
		got |= r[i].status >= 0 && step_has_records(partial, &r[i]);
	/* Nothing measured: no set, rather than an empty one that looks whole. */
	if (measure_stop && !got)
		cli_die(EXIT_INTERRUPTED,
			"interrupted before a cell was completed: no result set written");
	if (finish_set(partial, id, argc, argv, r, nr, (double)(clock_ns() - t0) / 1e9,
		       !o.no_plot, &pr, runs) ||
	    publish(partial, final, pr.dir != NULL))
		cli_die(EXIT_RUN_ERROR, "cannot complete the result set %s", final);
	/* One line, and never a plain "wrote" for a set that is not whole. */
	failed = failed_steps(r, nr);
	if (measure_stop)
		snprintf(note, sizeof(note),
			 ": interrupted, with the cells completed");
	else if (failed)
		snprintf(note, sizeof(note),
			 ", but %d step%s failed: see its summary.txt", failed,
			 failed == 1 ? "" : "s");
	if (pr.dir && runs - pr.runs > 1)
		fprintf(stderr, "%s: added runs %ld..%ld to %s in %.1f s%s\n",
			cli_prog, pr.runs, runs - 1, final,
			(double)(clock_ns() - t0) / 1e9, note);
	else if (pr.dir)
		fprintf(stderr, "%s: added run %ld to %s in %.1f s%s\n",
			cli_prog, pr.runs, final,
			(double)(clock_ns() - t0) / 1e9, note);
	else
		fprintf(stderr, "%s: wrote %s in %.1f s%s\n", cli_prog, final,
			(double)(clock_ns() - t0) / 1e9, note);
	json_object_put(pr.meta);
	free(r);
	if (measure_stop)
		return EXIT_INTERRUPTED;
	return failed ? EXIT_RUN_ERROR : 0;
}
