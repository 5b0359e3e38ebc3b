// SPDX-License-Identifier: GPL-2.0
/* JSON Lines: one mrbench/1 record per line, raw samples included. */
#include "out/sink/sink.h"

static int json_write(struct sink *s, json_object *rec)
{
	const char *line = json_object_to_json_string_ext(
		rec, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);

	return fprintf(s->f, "%s\n", line) < 0 ? -1 : 0;
}

const struct sink_ops sink_json = {
	.name = "json",
	.ext = "jsonl",
	.write = json_write,
};
