// SPDX-License-Identifier: GPL-2.0
/*
 * The size axis's points, run by run: each run's sweep of one mode
 * (prefaulted or untouched) and one operation is fitted on its own, so
 * that the runs' fits, not the samples of one, give the interval.
 */
#include <string.h>

#include "scale/size_model.h"

/* Each run's points of one mode and operation, fitted. */
void size_fit_runs(const struct scale_points *pts, struct size_fits *fd)
{
	long runs[SIZE_MAX_RUNS];
	size_t nr = 0;

	for (size_t i = 0; i < pts->n; i++) {
		long k = (long)scale_num(pts->rec[i], "run_index", NULL);
		size_t j = 0;

		while (j < nr && runs[j] != k)
			j++;
		if (j == nr && nr < SIZE_MAX_RUNS)
			runs[nr++] = k;
	}
	fd->nruns = 0;
	for (size_t j = 0; j < nr; j++) {
		struct model_point p[SIZE_MAX_POINTS];
		size_t n = 0;

		for (size_t i = 0; i < pts->n && n < SIZE_MAX_POINTS; i++) {
			json_object *rec = pts->rec[i], *v;

			if ((long)scale_num(rec, "run_index", NULL) !=
				    runs[j] ||
			    !json_object_object_get_ex(rec, "prefault", &v) ||
			    json_object_get_boolean(v) != fd->prefault ||
			    !json_object_object_get_ex(rec, "status", &v) ||
			    strcmp(json_object_get_string(v), "ok"))
				continue;
			p[n].pages = scale_num(rec, "pages", NULL);
			p[n].ns = scale_num(rec, fd->op, "p50");
			n += p[n].ns > 0 && p[n].pages > 0;
		}
		if (model_fit(p, n, &fd->run[fd->nruns]))
			continue;
		fd->index[fd->nruns] = runs[j];
		fd->largest[fd->nruns++] = p[n - 1].pages;
	}
}
