// SPDX-License-Identifier: GPL-2.0
/*
 * The threads axis: T threads registering at once, each its own region,
 * T = 1, 2, 4 ... up to --max-threads (2 x the CPUs, at most 64) and the
 * largest itself, prefaulted and untouched. Where the aggregate
 * throughput stops growing, mmap_lock or the driver serialises; with
 * --procs each of the T is a process of its own (procs.c), with its own
 * mm, so that the two side by side say which.
 */
#include <unistd.h>

#include "cli/cli.h"
#include "cli/size.h"
#include "scale/scale.h"

#define DEFAULT_SIZE (2u << 20)

static unsigned most(const struct scale_opts *o)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned n = cpus > 0 ? 2 * (unsigned)cpus : 2;

	if (o->max_threads)
		return o->max_threads;
	return n < REGCELL_MAX_THREADS ? n : REGCELL_MAX_THREADS;
}

/* After t, the next count: doubling, and the largest itself. */
static unsigned next(unsigned t, unsigned max)
{
	return t * 2 < max ? t * 2 : t < max ? max : max + 1;
}

static int threads_run(struct bench_run *r, const struct scale_opts *o,
		       struct scale_points *pts)
{
	uint64_t size = o->size ? o->size : DEFAULT_SIZE;
	int lo = o->prefault == 2 ? 0 : o->prefault;
	int hi = o->prefault == 2 ? 1 : o->prefault;
	unsigned max = most(o), npoints = 0;
	char sz[16], what[96];
	int rc = 0;

	for (unsigned t = 1; t <= max; t = next(t, max))
		npoints++;
	r->total = npoints * (unsigned)(hi - lo + 1);
	size_format(size, sz, sizeof(sz));
	fprintf(stderr, "%s: 1 to %u %s registering %s each\n", cli_prog, max,
		o->procs ? "processes" : "threads", sz);
	for (int pf = hi; pf >= lo && !rc; pf--)
		for (unsigned t = 1; t <= max && !rc && !measure_stop;
		     t = next(t, max)) {
			struct measure_result res = { 0 };
			struct scale_procs keep = { 0 };
			struct regcell c;
			struct record rec;

			scale_cell(r, o, &c);
			c.size = size;
			c.prefault = pf;
			c.threads = t;
			snprintf(what, sizeof(what), "%s %s %s x %u%s%s",
				 o->src->name, o->reg->name, sz, t,
				 o->procs ? " processes" : "",
				 pf ? " prefault" : "");
			bench_progress(r, what);
			record_init(&rec, "scale");
			if (o->procs)
				scale_procs_cell(r, &c, &rec, &keep);
			else
				regcell_run(&c, &r->m, &rec, &res);
			json_object_object_add(
				rec.extra, "axis",
				json_object_new_string("threads"));
			rc = scale_emit(r, &rec, pts);
			record_free(&rec);
			measure_result_free(&res);
			scale_procs_free(&keep);
		}
	return rc;
}

const struct scale_axis scale_threads = {
	.name = "threads",
	.help = "1, 2, 4 ... --max-threads registering at once (--procs)",
	.run = threads_run,
};
