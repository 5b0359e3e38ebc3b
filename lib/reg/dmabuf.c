// SPDX-License-Identifier: GPL-2.0
/*
 * dmabuf: ibv_reg_dmabuf_mr on the dmabuf a source exports (udmabuf).
 * The MR maps the exporter's sg table through dma-buf attachments; no
 * user page is pinned by GUP here (the exporter holds its own pages).
 */
#include <errno.h>
#include <stdio.h>

#include "reg/reg.h"

#define DMABUF_HELP "ibv_reg_dmabuf_mr on a dmabuf source's fd"

#if HAVE_DECL_IBV_REG_DMABUF_MR
static int dmabuf_prepare(const struct mem_region *r, char *reason, size_t len)
{
	if (r->dmabuf_fd >= 0)
		return 0;
	snprintf(reason, len, "dmabuf needs a source that exports a dmabuf (--mem udmabuf or dmaheap)");
	return -1;
}

static int dmabuf_reg(const struct reg_env *env, struct mem_region *r,
		      int access, void **handle)
{
	return reg_mr_handle(ibv_reg_dmabuf_mr(env->verbs->pd, 0, r->size,
					       (uintptr_t)r->addr, r->dmabuf_fd,
					       access),
			     handle);
}

static void dmabuf_expect(const struct reg_env *env, const struct mem_region *r,
			  int access, bool prefault, struct reg_expect *e)
{
	e->pins = 0;
}

/* Providers without dmabuf support (rxe, siw) answer EOPNOTSUPP. */
static bool dmabuf_unsupported(int err, char *reason, size_t len)
{
	if (err != EOPNOTSUPP && err != ENOSYS)
		return false;
	snprintf(reason, len, "the provider has no dmabuf registration");
	return true;
}

const struct registrar reg_dmabuf = {
	.name = "dmabuf",
	.help = DMABUF_HELP,
	.flags = REG_NEEDS_VERBS,
	.prepare = dmabuf_prepare,
	.reg = dmabuf_reg,
	.dereg = reg_dereg_mr,
	.trace_entry = reg_verbs_entry,
	.expect = dmabuf_expect,
	.unsupported = dmabuf_unsupported,
};
#else
const struct registrar reg_dmabuf = {
	.name = "dmabuf",
	.help = DMABUF_HELP,
	.flags = REG_NEEDS_VERBS,
	.unimplemented = "libibverbs has no ibv_reg_dmabuf_mr (rdma-core < 34)",
};
#endif
