// SPDX-License-Identifier: GPL-2.0
/*
 * The breakdown tables (--breakdown): for each traced cell, the traced
 * time beside the untraced median and their ratio (what tracing cost),
 * then each phase's share of the traced time. A phase this kernel
 * cannot trace shows "-"; the record says why. The page size tells
 * apart cells that differ only in it (migrate's 4K, THP, hugetlb).
 */
#include "out/sink/view.h"

#define CELL_COLS                                                           \
	COL("MEM", -13, "mem", COL_TEXT), COL("REG", -18, "reg", COL_TEXT), \
		COL("SIZE", 6, "size", COL_SIZE),                           \
		COL("PAGE", 5, "page_size", COL_SIZE),                      \
		COL("PREF", -4, "prefault", COL_YESNO)

#define OP_COLS(op)                                                          \
	COL("TRACED", 10, "phases_" op "_traced_ns", COL_NS),                \
		COL("UNTRACED", 10, "phases_" op "_untraced_ns", COL_NS),    \
		COL("RATIO", 6, "phases_" op "_ratio", COL_FIXED2),          \
		COL("user", 5, "phases_" op "_user_share", COL_PERCENT),     \
		COL("entry", 5, "phases_" op "_entry_share", COL_PERCENT),   \
		COL("pin", 5, "phases_" op "_pin_share", COL_PERCENT),       \
		COL("fault", 5, "phases_" op "_fault_share", COL_PERCENT),   \
		COL("migr", 5, "phases_" op "_migrate_share", COL_PERCENT),  \
		COL("dma", 5, "phases_" op "_dma_share", COL_PERCENT),       \
		COL("driver", 6, "phases_" op "_driver_share", COL_PERCENT), \
		COL("unpin", 5, "phases_" op "_unpin_share", COL_PERCENT),   \
		COL("wait", 5, "phases_" op "_wait_share", COL_PERCENT),     \
		COL("other", 5, "phases_" op "_other_share", COL_PERCENT)

static const struct column reg_columns[] = { CELL_COLS, OP_COLS("reg"),
					     COL_END };
static const struct column dereg_columns[] = { CELL_COLS, OP_COLS("dereg"),
					       COL_END };

static const struct view view_dereg_phases = {
	.cols = dereg_columns,
	.only = "phases_dereg_traced_ns",
	.heading = "Where the deregistration time goes",
};

const struct view view_reg_phases = {
	.cols = reg_columns,
	.only = "phases_reg_traced_ns",
	.heading = "Where the registration time goes (traced apart from the "
		   "timed loop; RATIO = traced / untraced; shares of the "
		   "traced time; -: not traceable here, see the record)",
	.more = &view_dereg_phases,
};
