// SPDX-License-Identifier: GPL-2.0
/* The list of registrars. */
#include <errno.h>
#include <string.h>

#include "reg/reg.h"

#define REGISTRAR(id) extern const struct registrar reg_##id;
#include "reg/list.h"
#undef REGISTRAR

const struct registrar *const registrars[] = {
#define REGISTRAR(id) &reg_##id,
#include "reg/list.h"
#undef REGISTRAR
	NULL
};

const struct registrar *registrar_find(const char *name)
{
	for (const struct registrar *const *r = registrars; *r; r++)
		if (!strcmp((*r)->name, name))
			return *r;
	return NULL;
}

int reg_open(const struct registrar *g, const struct reg_env *env,
	     struct mem_region *r)
{
	return g->open ? g->open(env, r) : 0;
}

void reg_close(const struct registrar *g, struct mem_region *r)
{
	if (g->close && r->reg_priv)
		g->close(r);
}

/* The end of every verbs registration: the MR is the handle. */
int reg_mr_handle(struct ibv_mr *mr, void **handle)
{
	if (!mr)
		return errno ? errno : EIO;
	*handle = mr;
	return 0;
}

int reg_dereg_mr(void *handle)
{
	return ibv_dereg_mr(handle);
}

const char *const reg_verbs_entry[] = { "ib_uverbs_write", "ib_uverbs_ioctl",
					NULL };
