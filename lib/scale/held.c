// SPDX-License-Identifier: GPL-2.0
/*
 * The held axis: the cost of registering and deregistering one more
 * region while N are already registered, N a decade at a time from 1 to
 * --max-held, the device's max_mr or what memory allows. A registration
 * cache keeps thousands of MRs alive, and the driver's pools and
 * xarrays, the kernel's slab, grow with them: does one more cost more?
 *
 * The held regions are slices of one arena, allocated and prefaulted
 * once: one mapping per MR would stop at vm.max_map_count (65530). The
 * set grows from one point to the next; between two points the kernel's
 * own memory is read before and after, and what grew is given per MR.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/size.h"
#include "cli/xalloc.h"
#include "kernel/kmem.h"
#include "measure/clock.h"
#include "measure/fit.h"
#include "scale/scale.h"

/* The held set: slices of one arena, the first n registered. */
struct held {
	struct mem_region arena;
	bool have_arena;
	struct mem_region *slice;
	void **handle;
	size_t cap, n, opened;
	uint64_t size;
};

/* A point that did not run: its cell, with the reason. */
static void refused(const struct scale_opts *o, uint64_t size, int err,
		    const char *reason, struct record *rec)
{
	rec->mem = o->src->name;
	rec->reg = o->reg->name;
	rec->size = size;
	rec->access = o->access_name;
	rec->prefault = o->prefault != 0;
	rec->extra = json_object_new_object();
	record_set_status(rec, err ? STATUS_FAILED : STATUS_UNSUPPORTED, err,
			  "%s", reason);
}

/* Why nothing can be held here, or 0. */
static int cannot_hold(const struct bench_run *r, const struct scale_opts *o,
		       char *reason, size_t len)
{
	if (o->reg->unimplemented) {
		snprintf(reason, len, "%s", o->reg->unimplemented);
		return -1;
	}
	if (o->reg->flags & REG_NEEDS_VERBS && !r->env.verbs) {
		snprintf(reason, len, "no RDMA device");
		return -1;
	}
	if (o->reg->flags & REG_CONTEXT_PER_REGION) {
		snprintf(
			reason, len,
			"%s registers each region in a context of its own: N held would be N contexts, not N registrations on one",
			o->reg->name);
		return -1;
	}
	if (o->src->probe && o->src->probe(o->src, o->src_arg, reason, len))
		return -1;
	if (o->reg->probe && o->reg->probe(&r->env, reason, len))
		return -1;
	return 0;
}

/* The most regions to hold, and in why what limits it. */
static size_t held_cap(const struct bench_run *r, const struct scale_opts *o,
		       uint64_t size, char *why, size_t len)
{
	uint64_t avail = scale_room();
	size_t cap = o->max_held;
	char a[16], reason[256];

	snprintf(why, len, "--max-held");
	if (o->reg->flags & REG_NEEDS_VERBS && r->env.verbs) {
		uint64_t max_mr = r->env.verbs->attr.orig_attr.max_mr;
		/* Slack: the probe's own MR, and whatever else the device
		 * holds (other processes, the kernel's own). */
		uint64_t usable = max_mr - max_mr / 16 - 1;

		if (max_mr > 16 && usable < cap) {
			cap = (size_t)usable;
			snprintf(why, len, "%s's max_mr is %llu",
				 r->env.verbs->dev_name,
				 (unsigned long long)max_mr);
		}
	}
	/* The probe's region beside the held ones; a quarter of
	 * MemAvailable left to the kernel and the rest of the system. */
	if (!o->force && ((uint64_t)cap + 1) * size > avail &&
	    !o->src->from_pool) {
		cap = avail / size > 1 ? (size_t)(avail / size - 1) : 0;
		size_format(avail, a, sizeof(a));
		snprintf(why, len, "3/4 of MemAvailable is %s", a);
	}
	while (!o->force && cap &&
	       fit_check((uint64_t)cap * size, o->src->from_pool,
			 o->reg->flags & REG_MEMLOCK, NULL, reason,
			 sizeof(reason))) {
		cap /= 10;
		snprintf(why, len, "%s", reason);
	}
	return cap;
}

/* The arena for cap slices, allocated and prefaulted: 0 or an errno. */
static int arena_open(const struct bench_run *r, const struct scale_opts *o,
		      struct held *h, char *reason, size_t len, bool *unsup)
{
	size_t bytes = (size_t)h->cap * h->size;
	int rc;

	*unsup = false;
	if (o->src->probe_size &&
	    (rc = o->src->probe_size(o->src, o->src_arg, bytes, reason, len))) {
		*unsup = rc != ENOMEM;
		return rc;
	}
	h->arena = (struct mem_region){ .fd = -1,
					.dmabuf_fd = -1,
					.arg = o->src_arg };
	if ((rc = o->src->alloc(o->src, &h->arena, bytes))) {
		snprintf(reason, len,
			 "allocating the held regions' %zu bytes failed: %s",
			 bytes, strerror(rc));
		return rc;
	}
	h->have_arena = true;
	if (o->reg->prepare && o->reg->prepare(&h->arena, reason, len)) {
		*unsup = true;
		return EINVAL;
	}
	if ((rc = o->src->populate(&h->arena))) {
		snprintf(reason, len, "prefaulting the held regions failed: %s",
			 strerror(rc));
		return rc;
	}
	h->slice = xcalloc(h->cap, sizeof(*h->slice));
	h->handle = xcalloc(h->cap, sizeof(*h->handle));
	(void)r;
	return 0;
}

/*
 * Register slices until n are held, adding the time of each registration
 * to *ns: 0, or the errno of the one that failed (EINTR on a signal).
 */
static int grow(const struct bench_run *r, const struct scale_opts *o,
		struct held *h, size_t n, uint64_t *ns)
{
	for (; h->n < n; h->n++) {
		struct mem_region *s = &h->slice[h->n];
		uint64_t t0;
		int rc;

		if (measure_stop)
			return EINTR;
		*s = h->arena;
		s->addr = (char *)h->arena.addr + h->n * h->size;
		s->size = s->map_len = h->size;
		s->reg_priv = NULL;
		if ((rc = reg_open(o->reg, &r->env, s)))
			return rc;
		h->opened++;
		t0 = clock_ns();
		rc = o->reg->reg(&r->env, s, o->access, &h->handle[h->n]);
		*ns += clock_ns() - t0;
		if (rc)
			return rc;
	}
	return 0;
}

/* Every held region deregistered and the arena freed: also after a
 * failure or a signal. */
static void held_free(const struct scale_opts *o, struct held *h)
{
	for (size_t i = 0; i < h->n; i++)
		o->reg->dereg(h->handle[i]);
	for (size_t i = 0; i < h->opened; i++)
		reg_close(o->reg, &h->slice[i]);
	if (h->have_arena)
		o->src->free(&h->arena);
	free(h->slice);
	free(h->handle);
}

static int emit(struct bench_run *r, struct record *rec, size_t n,
		struct scale_points *pts)
{
	int rc;

	json_object_object_add(rec->extra, "axis",
			       json_object_new_string("held"));
	json_object_object_add(rec->extra, "held",
			       json_object_new_int64((int64_t)n));
	rc = scale_emit(r, rec, pts);
	record_free(rec);
	return rc;
}

/*
 * One point: grow the set to n, then the probe cell beside it. 0, 1 when
 * the set could not grow (recorded, unless by a signal), -1 when the
 * output failed.
 */
static int point(struct bench_run *r, const struct scale_opts *o,
		 struct held *h, size_t n, struct scale_points *pts)
{
	size_t before = h->n;
	struct measure_result res;
	struct kmem_snap *a = xcalloc(2, sizeof(*a)), *b = a + 1;
	struct kmem_per per;
	struct regcell c;
	struct record rec;
	uint64_t ns = 0;
	char reason[256];
	int err;

	kmem_snapshot(a);
	err = grow(r, o, h, n, &ns);
	kmem_snapshot(b);
	record_init(&rec, "scale");
	if (err) {
		snprintf(reason, sizeof(reason),
			 "registering held region %zu of %zu failed: %s",
			 h->n + 1, n, strerror(err));
		if (o->reg->unsupported &&
		    o->reg->unsupported(err, reason, sizeof(reason)))
			err = 0;
		refused(o, h->size, err, reason, &rec);
		free(a);
		if (measure_stop) {
			record_free(&rec);
			return 1;
		}
		return emit(r, &rec, n, pts) ? -1 : 1;
	}
	kmem_per_item(a, b, (double)(h->n - before), &per);
	free(a);
	scale_cell(r, o, &c);
	c.size = h->size;
	regcell_run(&c, &r->m, &rec, &res);
	json_object_object_add(rec.extra, "kernel_bytes_per_mr",
			       kmem_per_json(&per));
	/* The registrations that grew the set to n, on average: a second
	 * view of the same cost, over many MRs. */
	json_object_object_add(rec.extra, "grow_reg_ns_mean",
			       json_num6((double)ns / (double)(h->n - before)));
	err = emit(r, &rec, n, pts);
	measure_result_free(&res);
	return err;
}

static int held_run(struct bench_run *r, const struct scale_opts *o,
		    struct scale_points *pts)
{
	struct held h = { .size = o->size ? o->size : mem_base_page() };
	char why[256], reason[320], sz[16], what[96];
	size_t npoints = 0, n;
	bool unsup = false;
	int rc = 0, err = 0, p;

	for (n = 1; n <= o->max_held; n *= 10)
		npoints++;
	r->total = npoints;
	h.cap = held_cap(r, o, h.size, why, sizeof(why));
	size_format(h.size, sz, sizeof(sz));
	fprintf(stderr, "%s: up to %zu MRs of %s held (%s)\n", cli_prog, h.cap,
		sz, why);
	if (cannot_hold(r, o, reason, sizeof(reason))) {
		unsup = true;
	} else if (!h.cap) {
		snprintf(reason, sizeof(reason), "not one region fits: %s",
			 why);
		unsup = true;
	} else if ((err = arena_open(r, o, &h, reason, sizeof(reason),
				     &unsup))) {
		if (unsup)
			err = 0;
	}
	for (n = 1; n <= o->max_held && !measure_stop; n *= 10) {
		struct record rec;

		snprintf(what, sizeof(what), "%s %s %s, %zu held", o->src->name,
			 o->reg->name, sz, n);
		bench_progress(r, what);
		if (unsup || err || n > h.cap) {
			if (!unsup && !err)
				snprintf(reason, sizeof(reason),
					 "cannot hold %zu: %s", n, why);
			record_init(&rec, "scale");
			refused(o, h.size, err, reason, &rec);
			if ((rc = emit(r, &rec, n, pts)))
				break;
			continue;
		}
		p = point(r, o, &h, n, pts);
		if (p < 0) {
			rc = -1;
			break;
		}
		if (p > 0) {
			/* The set could not grow: no later point can run. */
			snprintf(reason, sizeof(reason),
				 "the held set stopped growing at %zu", h.n);
			unsup = true;
		}
	}
	held_free(o, &h);
	return rc;
}

const struct scale_axis scale_held = {
	.name = "held",
	.help = "one more MR while 1, 10 ... --max-held are registered",
	.run = held_run,
};
