// SPDX-License-Identifier: GPL-2.0
/*
 * The RDMA device of a run on a machine without one: a soft-RoCE device
 * added for the run, named in meta.json (rxe_added).
 */
#include <stdio.h>

#include "cli/cli.h"
#include "cli/execdir.h"
#include "run/run.h"
#include "rdma/softroce.h"

/* No RDMA device: soft-RoCE for this run, removed on the way out. */
void run_add_rxe(struct run *run)
{
	char prog[PATH_MAX], err[512];
	int rc;

	exec_program("rxe", prog, sizeof(prog));
	rc = softroce_ensure(prog, run->rxe_made, sizeof(run->rxe_made), err,
			     sizeof(err));
	if (rc < 0)
		cli_warn("%s", err);
	else if (rc > 0)
		fprintf(stderr, "%s: no RDMA device: added %s for this run\n",
			cli_prog, run->rxe_made);
}
