/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_REG_LONGTERM_H
#define MRBENCH_REG_LONGTERM_H

#include "mem/mem.h"
#include "reg/reg.h"

/* The GUP flags a registrar adds to FOLL_PIN | FOLL_LONGTERM. */
enum longterm_gup {
	LONGTERM_WRITE = 1 << 0, /* FOLL_WRITE */
	LONGTERM_FORCE = 1 << 1, /* FOLL_FORCE */
	LONGTERM_FAST = 1 << 2, /* through pin_user_pages_fast() */
	LONGTERM_UNTOUCHED = 1 << 3, /* the region is not prefaulted */
};

/*
 * The kernel's answer to a long-term pin of region r with the gup flags
 * (enum longterm_gup) on kernel version kv (KVER): outcome "ok" and one
 * pin per base page, or the errno name and the pins taken (and given
 * back) before the refusal. Rules of the registrar's own code come on
 * top, through longterm_refused().
 */
void longterm_expect(const struct mem_region *r, unsigned gup, int kv,
		     struct reg_expect *e);
/* A refusal: outcome err (an errno name), nothing pinned. */
void longterm_refused(struct reg_expect *e, const char *err);

#endif
