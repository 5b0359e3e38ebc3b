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

#include "cli/bench.h"
#include "measure/regcell.h"
#include "out/sink/sink.h"
#include "cli/size.h"

static const char *const placements[] = { "normal", "movable", "cma", NULL };
static const char *const kinds[] = { "4k", "thp", "hugetlb-2m", NULL };
static const char *const kind_titles[] = { "4K pages", "THP (2 MiB)",
					   "hugetlb 2 MiB pages" };
static const char *const regs[] = { "regular", "iouring", NULL };
#define NPLACE 3
#define NKIND  3
#define NREG   2

struct migrate_opts {
	struct size_list sizes;
	bool place[NPLACE], kind[NKIND], reg[NREG];
	bool starve;
	uint64_t starve_size;
};

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

#define ROW(n, k, a, h, t, f, ...)                                        \
	OPT_ROW(n, k, a, h, t, struct migrate_opts, f, __VA_ARGS__)

static const struct opt migrate_opt_table[] = {
	ROW("size", 's', "LIST", "sizes: 4M,16M or 1M..64M (4M)", OPT_SIZES,
	    sizes),
	ROW("mem", 'm', "LIST", "placements: normal, movable, cma (all three)",
	    OPT_NAMES, place, .names = placements, .what = "placement"),
	ROW("pages", 'p', "LIST", "page kinds: 4k, thp, hugetlb-2m (all three)",
	    OPT_NAMES, kind, .names = kinds, .what = "page kind"),
	ROW("reg", 'r', "LIST", "registrars: regular, iouring (both)", OPT_NAMES,
	    reg, .names = regs, .what = "registrar"),
	ROW("starve", 0, NULL,
	    "add hugetlb-2m cells whose migration cannot succeed", OPT_FLAG,
	    starve),
	OPT_SET("starve-size", 0, "SIZE",
		"size of the starved cells (64M); implies --starve",
		set_starve_size),
	OPT_END,
};

/* ------------------------------------------------------------ records */

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

/* ------------------------------------------------------------ cells */

struct cell_out {
	struct record rec;
	struct measure_result res;
};

static void run_one(struct bench_run *r, struct cell_out *out, int kind,
		    int place, int reg, uint64_t size, bool starve)
{
	static char args[NKIND][2][32];
	struct kstat_snap obs = { 0 }, loop = { 0 };
	char sz[16], what[96];
	const char *arg;
	struct regcell c = {
		.src = mem_source_find(placements[place]),
		.reg = registrar_find(regs[reg]),
		.env = &r->env,
		.size = size,
		.access = IBV_ACCESS_LOCAL_WRITE,
		.access_name = "lw",
		.prefault = true,
		.threads = 1,
		.observed = &obs,
		.loop = &loop,
		.breakdown = &r->bd,
	};

	snprintf(args[kind][starve], sizeof(args[0][0]), "%s%s", kinds[kind],
		 starve ? "+starve" : "");
	arg = args[kind][starve];
	c.src_arg = arg;
	size_format(size, sz, sizeof(sz));
	snprintf(what, sizeof(what), "%s:%s %s %s", placements[place], arg,
		 regs[reg], sz);
	bench_progress(r, what);
	record_init(&out->rec, "migrate");
	out->res = (struct measure_result){ 0 };
	regcell_run(&c, &r->m, &out->rec, &out->res);
	add_counters(&out->rec, &obs, &loop, out->rec.status == STATUS_OK);
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

static int emit(struct bench_run *r, struct cell_out *out, int kind, int place,
		bool starve)
{
	int rc;

	/* The cell's identity, also when it could not run (the source
	 * says the same when it did): compare keys cells by it (thp and
	 * hugetlb-2m share a page size). */
	json_object_object_add(out->rec.extra, "placement",
			       json_object_new_string(placements[place]));
	json_object_object_add(out->rec.extra, "page_kind",
			       json_object_new_string(kinds[kind]));
	json_object_object_add(out->rec.extra, "starved",
			       json_object_new_boolean(starve));
	rc = bench_emit(r, &out->rec);
	cell_free(out);
	return rc;
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

/* One size, kind and registrar: the baseline first, then the others
 * measured against it; the baseline is kept only when asked for. */
static int run_group(struct bench_run *r, int k, uint64_t size, int g)
{
	const struct migrate_opts *o = r->b->o;
	struct cell_out out[NPLACE];
	bool ran[NPLACE] = { false };
	int rc = 0;

	for (int p = 0; p < NPLACE && !measure_stop; p++)
		if (p == 0 || o->place[p]) {
			run_one(r, &out[p], k, p, g, size, false);
			ran[p] = true;
		}
	for (int p = 1; p < NPLACE; p++)
		if (ran[p])
			compare(&out[p].rec, &out[0].rec);
	for (int p = 0; p < NPLACE; p++) {
		if (!ran[p])
			continue;
		if (o->place[p] && !rc)
			rc = emit(r, &out[p], k, p, false);
		else
			cell_free(&out[p]);
	}
	return rc;
}

static int run_all(struct bench_run *r)
{
	const struct migrate_opts *o = r->b->o;
	struct cell_out out;
	int rc = 0;

	r->total = count_cells(o);
	for (int k = 0; k < NKIND; k++)
		for (size_t si = 0; si < o->sizes.n; si++)
			for (int g = 0; g < NREG && !rc && !measure_stop; g++)
				if (o->kind[k] && o->reg[g])
					rc = run_group(r, k, o->sizes.v[si], g);
	/* hugetlb-2m whatever --pages says: the only kind starved safely. */
	for (int g = 0; g < NREG && o->starve; g++)
		for (int p = 1; p < NPLACE && !rc && !measure_stop; p++) {
			if (!o->reg[g] || !o->place[p])
				continue;
			run_one(r, &out, 2, p, g, o->starve_size, true);
			rc = emit(r, &out, 2, p, true);
		}
	return rc;
}

/* ------------------------------------------------------------ the table */

static void title(FILE *f, json_object *first)
{
	fprintf(f,
		"mrbench migrate on %s: long-term registration (median) of memory placed\n"
		"outside ZONE_MOVABLE and CMA (normal), in ZONE_MOVABLE, in CMA; RATIO and\n"
		"NS/MIGR.PG against normal; BEFORE/AFTER: pages by zone before the pin and\n"
		"after it (CMA pages are also counted in their zone)\n",
		view_str(first, "kernel"));
}

/* A table per page kind, and one for the starved cells. */
static void section(json_object *flat, char *buf, size_t len)
{
	const char *kind = view_str(flat, "page_kind");
	int k = 0;

	while (k < NKIND - 1 && strcmp(kinds[k], kind))
		k++;
	snprintf(buf, len, "%s%s", kind_titles[k],
		 view_num(flat, "starved") > 0 ?
			 ", target zones starved: the migration cannot succeed" :
			 "");
}

static void ratio(json_object *flat, char *buf, size_t len)
{
	double v = view_num(flat, "ratio_to_normal");

	if (!strcmp(view_str(flat, "placement"), "normal") &&
	    !strcmp(view_str(flat, "status"), "ok"))
		snprintf(buf, len, "base");
	else if (v < 0)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.2f", v);
}

/* Where the pages are after the pin, or why the cell has no figures. */
static void after(json_object *flat, char *buf, size_t len)
{
	const char *st = view_str(flat, "status"), *err = view_str(flat, "errno"),
		   *where = view_str(flat, "where_after");

	if (strcmp(st, "ok"))
		snprintf(buf, len, "%s%s%s: %s", st, *err ? " " : "", err,
			 view_str(flat, "reason"));
	else
		snprintf(buf, len, "%s", *where ? where : "-");
}

static const struct column migrate_columns[] = {
	COL("SIZE", -6, "size", COL_SIZE),
	COL("REG", -8, "reg", COL_TEXT),
	COL("PLACED", -8, "placement", COL_TEXT),
	COL("BEFORE", -24, "where_before", COL_TEXT),
	COL("REG p50", 10, "reg_ns_p50", COL_NS),
	COL_FN("RATIO", 7, ratio),
	COL("MIGRATED", 8, "migrated", COL_WHOLE),
	COL("FAILED", 7, "migrate_failed", COL_WHOLE),
	COL("NS/MIGR.PG", 10, "ns_per_migrated_page", COL_WHOLE),
	COL_FN("AFTER", 0, after),
	COL_END,
};

/* The table compares cells: it is printed at the end, by page kind. */
static const struct view migrate_view = {
	.cols = migrate_columns,
	.title = title,
	.section = section,
	.more = &view_reg_phases,
};

/* ------------------------------------------------------------ main */

/* The regular cells need the device, the io_uring ones none; without
 * it the regular cells are unsupported, and the run goes on. */
static enum bench_device device(const void *v)
{
	return ((const struct migrate_opts *)v)->reg[0] ? BENCH_DEVICE_SOME :
							  BENCH_DEVICE_NONE;
}

static void defaults(void *v)
{
	struct migrate_opts *o = v;
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

static void teardown(struct bench_run *r)
{
	size_list_free(&((struct migrate_opts *)r->b->o)->sizes);
}

static struct migrate_opts opts;

static const struct bench migrate_bench = {
	.name = "migrate",
	.usage =
		"Time long-term registrations that must first migrate pages out of\n"
		"ZONE_MOVABLE or CMA, against the same registration of normal memory.\n",
	.opts_title = "Scenario",
	.opts = migrate_opt_table,
	.o = &opts,
	.defaults = defaults,
	.measures = true,
	.breaks_down = true,
	.device = device,
	.no_device = "the regular cells are unsupported",
	.run = run_all,
	.teardown = teardown,
	.view = &migrate_view,
	.unit = "cells",
};

int main(int argc, char **argv)
{
	return bench_main(&migrate_bench, argc, argv);
}
