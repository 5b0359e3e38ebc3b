// SPDX-License-Identifier: GPL-2.0
/*
 * vmsplice and fork: the page references a pipe holds are the oldest
 * form of "GUP then COW" trouble. vmsplice(2) puts the user's pages
 * themselves in the pipe; what a later read of the pipe returns says
 * which page the pipe kept when a fork made the pages copy-on-write.
 *
 * vmsplice-before-fork: the parent splices, forks, the child writes its
 * own tag, the parent writes another. vmsplice takes plain references
 * (iov_iter_get_pages2, FOLL_GET), not FOLL_PIN pins, so fork's early
 * copy of pinned pages does not apply: the pages stay shared, the
 * parent's write copies them and the pipe keeps the old ones. The pin
 * counters over the vmsplice say which kind of reference it took.
 *
 * vmsplice-in-child: CVE-2020-29374. The child splices the pages it
 * shares with the parent, unmaps them and exits; the parent writes. Had
 * the parent's write reused the page (its mapcount is 1), the pipe
 * would hand the child what the parent wrote after the fork.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fault/fork.h"

#define SPLICE_SIZE (64UL << 10) /* a default pipe holds 16 pages */

#define BEFORE_BECAUSE \
	"vmsplice(2) takes page references (iov_iter_get_pages2, FOLL_GET), not FOLL_PIN, so Linux 5.9's early COW of pinned pages at fork does not apply; 'mm: do_wp_page() simplification' (5.9): the parent's write copies a page something else references, and the pipe keeps the old one"
#define CHILD_BECAUSE \
	"CVE-2020-29374, fixed by 'mm: do_wp_page() simplification' (Linux 5.9): a write fault reuses an anonymous page only when its reference count is one, so the page the child left in the pipe is copied away from"

static const int tags[] = { 1, 2, 3 };

/* Splice the region into fd; bytes in the pipe, or -1 with errno. */
static ssize_t splice_in(int fd, void *addr, size_t len)
{
	struct iovec iov = { addr, len };

	return vmsplice(fd, &iov, 1, 0);
}

/* What n bytes of the pipe hold; "short read" when fewer arrive. */
static const char *pipe_holds(int fd, size_t n, char *buf)
{
	size_t got = 0;
	ssize_t r;

	while (got < n && (r = read(fd, buf + got, n - got)) > 0)
		got += (size_t)r;
	return got == n ? fault_what(buf, n, 0, tags, 3) : "short read";
}

static void case_record(struct record *rec, const char *what, size_t len)
{
	fault_record(rec, "fork-cow", what);
	rec->mem = "anon";
	rec->size = len;
	rec->pages = len / mem_base_page();
	rec->page_size = mem_base_page();
}

/* Run one case in a region and a pipe of its own; 0 or an errno. */
static int one_case(bool in_child, struct fault_region *fr, int p[2],
		    struct record *rec, char *reason, size_t rlen)
{
	struct kstat_window w;
	char *buf = malloc(SPLICE_SIZE), ready;
	const char *holds;
	ssize_t n = SPLICE_SIZE;
	int rdy[2], status, rc = 0;
	pid_t pid;

	if (!buf || pipe(rdy)) {
		free(buf);
		return ENOMEM;
	}
	kstat_window_open(&w);
	if (!in_child && (n = splice_in(p[1], fr->r.addr, SPLICE_SIZE)) < 0) {
		rc = errno;
		snprintf(reason, rlen, "vmsplice failed: %s", strerror(rc));
		goto out;
	}
	kstat_window_close(&w);
	if ((pid = fork()) == 0) {
		if (in_child &&
		    (splice_in(p[1], fr->r.addr, SPLICE_SIZE) != SPLICE_SIZE ||
		     munmap(fr->r.addr, fr->r.map_len)))
			_exit(1);
		if (!in_child)
			fault_fill(fr->r.addr, SPLICE_SIZE, 0, 2);
		_exit(write(rdy[1], "r", 1) == 1 ? 0 : 1);
	}
	if (pid < 0) {
		rc = errno;
		snprintf(reason, rlen, "fork failed: %s", strerror(rc));
		goto out;
	}
	if (read(rdy[0], &ready, 1) != 1) {
		waitpid(pid, &status, 0);
		rc = EIO;
		snprintf(reason, rlen, "the child could not %s",
			 in_child ? "splice and unmap" : "write");
		goto out;
	}
	waitpid(pid, &status, 0);
	fault_fill(fr->r.addr, SPLICE_SIZE, 0, 3);
	holds = pipe_holds(p[0], (size_t)n, buf);
	json_object_object_add(rec->extra, "pipe_holds",
			       json_object_new_string(holds));
	json_object_object_add(rec->extra, "parent_cpu_sees",
			       json_object_new_string(fault_what(
				       fr->r.addr, SPLICE_SIZE, 0, tags, 3)));
	if (!in_child)
		json_object_object_add(
			rec->extra, "vmsplice_pins",
			fault_counter_json(&w, KSTAT_FOLL_PIN_ACQUIRED));
	if (in_child)
		fault_verdict(rec,
			      !strcmp(holds, "tag1") ? "no-leak" :
			      !strcmp(holds, "tag3") ? "parent-write-leaks" :
						       "other");
	else
		fault_verdict(rec,
			      !strcmp(holds, "tag1") ? "pipe-parted" :
			      !strcmp(holds, "tag3") ? "pipe-follows-parent" :
			      !strcmp(holds, "tag2") ? "child-write-leaks" :
						       "other");
	fault_expect(rec, in_child ? "no-leak" : "pipe-parted",
		     in_child ? CHILD_BECAUSE : BEFORE_BECAUSE);
out:
	close(rdy[0]);
	close(rdy[1]);
	free(buf);
	return rc;
}

static int vmsplice_case(struct fault_env *env, bool in_child)
{
	struct fault_region fr;
	struct record rec;
	char reason[300];
	int p[2], rc;

	case_record(&rec,
		    in_child ? "vmsplice-in-child" : "vmsplice-before-fork",
		    SPLICE_SIZE);
	if (fault_alloc("anon", NULL, SPLICE_SIZE, &fr, reason,
			sizeof(reason))) {
		record_set_status(&rec, STATUS_UNSUPPORTED, 0, "%s", reason);
		return fault_emit(env, &rec, NULL);
	}
	fault_fill(fr.r.addr, SPLICE_SIZE, 0, 1);
	if (pipe(p)) {
		rc = errno;
		snprintf(reason, sizeof(reason), "pipe failed: %s",
			 strerror(rc));
	} else {
		rc = one_case(in_child, &fr, p, &rec, reason, sizeof(reason));
		close(p[0]);
		close(p[1]);
	}
	fault_free(&fr);
	if (rc) {
		fault_verdict(&rec, "failed");
		record_set_status(&rec, STATUS_FAILED, rc, "%s", reason);
	}
	return fault_emit(env, &rec, NULL);
}

int fork_vmsplice_cases(struct fault_env *env)
{
	int rc = vmsplice_case(env, false);

	return rc ? rc : vmsplice_case(env, true);
}
