// SPDX-License-Identifier: GPL-2.0
/*
 * Phase attribution, on hand-made events and on traces recorded in the
 * lab (mrbench reg --breakdown --breakdown-events, tests/unit/data/).
 * The 6.12 trace was taken before the window came from the trace itself
 * (its op lines carry the harness's clock); both forms split alike.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reg/reg.h"
#include "trace/attrib.h"
#include "trace/dump.h"
#include "trace/phase.h"

#define E(t, p, f)                    \
	{                             \
		t, TEV_FN_ENTRY, p, f \
	}
#define X(t, p, f)                   \
	{                            \
		t, TEV_FN_EXIT, p, f \
	}
#define S(t)                            \
	{                               \
		t, TEV_SYS_ENTER, -1, 0 \
	}
#define R(t)                           \
	{                              \
		t, TEV_SYS_EXIT, -1, 0 \
	}

/*
 * A registration from 0 to 100: syscall 10..90; uverbs 20..80 calls the
 * driver 25..75, which calls the umem 30..70, which pins 35..60 with a
 * fault 40..50 inside.
 */
static const struct tev nested[] = {
	S(10),
	E(20, PHASE_ENTRY, 0),
	E(25, PHASE_DRIVER, 1),
	E(30, PHASE_DMA, 2),
	E(35, PHASE_PIN, 3),
	E(40, PHASE_FAULT, 4),
	X(50, PHASE_FAULT, 4),
	X(60, PHASE_PIN, 3),
	X(70, PHASE_DMA, 2),
	X(75, PHASE_DRIVER, 1),
	X(80, PHASE_ENTRY, 0),
	R(90),
};

static void own_time_per_phase(void **state)
{
	struct op_split s;

	assert_int_equal(attrib_split(nested, 12, 0, 100, &s), 0);
	assert_int_equal(s.total, 100);
	assert_int_equal(s.ns[PHASE_FAULT], 10);
	assert_int_equal(s.ns[PHASE_PIN], 15);
	assert_int_equal(s.ns[PHASE_DMA], 15);
	assert_int_equal(s.ns[PHASE_DRIVER], 10);
	/* Its own 20..25 and 75..80, and the syscall's entry and exit under
	 * no traced function: 10..20 and 80..90. */
	assert_int_equal(s.ns[PHASE_ENTRY], 30);
	assert_int_equal(s.ns[PHASE_OTHER], 0);
	/* Outside the syscall: 0..10 and 90..100. */
	assert_int_equal(s.ns[PHASE_USER], 20);
}

/* A release run on the way back to user space, after the syscall. */
static void function_outside_syscall(void **state)
{
	static const struct tev ev[] = {
		S(10),
		R(20),
		E(30, PHASE_UNPIN, 0),
		X(60, PHASE_UNPIN, 0),
	};
	struct op_split s;

	assert_int_equal(attrib_split(ev, 4, 0, 100, &s), 0);
	assert_int_equal(s.ns[PHASE_UNPIN], 30);
	/* A syscall without the registrar's entry: another one's time. */
	assert_int_equal(s.ns[PHASE_OTHER], 10);
	assert_int_equal(s.ns[PHASE_USER], 60);
}

/* Lost events must not become a plausible split. */
static void broken_traces_refused(void **state)
{
	static const struct tev wrong_exit[] = { S(1), E(2, PHASE_PIN, 0),
						 X(3, PHASE_PIN, 1), R(4) };
	static const struct tev unclosed[] = { S(1), E(2, PHASE_PIN, 0), R(4) };
	struct op_split s;

	/* An exit lost from the middle: the nesting breaks. */
	assert_int_equal(attrib_split(nested, 6, 0, 100, &s), EPROTO);
	assert_int_equal(attrib_split(wrong_exit, 4, 0, 10, &s), EPROTO);
	assert_int_equal(attrib_split(unclosed, 3, 0, 10, &s), EPROTO);
	/* An event outside the window: the clocks differ. */
	assert_int_equal(attrib_split(nested, 12, 0, 80, &s), EPROTO);
	assert_int_equal(attrib_split(nested, 12, 15, 100, &s), EPROTO);
}

static void functions_to_phases(void **state)
{
	assert_int_equal(phase_of("ib_uverbs_ioctl", reg_verbs_entry),
			 PHASE_ENTRY);
	assert_int_equal(phase_of("rxe_reg_user_mr", reg_verbs_entry),
			 PHASE_DRIVER);
	assert_int_equal(phase_of("mlx5_ib_dereg_mr", reg_verbs_entry),
			 PHASE_DRIVER);
	assert_int_equal(phase_of("ib_umem_get", reg_verbs_entry), PHASE_DMA);
	assert_int_equal(phase_of("pin_user_pages_fast", NULL), PHASE_PIN);
	assert_int_equal(phase_of("handle_mm_fault", NULL), PHASE_FAULT);
	assert_int_equal(phase_of("migrate_longterm_unpinnable_folios", NULL),
			 PHASE_MIGRATE);
	assert_int_equal(phase_of("ib_umem_release", NULL), PHASE_UNPIN);
	assert_int_equal(phase_of("wait_for_completion_interruptible", NULL),
			 PHASE_WAIT);
	/* Off-CPU time comes from sched_switch: schedule is not patched. */
	assert_int_equal(phase_of("schedule", NULL), -1);
	assert_int_equal(phase_of("vfs_write", reg_verbs_entry), -1);
}

static FILE *recorded(const char *name)
{
	const char *dir = getenv("srcdir");
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/tests/unit/data/%s", dir ? dir : ".",
		 name);
	f = fopen(path, "r");
	assert_non_null(f);
	return f;
}

/* Every op of a recorded 6.12 run over rxe splits, the phases add up,
 * and the 64M registration spends most of its time in the pin walk. */
static void recorded_regular_612(void **state)
{
	FILE *f = recorded("trace-6.12-regular.txt");
	struct dumped_op op;
	unsigned ops = 0, big = 0;
	int rc;

	while ((rc = dump_read(f, &op)) == 1) {
		struct op_split s;
		uint64_t sum = 0;
		int top = 0;

		assert_int_equal(attrib_split(op.ev, op.n, op.t0, op.t1, &s),
				 0);
		for (int p = 0; p < PHASE_COUNT; p++) {
			sum += s.ns[p];
			if (s.ns[p] > s.ns[top])
				top = p;
		}
		assert_int_equal(sum, op.t1 - op.t0);
		/* The traced functions cover 90% of the kernel's time. */
		assert_true(s.ns[PHASE_OTHER] * 10 <= s.total);
		if (strstr(op.label, "/64M/") && !strcmp(op.op, "reg")) {
			assert_int_equal(top, PHASE_PIN);
			big++;
		}
		if (!strcmp(op.op, "dereg"))
			assert_int_equal(s.ns[PHASE_PIN], 0);
		ops++;
		dumped_op_free(&op);
	}
	assert_int_equal(rc, 0);
	assert_int_equal(ops, 6);
	assert_int_equal(big, 1);
	fclose(f);
}

/*
 * 6.1's io_uring: unregistering a 4K fixed buffer sleeps 12 ms waiting
 * for its resource node (io_rsrc_ref_quiesce), registering does not.
 */
static void recorded_iouring_61(void **state)
{
	FILE *f = recorded("trace-6.1-iouring.txt");
	struct dumped_op op;
	unsigned ops = 0;

	while (dump_read(f, &op) == 1) {
		struct op_split s;

		assert_int_equal(attrib_split(op.ev, op.n, op.t0, op.t1, &s),
				 0);
		if (!strcmp(op.op, "dereg")) {
			assert_true(s.ns[PHASE_WAIT] * 100 >= s.total * 99);
			assert_true(s.ns[PHASE_UNPIN] > 0);
		} else {
			assert_int_equal(s.ns[PHASE_WAIT], 0);
			assert_true(s.ns[PHASE_PIN] > 0);
		}
		ops++;
		dumped_op_free(&op);
	}
	assert_int_equal(ops, 2);
	fclose(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(own_time_per_phase),
		cmocka_unit_test(function_outside_syscall),
		cmocka_unit_test(broken_traces_refused),
		cmocka_unit_test(functions_to_phases),
		cmocka_unit_test(recorded_regular_612),
		cmocka_unit_test(recorded_iouring_61),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
