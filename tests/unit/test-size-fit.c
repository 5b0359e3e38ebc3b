// SPDX-License-Identifier: GPL-2.0
/* The size axis's run-by-run fits (lib/scale/size_fit.c) on records. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "scale/size_model.h"

/* A record as a run writes it, with only the keys the fit reads. */
static json_object *rec(long run, bool prefault, const char *status,
			double pages, double reg_p50)
{
	char buf[256];

	snprintf(buf, sizeof(buf),
		 "{\"run_index\":%ld,\"prefault\":%s,\"status\":\"%s\","
		 "\"pages\":%.0f,\"reg_ns\":{\"p50\":%.1f},"
		 "\"dereg_ns\":{\"p50\":%.1f}}",
		 run, prefault ? "true" : "false", status, pages, reg_p50,
		 reg_p50 / 4);
	return json_tokener_parse(buf);
}

/*
 * Two runs of a sweep over 1..512 pages, 1000 ns + 50 ns a page in run
 * 0 and + 60 in run 1, untouched cells beside them, and a refused cell
 * that must not count.
 */
static void fills(struct scale_points *p)
{
	for (long run = 0; run < 2; run++)
		for (int i = 0; i < 10; i++) {
			double pages = (double)(1 << i);

			scale_points_add(p,
					 rec(run, true, "ok", pages,
					     1000 + (50 + 10 * run) * pages));
			scale_points_add(p, rec(run, false, "ok", pages,
						3000 + 400 * pages));
		}
	scale_points_add(p, rec(1, true, "failed", 4096, 1));
}

static void per_run(void **state)
{
	struct scale_points p = { 0 };
	struct size_fits fd = { .prefault = true, .op = "reg_ns" };

	fills(&p);
	size_fit_runs(&p, &fd);
	assert_int_equal(fd.nruns, 2);
	assert_int_equal(fd.index[0], 0);
	assert_int_equal(fd.index[1], 1);
	assert_true(fabs(fd.run[0].per_page_ns - 50) < 1e-6);
	assert_true(fabs(fd.run[1].per_page_ns - 60) < 1e-6);
	assert_true(fabs(fd.run[1].fixed_ns - 1000) < 1e-3);
	/* The refused 4096-page cell is not the largest measured. */
	assert_true(fd.largest[1] == 512);
	assert_int_equal(fd.run[1].n, 10);
	scale_points_free(&p);
}

static void mode_and_op(void **state)
{
	struct scale_points p = { 0 };
	struct size_fits un = { .prefault = false, .op = "reg_ns" };
	struct size_fits de = { .prefault = true, .op = "dereg_ns" };

	fills(&p);
	size_fit_runs(&p, &un);
	size_fit_runs(&p, &de);
	assert_int_equal(un.nruns, 2);
	assert_true(fabs(un.run[0].per_page_ns - 400) < 1e-6);
	assert_true(fabs(de.run[0].per_page_ns - 12.5) < 1e-6);
	scale_points_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(per_run),
		cmocka_unit_test(mode_and_op),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
