// SPDX-License-Identifier: GPL-2.0
/* The table a person reads: one aligned row per cell, printed as it ends. */
#include <string.h>

#include "size.h"
#include "sink/sink.h"

static const char *get_str(json_object *rec, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(rec, key, &v) || !v)
		return "";
	return json_object_get_string(v);
}

/* rec.key.sub as a number, or < 0 when absent. */
static double get_num(json_object *rec, const char *key, const char *sub)
{
	json_object *v;

	if (!json_object_object_get_ex(rec, key, &v) || !v)
		return -1;
	if (sub && (!json_object_object_get_ex(v, sub, &v) || !v))
		return -1;
	return json_object_get_double(v);
}

static void fmt_count(double v, char *buf, size_t len)
{
	if (v < 0)
		snprintf(buf, len, "-");
	else if (v == (double)(long long)v)
		snprintf(buf, len, "%lld", (long long)v);
	else
		snprintf(buf, len, "%.1f", v);
}

#define ROW_FMT "%-13s %-18s %6s %-8s %-4s %3s %-11s %6s %10s %10s %10s %8s %8s %8s  %s\n"

static int human_write(struct sink *s, json_object *rec)
{
	char size[16], p50[16], p99[16], dp50[16], npp[16], pins[16],
		unpins[16], iters[16], thr[16], note[320] = "";
	const char *status = get_str(rec, "status");

	if (!s->rows)
		fprintf(s->f, ROW_FMT, "MEM", "REG", "SIZE", "ACCESS", "PREF", "THR",
			"STATUS", "ITERS", "REG p50", "REG p99", "DEREG p50",
			"NS/PAGE", "PINS", "UNPINS", "NOTE");
	size_format((uint64_t)get_num(rec, "size", NULL), size, sizeof(size));
	ns_format(get_num(rec, "reg_ns", "p50"), p50, sizeof(p50));
	ns_format(get_num(rec, "reg_ns", "p99"), p99, sizeof(p99));
	ns_format(get_num(rec, "dereg_ns", "p50"), dp50, sizeof(dp50));
	fmt_count(get_num(rec, "reg_ns_per_page", NULL), npp, sizeof(npp));
	fmt_count(get_num(rec, "pins", NULL), pins, sizeof(pins));
	fmt_count(get_num(rec, "unpins", NULL), unpins, sizeof(unpins));
	fmt_count(get_num(rec, "iters", NULL), iters, sizeof(iters));
	fmt_count(get_num(rec, "threads", NULL), thr, sizeof(thr));
	if (strcmp(status, "ok"))
		snprintf(note, sizeof(note), "%s%s%s", get_str(rec, "errno"),
			 *get_str(rec, "errno") ? ": " : "", get_str(rec, "reason"));
	return fprintf(s->f, ROW_FMT, get_str(rec, "mem"), get_str(rec, "reg"),
		       size, get_str(rec, "access"),
		       get_num(rec, "prefault", NULL) > 0 ? "yes" : "no", thr, status,
		       iters, p50, p99, dp50, npp, pins, unpins, note) < 0 ? -1 : 0;
}

const struct sink_ops sink_human = {
	.name = "human",
	.write = human_write,
};
