// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the results reader that compare and plot run on
 * files they did not write. A line is either a record, blank, or refused
 * with one line naming what was expected; never a crash, never a leak.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "results/results.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct results_cell cell;
	size_t budget = 1000;
	char err[512] = "";
	int rc;

	memset(&cell, 0, sizeof(cell));
	rc = results_parse_line((const char *)data, len, &cell, &budget, err, sizeof(err));
	if (rc < 0 && (!err[0] || strchr(err, '\n')))
		abort();
	if (budget > 1000)
		abort();
	if (rc == 1) {
		struct results_prov prov;

		results_cell_free(&cell);
		/* A record's provenance: read again, as results_load does. */
		err[0] = '\0';
		if (!results_parse_prov((const char *)data, len, &prov, err,
					sizeof(err)))
			results_prov_free(&prov);
		else if (!err[0] || strchr(err, '\n'))
			abort();
	}
	return 0;
}
