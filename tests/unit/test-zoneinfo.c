// SPDX-License-Identifier: GPL-2.0
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "kernel/zoneinfo.h"

/* Shortened from a 7.2 guest booted with cma=512M, and a 6.12 guest
 * with movablecore=50%: the layouts mrbench migrate meets. */
static const char zoneinfo_cma[] =
	"Node 0, zone      DMA\n"
	"  per-node stats\n"
	"      nr_inactive_anon 0\n"
	"  pages free     3776\n"
	"        boost    0\n"
	"        min      33\n"
	"        low      41\n"
	"        high     128\n"
	"        promo    57\n"
	"        spanned  4095\n"
	"        present  3998\n"
	"        managed  3840\n"
	"        cma      0\n"
	"        protection: (0, 1418, 1418, 1418, 1418)\n"
	"      nr_free_pages 3776\n"
	"      nr_free_cma  0\n"
	"  pagesets\n"
	"    cpu: 0\n"
	"              count:    0\n"
	"              high:     0\n"
	"              batch:    1\n"
	"  vm stats threshold: 4\n"
	"  node_unreclaimable:  0\n"
	"  start_pfn:           1\n"
	"Node 0, zone    DMA32\n"
	"  pages free     485821\n"
	"        boost    0\n"
	"        min      4122\n"
	"        low      5152\n"
	"        high     16765\n"
	"        spanned  520160\n"
	"        present  520160\n"
	"        managed  503390\n"
	"        protection: (0, 0, 0, 0, 0)\n"
	"      nr_free_pages 485821\n"
	"      nr_free_cma  131008\n"
	"  pagesets\n"
	"    cpu: 0\n"
	"              count:    1893\n"
	"              high:     4284\n"
	"              high_min: 378\n"
	"              batch:    63\n"
	"    cpu: 1\n"
	"              count:    1694\n"
	"              high:     4284\n"
	"              batch:    63\n"
	"  start_pfn:           4096\n"
	"Node 0, zone   Normal\n"
	"  pages free     0\n"
	"        spanned  0\n"
	"        present  0\n"
	"        managed  0\n"
	"Node 0, zone  Movable\n"
	"  pages free     0\n"
	"        spanned  0\n"
	"        present  0\n";

static const char zoneinfo_movable[] = "Node 0, zone    DMA32\n"
				       "  pages free     240252\n"
				       "        spanned  258048\n"
				       "        present  258048\n"
				       "        managed  248493\n"
				       "  start_pfn:           4096\n"
				       "Node 0, zone   Normal\n"
				       "  pages free     0\n"
				       "        spanned  0\n"
				       "        present  0\n"
				       "Node 0, zone  Movable\n"
				       "  pages free     247697\n"
				       "        min      1400\n"
				       "        spanned  262112\n"
				       "        present  262112\n"
				       "        managed  252960\n"
				       "  pagesets\n"
				       "    cpu: 0\n"
				       "              count:    12\n"
				       "              batch:    63\n"
				       "    cpu: 1\n"
				       "              count:    30\n"
				       "              batch:    63\n"
				       "  start_pfn:           262144\n";

static void zones_cma(void **state)
{
	const struct zone_info *z;
	struct zones zs;

	assert_int_equal(zoneinfo_parse(zoneinfo_cma, 1, &zs), 0);
	assert_int_equal(zs.n, 4);
	z = zones_find(&zs, "DMA32");
	assert_non_null(z);
	assert_string_equal(z->name, "DMA32");
	assert_int_equal(z->free, 485821);
	assert_int_equal(z->free_cma, 131008);
	assert_int_equal(z->wmark_min, 4122);
	assert_int_equal(z->wmark_low, 5152);
	/* The zone's high watermark, not a per-cpu list's "high:". */
	assert_int_equal(z->wmark_high, 16765);
	assert_int_equal(z->pcp_count, 1893 + 1694);
	assert_int_equal(z->pcp_cpu, 1694);
	assert_int_equal(z->pcp_batch, 63);
	assert_int_equal(z->start_pfn, 4096);
	assert_int_equal(z->spanned, 520160);
	assert_int_equal(zones_find(&zs, "DMA")->protection, 1418);
	assert_int_equal(zones_find(&zs, "DMA")->pcp_cpu, 0);
	/* Empty zones are listed but never found. */
	assert_null(zones_find(&zs, "Normal"));
	assert_null(zones_find(&zs, "Movable"));
}

static void zones_movable(void **state)
{
	struct zones zs;

	assert_int_equal(zoneinfo_parse(zoneinfo_movable, -1, &zs), 0);
	assert_int_equal(zones_find(&zs, "Movable")->free, 247697);
	assert_int_equal(zones_find(&zs, "Movable")->pcp_count, 42);
	assert_string_equal(zones_of_pfn(&zs, 262144)->name, "Movable");
	assert_string_equal(zones_of_pfn(&zs, 262143)->name, "DMA32");
	assert_string_equal(zones_of_pfn(&zs, 4096)->name, "DMA32");
	assert_null(zones_of_pfn(&zs, 4095));
	assert_null(zones_of_pfn(&zs, 262144 + 262112));
	assert_int_equal(zoneinfo_parse("nothing here\n", -1, &zs), -1);
}

/* A Movable zone spanned inside Normal's span is asked first. */
static void zones_overlap(void **state)
{
	struct zones zs;

	assert_int_equal(zoneinfo_parse("Node 0, zone Normal\n"
					"  spanned 2000\n  present 1000\n"
					"  start_pfn: 1000\n"
					"Node 0, zone Movable\n"
					"  spanned 1000\n  present 1000\n"
					"  start_pfn: 2000\n",
					-1, &zs),
			 0);
	assert_string_equal(zones_of_pfn(&zs, 2500)->name, "Movable");
	assert_string_equal(zones_of_pfn(&zs, 1500)->name, "Normal");
}

static void meminfo(void **state)
{
	const char *t = "MemTotal:        2096632 kB\n"
			"CmaTotal:         524288 kB\n"
			"CmaFree:          524032 kB\n";

	assert_int_equal(meminfo_parse_kb(t, "CmaFree"), 524032);
	assert_int_equal(meminfo_parse_kb(t, "CmaTotal"), 524288);
	assert_int_equal(meminfo_parse_kb(t, "MemTotal"), 2096632);
	/* A prefix of a field is not the field. */
	assert_int_equal(meminfo_parse_kb(t, "Cma"), -1);
	assert_int_equal(meminfo_parse_kb(t, "HugePages_Free"), -1);
}

static void cma_log(void **state)
{
	const char *log =
		"<6>[    0.000000] Command line: console=ttyS0 cma=512M\n"
		"<6>[    0.000000] cma: Reserved 512 MiB at 0x000000005fa00000\n"
		"<6>[    0.000000] hugetlb_cma: reserve 1024 MiB, up to 1024 MiB per node\n"
		"<6>[    0.000000] cma: Reserved 1024 MiB at 0x0000000100000000 on node 0\n"
		"<6>[    0.742085] Memory: 1473404K/2096632K available (524288K cma-reserved)\n";
	struct pfn_range r[4];

	assert_int_equal(cma_ranges_parse(log, 4096, r, 4), 2);
	assert_int_equal(r[0].start, 0x5fa00);
	assert_int_equal(r[0].end, 0x5fa00 + 131072);
	assert_int_equal(r[1].start, 0x100000);
	assert_true(pfn_in_ranges(0x5fa00, r, 2));
	assert_true(pfn_in_ranges(0x5fa00 + 131071, r, 2));
	assert_false(pfn_in_ranges(0x5fa00 + 131072, r, 2));
	assert_false(pfn_in_ranges(0x5f9ff, r, 2));
	assert_int_equal(cma_ranges_parse(log, 4096, r, 1), 1);
	assert_int_equal(cma_ranges_parse("no cma here", 4096, r, 4), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(zones_cma),
		cmocka_unit_test(zones_movable),
		cmocka_unit_test(zones_overlap),
		cmocka_unit_test(meminfo),
		cmocka_unit_test(cma_log),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
