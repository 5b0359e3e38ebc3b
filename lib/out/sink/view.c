// SPDX-License-Identifier: GPL-2.0
/* The cells of a bench's table, formatted one way for every bench. */
#include <string.h>

#include "cli/size.h"
#include "out/sink/view.h"

const char *view_str(json_object *flat, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(flat, key, &v) || !v)
		return "";
	return json_object_get_string(v);
}

double view_num(json_object *flat, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(flat, key, &v) || !v)
		return -1;
	return json_object_get_double(v);
}

void view_why(json_object *flat, char *buf, size_t len)
{
	const char *err = view_str(flat, "errno");

	if (!strcmp(view_str(flat, "status"), "ok"))
		*buf = '\0';
	else
		snprintf(buf, len, "%s%s%s", err, *err ? ": " : "",
			 view_str(flat, "reason"));
}

static void count(double v, char *buf, size_t len)
{
	if (v == (double)(long long)v)
		snprintf(buf, len, "%lld", (long long)v);
	else
		snprintf(buf, len, "%.1f", v);
}

void view_cell(const struct column *c, json_object *flat, char *buf, size_t len)
{
	json_object *v = NULL;

	if (c->cell) {
		c->cell(flat, buf, len);
		return;
	}
	json_object_object_get_ex(flat, c->key, &v);
	if (!v) {
		snprintf(buf, len, "-");
		return;
	}
	switch (c->fmt) {
	case COL_TEXT:
		snprintf(buf, len, "%s", json_object_get_string(v));
		break;
	case COL_SIZE:
		size_format((uint64_t)json_object_get_int64(v), buf, len);
		break;
	case COL_NS:
		ns_format(json_object_get_double(v), buf, len);
		break;
	case COL_COUNT:
		count(json_object_get_double(v), buf, len);
		break;
	case COL_WHOLE:
		snprintf(buf, len, "%.0f", json_object_get_double(v));
		break;
	case COL_FIXED2:
		snprintf(buf, len, "%.2f", json_object_get_double(v));
		break;
	case COL_YESNO:
		snprintf(buf, len, "%s",
			 json_object_get_boolean(v) ? "yes" : "no");
		break;
	case COL_YESNO_LOUD:
		snprintf(buf, len, "%s",
			 json_object_get_boolean(v) ? "yes" : "NO");
		break;
	case COL_PERCENT:
		snprintf(buf, len, "%.0f%%", json_object_get_double(v) * 100);
		break;
	}
}
