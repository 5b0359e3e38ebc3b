// SPDX-License-Identifier: GPL-2.0
/* The tracer of a build without libtracefs: every breakdown says so. */
#include <stdio.h>

#include "trace/tracer.h"

struct tracer *tracer_open(const char *const *entry, size_t pages, char *reason,
			   size_t len)
{
	snprintf(reason, len, "mrbench was built without libtracefs");
	return NULL;
}

int tracer_begin(struct tracer *t)
{
	return 0;
}

int tracer_end(struct tracer *t, const struct tev **ev, size_t *n, uint64_t *t0,
	       uint64_t *t1)
{
	return 0;
}

const char *tracer_untraceable(const struct tracer *t, int phase)
{
	return NULL;
}

size_t tracer_functions(const struct tracer *t)
{
	return 0;
}

const char *tracer_function(const struct tracer *t, uint16_t fn)
{
	return "?";
}

void tracer_close(struct tracer *t)
{
}
