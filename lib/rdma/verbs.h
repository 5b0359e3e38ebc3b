/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_VERBS_H
#define MRBENCH_VERBS_H

#include <infiniband/verbs.h>
#include <stdbool.h>

#include "cli/opt.h"

/* Device selection, as perftest spells it. */
struct verbs_opts {
	const char *dev_name; /* -d; NULL: the first device */
	int port;	      /* -i */
	int gid_index;	      /* -x; -1: let the library choose */
};

struct verbs_ctx {
	struct ibv_context *ctx;
	struct ibv_pd *pd;
	struct ibv_device_attr_ex attr;
	bool have_attr_ex;
	char dev_name[64];
	char provider[32];
	char transport[16];
	int port;
};

extern const struct opt verbs_opt_table[];
void verbs_opts_default(struct verbs_opts *o);
/*
 * Open the chosen device and allocate a PD. Returns 0, or -1 with a
 * one-line message in err: -2 when no RDMA device exists at all (a
 * normal state on a host without RDMA), -1 for anything else.
 */
int verbs_open(const struct verbs_opts *o, struct verbs_ctx *v, char *err,
	       size_t errlen);
/*
 * Whether the device name exists, for a program that checks its input
 * before it starts others that open it: 0, or -1 with a one-line message
 * naming it and the devices there are.
 */
int verbs_find(const char *name, char *err, size_t errlen);
void verbs_close(struct verbs_ctx *v);
/* True and no reason when the device can register ODP memory. */
bool verbs_has_odp(const struct verbs_ctx *v, char *reason, size_t len);

#endif
