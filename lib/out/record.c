// SPDX-License-Identifier: GPL-2.0
/*
 * One result row in the mrbench/1 schema, built as a json-c object that
 * every sink consumes: JSON Lines writes it, CSV flattens it, the table
 * picks columns from it. Nothing formats JSON by hand.
 */
#include <errno.h>
#include <link.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "cli/xalloc.h"
#include "out/record.h"

#define STAT_COLS(p)                                                     \
	p "_min", p "_p50", p "_p90", p "_p99", p "_max", p "_mean",     \
		p "_stdev", p "_ci95_lo", p "_ci95_hi"

const char *const record_columns[] = { "schema",
				       "run_id",
				       "run_index",
				       "time",
				       "host",
				       "kernel",
				       "kernel_build_id",
				       "cmdline",
				       "device",
				       "provider",
				       "transport",
				       "firmware",
				       "libibverbs",
				       "libibverbs_runtime",
				       "mrbench_version",
				       "binding_cpu",
				       "binding_numa_node",
				       "timer_overhead_ns",
				       "counters_exact",
				       "measured_on_host",
				       "measured_on_emulation",
				       "measured_on_cpus",
				       "bench",
				       "mem",
				       "reg",
				       "size",
				       "page_size",
				       "pages",
				       "prefault",
				       "access",
				       "threads",
				       "status",
				       "errno",
				       "reason",
				       "expected",
				       "as_expected",
				       "iters",
				       STAT_COLS("reg_ns"),
				       STAT_COLS("dereg_ns"),
				       "reg_ns_per_page",
				       "dereg_ns_per_page",
				       "pins",
				       "unpins",
				       "migrated",
				       "migrate_failed",
				       NULL };

const char *errno_name(int err)
{
	const char *n = NULL;

	if (err == 0)
		return NULL;
#ifdef HAVE_STRERRORNAME_NP
	n = strerrorname_np(err);
#endif
	return n ? n : "EUNKNOWN";
}

const char *record_status_name(enum record_status st)
{
	static const char *const names[] = { "ok", "unsupported", "failed",
					     "hung" };

	return names[st];
}

/* Quote an argument for a shell only when it needs it. */
static void append_arg(char **buf, size_t *len, const char *arg)
{
	bool plain = *arg != '\0';
	size_t need = strlen(arg) * 4 + 4;
	char *p;

	for (const char *c = arg; *c; c++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+@%", *c))
			plain = false;
	p = *buf = xrealloc(*buf, *len + need + 1);
	p += *len;
	if (*len)
		*p++ = ' ';
	if (plain) {
		p = stpcpy(p, arg);
	} else {
		*p++ = '\'';
		for (const char *c = arg; *c; c++)
			p = *c == '\'' ? stpcpy(p, "'\\''") : (*p = *c, p + 1);
		*p++ = '\'';
		*p = '\0';
	}
	*len = (size_t)(p - *buf);
}

void run_meta_init(struct run_meta *m, int argc, char **argv)
{
	struct utsname u;
	struct timespec ts;
	struct tm tm;
	size_t len = 0;

	memset(m, 0, sizeof(*m));
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(m->time, sizeof(m->time), "%Y-%m-%dT%H:%M:%SZ", &tm);
	strftime(m->run_id, sizeof(m->run_id), "%Y%m%dT%H%M%SZ", &tm);
	snprintf(m->run_id + strlen(m->run_id),
		 sizeof(m->run_id) - strlen(m->run_id), "-%05x",
		 (unsigned)((ts.tv_nsec ^ getpid()) & 0xfffff));
	if (gethostname(m->host, sizeof(m->host)))
		strcpy(m->host, "unknown");
	if (!uname(&u))
		snprintf(m->kernel, sizeof(m->kernel), "%s", u.release);
	for (int i = 0; i < argc; i++)
		append_arg(&m->cmdline, &len, argv[i]);
	m->cpu = m->numa_node = -1;
	provenance_read(&m->on);
}

void run_meta_free(struct run_meta *m)
{
	free(m->cmdline);
	m->cmdline = NULL;
	json_object_put(m->calibration);
	m->calibration = NULL;
	kbuild_free(&m->kbuild);
}

/* Benches begin and end records on their main thread only. */
static struct record *in_hand;

void record_init(struct record *r, const char *bench)
{
	memset(r, 0, sizeof(*r));
	r->bench = bench;
	r->threads = 1;
	r->pins = r->unpins = r->migrated = r->migrate_failed = -1;
	in_hand = r;
}

struct record *record_in_hand(void)
{
	return in_hand;
}

void record_set_samples(struct record *r, const uint64_t *reg,
			const uint64_t *dereg, size_t n)
{
	r->iters = n;
	r->reg_samples = reg;
	r->dereg_samples = dereg;
	r->nsamples = n;
	r->have_stats = n > 0 && !stats_compute(reg, n, &r->reg_ns) &&
			!stats_compute(dereg, n, &r->dereg_ns);
}

void record_set_status(struct record *r, enum record_status st, int err,
		       const char *fmt, ...)
{
	va_list ap;

	r->status = st;
	r->err = err;
	va_start(ap, fmt);
	vsnprintf(r->reason, sizeof(r->reason), fmt, ap);
	va_end(ap);
}

static json_object *str_or_null(const char *s)
{
	return s && *s ? json_object_new_string(s) : NULL;
}

/*
 * Integral figures stay integers in the output; others are rounded to 4
 * decimals and printed with 15 significant digits (see record_to_json),
 * so JSON and CSV show 105554.7311, not 105554.73109999999.
 */
static json_object *num(double v)
{
	if (isnan(v) || v < 0)
		return NULL;
	if (v == floor(v) && v < 9e15)
		return json_object_new_int64((int64_t)v);
	return json_object_new_double(round(v * 1e4) / 1e4);
}

static json_object *stats_json(const struct stats *s)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "min", num(s->min));
	json_object_object_add(o, "p50", num(s->p50));
	json_object_object_add(o, "p90", num(s->p90));
	json_object_object_add(o, "p99", num(s->p99));
	json_object_object_add(o, "max", num(s->max));
	json_object_object_add(o, "mean", num(s->mean));
	json_object_object_add(o, "stdev", num(s->stdev));
	json_object_object_add(o, "ci95_lo", num(s->ci95_lo));
	json_object_object_add(o, "ci95_hi", num(s->ci95_hi));
	return o;
}

static json_object *samples_json(const uint64_t *v, size_t n)
{
	json_object *a = json_object_new_array_ext((int)n);

	for (size_t i = 0; i < n; i++)
		json_object_array_add(a, json_object_new_int64((int64_t)v[i]));
	return a;
}

static json_object *measured_on(const struct provenance *p)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "host", json_object_new_string(p->host));
	json_object_object_add(o, "emulation",
			       json_object_new_string(p->emulation));
	json_object_object_add(o, "cpus", json_object_new_int64(p->cpus));
	return o;
}

/*
 * rdma-core names the real file libibverbs.so.1.ABI.VERSION, so the
 * library this process loaded tells its own version: "1.18.65.0" when
 * mrbench vm --rdma-core 65 put a newer one on the library path of a
 * binary built against the host's 1.14.44.0.
 */
static int find_ibverbs(struct dl_phdr_info *info, size_t size, void *data)
{
	char *real, *base, **version = data;

	(void)size;
	if (!strstr(info->dlpi_name, "/libibverbs.so"))
		return 0;
	real = realpath(info->dlpi_name, NULL);
	base = real ? strrchr(real, '/') : NULL;
	if (base && !strncmp(base, "/libibverbs.so.", 15) &&
	    strchr(base + 15, '.'))
		*version = xstrdup(base + 15);
	free(real);
	return 1;
}

/* Null when no libibverbs is loaded or its file name says nothing. */
static const char *ibverbs_runtime_version(void)
{
	static char *version;
	static bool looked;

	if (!looked) {
		dl_iterate_phdr(find_ibverbs, &version);
		looked = true;
	}
	return version;
}

static void add_run(json_object *o, const struct run_meta *m)
{
	json_object *b = json_object_new_object();

	json_object_object_add(o, "schema", json_object_new_string(MRBENCH_SCHEMA));
	json_object_object_add(o, "run_id", json_object_new_string(m->run_id));
	json_object_object_add(o, "run_index",
			       json_object_new_int64(m->on.run_index));
	json_object_object_add(o, "time", json_object_new_string(m->time));
	json_object_object_add(o, "host", json_object_new_string(m->host));
	json_object_object_add(o, "kernel", json_object_new_string(m->kernel));
	/* For bisecting: which build of that release, configured how. */
	json_object_object_add(o, "kernel_build_id",
			       str_or_null(m->kbuild.build_id));
	json_object_object_add(
		o, "kernel_config",
		m->kbuild.config ? json_object_get(m->kbuild.config) : NULL);
	json_object_object_add(o, "cmdline", str_or_null(m->cmdline));
	json_object_object_add(o, "device", str_or_null(m->device));
	json_object_object_add(o, "provider", str_or_null(m->provider));
	json_object_object_add(o, "transport", str_or_null(m->transport));
	json_object_object_add(o, "firmware", str_or_null(m->firmware));
	json_object_object_add(o, "libibverbs",
			       json_object_new_string(IBVERBS_VERSION));
	json_object_object_add(o, "libibverbs_runtime",
			       str_or_null(ibverbs_runtime_version()));
	json_object_object_add(o, "mrbench_version",
			       json_object_new_string(PACKAGE_VERSION));
	json_object_object_add(b, "cpu", m->cpu >= 0 ? json_object_new_int(m->cpu) : NULL);
	json_object_object_add(b, "numa_node",
			       m->numa_node >= 0 ? json_object_new_int(m->numa_node) : NULL);
	json_object_object_add(o, "binding", b);
	json_object_object_add(o, "timer_overhead_ns", num(m->timer_overhead_ns));
	json_object_object_add(o, "counters_exact",
			       json_object_new_boolean(m->counters_exact));
	json_object_object_add(o, "measured_on", measured_on(&m->on));
	if (m->calibration)
		json_object_object_add(o, "calibration", json_object_get(m->calibration));
}

static json_object *as_expected(const struct record *r)
{
	const char *got;

	if (!r->expected)
		return NULL;
	got = r->status == STATUS_OK ? "ok" : errno_name(r->err);
	return json_object_new_boolean(got && !strcmp(got, r->expected) &&
				       !r->counters_unexpected);
}

static void add_cell(json_object *o, const struct record *r)
{
	json_object_object_add(o, "bench", json_object_new_string(r->bench));
	json_object_object_add(o, "mem", str_or_null(r->mem));
	json_object_object_add(o, "reg", str_or_null(r->reg));
	json_object_object_add(o, "size", json_object_new_int64((int64_t)r->size));
	json_object_object_add(o, "page_size",
			       r->page_size ? json_object_new_int64((int64_t)r->page_size) : NULL);
	json_object_object_add(o, "pages",
			       r->pages ? json_object_new_int64((int64_t)r->pages) : NULL);
	json_object_object_add(o, "prefault", json_object_new_boolean(r->prefault));
	json_object_object_add(o, "access", str_or_null(r->access));
	json_object_object_add(o, "threads", json_object_new_int((int)r->threads));
	json_object_object_add(o, "status",
			       json_object_new_string(record_status_name(r->status)));
	json_object_object_add(o, "errno", str_or_null(errno_name(r->err)));
	json_object_object_add(o, "reason", str_or_null(r->reason));
	json_object_object_add(o, "expected", str_or_null(r->expected));
	json_object_object_add(o, "as_expected", as_expected(r));
}

static void add_figures(json_object *o, const struct record *r)
{
	bool per_page = r->have_stats && r->pages;

	json_object_object_add(o, "iters", json_object_new_int64((int64_t)r->iters));
	json_object_object_add(o, "reg_ns", r->have_stats ? stats_json(&r->reg_ns) : NULL);
	json_object_object_add(o, "dereg_ns",
			       r->have_stats ? stats_json(&r->dereg_ns) : NULL);
	json_object_object_add(o, "reg_ns_per_page",
			       per_page ? num(r->reg_ns.p50 / (double)r->pages) : NULL);
	json_object_object_add(o, "dereg_ns_per_page",
			       per_page ? num(r->dereg_ns.p50 / (double)r->pages) : NULL);
	json_object_object_add(o, "pins", num(r->pins));
	json_object_object_add(o, "unpins", num(r->unpins));
	json_object_object_add(o, "migrated", num(r->migrated));
	json_object_object_add(o, "migrate_failed", num(r->migrate_failed));
}

json_object *record_to_json(const struct run_meta *m, const struct record *r)
{
	static bool format_set;
	json_object *o = json_object_new_object();

	if (!format_set)
		format_set = !json_c_set_serialization_double_format(
			"%.15g", JSON_C_OPTION_GLOBAL);
	add_run(o, m);
	add_cell(o, r);
	add_figures(o, r);
	if (r->extra) {
		json_object_object_foreach(r->extra, key, val)
			json_object_object_add(o, key, json_object_get(val));
	}
	if (r->nsamples) {
		json_object *s = json_object_new_object();

		json_object_object_add(s, "reg_ns", samples_json(r->reg_samples, r->nsamples));
		json_object_object_add(s, "dereg_ns",
				       samples_json(r->dereg_samples, r->nsamples));
		json_object_object_add(o, RECORD_SAMPLES, s);
	}
	return o;
}

void record_free(struct record *r)
{
	json_object_put(r->extra);
	r->extra = NULL;
	if (in_hand == r)
		in_hand = NULL;
}

json_object *json_num6(double v)
{
	char buf[32];

	if (!isfinite(v))
		return NULL;
	snprintf(buf, sizeof(buf), "%.6g", v);
	return json_object_new_double_s(v, buf);
}
