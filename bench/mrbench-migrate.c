// SPDX-License-Identifier: GPL-2.0
/*
 * mrbench migrate: what a long-term pin costs when the kernel must first
 * migrate the pages out of ZONE_MOVABLE or a CMA area. The same
 * registration of the same size runs from memory placed outside both
 * (the baseline), in ZONE_MOVABLE and in CMA, for 4K, THP and 2 MiB
 * hugetlb pages; the difference, per migrated page, is the price. The
 * placement is done and checked by the memory sources (lib/mem/place/)
 * before every registration; --starve adds cells whose migration cannot
 * succeed.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "clock.h"
#include "kstat.h"
#include "regcell.h"
#include "runprep.h"
#include "sink/sink.h"
#include "size.h"

static const char *const placements[] = { "normal", "movable", "cma" };
static const char *const kinds[] = { "4k", "thp", "hugetlb-2m" };
static const char *const kind_titles[] = { "4K pages", "THP (2 MiB)",
					   "hugetlb 2 MiB pages" };
static const char *const regs[] = { "regular", "iouring" };
#define NPLACE 3
#define NKIND  3
#define NREG   2

struct migrate_opts {
	struct size_list sizes;
	bool place[NPLACE], kind[NKIND], reg[NREG];
	bool starve;
	uint64_t starve_size;
};

/* One line of the closing table. */
struct row {
	int kind, place, reg;
	uint64_t size;
	char status[16], err[24], where_before[64], where_after[64], note[200];
	double p50, ratio, migrated, failed, ns_per_page;
	bool starve;
};

#define MAX_ROWS 512

struct run {
	const struct migrate_opts *o;
	const struct measure_opts *m;
	struct reg_env *env;
	const struct run_meta *meta;
	struct sink_set *sinks;
	struct row rows[MAX_ROWS];
	size_t nrows;
	unsigned done, total;
};

/* "a,b" against names[]: sets the flags of those named. */
static int set_flags(bool *flags, const char *const *names, size_t n,
		     const char *arg, const char *what, char *err,
		     size_t errlen)
{
	char *dup = strdup(arg), *save = NULL, *tok;
	bool any = false;

	memset(flags, 0, n * sizeof(*flags));
	for (tok = strtok_r(dup, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		size_t i;

		for (i = 0; i < n && strcmp(tok, names[i]); i++)
			;
		if (i == n) {
			snprintf(err, errlen,
				 "invalid %s '%s': expected %s%s%s%s%s", what,
				 tok, names[0], n > 1 ? ", " : "",
				 n > 1 ? names[1] : "", n > 2 ? ", " : "",
				 n > 2 ? names[2] : "");
			free(dup);
			return -1;
		}
		flags[i] = any = true;
	}
	free(dup);
	if (!any) {
		snprintf(err, errlen, "invalid %s '%s': empty list", what, arg);
		return -1;
	}
	return 0;
}

static int set_sizes(void *o, const char *arg, char *err, size_t errlen)
{
	struct migrate_opts *x = o;

	size_list_free(&x->sizes);
	return size_list_parse(arg, &x->sizes, err, errlen);
}

static int set_mem(void *o, const char *arg, char *err, size_t errlen)
{
	return set_flags(((struct migrate_opts *)o)->place, placements, NPLACE,
			 arg, "placement", err, errlen);
}

static int set_pages(void *o, const char *arg, char *err, size_t errlen)
{
	return set_flags(((struct migrate_opts *)o)->kind, kinds, NKIND, arg,
			 "page kind", err, errlen);
}

static int set_reg(void *o, const char *arg, char *err, size_t errlen)
{
	return set_flags(((struct migrate_opts *)o)->reg, regs, NREG, arg,
			 "registrar", err, errlen);
}

static int set_starve(void *o, const char *arg, char *err, size_t errlen)
{
	((struct migrate_opts *)o)->starve = true;
	return 0;
}

static int set_starve_size(void *o, const char *arg, char *err, size_t errlen)
{
	struct size_list l;
	int rc = size_list_parse(arg, &l, err, errlen);

	if (rc)
		return rc;
	if (l.n != 1 || l.v[0] < (2UL << 20)) {
		snprintf(
			err, errlen,
			"invalid starve size '%s': expected one size of 2M or more",
			arg);
		size_list_free(&l);
		return -1;
	}
	((struct migrate_opts *)o)->starve_size = l.v[0];
	((struct migrate_opts *)o)->starve = true;
	size_list_free(&l);
	return 0;
}

static const struct opt migrate_opt_table[] = {
	{ "size", 's', "LIST", "sizes: 4M,16M or 1M..64M (4M)", set_sizes },
	{ "mem", 'm', "LIST", "placements: normal, movable, cma (all three)",
	  set_mem },
	{ "pages", 'p', "LIST", "page kinds: 4k, thp, hugetlb-2m (all three)",
	  set_pages },
	{ "reg", 'r', "LIST", "registrars: regular, iouring (both)", set_reg },
	{ "starve", 0, NULL,
	  "add hugetlb-2m cells whose migration cannot succeed", set_starve },
	{ "starve-size", 0, "SIZE",
	  "size of the starved cells (64M); implies --starve",
	  set_starve_size },
	{ NULL },
};


/* ------------------------------------------------------------ records */

/* Every record carries these, null when unknown, so CSV has one header. */
static const char *const extra_keys[] = { "placement",
					  "page_kind",
					  "starved",
					  "placement_verified",
					  "placement_check",
					  "placement_error",
					  "placed_pages",
					  "where_before",
					  "target_pages_after",
					  "where_after",
					  "movable_pages_after",
					  "cma_pages_after",
					  "target_free_before",
					  "target_free_placed",
					  "target_free_after",
					  "target_free_drop",
					  "target_free_drop_pcp",
					  "cma_free_kb_before",
					  "cma_free_kb_placed",
					  "cma_free_kb_after",
					  "balloon_bytes",
					  "huge_bytes",
					  "thp_migration_success",
					  "thp_migration_split",
					  "thp_migration_fail",
					  "loop_migrated",
					  "loop_migrate_failed",
					  "baseline_reg_ns_p50",
					  "ratio_to_normal",
					  "extra_ns",
					  "ns_per_migrated_page",
					  NULL };

static json_object *get(json_object *o, const char *key)
{
	json_object *v = NULL;

	return json_object_object_get_ex(o, key, &v) ? v : NULL;
}

static void add_counter(json_object *extra, const char *key,
			const struct kstat_snap *d, enum kstat_id id)
{
	json_object_object_add(extra, key,
			       d->have[id] ? json_object_new_int64(d->v[id]) :
					     NULL);
}

static void add_counters(struct record *rec, const struct kstat_snap *obs,
			 const struct kstat_snap *loop, bool looped)
{
	add_counter(rec->extra, "thp_migration_success", obs,
		    KSTAT_THP_MIGRATION_SUCCESS);
	add_counter(rec->extra, "thp_migration_split", obs,
		    KSTAT_THP_MIGRATION_SPLIT);
	add_counter(rec->extra, "thp_migration_fail", obs,
		    KSTAT_THP_MIGRATION_FAIL);
	if (looped) {
		add_counter(rec->extra, "loop_migrated", loop,
			    KSTAT_PGMIGRATE_SUCCESS);
		add_counter(rec->extra, "loop_migrate_failed", loop,
			    KSTAT_PGMIGRATE_FAIL);
	}
}

/* A placement that did not happen is not a measurement. */
static void placement_verdict(struct record *rec)
{
	json_object *v = get(rec->extra, "placement_verified"), *e;

	if (rec->status == STATUS_OK || !v || json_object_get_boolean(v))
		return;
	e = get(rec->extra, "placement_error");
	record_set_status(rec, STATUS_UNSUPPORTED, 0, "placement failed: %s",
			  e ? json_object_get_string(e) : "unknown");
}

static double num(json_object *o, const char *key)
{
	json_object *v = get(o, key);

	return v ? json_object_get_double(v) : -1;
}

static void row_from(struct row *w, json_object *j, int kind, int place,
		     int reg, uint64_t size, bool starve)
{
	json_object *v;

	memset(w, 0, sizeof(*w));
	w->kind = kind;
	w->place = place;
	w->reg = reg;
	w->size = size;
	w->starve = starve;
	snprintf(w->status, sizeof(w->status), "%s",
		 json_object_get_string(get(j, "status")));
	if ((v = get(j, "errno")))
		snprintf(w->err, sizeof(w->err), "%s",
			 json_object_get_string(v));
	if ((v = get(j, "where_before")))
		snprintf(w->where_before, sizeof(w->where_before), "%s",
			 json_object_get_string(v));
	if ((v = get(j, "where_after")))
		snprintf(w->where_after, sizeof(w->where_after), "%s",
			 json_object_get_string(v));
	if ((v = get(j, "reason")))
		snprintf(w->note, sizeof(w->note), "%s",
			 json_object_get_string(v));
	w->p50 = (v = get(j, "reg_ns")) ? num(v, "p50") : -1;
	w->ratio = num(j, "ratio_to_normal");
	w->migrated = num(j, "migrated");
	w->failed = num(j, "migrate_failed");
	w->ns_per_page = num(j, "ns_per_migrated_page");
}

/* ------------------------------------------------------------ cells */

struct cell_out {
	struct record rec;
	struct measure_result res;
};

static void run_one(struct run *x, struct cell_out *out, int kind, int place,
		    int reg, uint64_t size, bool starve)
{
	static char args[NKIND][2][32];
	struct kstat_snap obs = { 0 }, loop = { 0 };
	char sz[16], what[96];
	const char *arg;
	struct regcell c = {
		.src = mem_source_find(placements[place]),
		.reg = registrar_find(regs[reg]),
		.env = x->env,
		.size = size,
		.access = IBV_ACCESS_LOCAL_WRITE,
		.access_name = "lw",
		.prefault = true,
		.threads = 1,
		.observed = &obs,
		.loop = &loop,
	};

	snprintf(args[kind][starve], sizeof(args[0][0]), "%s%s", kinds[kind],
		 starve ? "+starve" : "");
	arg = args[kind][starve];
	c.src_arg = arg;
	size_format(size, sz, sizeof(sz));
	snprintf(what, sizeof(what), "%s:%s %s %s", placements[place], arg,
		 regs[reg], sz);
	cli_progress(++x->done, x->total, what);
	record_init(&out->rec, "migrate");
	out->res = (struct measure_result){ 0 };
	if (c.reg->flags & REG_NEEDS_VERBS && !x->env->verbs) {
		out->rec.mem = c.src->name;
		out->rec.reg = c.reg->name;
		out->rec.size = size;
		out->rec.access = "lw";
		out->rec.prefault = true;
		out->rec.extra = json_object_new_object();
		record_set_status(&out->rec, STATUS_UNSUPPORTED, 0,
				  "no RDMA device");
	} else {
		regcell_run(&c, x->m, &out->rec, &out->res);
	}
	add_counters(&out->rec, &obs, &loop, out->rec.status == STATUS_OK);
	placement_verdict(&out->rec);
	/* A starved zone leaves the migration without target pages: the
	 * pin fails with ENOMEM (migrate_longterm_unpinnable_folios). A
	 * cell that could not run (no such zone) has no verdict. */
	if (starve && out->rec.status != STATUS_UNSUPPORTED)
		out->rec.expected = "ENOMEM";
}

/* Movable and CMA against the normal baseline of the same cell. */
static void compare(struct record *rec, const struct record *base)
{
	double extra, ratio;

	if (rec->status != STATUS_OK || base->status != STATUS_OK ||
	    !rec->have_stats || !base->have_stats || base->reg_ns.p50 <= 0)
		return;
	extra = rec->reg_ns.p50 - base->reg_ns.p50;
	ratio = rec->reg_ns.p50 / base->reg_ns.p50;
	json_object_object_add(rec->extra, "baseline_reg_ns_p50",
			       json_object_new_double(base->reg_ns.p50));
	json_object_object_add(
		rec->extra, "ratio_to_normal",
		json_object_new_double(round(ratio * 1e3) / 1e3));
	json_object_object_add(rec->extra, "extra_ns",
			       json_object_new_double(extra));
	if (rec->migrated > 0)
		json_object_object_add(
			rec->extra, "ns_per_migrated_page",
			json_object_new_double(
				round(extra / rec->migrated * 10) / 10));
}

static void cell_free(struct cell_out *out)
{
	record_free(&out->rec);
	measure_result_free(&out->res);
}

static int emit(struct run *x, struct cell_out *out, int kind, int place,
		int reg, uint64_t size, bool starve)
{
	json_object *j;
	int rc;

	/* The cell's identity, also when it could not run: compare keys
	 * cells by it (thp and hugetlb-2m share a page size). */
	if (!get(out->rec.extra, "page_kind")) {
		json_object_object_add(out->rec.extra, "placement",
				       json_object_new_string(placements[place]));
		json_object_object_add(out->rec.extra, "page_kind",
				       json_object_new_string(kinds[kind]));
		json_object_object_add(out->rec.extra, "starved",
				       json_object_new_boolean(starve));
	}
	for (const char *const *k = extra_keys; *k; k++)
		if (!get(out->rec.extra, *k) &&
		    !json_object_object_get_ex(out->rec.extra, *k, NULL))
			json_object_object_add(out->rec.extra, *k, NULL);
	j = record_to_json(x->meta, &out->rec);
	rc = sinks_write(x->sinks, j);
	if (x->nrows < MAX_ROWS)
		row_from(&x->rows[x->nrows++], j, kind, place, reg, size,
			 starve);
	json_object_put(j);
	cell_free(out);
	return rc;
}

static int run_all(struct run *x)
{
	const struct migrate_opts *o = x->o;
	struct cell_out out[NPLACE];
	int rc = 0;

	for (int k = 0; k < NKIND; k++)
		for (size_t si = 0; si < o->sizes.n; si++)
			for (int g = 0; g < NREG; g++) {
				bool ran[NPLACE] = { false };

				if (!o->kind[k] || !o->reg[g])
					continue;
				/* The baseline always runs: the others are measured against it. */
				for (int p = 0; p < NPLACE && !measure_stop;
				     p++)
					if (p == 0 || o->place[p]) {
						run_one(x, &out[p], k, p, g,
							o->sizes.v[si], false);
						ran[p] = true;
					}
				for (int p = 1; p < NPLACE; p++)
					if (ran[p])
						compare(&out[p].rec,
							&out[0].rec);
				for (int p = 0; p < NPLACE; p++) {
					if (!ran[p])
						continue;
					if (o->place[p] && !rc)
						rc = emit(x, &out[p], k, p, g,
							  o->sizes.v[si],
							  false);
					else
						cell_free(&out[p]);
				}
				if (rc || measure_stop)
					return rc;
			}
	/* hugetlb-2m whatever --pages says: the only kind starved safely. */
	if (!o->starve)
		return 0;
	for (int g = 0; g < NREG; g++)
		for (int p = 1; p < NPLACE; p++) {
			if (!o->reg[g] || !o->place[p] || measure_stop)
				continue;
			run_one(x, &out[p], 2, p, g, o->starve_size, true);
			if ((rc = emit(x, &out[p], 2, p, g, o->starve_size,
				       true)))
				return rc;
		}
	return 0;
}

/* ------------------------------------------------------------ the table */

static void fmt_ns(double ns, char *buf, size_t len)
{
	if (ns < 0)
		snprintf(buf, len, "-");
	else if (ns < 1e6)
		snprintf(buf, len, "%.1f us", ns / 1e3);
	else
		snprintf(buf, len, "%.2f ms", ns / 1e6);
}

static void fmt_num(double v, const char *f, char *buf, size_t len)
{
	if (v < 0)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, f, v);
}

#define TFMT "%-6s %-8s %-8s %-24s %10s %7s %8s %7s %10s  %s\n"

static void print_rows(const struct run *x, int kind, bool starve)
{
	bool header = false;

	for (size_t i = 0; i < x->nrows; i++) {
		const struct row *w = &x->rows[i];
		char sz[16], p50[16], ratio[16], mig[16], fl[16], npp[16],
			note[240];

		if (w->kind != kind || w->starve != starve)
			continue;
		if (!header) {
			printf("\n%s%s\n", kind_titles[kind],
			       starve ?
				       ", target zones starved: the migration cannot succeed" :
				       "");
			printf(TFMT, "SIZE", "REG", "PLACED", "BEFORE",
			       "REG p50", "RATIO", "MIGRATED", "FAILED",
			       "NS/MIGR.PG", "AFTER");
			header = true;
		}
		size_format(w->size, sz, sizeof(sz));
		fmt_ns(w->p50, p50, sizeof(p50));
		fmt_num(w->ratio, "%.2f", ratio, sizeof(ratio));
		if (!w->place && !strcmp(w->status, "ok"))
			snprintf(ratio, sizeof(ratio), "base");
		fmt_num(w->migrated, "%.0f", mig, sizeof(mig));
		fmt_num(w->failed, "%.0f", fl, sizeof(fl));
		fmt_num(w->ns_per_page, "%.0f", npp, sizeof(npp));
		if (strcmp(w->status, "ok"))
			snprintf(note, sizeof(note), "%s%s%s: %s", w->status,
				 w->err[0] ? " " : "", w->err, w->note);
		else
			snprintf(note, sizeof(note), "%s",
				 w->where_after[0] ? w->where_after : "-");
		printf(TFMT, sz, regs[w->reg], placements[w->place],
		       w->where_before[0] ? w->where_before : "-", p50, ratio,
		       mig, fl, npp, note);
	}
}

static void print_table(const struct run *x)
{
	printf("mrbench migrate on %s: long-term registration (median) of memory placed\n"
	       "outside ZONE_MOVABLE and CMA (normal), in ZONE_MOVABLE, in CMA; RATIO and\n"
	       "NS/MIGR.PG against normal; BEFORE/AFTER: pages by zone before the pin and\n"
	       "after it (CMA pages are also counted in their zone)\n",
	       x->meta->kernel);
	for (int k = 0; k < NKIND; k++) {
		print_rows(x, k, false);
		print_rows(x, k, true);
	}
	fflush(stdout);
}

/* ------------------------------------------------------------ main */

static void setup_target(const struct migrate_opts *o,
			 const struct verbs_opts *vo, struct verbs_ctx *verbs,
			 struct reg_env *env, struct run_meta *meta)
{
	char err[512];
	int rc;

	env->verbs = NULL;
	if (o->reg[0]) {
		rc = verbs_open(vo, verbs, err, sizeof(err));
		if (rc == -1 && vo->dev_name)
			cli_die(EXIT_USAGE, "%s", err);
		if (rc == 0) {
			env->verbs = verbs;
			runprep_device(meta, verbs);
		} else {
			cli_warn("%s; the regular cells are unsupported", err);
		}
	}
	runprep_measuring(meta, env->verbs);
}

static void defaults(struct migrate_opts *o)
{
	char err[64];

	memset(o, 0, sizeof(*o));
	size_list_parse("4M", &o->sizes, err, sizeof(err));
	for (int i = 0; i < NPLACE; i++)
		o->place[i] = true;
	for (int i = 0; i < NKIND; i++)
		o->kind[i] = true;
	o->reg[0] = o->reg[1] = true;
	o->starve_size = 64UL << 20;
}

static unsigned count_cells(const struct migrate_opts *o)
{
	unsigned places = 1, n;

	for (int p = 1; p < NPLACE; p++)
		places += o->place[p];
	n = (unsigned)o->sizes.n * places *
	    (o->kind[0] + o->kind[1] + o->kind[2]) * (o->reg[0] + o->reg[1]);
	if (o->starve)
		n += (unsigned)(o->reg[0] + o->reg[1]) *
		     (o->place[1] + o->place[2]);
	return n;
}

int main(int argc, char **argv)
{
	static struct run x;
	struct migrate_opts o;
	struct measure_opts m;
	struct verbs_opts vo;
	struct sink_opts so;
	struct verbs_ctx verbs = { 0 };
	struct reg_env env;
	struct run_meta meta;
	struct sink_set sinks;
	struct opt_group groups[] = {
		{ "Scenario", migrate_opt_table, &o },
		{ "Device", verbs_opt_table, &vo },
		{ "Measurement", measure_opt_table, &m },
		{ "Output", sink_opt_table, &so },
		{ "Other", cli_opt_table, NULL },
		{ NULL },
	};
	bool human;
	char err[512];
	uint64_t start;
	int first, rc;

	cli_init("mrbench-migrate");
	defaults(&o);
	measure_opts_default(&m);
	verbs_opts_default(&vo);
	sink_opts_default(&so);
	cli_set_help("usage: mrbench migrate [OPTIONS]\n"
		     "Time long-term registrations that must first migrate pages out of\n"
		     "ZONE_MOVABLE or CMA, against the same registration of normal memory.\n",
		     groups);
	first = opt_parse(argc, argv, groups, err, sizeof(err));
	if (first < 0)
		cli_die(EXIT_USAGE, "%s", err);
	if (first < argc)
		cli_die(EXIT_USAGE,
			"unexpected argument '%s': options only, see --help",
			argv[first]);
	/* The table is ours: it compares cells, which a row-per-cell human
	 * sink cannot. The machine formats go through the sinks. */
	human = so.formats & 1u;
	so.formats &= ~1u;
	/* From here on, a signal leaves whole results and nothing else. */
	cli_catch_signals();
	if (sinks_open(&so, &sinks, err, sizeof(err)))
		cli_die(EXIT_USAGE, "%s", err);
	run_meta_init(&meta, argc, argv);
	setup_target(&o, &vo, &verbs, &env, &meta);
	x = (struct run){
		.o = &o, .m = &m, .env = &env, .meta = &meta, .sinks = &sinks
	};
	x.total = count_cells(&o);
	start = clock_ns();
	rc = run_all(&x);
	cli_progress_done();
	fprintf(stderr, "%s: %u cells in %.1f s\n", cli_prog, x.done,
		(double)(clock_ns() - start) / 1e9);
	if (human)
		print_table(&x);
	if (sinks_close(&sinks) || rc)
		rc = EXIT_RUN_ERROR;
	verbs_close(&verbs);
	run_meta_free(&meta);
	size_list_free(&o.sizes);
	if (measure_stop)
		cli_die(EXIT_INTERRUPTED,
			"interrupted: the completed cells are saved");
	return rc;
}
