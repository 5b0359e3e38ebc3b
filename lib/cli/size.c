// SPDX-License-Identifier: GPL-2.0
/*
 * Sizes as users type them: "4K", "64M", "1G", lists "4K,2M", ranges
 * "4K..64M" (doubling), "4K..64M:x4" (times four), "1M..8M:+1M" (adding).
 * Units are binary (K = 1024).
 */
#include <ctype.h>
#include <math.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/xalloc.h"
#include "cli/quote.h"
#include "cli/size.h"

#define SIZE_FORM "NUMBER[K|M|G|T], LO..HI, LO..HI:xN or LO..HI:+STEP"

static int unit_shift(const char *u, size_t len, unsigned *shift)
{
	static const char units[] = "KMGTP";
	const char *p;

	if (len == 0) {
		*shift = 0;
		return 0;
	}
	p = strchr(units, toupper((unsigned char)u[0]));
	if (!p || u[0] == '\0')
		return -1;
	/* Accept K, KB, KiB in any case. */
	if (len == 2 && toupper((unsigned char)u[1]) != 'B')
		return -1;
	if (len == 3 && (tolower((unsigned char)u[1]) != 'i' ||
			 toupper((unsigned char)u[2]) != 'B'))
		return -1;
	if (len > 3)
		return -1;
	*shift = 10 * (unsigned)(p - units + 1);
	return 0;
}

/* Parse one size occupying exactly [s, s + len). */
static int parse_one(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;
	unsigned shift;
	size_t i = 0;

	if (len == 0 || !isdigit((unsigned char)s[0]))
		return -1;
	for (; i < len && isdigit((unsigned char)s[i]); i++) {
		if (v > (SIZE_MAX_BYTES) / 10)
			return -ERANGE;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (unit_shift(s + i, len - i, &shift))
		return -1;
	if (v == 0)
		return -EDOM;
	if (shift && v > (SIZE_MAX_BYTES >> shift))
		return -ERANGE;
	v <<= shift;
	if (v > SIZE_MAX_BYTES)
		return -ERANGE;
	*out = v;
	return 0;
}

static void one_error(int rc, const char *s, size_t len, char *err,
		      size_t errlen)
{
	const char *why = rc == -ERANGE ? "larger than 1P" :
			  rc == -EDOM	? "zero is not a size" :
					  "expected " SIZE_FORM;

	char q[128];

	snprintf(err, errlen, "invalid size '%s': %s", quote(q, sizeof(q), s, len), why);
}

int size_parse(const char *s, uint64_t *out, char *err, size_t errlen)
{
	int rc = parse_one(s, strlen(s), out);

	if (rc)
		one_error(rc, s, strlen(s), err, errlen);
	return rc ? -1 : 0;
}

static int list_add(struct size_list *l, uint64_t v, const char *item,
		    size_t len, char *err, size_t errlen)
{
	if (l->n >= SIZE_LIST_MAX) {
		char q[128];

		snprintf(err, errlen, "invalid size '%s': expands to more than %d sizes",
			 quote(q, sizeof(q), item, len), SIZE_LIST_MAX);
		return -1;
	}
	l->v = xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	l->v[l->n++] = v;
	return 0;
}

/* A step is ":xN" (N >= 2, multiply) or ":+SIZE" (add). */
static int parse_step(const char *s, size_t len, uint64_t *mul, uint64_t *add)
{
	char *end;
	unsigned long n;

	*mul = 0;
	*add = 0;
	if (len >= 2 && (s[0] == 'x' || s[0] == 'X') &&
	    isdigit((unsigned char)s[1])) {
		errno = 0;
		n = strtoul(s + 1, &end, 10);
		if (errno || end != s + len || n < 2 || n > 1024)
			return -1;
		*mul = n;
		return 0;
	}
	if (len >= 2 && s[0] == '+')
		return parse_one(s + 1, len - 1, add) ? -1 : 0;
	return -1;
}

static int parse_item(const char *s, size_t len, struct size_list *l,
		      char *err, size_t errlen)
{
	const char *dots = NULL, *colon;
	uint64_t lo, hi, mul = 2, add = 0, v;
	size_t lolen, hilen;
	int rc;

	for (size_t i = 0; i + 1 < len; i++)
		if (s[i] == '.' && s[i + 1] == '.') {
			dots = s + i;
			break;
		}
	if (!dots) {
		rc = parse_one(s, len, &v);
		if (rc) {
			one_error(rc, s, len, err, errlen);
			return -1;
		}
		return list_add(l, v, s, len, err, errlen);
	}
	lolen = (size_t)(dots - s);
	colon = memchr(dots, ':', len - lolen);
	hilen = (size_t)((colon ? colon : s + len) - (dots + 2));
	if ((rc = parse_one(s, lolen, &lo)) ||
	    (rc = parse_one(dots + 2, hilen, &hi))) {
		one_error(rc, s, len, err, errlen);
		return -1;
	}
	if (colon &&
	    parse_step(colon + 1, (size_t)(s + len - colon - 1), &mul, &add)) {
		char q[128];

		snprintf(err, errlen,
			 "invalid size '%s': the step must be xN (N from 2 to 1024) or +SIZE",
			 quote(q, sizeof(q), s, len));
		return -1;
	}
	if (lo > hi) {
		char q[128];

		snprintf(err, errlen, "invalid size '%s': the range ends below its start",
			 quote(q, sizeof(q), s, len));
		return -1;
	}
	for (v = lo; v <= hi;) {
		if (list_add(l, v, s, len, err, errlen))
			return -1;
		if (mul ? v > hi / mul : v > hi - add)
			break;
		v = mul ? v * mul : v + add;
	}
	return 0;
}

int size_list_parse(const char *s, struct size_list *out, char *err,
		    size_t errlen)
{
	struct size_list l = { 0 };
	const char *p = s, *comma;

	do {
		comma = strchr(p, ',');
		if (parse_item(p, comma ? (size_t)(comma - p) : strlen(p), &l,
			       err, errlen)) {
			size_list_free(&l);
			return -1;
		}
		p = comma + 1;
	} while (comma);
	*out = l;
	return 0;
}

void size_list_free(struct size_list *l)
{
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* Shortest exact form: 4096 -> "4K", 1536 -> "1536", 3145728 -> "3M". */
void size_format(uint64_t bytes, char *buf, size_t len)
{
	static const char units[] = "KMGTP";
	int u = -1;

	while (bytes && bytes % 1024 == 0 && u < 4) {
		bytes /= 1024;
		u++;
	}
	if (u < 0)
		snprintf(buf, len, "%llu", (unsigned long long)bytes);
	else
		snprintf(buf, len, "%llu%c", (unsigned long long)bytes,
			 units[u]);
}

void ns_format(double ns, char *buf, size_t len)
{
	if (!isfinite(ns) || ns < 0)
		snprintf(buf, len, "-");
	else if (ns < 1e3)
		snprintf(buf, len, "%.0f ns", ns);
	else if (ns < 1e6)
		snprintf(buf, len, "%.2f us", ns / 1e3);
	else if (ns < 1e9)
		snprintf(buf, len, "%.2f ms", ns / 1e6);
	else
		snprintf(buf, len, "%.2f s", ns / 1e9);
}
