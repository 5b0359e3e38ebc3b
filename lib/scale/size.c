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
#include "scale/size_model.h"
#include "scale/scale.h"

/* The largest size to try, and where it comes from. */
static uint64_t largest(const struct bench_run *r, const struct scale_opts *o,
			char *why, size_t len)
{
	uint64_t avail = scale_room();
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
	size_format(avail >> 20 << 20, a, sizeof(a));
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

const struct scale_axis scale_size = {
	.name = "size",
	.help = "sizes doubling from one page to what fits; a fitted model",
	.runs = 3,
	.run = size_run,
	.summarise = size_summarise,
};
