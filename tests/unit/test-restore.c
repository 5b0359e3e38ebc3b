// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kernel/restore.h"

static char dir[] = "/tmp/mrbench-test-restore-XXXXXX";
static char err[256];

/* A fresh file under dir holding content. */
static const char *file(const char *name, const char *content)
{
	static char paths[8][300];
	static int next;
	char *p = paths[next++ % 8];
	FILE *f;

	snprintf(p, sizeof(paths[0]), "%s/%s", dir, name);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(content, f);
	fclose(f);
	return p;
}

static const char *slurp(const char *path)
{
	static char buf[512];
	FILE *f = fopen(path, "r");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void write_then_restore(void **state)
{
	const char *a = file("a", "0\n");

	assert_int_equal(restore_write(a, "3", err, sizeof(err)), 0);
	assert_string_equal(slurp(a), "3");
	/* A second write keeps the first saved content. */
	assert_int_equal(restore_write(a, "7", err, sizeof(err)), 0);
	assert_string_equal(slurp(a), "7");
	restore_all();
	assert_string_equal(slurp(a), "0\n");
}

static void idempotent(void **state)
{
	const char *b = file("b", "64\n");

	assert_int_equal(restore_write(b, "128", err, sizeof(err)), 0);
	restore_all();
	assert_string_equal(slurp(b), "64\n");
	/* Someone else changes it afterwards: a second restore_all must
	 * not write the old value again. */
	file("b", "99\n");
	restore_all();
	assert_string_equal(slurp(b), "99\n");
	/* Written again after a restore: saved content is still the first. */
	assert_int_equal(restore_write(b, "5", err, sizeof(err)), 0);
	restore_all();
	assert_string_equal(slurp(b), "64\n");
}

/*
 * Reverse order: two names for one setting (a symlink), written in turn,
 * end up holding what the first write found.
 */
static void reverse_order(void **state)
{
	const char *c = file("c", "first\n");
	char link[300];

	snprintf(link, sizeof(link), "%s/c-link", dir);
	assert_int_equal(symlink(c, link), 0);
	assert_int_equal(restore_write(c, "second\n", err, sizeof(err)), 0);
	assert_int_equal(restore_write(link, "third\n", err, sizeof(err)), 0);
	assert_string_equal(slurp(c), "third\n");
	restore_all();
	assert_string_equal(slurp(c), "first\n");
	unlink(link);
}

/*
 * A shared counter: what another process added while this one ran stays,
 * in whatever order the two end; and a second grow after a restore
 * counts afresh.
 */
static void add_takes_back_its_delta(void **state)
{
	const char *n = file("nr", "4\n");
	long before, after;

	assert_int_equal(restore_add(n, 32, &before, &after, err, sizeof(err)),
			 0);
	assert_int_equal(before, 4);
	assert_int_equal(after, 36);
	assert_string_equal(slurp(n), "36\n");
	file("nr", "68\n"); /* another run adds 32 */
	assert_int_equal(restore_add(n, 8, NULL, NULL, err, sizeof(err)), 0);
	restore_all();
	assert_string_equal(slurp(n), "36\n");
	file("nr", "0\n"); /* the other run's undo shrank it below ours */
	assert_int_equal(restore_add(n, 2, NULL, NULL, err, sizeof(err)), 0);
	assert_string_equal(slurp(n), "2\n");
	restore_all();
	assert_string_equal(slurp(n), "0\n");
}

/* A shrink (hugepool_refill gives the free pages back first) is undone too. */
static void add_gives_back_a_shrink(void **state)
{
	const char *n = file("shrink", "10\n");

	assert_int_equal(restore_add(n, -4, NULL, NULL, err, sizeof(err)), 0);
	assert_int_equal(restore_add(n, 6, NULL, NULL, err, sizeof(err)), 0);
	assert_string_equal(slurp(n), "12\n");
	file("shrink", "15\n"); /* another run adds 3 */
	restore_all();
	assert_string_equal(slurp(n), "13\n");
}

/* A sysfs choice file saves the chosen word, which is what it accepts. */
static void choice_file(void **state)
{
	const char *d = file("d", "always [madvise] never\n");

	assert_int_equal(restore_write(d, "never", err, sizeof(err)), 0);
	restore_all();
	assert_string_equal(slurp(d), "madvise\n");
}

static void errors(void **state)
{
	char missing[300];

	snprintf(missing, sizeof(missing), "%s/missing", dir);
	err[0] = '\0';
	assert_int_not_equal(restore_write(missing, "1", err, sizeof(err)), 0);
	assert_non_null(strstr(err, missing));
}

/* A forked child that exits must leave its parent's settings alone. */
static void child_does_not_restore(void **state)
{
	const char *e = file("e", "1\n");
	pid_t pid;
	int st;

	assert_int_equal(restore_write(e, "2", err, sizeof(err)), 0);
	pid = fork();
	if (!pid)
		exit(0); /* runs the atexit handler */
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_string_equal(slurp(e), "2");
	restore_all();
	assert_string_equal(slurp(e), "1\n");
}

/*
 * A command runs once, in reverse order among the settings: changed
 * before the command was noted, the setting is still changed when the
 * command runs, and goes back after it.
 */
static void command_in_order(void **state)
{
	const char *f = file("f", "0\n"), *log = file("log", "");
	char script[700];
	const char *argv[] = { "/bin/sh", "-c", script, NULL };

	snprintf(script, sizeof(script), "cat '%s' >> '%s'", f, log);
	assert_int_equal(restore_write(f, "1\n", err, sizeof(err)), 0);
	assert_int_equal(restore_command(argv, err, sizeof(err)), 0);
	restore_all();
	restore_all();
	assert_string_equal(slurp(f), "0\n");
	assert_string_equal(slurp(log), "1\n");
}

/* A state file goes back to the value named, not the one read; one put
 * back by hand is forgotten, and armed again by the next write. */
static void undo_value(void **state)
{
	const char *g = file("g", "online\n"), *h = file("h", "online\n");

	assert_int_equal(restore_write_undo(g, "offline", "online_movable", err,
					    sizeof(err)),
			 0);
	assert_int_equal(restore_write_undo(h, "offline", "online_movable", err,
					    sizeof(err)),
			 0);
	assert_string_equal(slurp(g), "offline");
	file("h", "online\n");
	restore_forget(h);
	restore_all();
	assert_string_equal(slurp(g), "online_movable");
	assert_string_equal(slurp(h), "online\n");
	assert_int_equal(restore_write_undo(h, "offline", "online_movable", err,
					    sizeof(err)),
			 0);
	restore_all();
	assert_string_equal(slurp(h), "online_movable");
}

static void command_too_long(void **state)
{
	const char *argv[] = { "/bin/true", "1", "2", "3", "4",
			       "5",	    "6", "7", "8", NULL };

	err[0] = '\0';
	assert_int_equal(restore_command(argv, err, sizeof(err)), E2BIG);
	assert_non_null(strstr(err, "/bin/true"));
}

static int setup(void **state)
{
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[400];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(write_then_restore),
		cmocka_unit_test(idempotent),
		cmocka_unit_test(reverse_order),
		cmocka_unit_test(choice_file),
		cmocka_unit_test(add_takes_back_its_delta),
		cmocka_unit_test(add_gives_back_a_shrink),
		cmocka_unit_test(errors),
		cmocka_unit_test(child_does_not_restore),
		cmocka_unit_test(command_in_order),
		cmocka_unit_test(command_too_long),
		cmocka_unit_test(undo_value),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
