// SPDX-License-Identifier: GPL-2.0
/*
 * fork-cow: the history of COW against pinned pages beyond base pages.
 * Linux 5.9 made fork copy pinned anonymous pages for the child rather
 * than share them; the same release split a pinned THP's PMD at fork so
 * its pages take that path, 5.12 did it for hugetlb, and 5.19 made a
 * read-only pin of a page shared with a child unshare it first, so that
 * a read-only pin is as reliable as a writable one. A shared mapping
 * (memfd) is never copied: the child's writes are the device's too.
 * Each way is the fork coherence question (fork_coherence.c); vmsplice,
 * whose pipe holds page references rather than pins, follows.
 */
#include "fault/fork.h"

#define EARLY_COW \
	"Linux 5.9 'mm: Do early cow for pinned pages during fork() for ptes'"

static const struct fork_way ways[] = {
	{ "thp", "thp", false, false, false, "coherent",
	  "Linux 5.9 'mm/thp: Split huge pmds/puds if they're pinned when fork()': a pinned THP's PMD is split at fork and its pages copied for the child (" EARLY_COW
	  ")" },
	{ "hugetlb", "hugetlb-2m", false, false, false, "coherent",
	  "Linux 5.12 'hugetlb: do early cow when page pinned on src mm': a pinned private hugetlb page is copied for the child at fork" },
	{ "memfd", "memfd", false, false, false, "shared-with-child",
	  "fork(2): a MAP_SHARED mapping is shared with the child, never copied; the child's writes reach the pinned page" },
	{ "ro-pin-before-fork", "anon", false, true, false, "coherent",
	  EARLY_COW
	  ": a read-only pin counts as a pin, and the child gets the copy" },
	{ "ro-pin-after-fork", "anon", false, true, true, "coherent",
	  "Linux 5.19 'mm/gup: trigger FAULT_FLAG_UNSHARE when R/O-pinning a possibly shared anonymous page': the pin unshares the page from the child first, so the parent's later write does not copy it away" },
};

static int fork_cow_run(struct fault_env *env)
{
	struct record rec;
	char fig[400];
	int rc;

	for (size_t i = 0; i < sizeof(ways) / sizeof(ways[0]); i++) {
		fig[0] = '\0';
		fault_record(&rec, "fork-cow", ways[i].name);
		fork_coherence(env, &ways[i], &rec, fig, sizeof(fig));
		if ((rc = fault_emit(env, &rec, fig)))
			return rc;
	}
	return fork_vmsplice_cases(env);
}

const struct fault_scenario fault_fork_cow = {
	.name = "fork-cow",
	.help = "fork over pinned THP, hugetlb and memfd, read-only pins around fork, vmsplice then fork",
	.flags = FAULT_NEEDS_QP,
	.run = fork_cow_run,
};
