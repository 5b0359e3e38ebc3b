/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_MACHINE_H
#define MRBENCH_MACHINE_H

#include <json-c/json.h>

/*
 * What a result set says about the machine it ran on: the topology from
 * hwloc, the THP and hugepage settings, the kernel's command line.
 */
json_object *machine_json(void);

#endif
