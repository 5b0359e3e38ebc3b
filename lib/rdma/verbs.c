// SPDX-License-Identifier: GPL-2.0
/* The verbs context: which device, its PD, and what it can do. */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/quote.h"
#include "rdma/verbs.h"

void verbs_opts_default(struct verbs_opts *o)
{
	o->dev_name = NULL;
	o->port = 1;
	o->gid_index = -1;
}

static int set_dev(void *owner, const char *arg, char *err, size_t errlen)
{
	if (!*arg || strlen(arg) >= 64) {
		snprintf(err, errlen, "invalid device '%s': expected an RDMA device name such as mlx5_0 or rxe0",
			 arg);
		return -1;
	}
	((struct verbs_opts *)owner)->dev_name = arg;
	return 0;
}

static int set_int(const char *arg, int lo, int hi, int *out,
		   const char *what, char *err, size_t errlen)
{
	char *end;
	long v = strtol(arg, &end, 10);

	if (end == arg || *end || v < lo || v > hi) {
		snprintf(err, errlen, "invalid %s '%s': expected %d to %d", what,
			 arg, lo, hi);
		return -1;
	}
	*out = (int)v;
	return 0;
}

static int set_port(void *owner, const char *arg, char *err, size_t errlen)
{
	return set_int(arg, 1, 255, &((struct verbs_opts *)owner)->port,
		       "port", err, errlen);
}

static int set_gid(void *owner, const char *arg, char *err, size_t errlen)
{
	return set_int(arg, 0, 1023, &((struct verbs_opts *)owner)->gid_index,
		       "GID index", err, errlen);
}

const struct opt verbs_opt_table[] = {
	OPT_SET("ib-dev", 'd', "DEV", "RDMA device to use (default: the first)", set_dev),
	OPT_SET("ib-port", 'i', "PORT", "port of the device (1)", set_port),
	OPT_SET("gid-index", 'x', "N", "GID index for RoCE (default: automatic)", set_gid),
	OPT_END,
};

/* The kernel driver behind a device, from sysfs; soft devices have none. */
static void find_provider(struct ibv_device *dev, char *buf, size_t len)
{
	char link[PATH_MAX], target[PATH_MAX];
	ssize_t n;

	snprintf(link, sizeof(link), "%s/device/driver", dev->ibdev_path);
	n = readlink(link, target, sizeof(target) - 1);
	if (n > 0) {
		target[n] = '\0';
		snprintf(buf, len, "%s", basename(target));
		return;
	}
	/* rxe and siw hang off a netdev, not a bus device. */
	if (!strncmp(ibv_get_device_name(dev), "rxe", 3))
		snprintf(buf, len, "rxe");
	else if (!strncmp(ibv_get_device_name(dev), "siw", 3))
		snprintf(buf, len, "siw");
	else
		snprintf(buf, len, "unknown");
}

static void find_transport(struct verbs_ctx *v, struct ibv_device *dev)
{
	struct ibv_port_attr pa;

	if (dev->transport_type == IBV_TRANSPORT_IWARP)
		snprintf(v->transport, sizeof(v->transport), "iWARP");
	else if (!ibv_query_port(v->ctx, (uint8_t)v->port, &pa) &&
		 pa.link_layer == IBV_LINK_LAYER_ETHERNET)
		snprintf(v->transport, sizeof(v->transport), "RoCE");
	else
		snprintf(v->transport, sizeof(v->transport), "IB");
}

static void list_names(struct ibv_device **list, int n, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int i = 0; i < n && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
					 i ? ", " : "", ibv_get_device_name(list[i]));
}

/* The device called name (any when NULL), or NULL and why. */
static struct ibv_device *pick(struct ibv_device **list, int n,
			       const char *name, char *err, size_t errlen)
{
	char names[256], q[96];

	for (int i = 0; i < n; i++)
		if (!name || !strcmp(name, ibv_get_device_name(list[i])))
			return list[i];
	list_names(list, n, names, sizeof(names));
	snprintf(err, errlen, "no RDMA device '%s' (found: %s)",
		 quote(q, sizeof(q), name ? name : "", name ? strlen(name) : 0),
		 n ? names : "none");
	return NULL;
}

int verbs_find(const char *name, char *err, size_t errlen)
{
	int n = 0;
	struct ibv_device **list = ibv_get_device_list(&n);
	int rc = pick(list, list ? n : 0, name, err, errlen) ? 0 : -1;

	if (list)
		ibv_free_device_list(list);
	return rc;
}

int verbs_open(const struct verbs_opts *o, struct verbs_ctx *v, char *err,
	       size_t errlen)
{
	struct ibv_device **list, *dev = NULL;
	int n = 0, rc = -1;

	memset(v, 0, sizeof(*v));
	list = ibv_get_device_list(&n);
	if (!list || n == 0) {
		snprintf(err, errlen, "no RDMA device%s%s%s found: run inside 'mrbench vm' or create one with 'mrbench rxe up'",
			 o->dev_name ? " '" : "", o->dev_name ? o->dev_name : "",
			 o->dev_name ? "'" : "");
		if (list)
			ibv_free_device_list(list);
		return -2;
	}
	dev = pick(list, n, o->dev_name, err, errlen);
	if (!dev)
		goto out;
	v->ctx = ibv_open_device(dev);
	if (!v->ctx) {
		snprintf(err, errlen, "cannot open RDMA device '%s': %s",
			 ibv_get_device_name(dev), strerror(errno));
		goto out;
	}
	v->pd = ibv_alloc_pd(v->ctx);
	if (!v->pd) {
		snprintf(err, errlen, "cannot allocate a PD on '%s': %s",
			 ibv_get_device_name(dev), strerror(errno));
		ibv_close_device(v->ctx);
		v->ctx = NULL;
		goto out;
	}
	v->port = o->port;
	snprintf(v->dev_name, sizeof(v->dev_name), "%s", ibv_get_device_name(dev));
	find_provider(dev, v->provider, sizeof(v->provider));
	find_transport(v, dev);
	v->have_attr_ex = !ibv_query_device_ex(v->ctx, NULL, &v->attr);
	rc = 0;
out:
	ibv_free_device_list(list);
	return rc;
}

void verbs_close(struct verbs_ctx *v)
{
	if (v->pd)
		ibv_dealloc_pd(v->pd);
	if (v->ctx)
		ibv_close_device(v->ctx);
	memset(v, 0, sizeof(*v));
}

bool verbs_has_odp(const struct verbs_ctx *v, char *reason, size_t len)
{
	if (!v->have_attr_ex) {
		snprintf(reason, len, "ibv_query_device_ex failed on %s", v->dev_name);
		return false;
	}
	if (!(v->attr.odp_caps.general_caps & IBV_ODP_SUPPORT)) {
		snprintf(reason, len, "device %s has no ODP capabilities", v->dev_name);
		return false;
	}
	return true;
}
