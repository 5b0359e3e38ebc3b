// SPDX-License-Identifier: GPL-2.0
/*
 * mrbench reg: registration and deregistration latency over memory
 * sources x registrars x sizes x access flags x prefault.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/xalloc.h"
#include "cli/access.h"
#include "cli/bench.h"
#include "measure/churn.h"
#include "cli/cli.h"
#include "measure/measure.h"
#include "measure/regcell.h"
#include "out/record.h"
#include "out/sink/sink.h"
#include "cli/size.h"

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
	p->buf = xstrdup(arg);
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

#define ROW(n, k, a, h, t, f, ...)                                        \
	OPT_ROW(n, k, a, h, t, struct reg_opts, f, __VA_ARGS__)

static const struct opt reg_opt_table[] = {
	ROW("size", 's', "LIST", "sizes: 4K,2M or 4K..64M[:x4|:+4K] (4K..64M)",
	    OPT_SIZES, sizes),
	OPT_SET("mem", 'm', "LIST", "memory sources, or all (anon)", set_mem),
	OPT_SET("reg", 'r', "LIST", "registrars, or all (regular)", set_reg),
	OPT_SET("access", 0, "LIST", "access sets: lw, lw+rr+rw, ro ... (lw)",
		set_access),
	OPT_SET("prefault", 0, "[WHEN]",
		"touch pages before registering: yes, no, both (yes)",
		set_prefault),
	OPT_SET("no-prefault", 0, NULL,
		"register untouched memory (= --prefault=no)", set_no_prefault),
	OPT_SET("threads", 0, "LIST",
		"register from N threads at once, each its own region (1)",
		set_threads),
	ROW("repeat", 'k', "K",
	    "run each cell K times; report the spread of the medians (1)",
	    OPT_UINT, repeat, .lo = 1, .hi = REGCELL_MAX_REPEAT,
	    .what = "repeat count"),
	ROW("force", 0, NULL,
	    "try sizes over MemAvailable, RLIMIT_MEMLOCK or max_mr_size",
	    OPT_FLAG, force),
	ROW("churn", 0, NULL, "map and unmap other memory in a thread meanwhile",
	    OPT_FLAG, churn),
	ROW("list", 'l', NULL, "list memory sources and registrars", OPT_FLAG,
	    list),
	OPT_END,
};

static void list_all(void)
{
	printf("memory sources:\n");
	for (const struct mem_source *const *s = mem_sources; *s; s++)
		printf("  %-19s %s\n", (*s)->name, (*s)->help);
	for (const struct mem_source *const *s = mem_named_sources; *s; s++)
		printf("  %-19s %s\n", (*s)->name, (*s)->help);
	printf("registrars:\n");
	for (const struct registrar *const *r = registrars; *r; r++)
		printf("  %-19s %s%s%s%s\n", (*r)->name, (*r)->help,
		       (*r)->unimplemented ? " (not in this build: " : "",
		       (*r)->unimplemented ? (*r)->unimplemented : "",
		       (*r)->unimplemented ? ")" : "");
}

static bool listed(const void *v)
{
	const struct reg_opts *o = v;

	if (o->list)
		list_all();
	return o->list;
}

/* Some registrars need the device, others (iouring, mlock) none. */
static enum bench_device device(const void *v)
{
	const struct reg_opts *o = v;
	size_t need = 0;

	for (size_t i = 0; i < o->reg.n; i++)
		need += !!(((const struct registrar *)o->reg.v[i])->flags &
			   REG_NEEDS_VERBS);
	return !need		 ? BENCH_DEVICE_NONE :
	       need == o->reg.n ? BENCH_DEVICE_ALL :
				  BENCH_DEVICE_SOME;
}

static int run_cell(struct bench_run *r, const struct reg_opts *o,
		    struct regcell *c)
{
	struct measure_result res = { 0 };
	struct record rec;
	char what[160], sz[16];
	int rc;

	size_format(c->size, sz, sizeof(sz));
	snprintf(what, sizeof(what), "%s %s %s %s%s x%u", c->src->name,
		 c->reg->name, sz, c->access_name,
		 c->prefault ? " prefault" : "", c->threads);
	bench_progress(r, what);
	record_init(&rec, "reg");
	regcell_run_repeat(c, &r->m, o->repeat, &rec, &res);
	rc = bench_emit(r, &rec);
	record_free(&rec);
	measure_result_free(&res);
	return rc;
}

static int run_matrix(struct bench_run *r)
{
	const struct reg_opts *o = r->b->o;
	int pf_lo = o->prefault == 2 ? 0 : o->prefault;
	int pf_hi = o->prefault == 2 ? 1 : o->prefault;
	int rc = 0;

	if (o->churn && churn_start())
		cli_die(EXIT_RUN_ERROR, "cannot start the churn thread");
	r->total = (unsigned)(o->mem.n * o->reg.n * o->sizes.n * o->access.n *
			      o->nthreads * (size_t)(pf_hi - pf_lo + 1));
	for (size_t mi = 0; mi < o->mem.n; mi++)
	for (size_t ri = 0; ri < o->reg.n; ri++)
	for (size_t ai = 0; ai < o->access.n; ai++)
	for (size_t ti = 0; ti < o->nthreads; ti++)
	for (int pf = pf_hi; pf >= pf_lo; pf--)
	for (size_t si = 0; si < o->sizes.n && !rc && !measure_stop; si++) {
		struct regcell c = {
			.src = o->mem.v[mi],
			.src_arg = o->mem.arg[mi],
			.reg = o->reg.v[ri],
			.env = &r->env,
			.size = o->sizes.v[si],
			.access = o->access.v[ai].flags,
			.access_name = o->access.v[ai].name,
			.prefault = pf,
			.threads = o->threads[ti],
			.force = o->force,
			.breakdown = &r->bd,
		};

		rc = run_cell(r, o, &c);
	}
	if (o->churn)
		fprintf(stderr, "%s: %lu map/unmap rounds alongside\n",
			cli_prog, churn_stop());
	return rc;
}

/* Registrars' own options, each under its name. */
static size_t registrar_groups(struct opt_group *g, size_t n, size_t max)
{
	static char titles[16][48];

	for (const struct registrar *const *r = registrars; *r && n < max; r++) {
		if (!(*r)->opts)
			continue;
		snprintf(titles[n], sizeof(titles[n]), "Registrar %s", (*r)->name);
		g[n] = (struct opt_group){ titles[n], (*r)->opts, (*r)->opt_owner };
		n++;
	}
	return n;
}

static void defaults(void *v)
{
	struct reg_opts *o = v;
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

static void teardown(struct bench_run *r)
{
	struct reg_opts *o = r->b->o;

	size_list_free(&o->sizes);
	free(o->mem.buf);
	free(o->reg.buf);
}

static struct reg_opts opts;

static const struct bench reg_bench = {
	.name = "reg",
	.usage = "Time memory registration and deregistration.\n",
	.opts_title = "Matrix",
	.opts = reg_opt_table,
	.o = &opts,
	.defaults = defaults,
	.groups = registrar_groups,
	.measures = true,
	.breaks_down = true,
	.device = device,
	.no_device = "cells that need it are unsupported",
	.listed = listed,
	.run = run_matrix,
	.teardown = teardown,
	.view = &view_cells,
	.unit = "cells",
};

int main(int argc, char **argv)
{
	return bench_main(&reg_bench, argc, argv);
}
