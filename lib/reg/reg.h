/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_REG_H
#define MRBENCH_REG_H

#include <stdbool.h>
#include <stddef.h>

#include "mem/mem.h"
#include "verbs.h"

/* What every registrar may use: the verbs context, when there is one. */
struct reg_env {
	struct verbs_ctx *verbs; /* NULL on a host without RDMA */
};

enum reg_flags {
	REG_NEEDS_VERBS = 1 << 0, /* cannot run without an RDMA device */
	REG_PINS = 1 << 1,	  /* FOLL_PIN: pins every base page once */
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
	int (*probe)(const struct reg_env *env, char *reason, size_t len);
	int (*reg)(const struct reg_env *env, struct mem_region *r,
		   int access, void **handle);
	int (*dereg)(void *handle);
};

extern const struct registrar *const registrars[];
const struct registrar *registrar_find(const char *name);

#endif
