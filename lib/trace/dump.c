// SPDX-License-Identifier: GPL-2.0
/* Traced operations written and read as text (see dump.h). */
#include <stdlib.h>
#include <string.h>

#include "cli/xalloc.h"
#include "trace/dump.h"
#include "trace/phase.h"

static const char kind_char[] = { [TEV_FN_ENTRY] = 'E',
				  [TEV_FN_EXIT] = 'X',
				  [TEV_SYS_ENTER] = 'S',
				  [TEV_SYS_EXIT] = 'R' };

void dump_write(FILE *f, const char *label, const char *op, uint64_t t0,
		uint64_t t1, const struct tev *ev, size_t n,
		const char *(*names)(const void *ctx, uint16_t fn),
		const void *ctx)
{
	fprintf(f, "op %s %s %llu %llu\n", label, op, (unsigned long long)t0,
		(unsigned long long)t1);
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "%c %llu", kind_char[ev[i].kind],
			(unsigned long long)ev[i].ts);
		if (ev[i].kind <= TEV_FN_EXIT)
			fprintf(f, " %s %s", phase_table[ev[i].phase].key,
				names(ctx, ev[i].fn));
		fputc('\n', f);
	}
}

static int phase_by_key(const char *key)
{
	for (int p = 0; p < PHASE_COUNT; p++)
		if (!strcmp(phase_table[p].key, key))
			return p;
	return -1;
}

static int name_index(struct dumped_op *op, const char *name)
{
	for (size_t i = 0; i < op->nnames; i++)
		if (!strcmp(op->names[i], name))
			return (int)i;
	op->names = xrealloc(op->names, (op->nnames + 1) * sizeof(*op->names));
	snprintf(op->names[op->nnames], sizeof(op->names[0]), "%s", name);
	return (int)op->nnames++;
}

static int read_event(struct dumped_op *op, const char *line)
{
	char k, key[16], name[64];
	unsigned long long ts;
	int fields = sscanf(line, "%c %llu %15s %63s", &k, &ts, key, name);
	const char *kinds = "EXSR", *at = strchr(kinds, k);
	struct tev e = { .ts = ts, .phase = -1 };

	if (!at || !k || fields < 2)
		return -1;
	e.kind = (uint8_t)(at - kinds);
	if (e.kind <= TEV_FN_EXIT) {
		if (fields != 4 || (e.phase = (int8_t)phase_by_key(key)) < 0)
			return -1;
		e.fn = (uint16_t)name_index(op, name);
	}
	op->ev = xrealloc(op->ev, (op->n + 1) * sizeof(*op->ev));
	op->ev[op->n++] = e;
	return 0;
}

int dump_read(FILE *f, struct dumped_op *op)
{
	char line[512];
	long at;
	int have = 0;

	memset(op, 0, sizeof(*op));
	for (;;) {
		unsigned long long t0, t1;

		at = ftell(f);
		if (!fgets(line, sizeof(line), f))
			return have;
		if (line[0] == '#')
			continue;
		if (!strncmp(line, "op ", 3)) {
			if (have) {
				fseek(f, at, SEEK_SET);
				return 1;
			}
			if (sscanf(line, "op %127s %7s %llu %llu", op->label,
				   op->op, &t0, &t1) != 4)
				return -1;
			op->t0 = t0;
			op->t1 = t1;
			have = 1;
		} else if (!have || read_event(op, line)) {
			return -1;
		}
	}
}

void dumped_op_free(struct dumped_op *op)
{
	free(op->ev);
	free(op->names);
	memset(op, 0, sizeof(*op));
}
