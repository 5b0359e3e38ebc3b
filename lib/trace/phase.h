/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_PHASE_H
#define MRBENCH_PHASE_H

/*
 * The phases a registration's time is split into. user and other are
 * measured, not traced: user is the time outside the kernel (the
 * library, the harness), other the kernel time under no traced function.
 */
enum phase_id {
	PHASE_USER,
	PHASE_ENTRY,
	PHASE_PIN,
	PHASE_FAULT,
	PHASE_MIGRATE,
	PHASE_DMA,
	PHASE_DRIVER,
	PHASE_UNPIN,
	PHASE_WAIT,
	PHASE_OTHER,
	PHASE_COUNT
};

struct phase_desc {
	const char *key; /* in records: "pin" */
	const char *label; /* for people: "pin walk (GUP)" */
	/* Globs of the kernel functions whose own time is this phase;
	 * NULL for the measured phases and for entry, which each
	 * registrar names (struct registrar's trace_entry). */
	const char *const *functions;
};

extern const struct phase_desc phase_table[PHASE_COUNT];

/*
 * The phase a traced function's own time belongs to: the registrar's
 * entry functions first (its syscall handlers), then the table in order;
 * -1 when none names it.
 */
int phase_of(const char *function, const char *const *entry);

#endif
