// SPDX-License-Identifier: GPL-2.0
/*
 * mlock: mlock(2) / munlock(2), the baseline that faults pages in and keeps
 * them resident without pinning them: mlocked pages stay migratable and
 * nr_foll_pin_acquired does not move.
 */
#include <errno.h>
#include <sys/mman.h>

#include "reg/reg.h"

static int mlock_reg(const struct reg_env *env, struct mem_region *r,
		     int access, void **handle)
{
	if (mlock(r->addr, r->size))
		return errno;
	*handle = r;
	return 0;
}

static int mlock_dereg(void *handle)
{
	struct mem_region *r = handle;

	return munlock(r->addr, r->size) ? errno : 0;
}

static void mlock_expect(const struct reg_env *env, const struct mem_region *r,
			 int access, bool prefault, struct reg_expect *e)
{
	e->outcome = "ok";
	e->pins = 0;
}

static const char *const mlock_entry[] = { "__*_sys_mlock", "__*_sys_munlock",
					   NULL };

const struct registrar reg_mlock = {
	.name = "mlock",
	.help = "mlock/munlock: resident, not pinned (no RDMA device needed)",
	.flags = REG_MEMLOCK,
	.reg = mlock_reg,
	.dereg = mlock_dereg,
	.trace_entry = mlock_entry,
	.expect = mlock_expect,
};
