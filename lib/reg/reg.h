/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_REG_H
#define MRBENCH_REG_H

#include <stdbool.h>
#include <stddef.h>

#include "mem/mem.h"
#include "cli/opt.h"
#include "rdma/verbs.h"

/* What every registrar may use: the verbs context, when there is one. */
struct reg_env {
	struct verbs_ctx *verbs; /* NULL on a host without RDMA */
};

enum reg_flags {
	REG_NEEDS_VERBS = 1 << 0, /* cannot run without an RDMA device */
	REG_MEMLOCK = 1 << 1,	  /* charged to RLIMIT_MEMLOCK without CAP_IPC_LOCK */
	/*
	 * A registration holds a context of its own, made by open (an
	 * io_uring ring has one buffer table): regions held at once are
	 * as many contexts, never many registrations on one.
	 */
	REG_CONTEXT_PER_REGION = 1 << 2,
};

/*
 * The accesses that let the device write (ib_access_writable(): those
 * for which ib_umem_get adds FOLL_WRITE); the other registrars ask for a
 * writable pin or mapping on the same ones.
 */
#define REG_WRITABLE (IBV_ACCESS_LOCAL_WRITE | IBV_ACCESS_REMOTE_WRITE | \
		      IBV_ACCESS_REMOTE_ATOMIC | IBV_ACCESS_MW_BIND)

/*
 * What the running kernel is expected to do with one registration, from a
 * rule in the registrar's own file. outcome: "ok", an errno name, or
 * NULL for no rule; pins: base pages pinned (FOLL_PIN) per registration,
 * for a refusal those pinned (and unpinned) before it, -1 for no rule.
 */
struct reg_expect {
	const char *outcome;
	long long pins;
};

/*
 * A registrar: how memory is handed over. Each lives in one file of
 * lib/reg/ and is listed once in lib/reg/list.h. reg and dereg sit inside
 * the timed region: they do the operation and nothing else, and return 0
 * or a positive errno.
 */
struct registrar {
	const char *name;
	const char *help;
	unsigned flags;
	/*
	 * Set when this build cannot offer it (a library too old): the
	 * registrar is listed, and every cell is unsupported with this as
	 * the reason. Its file swaps the whole descriptor for one that says
	 * only this, instead of an #ifdef in every callback.
	 */
	const char *unimplemented;
	int (*probe)(const struct reg_env *env, char *reason, size_t len);
	/* Optional, outside the timed region: check the region can be handed
	 * over this way at all (a dmabuf registration needs a dmabuf
	 * source) and set up what the registrar needs for it. */
	int (*prepare)(const struct mem_region *r, char *reason, size_t len);
	/*
	 * Optional, outside the timed region: what registering one region
	 * needs (an io_uring ring, a device fd), kept in r->reg_priv until
	 * close, so that each region, and each thread with it, has its own
	 * and nothing lives in the registrar's file.
	 */
	int (*open)(const struct reg_env *env, struct mem_region *r);
	void (*close)(struct mem_region *r);
	int (*reg)(const struct reg_env *env, struct mem_region *r,
		   int access, void **handle);
	int (*dereg)(void *handle);
	/* Optional: the expected outcome for this region and access. */
	void (*expect)(const struct reg_env *env, const struct mem_region *r,
		       int access, bool prefault, struct reg_expect *e);
	/*
	 * Optional: a refusal that means "this device or kernel cannot do
	 * it at all" rather than a verdict on this memory (EOPNOTSUPP from
	 * a provider without dmabuf): the cell becomes unsupported.
	 */
	bool (*unsupported)(int err, char *reason, size_t len);
	/*
	 * Optional: globs of the kernel functions a registration enters by
	 * (its syscall's handlers), whose own time --breakdown calls the
	 * registrar's bookkeeping (lib/trace/phase.h).
	 */
	const char *const *trace_entry;
	/* Optional: the registrar's own options, shown as their own group. */
	const struct opt *opts;
	void *opt_owner;
};

extern const struct registrar *const registrars[];
const struct registrar *registrar_find(const char *name);
/* The optional open and close around a region's registrations. */
int reg_open(const struct registrar *g, const struct reg_env *env,
	     struct mem_region *r);
void reg_close(const struct registrar *g, struct mem_region *r);
/* For verbs registrars: 0 and the MR as handle, or the errno. */
int reg_mr_handle(struct ibv_mr *mr, void **handle);
int reg_dereg_mr(void *handle);
/* Where every verbs registrar enters the kernel: uverbs' write and
 * ioctl handlers. */
extern const char *const reg_verbs_entry[];

#endif
