// SPDX-License-Identifier: GPL-2.0
/*
 * The table of registration cells: what mrbench reg shows, and what the
 * summary of a result set shows of every bench's records, in the
 * columns every record has.
 */
#include "out/sink/view.h"

static const struct column cell_columns[] = {
	COL("MEM", -13, "mem", COL_TEXT),
	COL("REG", -18, "reg", COL_TEXT),
	COL("SIZE", 6, "size", COL_SIZE),
	COL("ACCESS", -8, "access", COL_TEXT),
	COL("PREF", -4, "prefault", COL_YESNO),
	COL("THR", 3, "threads", COL_COUNT),
	COL("STATUS", -11, "status", COL_TEXT),
	COL("ITERS", 6, "iters", COL_COUNT),
	COL("REG p50", 10, "reg_ns_p50", COL_NS),
	COL("REG p99", 10, "reg_ns_p99", COL_NS),
	COL("DEREG p50", 10, "dereg_ns_p50", COL_NS),
	COL("NS/PAGE", 8, "reg_ns_per_page", COL_COUNT),
	COL("PINS", 8, "pins", COL_COUNT),
	COL("UNPINS", 8, "unpins", COL_COUNT),
	COL_FN("NOTE", 0, view_why),
	COL_END,
};

const struct view view_cells = { .cols = cell_columns,
				 .more = &view_reg_phases };
