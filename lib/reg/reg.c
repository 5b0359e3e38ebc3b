// SPDX-License-Identifier: GPL-2.0
/* The list of registrars. */
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
