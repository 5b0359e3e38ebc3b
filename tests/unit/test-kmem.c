// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "kernel/kmem.h"

#define HEAD                                                                                                                                                         \
	"slabinfo - version: 2.1\n"                                                                                                                                  \
	"# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> " \
	"<num_slabs> <sharedavail>\n"

/* A 6.12 guest before and after 1000 MRs of 4K over rxe (abridged). */
static const char slab_before[] = HEAD
	"rxe-mr               40     40    512    8    1 : tunables    0    0    0 : slabdata      5      5      0\n"
	"radix_tree_node     700    700    576   14    2 : tunables    0    0    0 : slabdata     50     50      0\n"
	"kmalloc-64         1280   1280     64   64    1 : tunables    0    0    0 : slabdata     20     20      0\n"
	"dentry             4000   4000    192   21    1 : tunables    0    0    0 : slabdata    190    190      0\n";
static const char slab_after[] = HEAD
	"rxe-mr             1040   1040    512    8    1 : tunables    0    0    0 : slabdata    130    130      0\n"
	"radix_tree_node     720    728    576   14    2 : tunables    0    0    0 : slabdata     52     52      0\n"
	"kmalloc-64         3280   3328     64   64    1 : tunables    0    0    0 : slabdata     52     52      0\n"
	"dentry             3990   4000    192   21    1 : tunables    0    0    0 : slabdata    190    190      0\n"
	"new-cache            10     10    100   40    1 : tunables    0    0    0 : slabdata      1      1      0\n";

static const char meminfo_before[] = "MemTotal:        4020000 kB\n"
				     "Slab:              20000 kB\n"
				     "SReclaimable:       8000 kB\n"
				     "SUnreclaim:        12000 kB\n"
				     "PageTables:          800 kB\n"
				     "VmallocUsed:        4000 kB\n";
static const char meminfo_after[] = "MemTotal:        4020000 kB\n"
				    "Slab:              21000 kB\n"
				    "SReclaimable:       8000 kB\n"
				    "SUnreclaim:        13000 kB\n"
				    "PageTables:          800 kB\n"
				    "VmallocUsed:        3996 kB\n";

static void meminfo(void **state)
{
	struct kmem_snap s;

	(void)state;
	kmem_parse_meminfo(meminfo_before, &s);
	assert_int_equal(s.slab, 20000 * 1024);
	/* "SUnreclaim", not a prefix of another key. */
	assert_int_equal(s.sunreclaim, 12000 * 1024);
	assert_int_equal(s.page_tables, 800 * 1024);
	assert_int_equal(s.vmalloc, 4000 * 1024);
	kmem_parse_meminfo("MemTotal: 1 kB\nSlabby: 3 kB\n", &s);
	assert_int_equal(s.slab, -1);
	assert_int_equal(s.vmalloc, -1);
}

static void slabinfo(void **state)
{
	struct kmem_snap s;

	(void)state;
	assert_int_equal(kmem_parse_slabinfo(slab_after, &s), 0);
	assert_true(s.have_slabinfo);
	assert_int_equal(s.ncaches, 5);
	assert_string_equal(s.cache[0].name, "rxe-mr");
	assert_int_equal(s.cache[0].bytes, 1040 * 512);
	/* active objects, not all of them */
	assert_int_equal(s.cache[2].bytes, 3280 * 64);
	assert_int_equal(kmem_parse_slabinfo("slabinfo - version: 1.1\n", &s),
			 -1);
	assert_false(s.have_slabinfo);
	assert_int_equal(kmem_parse_slabinfo("", &s), -1);
}

static void per_mr(void **state)
{
	struct kmem_snap a, b;
	struct kmem_per p;

	(void)state;
	kmem_parse_meminfo(meminfo_before, &a);
	kmem_parse_meminfo(meminfo_after, &b);
	kmem_parse_slabinfo(slab_before, &a);
	kmem_parse_slabinfo(slab_after, &b);
	kmem_per_item(&a, &b, 1000, &p);
	assert_true(fabs(p.slab - 1024.0) < 1e-9);
	assert_true(fabs(p.sunreclaim - 1024.0) < 1e-9);
	assert_true(p.page_tables == 0);
	assert_true(fabs(p.vmalloc + 4.096) < 1e-9);
	/* rxe-mr 512, kmalloc-64 128, radix_tree_node 11.52; dentry shrank;
	 * new-cache (1) is fourth. */
	assert_true(p.have_top);
	assert_int_equal(p.ntop, 3);
	assert_string_equal(p.top[0].name, "rxe-mr");
	assert_true(fabs(p.top[0].bytes - 512) < 1e-9);
	assert_string_equal(p.top[1].name, "kmalloc-64");
	assert_true(fabs(p.top[1].bytes - 128) < 1e-9);
	assert_string_equal(p.top[2].name, "radix_tree_node");
	assert_true(fabs(p.top[2].bytes - 11.52) < 1e-9);
}

static void unreadable(void **state)
{
	struct kmem_snap a = { .slab = -1,
			       .sunreclaim = -1,
			       .page_tables = -1,
			       .vmalloc = -1 },
			 b;
	struct kmem_per p;
	json_object *j, *v;

	(void)state;
	kmem_parse_meminfo(meminfo_after, &b);
	b.have_slabinfo = false;
	kmem_per_item(&a, &b, 10, &p);
	assert_true(isnan(p.slab) && isnan(p.vmalloc));
	assert_false(p.have_top);
	j = kmem_per_json(&p);
	assert_true(json_object_object_get_ex(j, "slab", &v) && !v);
	assert_true(json_object_object_get_ex(j, "top_slabs", &v) && !v);
	json_object_put(j);
	/* Readable: numbers, and the list even when nothing grew. */
	kmem_per_item(&b, &b, 10, &p);
	j = kmem_per_json(&p);
	assert_true(json_object_object_get_ex(j, "slab", &v) && v &&
		    json_object_get_double(v) == 0);
	json_object_put(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(meminfo),
		cmocka_unit_test(slabinfo),
		cmocka_unit_test(per_mr),
		cmocka_unit_test(unreadable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
