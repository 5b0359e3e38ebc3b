// SPDX-License-Identifier: GPL-2.0
/*
 * odp-first-touch: what an ODP page fault costs the device. Each sampled
 * page is reached by one RDMA operation in one of four states, each on a
 * fresh region: "cold" (never touched: the device fault allocates the
 * page), "cpu" (written by the CPU, not yet mapped for the device),
 * "present" (already faulted in by an earlier device access) and
 * "prefetched" (ibv_advise_mr before the access). A fault that had to
 * allocate shows in /proc/vmstat pgfault: hmm_range_fault goes through
 * handle_mm_fault, which counts it like a CPU fault.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/xalloc.h"
#include "fault/fault.h"
#include "cli/size.h"
#include "measure/measure.h"

enum touch_state { COLD, CPU, PRESENT, PREFETCHED, NSTATES };
static const char *const state_names[] = { "cold", "cpu", "present",
					   "prefetched" };

struct touch {
	struct fault_env *env;
	const char *mem, *arg;
	bool implicit;
	enum qp_op op;
	size_t stride, region;
	uint64_t *ns[NSTATES];
	double faults_per_op[NSTATES];
	size_t bad;
	int prefetch_err;
	json_object *hw;
	char err[300];
};

/* The device's own counters (rxe: packets, retries; mlx5 adds ODP ones). */
static json_object *hw_counters(const struct verbs_ctx *v)
{
	char dir[256], path[512];
	json_object *o = json_object_new_object();
	struct dirent *d;
	DIR *dp;

	snprintf(dir, sizeof(dir),
		 "/sys/class/infiniband/%s/ports/%d/hw_counters", v->dev_name,
		 v->port);
	if (!(dp = opendir(dir)))
		return o;
	while ((d = readdir(dp))) {
		unsigned long long val;
		FILE *f;

		if (d->d_name[0] == '.' || !strcmp(d->d_name, "lifespan"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		if (!(f = fopen(path, "r")))
			continue;
		if (fscanf(f, "%llu", &val) == 1)
			json_object_object_add(
				o, d->d_name,
				json_object_new_int64((int64_t)val));
		fclose(f);
	}
	closedir(dp);
	return o;
}

/* Counters that moved, and which of them speak of ODP at all. */
static void hw_delta(json_object *a, json_object *b, json_object *extra)
{
	json_object *d = json_object_new_object(),
		    *odp = json_object_new_array();

	json_object_object_foreach(b, k, vb)
	{
		json_object *va;
		int64_t diff;

		if (strstr(k, "odp") || strstr(k, "fault") ||
		    strstr(k, "prefetch") || strstr(k, "invalidat"))
			json_object_array_add(odp, json_object_new_string(k));
		if (!json_object_object_get_ex(a, k, &va))
			continue;
		diff = json_object_get_int64(vb) - json_object_get_int64(va);
		if (diff)
			json_object_object_add(d, k,
					       json_object_new_int64(diff));
	}
	json_object_object_add(extra, "hw_counter_deltas", d);
	json_object_object_add(extra, "odp_hw_counters", odp);
}

/* One state: fresh region and MR, set up as the state says, timed pass. */
static int run_state(struct touch *t, enum touch_state st, struct record *rec)
{
	struct fault_env *env = t->env;
	struct fault_region fr;
	struct ibv_mr *mr;
	struct kstat_window w;
	long long faults;
	uint64_t *scratch = xmalloc(env->o->samples * sizeof(*scratch));
	json_object *hw0 = NULL;
	size_t bad = 0, n = env->o->samples;
	int tag = t->op == QP_WRITE ? 2 : st == CPU ? 1 : 0, rc = 0;

	if (fault_alloc(t->mem, t->arg, t->region, &fr, t->err,
			sizeof(t->err))) {
		free(scratch);
		return -2;
	}
	rec->page_size = fr.r.page_size;
	mr = fault_odp_reg(env, fr.r.addr, fr.r.size, t->implicit, &rc);
	if (!mr) {
		snprintf(t->err, sizeof(t->err), "ODP registration failed: %s",
			 strerror(rc));
		goto out;
	}
	if (st == CPU)
		for (size_t i = 0; i < n; i++)
			fault_fill((char *)fr.r.addr + i * t->stride,
				   env->o->op_size, i * t->stride, 1);
	if (st == PRESENT)
		rc = fault_pass(env, mr, fr.r.addr, t->stride, n, t->op, tag,
				scratch, &bad, t->err, sizeof(t->err));
	if (st == PREFETCHED) {
		t->prefetch_err =
			fault_odp_prefetch(env, mr, fr.r.addr, fr.r.size);
		if (t->prefetch_err) {
			ibv_dereg_mr(mr);
			goto out;
		}
	}
	if (st == COLD)
		hw0 = hw_counters(env->reg.verbs);
	kstat_window_open(&w);
	if (!rc)
		rc = fault_pass(env, mr, fr.r.addr, t->stride, n, t->op, tag,
				t->ns[st], &bad, t->err, sizeof(t->err));
	kstat_window_close(&w);
	faults = (long long)kstat_window_per(&w, KSTAT_PGFAULT, 1);
	if (hw0) {
		json_object *hw1 = hw_counters(env->reg.verbs);

		hw_delta(hw0, hw1, rec->extra);
		json_object_put(hw0);
		json_object_put(hw1);
	}
	t->faults_per_op[st] = faults >= 0 ? (double)faults / (double)n : -1;
	/* What the device wrote must be what the CPU now reads. */
	for (size_t i = 0; !rc && t->op == QP_WRITE && i < n; i++)
		bad += fault_check((char *)fr.r.addr + i * t->stride,
				   env->o->op_size, i * t->stride,
				   (uint8_t)tag) >= 0;
	t->bad += bad;
	ibv_dereg_mr(mr);
out:
	fault_free(&fr);
	free(scratch);
	return rc ? -1 : 0;
}

static void summarise(struct touch *t, struct record *rec, char *fig,
		      size_t len)
{
	json_object *lat = json_object_new_object(),
		    *pf = json_object_new_object();
	size_t n = t->env->o->samples, used = 0;
	double p50[NSTATES];
	const char *verdict;

	for (int st = 0; st < NSTATES; st++) {
		bool have = st != PREFETCHED || !t->prefetch_err;
		char a[16];

		p50[st] = have ? fault_p50(t->ns[st], n) : -1;
		json_object_object_add(lat, state_names[st],
				       have ? fault_stats_json(t->ns[st], n) :
					      NULL);
		json_object_object_add(
			pf, state_names[st],
			have && t->faults_per_op[st] >= 0 ?
				json_object_new_double(t->faults_per_op[st]) :
				NULL);
		ns_format(p50[st], a, sizeof(a));
		used += (size_t)snprintf(fig + used, len - used, "%s%s %s",
					 st ? ", " : "", state_names[st],
					 have ? a : "n/a");
	}
	snprintf(fig + used, len - used, " (p50); pgfault/op cold %.2f",
		 t->faults_per_op[COLD]);
	json_object_object_add(
		rec->extra, "op",
		json_object_new_string(t->op == QP_READ ? "read" : "write"));
	json_object_object_add(rec->extra, "latency_ns", lat);
	json_object_object_add(rec->extra, "pgfault_per_op", pf);
	json_object_object_add(rec->extra, "data_ok",
			       json_object_new_boolean(!t->bad));
	json_object_object_add(rec->extra, "data_errors",
			       json_object_new_int64((int64_t)t->bad));
	json_object_object_add(
		rec->extra, "prefetch",
		json_object_new_string(
			!t->prefetch_err ?
				"ok" :
			t->prefetch_err == EOPNOTSUPP ?
				"unsupported: the provider does not implement ibv_advise_mr" :
				strerror(t->prefetch_err)));
	if (t->bad)
		verdict = "data-wrong";
	else if (p50[COLD] > p50[PRESENT] &&
		 (t->prefetch_err || p50[COLD] > p50[PREFETCHED]))
		verdict = "first-touch-slower";
	else
		verdict = "no-first-touch-penalty";
	fault_verdict(rec, verdict);
}

/*
 * Every sample on its own page: the stride is the page size backing the
 * source, learnt from a region of one base page, which THP and hugetlb
 * round up to a huge page. A source that cannot give one here is an
 * unsupported cell, with its reason.
 */
static int page_stride(struct touch *t)
{
	struct fault_region fr;

	if (fault_alloc(t->mem, t->arg, mem_base_page(), &fr, t->err,
			sizeof(t->err)))
		return -2;
	t->stride = fr.r.page_size;
	fault_free(&fr);
	return 0;
}

static int one_cell(struct fault_env *env, const char *scen, const char *mem,
		    const char *arg, bool implicit, enum qp_op op)
{
	struct touch t = { .env = env,
			   .mem = mem,
			   .arg = arg,
			   .implicit = implicit,
			   .op = op };
	struct record rec;
	char fig[300] = "";
	int rc;

	fault_record(&rec, scen, op == QP_READ ? "read" : "write");
	rec.mem = mem;
	rec.reg = implicit ? "odp-implicit" : "odp";
	rec.access = "lw+rr+rw";
	rec.prefault = false;
	rc = page_stride(&t);
	t.region = t.stride * env->o->samples;
	rec.size = t.region;
	rec.pages = t.region / mem_base_page();
	for (int st = 0; st < NSTATES; st++)
		t.ns[st] = xcalloc(env->o->samples, sizeof(uint64_t));
	for (int st = 0; st < NSTATES && !rc; st++)
		rc = run_state(&t, st, &rec);
	if (rc == -2) {
		fault_verdict(&rec, "unsupported");
		record_set_status(&rec, STATUS_UNSUPPORTED, 0, "%s", t.err);
	} else if (rc) {
		fault_verdict(&rec, "failed");
		record_set_status(&rec, STATUS_FAILED, EIO, "%s", t.err);
	} else {
		summarise(&t, &rec, fig, sizeof(fig));
	}
	for (int st = 0; st < NSTATES; st++)
		free(t.ns[st]);
	return fault_emit(env, &rec, fig);
}

/* The next NAME[:ARG] of a comma list, split in place; NULL at its end. */
static char *next_mem(char *list, char **save, char **arg)
{
	char *m = strtok_r(list, ",", save);

	*arg = m ? strchr(m, ':') : NULL;
	if (*arg)
		*(*arg)++ = '\0';
	return m;
}

int fault_mems_check(const char *list, char *err, size_t errlen)
{
	char *mems = xstrdup(list), *save = NULL, *arg, *m;
	int rc = 0;

	for (m = next_mem(mems, &save, &arg); m && !rc;
	     m = next_mem(NULL, &save, &arg)) {
		size_t used;

		if (mem_source_find(m))
			continue;
		used = (size_t)snprintf(
			err, errlen,
			"invalid memory source '%s': expected one of", m);
		for (const struct mem_source *const *s = mem_sources;
		     *s && used < errlen; s++)
			used += (size_t)snprintf(
				err + used, errlen - used, "%s %s",
				s == mem_sources ? "" : ",", (*s)->name);
		rc = -1;
	}
	free(mems);
	return rc;
}

int fault_odp_touch_cells(struct fault_env *env, bool implicit)
{
	const char *scen = implicit ? "odp-implicit" : "odp-first-touch";
	char reason[300], *mems, *save = NULL, *arg, *m;
	int rc = 0;

	if (fault_odp_probe(env, implicit, reason, sizeof(reason)))
		return fault_unsupported(
			env, scen, implicit ? "odp-implicit" : "odp", reason);
	mems = xstrdup(env->o->mems);
	for (m = next_mem(mems, &save, &arg); m && !rc && !measure_stop;
	     m = next_mem(NULL, &save, &arg)) {
		rc = one_cell(env, scen, m, arg, implicit, QP_READ);
		if (!rc)
			rc = one_cell(env, scen, m, arg, implicit, QP_WRITE);
	}
	free(mems);
	return rc;
}

static int first_touch_run(struct fault_env *env)
{
	return fault_odp_touch_cells(env, false);
}

const struct fault_scenario fault_odp_first_touch = {
	.name = "odp-first-touch",
	.help = "ODP RDMA latency on pages cold, CPU-present, device-present, prefetched",
	.flags = FAULT_NEEDS_QP,
	.run = first_touch_run,
};
