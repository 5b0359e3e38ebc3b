// SPDX-License-Identifier: GPL-2.0
/*
 * The cgroup v2 directory of reclaim's pressure case. The lab's guest
 * mounts no cgroup file system; a host with systemd has cgroup2 on
 * /sys/fs/cgroup already. Either way the directory goes right under the
 * root, the one cgroup that may hold processes beside children with
 * controllers, and only the memory controller is asked for. What is
 * changed (the mount, +memory in the root's subtree_control, the
 * directory) is undone by one command noted in the undo log
 * (lib/kernel/restore.c), so that an interrupted run leaves nothing;
 * the changes and the note are made with signals blocked, so that no
 * second Ctrl-C falls between them.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fault/reclaim.h"
#include "kernel/restore.h"
#include "mem/mem.h"

#define CGROUP_MNT "/sys/fs/cgroup"

/*
 * The undo: kill what is left in the directory (cgroup.kill, 5.14),
 * remove it once its processes are gone, then take back the controller
 * and the mount if they were ours. $0 dir, $1 root, $2 and $3 non-empty
 * when the controller and the mount were ours.
 */
static const char undo_sh[] =
	"echo 1 >$0/cgroup.kill 2>/dev/null;for i in 1 2 3 4 5 6 7 8 9;do rmdir $0&&break;sleep .2;done;[ $2 ]&&echo -memory >$1/cgroup.subtree_control;[ $3 ]&&umount $1";

/* The mount point of cgroup2, or false. */
static bool find_mount(char *dir, size_t len)
{
	FILE *f = fopen("/proc/self/mounts", "r");
	char dev[64], mnt[256], type[32];
	bool found = false;

	while (f && !found &&
	       fscanf(f, "%63s %255s %31s %*[^\n]", dev, mnt, type) == 3)
		if (!strcmp(type, "cgroup2"))
			found = snprintf(dir, len, "%s", mnt) < (int)len;
	if (f)
		fclose(f);
	return found;
}

static int put(const char *dir, const char *file, const char *val)
{
	char path[256];
	FILE *f;
	int rc;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if (!(f = fopen(path, "w")))
		return errno;
	rc = fputs(val, f) < 0 ? errno : 0;
	if (fclose(f) && !rc)
		rc = errno;
	return rc;
}

static bool has_word(const char *dir, const char *file, const char *word)
{
	char path[256], line[512];

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if (mem_read_line(path, line, sizeof(line)))
		return false;
	for (char *w = strtok(line, " \n"); w; w = strtok(NULL, " \n"))
		if (!strcmp(w, word))
			return true;
	return false;
}

/* Every change, signals blocked by the caller; 0 or -1 with reason. */
static int change(struct reclaim_cgroup *cg, const char *max, char *reason,
		  size_t len)
{
	const char *argv[] = { "/bin/sh", "-c", undo_sh, cg->dir,
			       cg->root,  "",	"",	 NULL };
	int rc;

	if (!find_mount(cg->root, sizeof(cg->root))) {
		snprintf(cg->root, sizeof(cg->root), "%s", CGROUP_MNT);
		if (mount("cgroup2", cg->root, "cgroup2", 0, NULL)) {
			snprintf(reason, len, "mount -t cgroup2 %s: %s",
				 cg->root, strerror(errno));
			return -1;
		}
		cg->mounted = true;
	}
	if (!has_word(cg->root, "cgroup.controllers", "memory")) {
		snprintf(
			reason, len,
			"cgroup v2 at %s has no memory controller (bound to cgroup v1?)",
			cg->root);
		goto undo_mount;
	}
	if (!has_word(cg->root, "cgroup.subtree_control", "memory")) {
		if ((rc = put(cg->root, "cgroup.subtree_control", "+memory"))) {
			snprintf(reason, len, "+memory in %s: %s", cg->root,
				 strerror(rc));
			goto undo_mount;
		}
		cg->enabled = true;
	}
	snprintf(cg->dir, sizeof(cg->dir), "%s/mrbench-reclaim-%d", cg->root,
		 (int)getpid());
	argv[5] = cg->enabled ? "1" : "";
	argv[6] = cg->mounted ? "1" : "";
	if (mkdir(cg->dir, 0755)) {
		snprintf(reason, len, "mkdir %s: %s", cg->dir, strerror(errno));
		cg->dir[0] = '\0';
	} else if ((rc = put(cg->dir, "memory.max", max))) {
		snprintf(reason, len, "memory.max %s: %s", max, strerror(rc));
	} else if (!restore_command(argv, reason, len)) {
		cg->noted = true;
		return 0;
	}
	reclaim_cgroup_remove(cg);
	return -1;
undo_mount:
	if (cg->mounted)
		umount2(cg->root, 0);
	cg->mounted = false;
	return -1;
}

int reclaim_cgroup_make(struct reclaim_cgroup *cg, const char *max,
			char *reason, size_t len)
{
	sigset_t all, old;
	int rc;

	*cg = (struct reclaim_cgroup){ 0 };
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	rc = change(cg, max, reason, len);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return rc;
}

int reclaim_cgroup_join(const struct reclaim_cgroup *cg)
{
	return put(cg->dir, "cgroup.procs", "0");
}

long long reclaim_cgroup_read(const struct reclaim_cgroup *cg, const char *file,
			      const char *key)
{
	char path[256], line[256], name[64];
	long long v = -1, got;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", cg->dir, file);
	if (!(f = fopen(path, "r")))
		return -1;
	while (v < 0 && fgets(line, sizeof(line), f))
		if (!key ? sscanf(line, "%lld", &got) == 1 :
			   sscanf(line, "%63s %lld", name, &got) == 2 &&
				    !strcmp(name, key))
			v = got;
	fclose(f);
	return v;
}

void reclaim_cgroup_remove(struct reclaim_cgroup *cg)
{
	sigset_t all, old;

	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	if (cg->dir[0]) {
		put(cg->dir, "cgroup.kill", "1");
		/* A killed process leaves its cgroup when it is reaped. */
		for (int i = 0; i < 20 && rmdir(cg->dir) && errno == EBUSY; i++)
			usleep(100000);
	}
	if (cg->enabled)
		put(cg->root, "cgroup.subtree_control", "-memory");
	if (cg->mounted)
		umount2(cg->root, 0);
	/* Undone: the noted command is the newest entry, and not needed. */
	if (cg->noted)
		restore_cancel_last();
	*cg = (struct reclaim_cgroup){ 0 };
	sigprocmask(SIG_SETMASK, &old, NULL);
}
