// SPDX-License-Identifier: GPL-2.0
/*
 * The fuzz targets link the parsers and lib/cli/xalloc.c but not the
 * whole of lib/cli/cli.c (which pulls in the measuring and the undo log):
 * an allocation that fails there is a finding, so it aborts, where
 * libFuzzer sees it, instead of exiting quietly.
 */
#include <stdlib.h>

#include "cli/cli.h"

void cli_die(int code, const char *fmt, ...)
{
	abort();
}
