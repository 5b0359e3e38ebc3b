// SPDX-License-Identifier: GPL-2.0
/*
 * Snapshots of the kernel's own accounting. Node counters such as
 * nr_foll_pin_acquired are kept per cpu and folded into the global value
 * only when a per-cpu delta crosses a threshold, so /proc/vmstat can lag
 * by (threshold x cpus) pages. Writing /proc/sys/vm/stat_refresh folds
 * every cpu first, which makes a snapshot exact; it needs root.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kernel/kstat.h"

static const char *const kstat_names[KSTAT_NR] = {
#define KSTAT(id, name) [KSTAT_##id] = name,
#include "kernel/kstat_list.h"
#undef KSTAT
};

static int refresh_state; /* 0 unknown, 1 works, -1 not allowed */

const char *kstat_name(enum kstat_id id)
{
	return kstat_names[id];
}

static void stat_refresh(void)
{
	int fd;

	if (refresh_state < 0)
		return;
	fd = open("/proc/sys/vm/stat_refresh", O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		refresh_state = -1;
		return;
	}
	/* Older kernels answer EINVAL when some counter is negative; the
	 * fold has happened all the same. */
	if (write(fd, "1", 1) < 0) {
		/* nothing to do: see above */
	}
	refresh_state = 1;
	close(fd);
}

bool kstat_exact(void)
{
	if (refresh_state == 0)
		stat_refresh();
	return refresh_state > 0;
}

void kstat_parse(const char *text, struct kstat_snap *s)
{
	const char *line = text;

	memset(s, 0, sizeof(*s));
	while (line && *line) {
		const char *sp = strchr(line, ' ');
		const char *nl = strchr(line, '\n');

		if (sp && (!nl || sp < nl)) {
			size_t len = (size_t)(sp - line);

			for (int i = 0; i < KSTAT_NR; i++) {
				if (strlen(kstat_names[i]) == len &&
				    !memcmp(line, kstat_names[i], len)) {
					s->v[i] = strtoll(sp + 1, NULL, 10);
					s->have[i] = true;
					break;
				}
			}
		}
		line = nl ? nl + 1 : NULL;
	}
}

int kstat_snapshot(struct kstat_snap *s)
{
	/* /proc/vmstat is about 4-8 KiB; read it in one go. */
	static char buf[32768];
	ssize_t n, len = 0;
	int fd;

	stat_refresh();
	fd = open("/proc/vmstat", O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		memset(s, 0, sizeof(*s));
		return -1;
	}
	while ((n = read(fd, buf + len, sizeof(buf) - 1 - (size_t)len)) > 0)
		len += n;
	close(fd);
	buf[len] = '\0';
	kstat_parse(buf, s);
	return 0;
}

void kstat_delta(const struct kstat_snap *a, const struct kstat_snap *b,
		 struct kstat_snap *d)
{
	for (int i = 0; i < KSTAT_NR; i++) {
		d->have[i] = a->have[i] && b->have[i];
		d->v[i] = d->have[i] ? b->v[i] - a->v[i] : 0;
	}
}

void kstat_window_open(struct kstat_window *w)
{
	kstat_snapshot(&w->before);
}

void kstat_window_close(struct kstat_window *w)
{
	kstat_snapshot(&w->after);
}

double kstat_window_per(const struct kstat_window *w, enum kstat_id id,
			size_t ops)
{
	if (!w->before.have[id] || !w->after.have[id] || !ops)
		return -1;
	return (double)(w->after.v[id] - w->before.v[id]) / (double)ops;
}

void kstat_window_delta(const struct kstat_window *w, struct kstat_snap *d)
{
	kstat_delta(&w->before, &w->after, d);
}
