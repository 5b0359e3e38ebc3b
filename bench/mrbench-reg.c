// SPDX-License-Identifier: GPL-2.0
/*
 * mrbench reg: registration and deregistration latency over memory
 * sources x registrars x sizes x access flags x prefault.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "access.h"
#include "runprep.h"
#include "churn.h"
#include "cli.h"
#include "clock.h"
#include "kstat.h"
#include "measure.h"
#include "regcell.h"
#include "record.h"
#include "sink/sink.h"
#include "size.h"

#define MAX_PICK 32

struct pick {
	const void *v[MAX_PICK];
	const char *arg[MAX_PICK]; /* point into buf */
	size_t n;
	char *buf; /* the list, split in place at ',' and ':' */
};

struct reg_opts {
	struct size_list sizes;
	struct pick mem, reg;
	struct access_list access;
	int prefault; /* 1 yes, 0 no, 2 both */
	unsigned threads[8];
	size_t nthreads;
	unsigned repeat;
	bool force, churn;
	bool list;
};

static int set_sizes(void *o, const char *arg, char *err, size_t errlen)
{
	struct reg_opts *r = o;

	size_list_free(&r->sizes);
	return size_list_parse(arg, &r->sizes, err, errlen);
}

/*
 * Whether v with arg is picked already. A pick without an argument (from
 * "all") takes the argument given later: "all,file:/mnt" runs file once.
 */
static bool picked(struct pick *p, const void *v, const char *arg)
{
	for (size_t i = 0; i < p->n; i++) {
		if (p->v[i] != v)
			continue;
		if (!p->arg[i])
			p->arg[i] = arg;
		if (!arg || !strcmp(p->arg[i], arg))
			return true;
	}
	return false;
}

/* "anon,thp" or "all"; a source may take an argument after ':'. */
static int set_pick(struct pick *p, const char *arg, const char *what,
		    const void *(*find)(const char *), const void *const *all,
		    char *err, size_t errlen)
{
	char *save = NULL, *tok;

	free(p->buf);
	p->buf = strdup(arg);
	p->n = 0;
	for (tok = strtok_r(p->buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *colon = strchr(tok, ':');
		const void *v;

		if (!strcmp(tok, "all")) {
			for (size_t i = 0; all[i] && p->n < MAX_PICK; i++) {
				if (picked(p, all[i], NULL))
					continue;
				p->arg[p->n] = NULL;
				p->v[p->n++] = all[i];
			}
			continue;
		}
		if (colon)
			*colon = '\0';
		v = find(tok);
		if (!v || p->n == MAX_PICK) {
			snprintf(err, errlen, "invalid %s '%s': see 'mrbench reg --list'",
				 what, tok);
			return -1;
		}
		if (picked(p, v, colon ? colon + 1 : NULL))
			continue;
		p->arg[p->n] = colon ? colon + 1 : NULL;
		p->v[p->n++] = v;
	}
	if (!p->n) {
		snprintf(err, errlen, "invalid %s '%s': empty list", what, arg);
		return -1;
	}
	return 0;
}

static const void *find_mem(const char *n)
{
	return mem_source_find(n);
}

static const void *find_reg(const char *n)
{
	return registrar_find(n);
}

static int set_mem(void *o, const char *arg, char *err, size_t errlen)
{
	return set_pick(&((struct reg_opts *)o)->mem, arg, "memory source", find_mem,
			(const void *const *)mem_sources, err, errlen);
}

static int set_reg(void *o, const char *arg, char *err, size_t errlen)
{
	return set_pick(&((struct reg_opts *)o)->reg, arg, "registrar", find_reg,
			(const void *const *)registrars, err, errlen);
}

static int set_access(void *o, const char *arg, char *err, size_t errlen)
{
	return access_list_parse(arg, &((struct reg_opts *)o)->access, err, errlen);
}

static int set_prefault(void *o, const char *arg, char *err, size_t errlen)
{
	struct reg_opts *r = o;

	if (!arg || !strcmp(arg, "yes"))
		r->prefault = 1;
	else if (!strcmp(arg, "no"))
		r->prefault = 0;
	else if (!strcmp(arg, "both"))
		r->prefault = 2;
	else {
		snprintf(err, errlen, "invalid prefault '%s': expected yes, no or both", arg);
		return -1;
	}
	return 0;
}

static int set_no_prefault(void *o, const char *arg, char *err, size_t errlen)
{
	return set_prefault(o, "no", err, errlen);
}

static int set_threads(void *o, const char *arg, char *err, size_t errlen)
{
	struct reg_opts *r = o;
	const char *p = arg;
	char *end;

	r->nthreads = 0;
	do {
		unsigned long v = strtoul(p, &end, 10);

		if (end == p || (*end && *end != ',') || v < 1 ||
		    v > REGCELL_MAX_THREADS || r->nthreads == 8 || *p == '-') {
			snprintf(err, errlen, "invalid thread count '%s': expected up to 8 numbers from 1 to %d, comma separated",
				 arg, REGCELL_MAX_THREADS);
			return -1;
		}
		r->threads[r->nthreads++] = (unsigned)v;
		p = end + 1;
	} while (*end);
	return 0;
}

static int set_repeat(void *o, const char *arg, char *err, size_t errlen)
{
	char *end;
	unsigned long v = strtoul(arg, &end, 10);

	if (end == arg || *end || *arg == '-' || v < 1 || v > REGCELL_MAX_REPEAT) {
		snprintf(err, errlen, "invalid repeat count '%s': expected 1 to %d", arg,
			 REGCELL_MAX_REPEAT);
		return -1;
	}
	((struct reg_opts *)o)->repeat = (unsigned)v;
	return 0;
}

static int set_force(void *o, const char *arg, char *err, size_t errlen)
{
	((struct reg_opts *)o)->force = true;
	return 0;
}

static int set_churn(void *o, const char *arg, char *err, size_t errlen)
{
	((struct reg_opts *)o)->churn = true;
	return 0;
}

static int set_list(void *o, const char *arg, char *err, size_t errlen)
{
	((struct reg_opts *)o)->list = true;
	return 0;
}

static const struct opt reg_opt_table[] = {
	{ "size", 's', "LIST", "sizes: 4K,2M or 4K..64M[:x4|:+4K] (4K..64M)", set_sizes },
	{ "mem", 'm', "LIST", "memory sources, or all (anon)", set_mem },
	{ "reg", 'r', "LIST", "registrars, or all (regular)", set_reg },
	{ "access", 'a', "LIST", "access sets: lw, lw+rr+rw, ro ... (lw)", set_access },
	{ "prefault", 0, "[WHEN]", "touch pages before registering: yes, no, both (yes)", set_prefault },
	{ "no-prefault", 0, NULL, "register untouched memory (= --prefault=no)", set_no_prefault },
	{ "threads", 't', "LIST", "register from N threads at once, each its own region (1)", set_threads },
	{ "repeat", 'k', "K", "run each cell K times; report the spread of the medians (1)", set_repeat },
	{ "force", 0, NULL, "try sizes over MemAvailable, RLIMIT_MEMLOCK or max_mr_size", set_force },
	{ "churn", 0, NULL, "map and unmap other memory in a thread meanwhile", set_churn },
	{ "list", 'l', NULL, "list memory sources and registrars", set_list },
	{ NULL },
};

static void list_all(void)
{
	printf("memory sources:\n");
	for (const struct mem_source *const *s = mem_sources; *s; s++)
		printf("  %-19s %s\n", (*s)->name, (*s)->help);
	printf("registrars:\n");
	for (const struct registrar *const *r = registrars; *r; r++)
		printf("  %-19s %s\n", (*r)->name, (*r)->help);
}

static bool need_verbs(const struct reg_opts *o, bool *all)
{
	bool any = false;

	*all = true;
	for (size_t i = 0; i < o->reg.n; i++) {
		bool v = ((const struct registrar *)o->reg.v[i])->flags & REG_NEEDS_VERBS;

		any |= v;
		*all &= v;
	}
	return any;
}

static void setup_target(const struct reg_opts *o, const struct verbs_opts *vo,
			 struct verbs_ctx *verbs, struct reg_env *env,
			 struct run_meta *meta)
{
	char err[512];
	bool all;
	int rc;

	env->verbs = NULL;
	if (need_verbs(o, &all)) {
		rc = verbs_open(vo, verbs, err, sizeof(err));
		if (rc == -1)
			cli_die(vo->dev_name ? EXIT_USAGE : EXIT_RUN_ERROR, "%s", err);
		if (rc == -2 && (all || vo->dev_name))
			cli_die(EXIT_RUN_ERROR, "%s", err);
		if (rc == 0) {
			env->verbs = verbs;
			runprep_device(meta, verbs);
		} else {
			cli_warn("%s; cells that need it are unsupported", err);
		}
	}
	runprep_measuring(meta, env->verbs);
}

struct matrix {
	const struct reg_opts *o;
	const struct measure_opts *m;
	struct reg_env *env;
	const struct run_meta *meta;
	struct sink_set *sinks;
	unsigned done, total;
};

static int run_cell(struct matrix *x, struct regcell *c)
{
	struct measure_result res = { 0 };
	struct record rec;
	json_object *j;
	char what[160], sz[16];
	int rc;

	size_format(c->size, sz, sizeof(sz));
	snprintf(what, sizeof(what), "%s %s %s %s%s x%u", c->src->name, c->reg->name,
		 sz, c->access_name, c->prefault ? " prefault" : "", c->threads);
	cli_progress(++x->done, x->total, what);
	record_init(&rec, "reg");
	regcell_run_repeat(c, x->m, x->o->repeat, &rec, &res);
	j = record_to_json(x->meta, &rec);
	rc = sinks_write(x->sinks, j);
	json_object_put(j);
	record_free(&rec);
	measure_result_free(&res);
	return rc;
}

static int run_matrix(struct matrix *x)
{
	const struct reg_opts *o = x->o;
	int pf_lo = o->prefault == 2 ? 0 : o->prefault;
	int pf_hi = o->prefault == 2 ? 1 : o->prefault;

	x->total = (unsigned)(o->mem.n * o->reg.n * o->sizes.n * o->access.n *
			      o->nthreads * (size_t)(pf_hi - pf_lo + 1));
	for (size_t mi = 0; mi < o->mem.n; mi++)
	for (size_t ri = 0; ri < o->reg.n; ri++)
	for (size_t ai = 0; ai < o->access.n; ai++)
	for (size_t ti = 0; ti < o->nthreads; ti++)
	for (int pf = pf_hi; pf >= pf_lo; pf--)
	for (size_t si = 0; si < o->sizes.n; si++) {
		struct regcell c = {
			.src = o->mem.v[mi], .src_arg = o->mem.arg[mi],
			.reg = o->reg.v[ri], .env = x->env,
			.size = o->sizes.v[si], .access = o->access.v[ai].flags,
			.access_name = o->access.v[ai].name, .prefault = pf,
			.threads = o->threads[ti], .force = o->force,
		};

		if (measure_stop)
			return 0;
		if (run_cell(x, &c))
			return -1;
	}
	return 0;
}

/* Registrars' own options, each under its name, then the common ones. */
static void add_registrar_groups(struct opt_group *g, size_t n, size_t max)
{
	static char titles[16][48];

	for (const struct registrar *const *r = registrars; *r && n + 1 < max; r++) {
		if (!(*r)->opts)
			continue;
		snprintf(titles[n], sizeof(titles[n]), "Registrar %s", (*r)->name);
		g[n] = (struct opt_group){ titles[n], (*r)->opts, (*r)->opt_owner };
		n++;
	}
	g[n++] = (struct opt_group){ "Other", cli_opt_table, NULL };
	g[n] = (struct opt_group){ NULL };
}

static void defaults(struct reg_opts *o)
{
	char err[128];

	memset(o, 0, sizeof(*o));
	size_list_parse("4K..64M", &o->sizes, err, sizeof(err));
	o->mem.v[0] = mem_source_find("anon");
	o->reg.v[0] = registrar_find("regular");
	o->mem.n = o->reg.n = 1;
	access_list_parse("lw", &o->access, err, sizeof(err));
	o->prefault = 1;
	o->threads[0] = 1;
	o->nthreads = 1;
	o->repeat = 1;
}

int main(int argc, char **argv)
{
	struct reg_opts o;
	struct measure_opts m;
	struct verbs_opts vo;
	struct sink_opts so;
	struct verbs_ctx verbs = { 0 };
	struct reg_env env;
	struct run_meta meta;
	struct sink_set sinks;
	struct opt_group groups[16] = {
		{ "Matrix", reg_opt_table, &o },
		{ "Device", verbs_opt_table, &vo },
		{ "Measurement", measure_opt_table, &m },
		{ "Output", sink_opt_table, &so },
	};
	struct matrix x = { &o, &m, &env, &meta, &sinks, 0, 0 };
	char err[512];
	uint64_t start;
	int first, rc;

	cli_init("mrbench-reg");
	defaults(&o);
	measure_opts_default(&m);
	verbs_opts_default(&vo);
	sink_opts_default(&so);
	add_registrar_groups(groups, 4, sizeof(groups) / sizeof(groups[0]) - 1);
	cli_set_help("usage: mrbench reg [OPTIONS]\n"
		     "Time memory registration and deregistration.\n", groups);
	first = opt_parse(argc, argv, groups, err, sizeof(err));
	if (first < 0)
		cli_die(EXIT_USAGE, "%s", err);
	if (first < argc)
		cli_die(EXIT_USAGE, "unexpected argument '%s': options only, see --help",
			argv[first]);
	if (o.list) {
		list_all();
		return 0;
	}
	/* From here on, a signal leaves whole results and nothing else. */
	cli_catch_signals();
	/* Opened first so a bad -o is found before anything runs; an exit
	 * before sinks_close removes the temporary files. */
	if (sinks_open(&so, &sinks, err, sizeof(err)))
		cli_die(EXIT_USAGE, "%s", err);
	run_meta_init(&meta, argc, argv);
	setup_target(&o, &vo, &verbs, &env, &meta);
	start = clock_ns();
	if (o.churn && churn_start())
		cli_die(EXIT_RUN_ERROR, "cannot start the churn thread");
	rc = run_matrix(&x);
	if (o.churn)
		fprintf(stderr, "%s: %lu map/unmap rounds alongside\n", cli_prog, churn_stop());
	cli_progress_done();
	fprintf(stderr, "%s: %u cells in %.1f s\n", cli_prog, x.done,
		(double)(clock_ns() - start) / 1e9);
	if (sinks_close(&sinks) || rc)
		rc = EXIT_RUN_ERROR;
	verbs_close(&verbs);
	run_meta_free(&meta);
	size_list_free(&o.sizes);
	free(o.mem.buf);
	free(o.reg.buf);
	if (measure_stop)
		cli_die(EXIT_INTERRUPTED, "interrupted: the completed cells are saved");
	return rc;
}
