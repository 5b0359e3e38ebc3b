// SPDX-License-Identifier: GPL-2.0
/*
 * The provenance line under every figure: which kernels, on what
 * machine, when, and how the figures were measured. A figure copied out
 * of its result set still says where it came from. The strings come
 * from the records and reach gnuplot quoted (plot_set_str), as text.
 */
#include <string.h>

#include "analysis/plot.h"

/* Append s to buf unless it is there already (", " between). */
static void add_once(char *buf, size_t len, const char *s)
{
	size_t used = strlen(buf);

	if (!s || !*s || strstr(buf, s))
		return;
	snprintf(buf + used, len - used, "%s%s", used ? ", " : "", s);
}

void plot_provenance(struct plot_ctx *c)
{
	char kernels[300] = "", machines[200] = "", runs[100] = "";
	const char *first = NULL, *last = NULL;

	for (size_t i = 0; i < c->nsets; i++) {
		const struct results_set *s = &c->sets[i];
		char m[120], r[24];

		add_once(kernels, sizeof(kernels), s->kernel);
		snprintf(m, sizeof(m), "%s%s%s%s", s->host ? s->host : "?",
			 s->emulation ? " (" : "",
			 s->emulation ? s->emulation : "",
			 s->emulation ? ")" : "");
		add_once(machines, sizeof(machines), m);
		snprintf(r, sizeof(r), "%zu", s->nruns ? s->nruns : 1);
		add_once(runs, sizeof(runs), r);
		if (s->time && (!first || strcmp(s->time, first) < 0))
			first = s->time;
		if (s->time && (!last || strcmp(s->time, last) > 0))
			last = s->time;
	}
	snprintf(
		c->footer, sizeof(c->footer),
		"kernel %s | machine %s | measured %s%s%s | method: timed loop, CLOCK_MONOTONIC_RAW, median of the samples; %s run%s a set",
		kernels, machines, first ? first : "?",
		last && strcmp(first, last) ? " to " : "",
		last && strcmp(first, last) ? last : "", runs,
		strcmp(runs, "1") ? "s" : "");
}
