// SPDX-License-Identifier: GPL-2.0
/*
 * Concurrent registration. The controlling thread and the workers meet at
 * a barrier between every phase of a round (prepare, register, snapshot,
 * deregister), so the clock of every worker brackets its own operation
 * only, and the controller reads the counters while nothing runs.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "kstat.h"
#include "regthreads.h"

struct shared {
	const struct regcell *c;
	pthread_mutex_t gate; /* held while the workers are being created */
	pthread_barrier_t bar;
	volatile bool stop;
	size_t round;	 /* the round being run */
	size_t keep_from; /* rounds before this are warm-up */
	size_t cap;	 /* room for this many kept rounds */
};

struct worker {
	struct shared *sh;
	struct mem_region *r;
	pthread_t tid;
	uint64_t *reg_ns, *dereg_ns;
	int err;
	const char *failed_what;
};

static void wait_all(struct shared *sh)
{
	pthread_barrier_wait(&sh->bar);
}

static void one_round(struct worker *w)
{
	const struct regcell *c = w->sh->c;
	size_t k = w->sh->round - w->sh->keep_from;
	void *handle = NULL;
	uint64_t t0, t1, t2;
	int rc = 0;

	if (!w->err && !c->prefault && (rc = c->src->discard(w->r)))
		w->failed_what = "preparation";
	wait_all(w->sh); /* everyone prepared */
	t0 = clock_ns();
	if (!w->err && !rc && (rc = c->reg->reg(c->env, w->r, c->access, &handle)))
		w->failed_what = c->reg->name;
	t1 = clock_ns();
	wait_all(w->sh); /* everyone registered */
	wait_all(w->sh); /* the controller has read the counters */
	if (!w->err && !rc && (rc = c->reg->dereg(handle)))
		w->failed_what = "deregistration";
	t2 = clock_ns();
	if (rc && !w->err)
		w->err = rc;
	if (!w->err && w->sh->round >= w->sh->keep_from && k < w->sh->cap) {
		w->reg_ns[k] = t1 - t0;
		w->dereg_ns[k] = t2 - t1;
	}
	wait_all(w->sh); /* everyone deregistered */
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;

	/* If creating a sibling failed, the barrier would never fill. */
	pthread_mutex_lock(&w->sh->gate);
	pthread_mutex_unlock(&w->sh->gate);
	if (w->sh->stop)
		return NULL;
	for (;;) {
		wait_all(w->sh); /* the controller decided whether to go on */
		if (w->sh->stop)
			return NULL;
		one_round(w);
	}
}

static int any_error(struct worker *w, unsigned n, struct regpass *pass)
{
	for (unsigned i = 0; i < n; i++)
		if (w[i].err) {
			pass->err = w[i].err;
			pass->failed_what = w[i].failed_what;
			return 1;
		}
	return 0;
}

static double delta(const struct kstat_snap *a, const struct kstat_snap *b,
		    enum kstat_id id, unsigned n)
{
	return a->have[id] && b->have[id] ? (double)(b->v[id] - a->v[id]) / n : -1;
}

/* The controller's side of one round; round 0 is observed. */
static void control_round(struct shared *sh, unsigned n, struct record *rec,
			  struct kstat_snap *k)
{
	bool observed = sh->round == 0;

	if (observed)
		kstat_snapshot(&k[0]);
	wait_all(sh); /* prepared */
	wait_all(sh); /* registered */
	if (observed)
		kstat_snapshot(&k[1]);
	wait_all(sh); /* go deregister */
	wait_all(sh); /* deregistered */
	if (observed) {
		kstat_snapshot(&k[2]);
		rec->pins = delta(&k[0], &k[1], KSTAT_FOLL_PIN_ACQUIRED, n);
		rec->unpins = delta(&k[0], &k[2], KSTAT_FOLL_PIN_RELEASED, n);
		rec->migrated = delta(&k[0], &k[1], KSTAT_PGMIGRATE_SUCCESS, n);
		rec->migrate_failed = delta(&k[0], &k[1], KSTAT_PGMIGRATE_FAIL, n);
	}
}

static bool enough(const struct measure_opts *m, size_t kept, uint64_t elapsed,
		   size_t cap)
{
	return measure_stop || kept >= cap ||
	       (kept >= m->min_iters && elapsed >= (uint64_t)(m->min_time * 1e9)) ||
	       (kept >= 2 && elapsed >= (uint64_t)(m->max_time * 1e9));
}

static int alloc_samples(struct worker *w, unsigned n, size_t cap)
{
	for (unsigned i = 0; i < n; i++) {
		w[i].reg_ns = calloc(cap, sizeof(uint64_t));
		w[i].dereg_ns = calloc(cap, sizeof(uint64_t));
		if (!w[i].reg_ns || !w[i].dereg_ns)
			return ENOMEM;
	}
	return 0;
}

/* Merge the workers' samples; a round's wall time is its slowest worker. */
static int merge(struct worker *w, unsigned n, size_t kept, struct regpass *pass)
{
	struct measure_result *res = &pass->res;

	res->a_ns = malloc(kept * n * sizeof(uint64_t));
	res->b_ns = malloc(kept * n * sizeof(uint64_t));
	pass->round_ns = calloc(kept, sizeof(uint64_t));
	if (!res->a_ns || !res->b_ns || !pass->round_ns)
		return ENOMEM;
	for (size_t k = 0; k < kept; k++)
		for (unsigned i = 0; i < n; i++) {
			res->a_ns[k * n + i] = w[i].reg_ns[k];
			res->b_ns[k * n + i] = w[i].dereg_ns[k];
			if (w[i].reg_ns[k] > pass->round_ns[k])
				pass->round_ns[k] = w[i].reg_ns[k];
		}
	res->n = kept * n;
	pass->rounds = kept;
	return 0;
}

int regthreads_run(const struct regcell *c, struct mem_region *regions,
		   unsigned n, const struct measure_opts *m, struct record *rec,
		   struct regpass *pass)
{
	struct shared sh = { .c = c, .keep_from = 1 + m->warmup,
			     .gate = PTHREAD_MUTEX_INITIALIZER };
	struct worker w[REGTHREADS_MAX] = { 0 };
	struct kstat_snap k[3], l0, l1;
	uint64_t start = 0;
	unsigned started = 0;
	size_t kept = 0;

	memset(pass, 0, sizeof(*pass));
	sh.cap = m->max_samples / n ? m->max_samples / n : 1;
	if ((pass->err = alloc_samples(w, n, sh.cap)))
		goto out;
	pthread_barrier_init(&sh.bar, NULL, n + 1);
	pthread_mutex_lock(&sh.gate);
	for (; started < n; started++) {
		w[started] = (struct worker){ .sh = &sh, .r = &regions[started],
					      .reg_ns = w[started].reg_ns,
					      .dereg_ns = w[started].dereg_ns };
		if (pthread_create(&w[started].tid, NULL, worker_main, &w[started]))
			break;
	}
	if (started < n) {
		pass->err = EAGAIN;
		pass->failed_what = "thread creation";
		sh.stop = true;
	}
	pthread_mutex_unlock(&sh.gate);
	if (sh.stop)
		goto join;
	for (sh.round = 0;; sh.round++) {
		if (sh.round == sh.keep_from) {
			kstat_snapshot(&l0);
			start = clock_ns();
		}
		kept = sh.round > sh.keep_from ? sh.round - sh.keep_from : 0;
		sh.stop = any_error(w, n, pass) ||
			  (start && enough(m, kept, clock_ns() - start, sh.cap));
		wait_all(&sh);
		if (sh.stop)
			break;
		control_round(&sh, n, rec, k);
	}
	if (!pass->err) {
		kstat_snapshot(&l1);
		json_object_object_add(rec->extra, "loop_counters",
			regcell_loop_json(&l0, &l1, kept * n));
		pass->res.interrupted = measure_stop;
		pass->err = merge(w, n, kept, pass);
	}
join:
	for (unsigned i = 0; i < started; i++)
		pthread_join(w[i].tid, NULL);
	pthread_barrier_destroy(&sh.bar);
out:
	for (unsigned i = 0; i < n; i++) {
		free(w[i].reg_ns);
		free(w[i].dereg_ns);
	}
	return pass->err ? -1 : 0;
}
