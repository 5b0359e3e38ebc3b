/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_MEM_PLACE_KIND_H
#define MRBENCH_MEM_PLACE_KIND_H

#include <stdbool.h>

/* The pages a placement is made of, from the source's argument. */
enum place_kind { KIND_4K, KIND_THP, KIND_HUGETLB_2M };

#define HUGE_2M (2UL << 20)

extern const char *const place_kind_names[];
/* 4k (also for none), thp, hugetlb-2m, each +starve; -1 for others. */
int place_parse_arg(const char *arg, enum place_kind *kind, bool *starve);

#endif
