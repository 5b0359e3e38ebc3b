// SPDX-License-Identifier: GPL-2.0
/*
 * mrbench run: the standard suite into results/<run-id>/: each bench
 * program runs as its own process writing JSON Lines into a partial
 * directory, then the records are merged into results.jsonl and
 * results.csv, described in meta.json and summary.txt, plotted when
 * mrbench-plot is there, and the directory is renamed into place, so a
 * result set either exists whole or not at all. The jobs are in lib/run/.
 */
#include "cli/cli.h"
#include "measure/clock.h"
#include "run/run.h"

int main(int argc, char **argv)
{
	struct run run = { .t0 = clock_ns() };

	cli_init("mrbench-run");
	run_parse(&run, argc, argv);
	run_open_set(&run);
	if (!run.o.dev && !run.o.no_rxe)
		run_add_rxe(&run);
	run_passes(&run);
	run_close_set(&run);
	return run_report(&run);
}
