/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_PLOT_FACET_H
#define MRBENCH_PLOT_FACET_H

#include "analysis/plot.h"

/*
 * Faceted figures of reg records: one figure per registrar and access
 * set (and prefault, threads), one panel per memory source in it, so a
 * panel holds a handful of lines instead of every source at once.
 */

#define FACET_MAX_PANELS 32
#define FACET_MAX_SERIES 6 /* lines a panel may hold and stay readable */

/* What one figure holds: every cell that shares these. */
struct combo {
	const char *bench, *reg, *access;
	bool prefault;
	unsigned threads;
};

bool facet_in_combo(const struct results_cell *c, const struct combo *k);
/* "latency-regular-lw-noprefault-t4": PREFIX and the combo's key. */
void facet_name(const struct combo *k, const char *prefix, char *buf,
		size_t len);
/* "regular, access lw, prefaulted" */
void facet_describe(const struct combo *k, char *buf, size_t len);
/* Tics at the sizes measured ("4K" 4096, ...), at most about 12. */
void facet_xtics(struct plot_fig *f, const struct plot_ctx *c,
		 const struct combo *k);
/*
 * The memory sources the combo has timed cells of, sorted: the panels.
 * Writes the layout (npanels, rows, columns, panel[] titles, fig_h).
 */
size_t facet_panels(struct plot_fig *f, const struct plot_ctx *c,
		    const struct combo *k, const char **mems);
/* Whether set s has a timed cell in the combo: a set without one gets
 * no line, nor a legend entry. */
bool facet_set_has(const struct plot_ctx *c, size_t s, const struct combo *k);
/* How many sets have one. */
size_t facet_nsets(const struct plot_ctx *c, const struct combo *k);
/* Call fn once for every distinct combo of the reg records. */
int facet_each_combo(struct plot_ctx *c,
		     int (*fn)(struct plot_ctx *c, const struct combo *k));

#endif
