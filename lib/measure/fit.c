// SPDX-License-Identifier: GPL-2.0
/*
 * Refusing, before trying, what cannot fit: a run asked for more memory
 * than the machine has pushes it into reclaim and the OOM killer, which
 * is not what a registration benchmark is for. --force skips the checks.
 */
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "measure/fit.h"
#include "cli/size.h"

uint64_t fit_meminfo(const char *key)
{
	char line[256];
	size_t klen = strlen(key);
	unsigned long long kb = 0;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, klen) && line[klen] == ':') {
			sscanf(line + klen + 1, "%llu", &kb);
			break;
		}
	fclose(f);
	return (uint64_t)kb * 1024;
}

static void fmt(uint64_t v, char *buf, size_t len)
{
	/* Round to a whole MiB so the message reads like a size. */
	size_format(v < (1 << 20) ? v : v >> 20 << 20, buf, len);
}

int fit_check(uint64_t bytes, bool from_pool, bool pins,
		 const struct verbs_ctx *v, char *reason, size_t len)
{
	uint64_t avail = fit_meminfo("MemAvailable");
	struct rlimit rl;
	char a[32], b[32];

	fmt(bytes, a, sizeof(a));
	if (!from_pool && avail && bytes > avail) {
		fmt(avail, b, sizeof(b));
		snprintf(reason, len, "needs %s but MemAvailable is %s (--force tries anyway)",
			 a, b);
		return -1;
	}
	if (pins && geteuid() != 0 && !getrlimit(RLIMIT_MEMLOCK, &rl) &&
	    rl.rlim_cur != RLIM_INFINITY && bytes > rl.rlim_cur) {
		fmt(rl.rlim_cur, b, sizeof(b));
		snprintf(reason, len, "needs %s pinned but RLIMIT_MEMLOCK is %s: raise it (ulimit -l) or run as root",
			 a, b);
		return -1;
	}
	if (v && v->have_attr_ex && v->attr.orig_attr.max_mr_size &&
	    bytes > v->attr.orig_attr.max_mr_size) {
		fmt(v->attr.orig_attr.max_mr_size, b, sizeof(b));
		snprintf(reason, len, "%s is over %s's max_mr_size of %s", a, v->dev_name, b);
		return -1;
	}
	return 0;
}
