// SPDX-License-Identifier: GPL-2.0
/*
 * refusals: the long-term pins the kernel refuses, as a table. Each case
 * is memory from a source, made read-only or not, registered writable or
 * read-only through ibv_reg_mr, and pinned as an io_uring fixed buffer
 * (the kernel's own FOLL_LONGTERM user, no RDMA driver in the way). The
 * expected outcome comes from the registrars' rules (lib/reg/longterm.c,
 * and regular.c and iouring.c on top), not from this file, and the pins
 * from the kernel's nr_foll_pin_acquired. A refusal is as expected only
 * when its pins are too: as many as the rule says were taken before the
 * kernel said no (often none, one through GUP-fast, every page where
 * io_uring checked after pinning), and every one of them given back.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "fault/fault.h"
#include "kernel/kstat.h"

enum dir_kind { NO_DIR, EXT4_DIR, DAX_DIR };

static const struct refusal {
	const char *name;
	const char *mem;
	enum dir_kind dir;
	bool readonly; /* mprotect(PROT_READ) after populating */
	bool write; /* lw+rr+rw, else a read-only MR (rr) */
	bool iouring; /* also as an io_uring fixed buffer */
} cases[] = {
	{ "ext4-shared-write", "file", EXT4_DIR, false, true, true },
	{ "ext4-shared-read", "file", EXT4_DIR, false, false, false },
	{ "ext4-private-write", "file-private", EXT4_DIR, false, true, true },
	{ "dax-write", "dax", DAX_DIR, false, true, true },
	{ "dax-read", "dax", DAX_DIR, false, false, false },
	{ "tmpfs-shared-write", "memfd", NO_DIR, false, true, true },
	{ "anon-prot-read-write", "anon", NO_DIR, true, true, true },
	{ "anon-prot-read-read", "anon", NO_DIR, true, false, false },
	{ "memfd-prot-read-write", "memfd", NO_DIR, true, true, false },
	{ "memfd-prot-read-read", "memfd", NO_DIR, true, false, false },
};

#define SIZE (64UL << 10)

/* The pins as the rule said, and all of them given back. */
static void check_counters(struct record *rec, const struct reg_expect *e,
			   const struct kstat_window *all, char *fig,
			   size_t len)
{
	struct kstat_snap d;
	long long acquired, released;
	size_t n = strlen(fig);

	kstat_window_delta(all, &d);
	acquired = d.v[KSTAT_FOLL_PIN_ACQUIRED];
	released = d.v[KSTAT_FOLL_PIN_RELEASED];
	/* The counters are the system's: a pin some other I/O took before
	 * the window and dropped in it shows as an unpin more (seen on 7.2,
	 * once in three runs). Fewer unpins than pins is a pin kept. */
	json_object_object_add(rec->extra, "unpins_balanced",
			       json_object_new_boolean(released >= acquired));
	if (e->pins >= 0 && rec->pins != (double)e->pins) {
		rec->counters_unexpected = true;
		n += (size_t)snprintf(fig + n, len - n, " (expected %lld)",
				      e->pins);
	}
	snprintf(fig + n, len - n, ", unpins %lld", released);
	if (released < acquired) {
		rec->counters_unexpected = true;
		snprintf(fig + strlen(fig), len - strlen(fig),
			 " of %lld: pins left behind", acquired);
	}
}

static int attempt(struct fault_env *env, const struct refusal *c,
		   const struct registrar *reg)
{
	int access = c->write ?
			     IBV_ACCESS_LOCAL_WRITE | IBV_ACCESS_REMOTE_READ |
				     IBV_ACCESS_REMOTE_WRITE :
			     IBV_ACCESS_REMOTE_READ;
	const char *dir = c->dir == EXT4_DIR ? env->o->ext4_dir :
			  c->dir == DAX_DIR  ? env->o->dax_dir :
					       NULL;
	struct reg_expect e = { NULL, -1 };
	struct kstat_window w, all;
	struct fault_region fr;
	struct record rec;
	char reason[300], fig[200] = "";
	void *handle;
	int rc;

	fault_record(&rec, "refusals", c->name);
	rec.mem = c->mem;
	rec.reg = reg->name;
	rec.access = c->write ? "lw+rr+rw" : "rr";
	rec.size = SIZE;
	rec.pages = SIZE / mem_base_page();
	json_object_object_add(rec.extra, "prot_read",
			       json_object_new_boolean(c->readonly));
	if (c->dir != NO_DIR && !dir) {
		fault_verdict(&rec, "unsupported");
		record_set_status(&rec, STATUS_UNSUPPORTED, 0,
				  "no --%s DIR given",
				  c->dir == EXT4_DIR ? "ext4" : "dax");
		return fault_emit(env, &rec, NULL);
	}
	if ((reg->probe && reg->probe(&env->reg, reason, sizeof(reason))) ||
	    fault_alloc(c->mem, dir, SIZE, &fr, reason, sizeof(reason))) {
		fault_verdict(&rec, "unsupported");
		record_set_status(&rec, STATUS_UNSUPPORTED, 0, "%s", reason);
		return fault_emit(env, &rec, NULL);
	}
	rec.page_size = fr.r.page_size;
	if (fr.r.fstype[0])
		json_object_object_add(rec.extra, "fstype",
				       json_object_new_string(fr.r.fstype));
	fr.src->populate(&fr.r);
	if (c->readonly) {
		mprotect(fr.r.addr, fr.r.map_len, PROT_READ);
		fr.r.flags |= MEM_READONLY;
	}
	if (reg->expect)
		reg->expect(&env->reg, &fr.r, access, true, &e);
	rec.expected = e.outcome;
	rc = reg_open(reg, &env->reg, &fr.r);
	kstat_window_open(&w);
	if (!rc)
		rc = reg->reg(&env->reg, &fr.r, access, &handle);
	kstat_window_close(&w);
	/* Over the deregistration too, when there is one: it unpins. */
	all.before = w.before;
	if (!rc)
		reg->dereg(handle);
	kstat_window_close(&all);
	rec.pins = kstat_window_per(&w, KSTAT_FOLL_PIN_ACQUIRED, 1);
	rec.unpins = kstat_window_per(&all, KSTAT_FOLL_PIN_RELEASED, 1);
	if (e.pins >= 0)
		json_object_object_add(rec.extra, "pins_expected",
				       json_object_new_int64(e.pins));
	if (!rc) {
		fault_verdict(&rec, "allowed");
		record_set_status(&rec, STATUS_OK, 0, "%s", "");
	} else {
		char v[48];

		snprintf(v, sizeof(v), "refused:%s", errno_name(rc));
		fault_verdict(&rec, v);
		record_set_status(&rec, STATUS_FAILED, rc, "%s refused: %s",
				  reg->name, strerror(rc));
	}
	snprintf(fig, sizeof(fig), "%s, expected %s; pins %.0f",
		 rc ? errno_name(rc) : "ok", e.outcome ? e.outcome : "?",
		 rec.pins);
	check_counters(&rec, &e, &all, fig, sizeof(fig));
	reg_close(reg, &fr.r);
	fault_free(&fr);
	return fault_emit(env, &rec, fig);
}

static int refusals_run(struct fault_env *env)
{
	const struct registrar *regular = registrar_find("regular"),
			       *iouring = registrar_find("iouring");
	int rc = 0;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]) && !rc; i++) {
		if (env->reg.verbs)
			rc = attempt(env, &cases[i], regular);
		if (!rc && cases[i].iouring)
			rc = attempt(env, &cases[i], iouring);
	}
	return rc;
}

const struct fault_scenario fault_refusals = {
	.name = "refusals",
	.help = "long-term pin refusals (ext4 shared, FS-DAX, PROT_READ) with io_uring alongside",
	.run = refusals_run,
};
