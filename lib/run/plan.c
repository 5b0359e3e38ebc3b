// SPDX-License-Identifier: GPL-2.0
/*
 * The plan of mrbench run: which benches make up the suite, in order,
 * and the arguments each gets for the quick or the full suite.
 */
#include <limits.h>
#include <stdio.h>

#include "run/run.h"

void push(struct argv_buf *a, const char *s)
{
	if (a->n < ARGS_MAX - 1)
		a->v[a->n++] = (char *)s;
	a->v[a->n] = NULL;
}

/* The quick suite's timing, the same for every bench that times cells:
 * a few iterations, and enough samples for a steady median in each run
 * (compare decides from the runs) while the result set stays small. */
static void quick_timing(struct argv_buf *a)
{
	static const char *const args[] = {
		"--iters", "5", "--min-time", "0.02", "--ci-target", "0",
		"--max-samples", "300",
	};

	for (size_t i = 0; i < sizeof(args) / sizeof(args[0]); i++)
		push(a, args[i]);
}

/*
 * The full matrix: four decades of size, from a base page to 64M,
 * writable and read-only (every writable set pins alike: FOLL_WRITE),
 * touched and untouched. Adaptive timing, capped at a fifth of a second
 * a cell, keeps the whole suite within ten minutes in the lab.
 */
static const char *const full_reg[] = {
	"-s", "4K,64K,2M,64M", "--access", "lw,ro", "--prefault=both",
	"--min-time", "0.05", "--max-time", "0.2",
};

/* The registration matrix; file and DAX cells where directories are given. */
static void reg_args(const struct run_opts *o, struct argv_buf *a)
{
	snprintf(a->mem, sizeof(a->mem), "%s%s%s%s%s",
		 o->full ? "all" : "anon,thp,hugetlb-2m,memfd,udmabuf",
		 o->file_dir ? ",file:" : "", o->file_dir ? o->file_dir : "",
		 o->dax_dir ? ",dax:" : "", o->dax_dir ? o->dax_dir : "");
	push(a, "-m");
	push(a, a->mem);
	if (o->file_dir && o->full) {
		static char priv[PATH_MAX + 16];

		snprintf(priv, sizeof(priv), "%s,file-private:%s", a->mem, o->file_dir);
		a->v[a->n - 1] = priv;
	}
	push(a, "-r");
	push(a, o->full ? "all" : "regular,odp,iouring,mlock");
	if (!o->full) {
		/* Four sizes, so a line in a figure shows a shape and not
		 * two points; 8M rather than 64M keeps a TCG guest quick. */
		push(a, "-s");
		push(a, "4K,64K,2M,8M");
		quick_timing(a);
		return;
	}
	for (size_t i = 0; i < sizeof(full_reg) / sizeof(full_reg[0]); i++)
		push(a, full_reg[i]);
	/* O_DIRECT reads a file on a disk filesystem, not the results'. */
	if (o->file_dir) {
		push(a, "--odirect-file");
		push(a, o->file_dir);
	}
}

/* Normal memory against ZONE_MOVABLE and CMA, where the kernel has them. */
static void migrate_args(const struct run_opts *o, struct argv_buf *a)
{
	push(a, "-s");
	push(a, o->full ? "4M,64M" : "4M");
	if (o->full) {
		push(a, "--starve");
		return;
	}
	quick_timing(a);
}

/* Every fault scenario; the refusals on ext4 and FS-DAX where given. */
static void fault_args(const struct run_opts *o, struct argv_buf *a)
{
	if (o->file_dir) {
		push(a, "--ext4");
		push(a, o->file_dir);
	}
	if (o->dax_dir) {
		push(a, "--dax");
		push(a, o->dax_dir);
	}
	if (o->full)
		return;
	push(a, "--quick");
	push(a, "-n");
	push(a, "8");
	push(a, "--fork-sizes");
	push(a, "4K,1M,16M");
	/* fork's time comes in modes (450 or 650 us for 1M under icount):
	 * enough forks that a run's median does not flip between them. */
	push(a, "--fork-reps");
	push(a, "9");
}

/* The suite, in order. A bench whose program is missing is skipped. */
const struct step steps[] = {
	{ "reg", reg_args },
	{ "migrate", migrate_args },
	{ "fault", fault_args },
};

const size_t nsteps = sizeof(steps) / sizeof(steps[0]);
