// SPDX-License-Identifier: GPL-2.0
/*
 * The verdicts of "mrbench compare", from run figures.
 *
 * Why runs and not samples: the samples of one run share its kernel
 * state (the physical pages the region was dealt, page-table and pool
 * state, the emulator's drift), so an interval built from them only says
 * how well that one run is known. Under qemu's instruction clock the 2M
 * registration medians of five rounds were 221052, 278994, 221052,
 * 278994, 221052 ns: two modes, each repeating to the nanosecond, and a
 * bootstrap of either mode's samples called the other a change. Between
 * runs is where the variation is, so runs are what is counted.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/compare.h"
#include "analysis/ranktest.h"
#include "measure/stats.h"

void compare_opts_init(struct compare_opts *o)
{
	o->threshold = COMPARE_THRESHOLD;
	o->confidence = COMPARE_CONFIDENCE;
}

const char *compare_verdict_name(enum compare_verdict v)
{
	static const char *const names[CMP_NVERDICTS] = { "n/a", "inconclusive",
							  "no change", "faster",
							  "slower" };

	return v < CMP_NVERDICTS ? names[v] : "?";
}

int compare_runs(const double *a, size_t na, const double *b, size_t nb,
		 const struct compare_opts *o, struct compare_ratio *out)
{
	struct ranktest t;
	const char *op = out->op;

	*out = (struct compare_ratio){ .op = op,
				       .med_a = NAN,
				       .med_b = NAN,
				       .ratio = NAN,
				       .lo = NAN,
				       .hi = NAN,
				       .p = NAN,
				       .n_a = na,
				       .n_b = nb,
				       .verdict = CMP_NONE };
	if (!na || !nb)
		return 0;
	out->med_a = stats_median(a, na);
	out->med_b = stats_median(b, nb);
	if (ranktest_ratio(a, na, b, nb, o->confidence, &t))
		return -1;
	out->ratio = t.ratio;
	out->lo = t.lo;
	out->hi = t.hi;
	out->p = t.p;
	if (!isfinite(t.lo))
		out->verdict = CMP_INCONCLUSIVE;
	else if (t.lo > 1 && t.ratio > 1 + o->threshold)
		out->verdict = CMP_SLOWER;
	else if (t.hi < 1 && t.ratio < 1 - o->threshold)
		out->verdict = CMP_FASTER;
	else
		out->verdict = CMP_SAME;
	return 0;
}
