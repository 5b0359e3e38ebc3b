// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's own memory from /proc/meminfo and /proc/slabinfo, and
 * what grew between two snapshots, per item of the work done between
 * them (mrbench scale held: per MR registered).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/kfile.h"
#include "kernel/kmem.h"

/* The meminfo line "Key:   123 kB" in bytes, or -1. */
static int64_t meminfo_bytes(const char *text, const char *key)
{
	size_t len = strlen(key);
	unsigned long long kb;

	const char *l = text;

	while (l && *l) {
		if (!strncmp(l, key, len) && l[len] == ':' &&
		    sscanf(l + len + 1, "%llu", &kb) == 1)
			return (int64_t)kb * 1024;
		l = strchr(l, '\n');
		l = l ? l + 1 : NULL;
	}
	return -1;
}

void kmem_parse_meminfo(const char *text, struct kmem_snap *s)
{
	s->slab = meminfo_bytes(text, "Slab");
	s->sunreclaim = meminfo_bytes(text, "SUnreclaim");
	s->page_tables = meminfo_bytes(text, "PageTables");
	s->vmalloc = meminfo_bytes(text, "VmallocUsed");
}

int kmem_parse_slabinfo(const char *text, struct kmem_snap *s)
{
	const char *l = text;
	unsigned major;

	s->ncaches = 0;
	s->have_slabinfo = false;
	if (sscanf(text, "slabinfo - version: %u.", &major) != 1 || major != 2)
		return -1;
	while ((l = strchr(l, '\n')) && *++l) {
		unsigned long long active, total, objsize;
		struct kmem_cache *c = &s->cache[s->ncaches];
		char name[KMEM_NAME_LEN];

		if (*l == '#')
			continue;
		if (sscanf(l, "%63s %llu %llu %llu", name, &active, &total,
			   &objsize) != 4)
			continue;
		if (s->ncaches == KMEM_MAX_CACHES)
			break;
		snprintf(c->name, sizeof(c->name), "%s", name);
		c->bytes = active * objsize;
		s->ncaches++;
	}
	s->have_slabinfo = true;
	return 0;
}

void kmem_snapshot(struct kmem_snap *s)
{
	char *text = kfile_read("/proc/meminfo", NULL);

	s->slab = s->sunreclaim = s->page_tables = s->vmalloc = -1;
	if (text)
		kmem_parse_meminfo(text, s);
	free(text);
	s->ncaches = 0;
	s->have_slabinfo = false;
	text = kfile_read("/proc/slabinfo", NULL);
	if (text)
		kmem_parse_slabinfo(text, s);
	free(text);
}

static double per(int64_t a, int64_t b, double items)
{
	return a < 0 || b < 0 || items <= 0 ? NAN : (double)(b - a) / items;
}

static const struct kmem_cache *cache_find(const struct kmem_snap *s,
					   const char *name, size_t hint)
{
	/* Snapshots list the caches in the same order, mostly. */
	if (hint < s->ncaches && !strcmp(s->cache[hint].name, name))
		return &s->cache[hint];
	for (size_t i = 0; i < s->ncaches; i++)
		if (!strcmp(s->cache[i].name, name))
			return &s->cache[i];
	return NULL;
}

void kmem_per_item(const struct kmem_snap *a, const struct kmem_snap *b,
		   double items, struct kmem_per *p)
{
	memset(p, 0, sizeof(*p));
	p->slab = per(a->slab, b->slab, items);
	p->sunreclaim = per(a->sunreclaim, b->sunreclaim, items);
	p->page_tables = per(a->page_tables, b->page_tables, items);
	p->vmalloc = per(a->vmalloc, b->vmalloc, items);
	p->have_top = a->have_slabinfo && b->have_slabinfo && items > 0;
	if (!p->have_top)
		return;
	for (size_t i = 0; i < b->ncaches; i++) {
		const struct kmem_cache *was =
			cache_find(a, b->cache[i].name, i);
		double v = ((double)b->cache[i].bytes -
			    (was ? (double)was->bytes : 0)) /
			   items;
		size_t k = p->ntop;

		if (v <= 0 || (k == KMEM_TOP && p->top[k - 1].bytes >= v))
			continue;
		/* In order, the largest first: the last one kept drops. */
		if (k == KMEM_TOP)
			k--;
		for (; k > 0 && p->top[k - 1].bytes < v; k--)
			p->top[k] = p->top[k - 1];
		snprintf(p->top[k].name, sizeof(p->top[k].name), "%s",
			 b->cache[i].name);
		p->top[k].bytes = v;
		if (p->ntop < KMEM_TOP)
			p->ntop++;
	}
}

static json_object *num(double v)
{
	return isnan(v) ? NULL : json_object_new_double(round(v * 10) / 10);
}

json_object *kmem_per_json(const struct kmem_per *p)
{
	json_object *o = json_object_new_object(), *top = NULL;

	json_object_object_add(o, "slab", num(p->slab));
	json_object_object_add(o, "sunreclaim", num(p->sunreclaim));
	json_object_object_add(o, "page_tables", num(p->page_tables));
	json_object_object_add(o, "vmalloc", num(p->vmalloc));
	if (p->have_top) {
		top = json_object_new_array();
		for (size_t i = 0; i < p->ntop; i++) {
			json_object *t = json_object_new_object();

			json_object_object_add(
				t, "name",
				json_object_new_string(p->top[i].name));
			json_object_object_add(t, "bytes_per_mr",
					       num(p->top[i].bytes));
			json_object_array_add(top, t);
		}
	}
	json_object_object_add(o, "top_slabs", top);
	return o;
}
