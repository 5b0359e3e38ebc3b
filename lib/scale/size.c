// SPDX-License-Identifier: GPL-2.0
/*
 * The size axis: one source and registrar, sizes doubling from one page
 * to the most this machine can register (3/4 of MemAvailable, the
 * device's max_mr_size, RLIMIT_MEMLOCK) or --max, prefaulted and
 * untouched. Every run's sweep is fitted on its own (model.c), and the
 * runs' fits give the prediction for a size beyond the machine with the
 * interval a next run would fall in: a prediction, printed as one.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/size.h"
#include "measure/fit.h"
#include "out/table.h"
#include "scale/model.h"
#include "scale/scale.h"

/* The largest size to try, and where it comes from. */
static uint64_t largest(const struct bench_run *r, const struct scale_opts *o,
			char *why, size_t len)
{
	uint64_t avail = fit_meminfo("MemAvailable") / 4 * 3;
	uint64_t s = mem_base_page();
	char reason[256], a[16];

	if (o->max) {
		snprintf(why, len, "--max");
		return o->max;
	}
	/* A quarter is left to the kernel and the rest of the system. */
	while (s * 2 <= avail &&
	       !fit_check(s * 2, o->src->from_pool, o->reg->flags & REG_MEMLOCK,
			  r->env.verbs, reason, sizeof(reason)))
		s *= 2;
	size_format(avail, a, sizeof(a));
	if (s * 2 <= avail)
		snprintf(why, len, "%s", reason);
	else
		snprintf(why, len, "3/4 of MemAvailable is %s", a);
	return s;
}

static int size_run(struct bench_run *r, const struct scale_opts *o,
		    struct scale_points *pts)
{
	char why[256], sz[16], what[96];
	uint64_t max = largest(r, o, why, sizeof(why));
	int lo = o->prefault == 2 ? 0 : o->prefault;
	int hi = o->prefault == 2 ? 1 : o->prefault;
	unsigned nsizes = 0;
	int rc = 0;

	for (uint64_t s = mem_base_page(); s <= max; s *= 2)
		nsizes++;
	size_format(max, sz, sizeof(sz));
	fprintf(stderr, "%s: sizes up to %s (%s)\n", cli_prog, sz, why);
	r->total = nsizes * (unsigned)(hi - lo + 1);
	for (int pf = hi; pf >= lo && !rc; pf--)
		for (uint64_t s = mem_base_page();
		     s <= max && !rc && !measure_stop; s *= 2) {
			struct measure_result res;
			struct regcell c;
			struct record rec;

			scale_cell(r, o, &c);
			c.size = s;
			c.prefault = pf;
			size_format(s, sz, sizeof(sz));
			snprintf(what, sizeof(what), "%s %s %s%s", o->src->name,
				 o->reg->name, sz, pf ? " prefault" : "");
			bench_progress(r, what);
			record_init(&rec, "scale");
			regcell_run(&c, &r->m, &rec, &res);
			json_object_object_add(rec.extra, "axis",
					       json_object_new_string("size"));
			rc = scale_emit(r, &rec, pts);
			record_free(&rec);
			measure_result_free(&res);
		}
	return rc;
}

/* A number out of a record: key, or key.sub; NAN when absent. */
static double num(json_object *rec, const char *key, const char *sub)
{
	json_object *v;

	if (!json_object_object_get_ex(rec, key, &v) || !v)
		return NAN;
	if (sub && (!json_object_object_get_ex(v, sub, &v) || !v))
		return NAN;
	return json_object_get_double(v);
}

#define MAX_RUNS   64
#define MAX_POINTS 64

/* One operation's model in one mode, from every run. */
struct fitted {
	bool prefault;
	const char *op; /* "reg_ns", "dereg_ns" */
	struct model_fit run[MAX_RUNS];
	long index[MAX_RUNS];
	double largest[MAX_RUNS]; /* pages */
	size_t nruns;
};

/* Each run's points of one mode and operation, fitted. */
static void fit_runs(const struct scale_points *pts, struct fitted *fd)
{
	long runs[MAX_RUNS];
	size_t nr = 0;

	for (size_t i = 0; i < pts->n; i++) {
		long k = (long)num(pts->rec[i], "run_index", NULL);
		size_t j = 0;

		while (j < nr && runs[j] != k)
			j++;
		if (j == nr && nr < MAX_RUNS)
			runs[nr++] = k;
	}
	fd->nruns = 0;
	for (size_t j = 0; j < nr; j++) {
		struct model_point p[MAX_POINTS];
		size_t n = 0;

		for (size_t i = 0; i < pts->n && n < MAX_POINTS; i++) {
			json_object *rec = pts->rec[i], *v;

			if ((long)num(rec, "run_index", NULL) != runs[j] ||
			    !json_object_object_get_ex(rec, "prefault", &v) ||
			    json_object_get_boolean(v) != fd->prefault ||
			    !json_object_object_get_ex(rec, "status", &v) ||
			    strcmp(json_object_get_string(v), "ok"))
				continue;
			p[n].pages = num(rec, "pages", NULL);
			p[n].ns = num(rec, fd->op, "p50");
			n += p[n].ns > 0 && p[n].pages > 0;
		}
		if (model_fit(p, n, &fd->run[fd->nruns]))
			continue;
		fd->index[fd->nruns] = runs[j];
		fd->largest[fd->nruns++] = p[n - 1].pages;
	}
}

/* mean and interval of one figure across the runs, into o and v. */
static void across(const struct fitted *fd,
		   double (*get)(const struct model_fit *, double), double at,
		   double *v, json_object *o, const char *key)
{
	json_object *j = json_object_new_object();
	double mean, lo, hi;

	for (size_t k = 0; k < fd->nruns; k++)
		v[k] = get(&fd->run[k], at);
	model_interval(v, fd->nruns, &mean, &lo, &hi);
	json_object_object_add(j, "mean", json_num6(mean));
	json_object_object_add(j, "lo", json_num6(lo));
	json_object_object_add(j, "hi", json_num6(hi));
	json_object_object_add(o, key, j);
	v[0] = mean;
	v[1] = lo;
	v[2] = hi;
}

static double get_fixed(const struct model_fit *f, double at)
{
	return f->fixed_ns;
}

static double get_per_page(const struct model_fit *f, double at)
{
	return f->bend_pages > 0 ? f->after_ns : f->per_page_ns;
}

static double get_predicted(const struct model_fit *f, double at)
{
	return model_predict(f, at);
}

/* A time, with a decimal below a microsecond: per-page costs are tens of ns. */
static void fmt_ns(double ns, char *buf, size_t len)
{
	if (ns < 1000)
		snprintf(buf, len, "%.1f ns", ns);
	else
		ns_format(ns, buf, len);
}

/* "1.23 s [1.10 s, 1.36 s]", or without the interval when there is none. */
static void fmt_interval(const double *v, char *buf, size_t len)
{
	char m[16], lo[16], hi[16];

	fmt_ns(v[0], m, sizeof(m));
	if (isnan(v[1])) {
		snprintf(buf, len, "%s", m);
		return;
	}
	fmt_ns(v[1] > 0 ? v[1] : 0, lo, sizeof(lo));
	fmt_ns(v[2], hi, sizeof(hi));
	snprintf(buf, len, "%s [%s, %s]", m, lo, hi);
}

/* A size read by a person, to two or three figures: "195K", "1.5G". */
static void fmt_bytes(double b, char *buf, size_t len)
{
	static const char unit[] = "BKMGTP";
	int u = 0;

	while (b >= 1024 && u < 5) {
		b /= 1024;
		u++;
	}
	snprintf(buf, len, b < 10 && u ? "%.1f%c" : "%.0f%c", b, unit[u]);
	if (!u)
		buf[strlen(buf) - 1] = '\0';
}

/* One mode's and operation's model: a row for a person, JSON for a program. */
static void summarise_one(const struct scale_opts *o, struct fitted *fd,
			  struct table *t, json_object *models)
{
	double pages = (double)o->predict / (double)mem_base_page();
	double fixed[MAX_RUNS], per[MAX_RUNS], pred[MAX_RUNS];
	json_object *m = json_object_new_object(),
		    *runs = json_object_new_array();
	char f[48], p[48], pr[64], bend[16], knee[16], err[16], big[16];
	double bend_max = 0, err_max = 0, knee_mean = 0, largest = 0;

	for (size_t k = 0; k < fd->nruns; k++) {
		const struct model_fit *x = &fd->run[k];
		json_object *j = json_object_new_object();

		json_object_object_add(j, "run_index",
				       json_object_new_int64(fd->index[k]));
		json_object_object_add(j, "fixed_ns", json_num6(x->fixed_ns));
		json_object_object_add(j, "per_page_ns",
				       json_num6(x->per_page_ns));
		json_object_object_add(
			j, "bend_bytes",
			x->bend_pages > 0 ?
				json_object_new_int64(
					(int64_t)(x->bend_pages *
						  (double)mem_base_page())) :
				NULL);
		json_object_object_add(
			j, "per_page_after_bend_ns",
			x->bend_pages > 0 ? json_num6(x->after_ns) : NULL);
		json_object_object_add(j, "rel_rms", json_num6(x->rel_rms));
		json_object_object_add(j, "points",
				       json_object_new_int((int)x->n));
		json_object_object_add(
			j, "largest_bytes",
			json_object_new_int64(
				(int64_t)(fd->largest[k] *
					  (double)mem_base_page())));
		json_object_array_add(runs, j);
		bend_max = fmax(bend_max, x->bend_pages);
		err_max = fmax(err_max, x->rel_rms);
		knee_mean += model_knee(x) / (double)fd->nruns;
		largest = fmax(largest, fd->largest[k]);
	}
	json_object_object_add(m, "prefault",
			       json_object_new_boolean(fd->prefault));
	json_object_object_add(m, "op", json_object_new_string(fd->op));
	json_object_object_add(m, "runs", runs);
	across(fd, get_fixed, 0, fixed, m, "fixed_ns");
	across(fd, get_per_page, 0, per, m, "per_page_ns");
	across(fd, get_predicted, pages, pred, m, "predicted_ns");
	json_object_object_add(
		m, "knee_bytes",
		json_object_new_int64(
			(int64_t)(knee_mean * (double)mem_base_page())));
	json_object_object_add(m, "prediction", json_object_new_boolean(true));
	json_object_array_add(models, m);

	fmt_interval(fixed, f, sizeof(f));
	fmt_interval(per, p, sizeof(p));
	fmt_interval(pred, pr, sizeof(pr));
	if (bend_max > 0)
		fmt_bytes(bend_max * (double)mem_base_page(), bend,
			  sizeof(bend));
	else
		snprintf(bend, sizeof(bend), "-");
	fmt_bytes(knee_mean * (double)mem_base_page(), knee, sizeof(knee));
	snprintf(err, sizeof(err), "%.1f%%", err_max * 100);
	size_format((uint64_t)(largest * (double)mem_base_page()), big,
		    sizeof(big));
	table_add(t, (const char *const[]){ fd->prefault ? "yes" : "no",
					    strcmp(fd->op, "reg_ns") ? "dereg" :
								       "reg",
					    f, p, bend, knee, err, big, pr });
}

static int size_summarise(const struct scale_opts *o,
			  const struct scale_points *pts, FILE *out,
			  json_object *doc)
{
	static const char *const cols[] = {
		"PREFAULT", "OP",	">FIXED",   ">PER PAGE",  ">BEND",
		">KNEE",    ">FIT ERR", ">LARGEST", ">PREDICTED", NULL
	};
	static struct fitted fd; /* large: not on the stack */
	json_object *models = json_object_new_array();
	char head[16], predicted[32];
	struct table t;
	size_t nruns = 0;

	size_format(o->predict, head, sizeof(head));
	snprintf(predicted, sizeof(predicted), ">%s (PREDICTED)", head);
	const char *c[10];

	memcpy(c, cols, sizeof(cols));
	c[8] = predicted;
	table_init(&t, c);
	for (int pf = 1; pf >= 0; pf--)
		for (int op = 0; op < 2; op++) {
			fd = (struct fitted){ .prefault = pf,
					      .op = op ? "dereg_ns" :
							 "reg_ns" };
			fit_runs(pts, &fd);
			if (!fd.nruns)
				continue;
			nruns = fd.nruns > nruns ? fd.nruns : nruns;
			summarise_one(o, &fd, &t, models);
		}
	json_object_object_add(doc, "predict_bytes",
			       json_object_new_int64((int64_t)o->predict));
	json_object_object_add(doc, "models", models);
	if (!t.nrows) {
		fprintf(out,
			"\nNo model: a sweep needs three sizes that registered.\n");
		table_free(&t);
		return 0;
	}
	fprintf(out,
		"\nModel per run: time = fixed + per page x pages (one bend at most),\n"
		"fitted by relative error. %zu run%s; %s\n",
		nruns, nruns == 1 ? "" : "s",
		nruns > 1 ? "[lo, hi]: where a next run falls, 95%." :
			    "one run gives no interval (--runs 3).");
	table_print(&t, out, false);
	fprintf(out,
		"PER PAGE is past the bend. KNEE: where the pages cost the fixed cost.\n"
		"PREDICTED is a prediction beyond the largest size measured, not a measurement.\n");
	table_free(&t);
	return 0;
}

const struct scale_axis scale_size = {
	.name = "size",
	.help = "sizes doubling from one page to what fits; a fitted model",
	.runs = 3,
	.run = size_run,
	.summarise = size_summarise,
};
