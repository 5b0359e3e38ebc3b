/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MRBENCH_FAULT_H
#define MRBENCH_FAULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/kstat.h"
#include "rdma/qp.h"
#include "out/record.h"
#include "reg/reg.h"
#include "out/sink/sink.h"
#include "cli/size.h"

/* What the user chose for the scenarios. */
struct fault_opts {
	unsigned samples; /* pages sampled per state (odp-*) */
	uint32_t op_size; /* bytes per RDMA operation */
	struct size_list fork_sizes;
	const char *mems; /* odp-first-touch sources: NAME[:ARG],... */
	const char *ext4_dir; /* refusals: a writable-shared-file case */
	const char *dax_dir; /* refusals: the FS-DAX case */
	const char *stall_dev; /* offline, cma-alloc: a scratch block device */
	unsigned fork_reps; /* fork() timings per size */
	bool quick; /* no FAULT_SLOW scenario unless named */
};

/* What a scenario runs against. */
struct fault_env {
	const struct fault_opts *o;
	struct reg_env reg; /* .verbs NULL on a host without RDMA */
	struct loop_qp *qp; /* NULL when the loopback QP failed */
	char no_qp[256]; /* why there is no QP */
	const struct run_meta *meta;
	struct sink_set *sinks;
	const char *self; /* this program, for re-executing itself */
	const struct verbs_opts *vo;
};

enum fault_flags {
	FAULT_NEEDS_QP = 1 << 0, /* moves data through the loopback QP */
	/* Takes tens of seconds in the lab (it fills or reclaims memory):
	 * left out by --quick, as mrbench run's quick suite asks. */
	FAULT_SLOW = 1 << 1,
};

/*
 * A scenario: one behaviour, one file in lib/fault/, one line in
 * lib/fault/list.h. run emits one record per case through fault_emit and
 * returns 0, or -1 when the output could not be written.
 */
struct fault_scenario {
	const char *name;
	const char *help;
	unsigned flags;
	int (*run)(struct fault_env *env);
};

extern const struct fault_scenario *const fault_scenarios[];
const struct fault_scenario *fault_scenario_find(const char *name);

/* A record for one case of a scenario, bench "fault". */
void fault_record(struct record *rec, const char *scenario, const char *what);
void fault_verdict(struct record *rec, const char *verdict);
/* Write rec to the sinks (the table among them); frees rec. */
int fault_emit(struct fault_env *env, struct record *rec, const char *figures);
/* A scenario that cannot run at all: one unsupported record. */
int fault_unsupported(struct fault_env *env, const char *scenario,
		      const char *reg, const char *reason);

/* Latency samples of one kind of access, summarised into rec->extra. */
json_object *fault_stats_json(const uint64_t *ns, size_t n);
double fault_p50(const uint64_t *ns, size_t n);

/*
 * A byte pattern that differs per tag and per offset in the region (off:
 * where p sits in it), so bytes read back through the bounce buffer are
 * checked against where they came from. Never zero.
 */
void fault_fill(void *p, size_t len, size_t off, uint8_t tag);
/* Index of the first byte that does not match, or -1. */
long fault_check(const void *p, size_t len, size_t off, uint8_t tag);
bool fault_is_zero(const void *p, size_t len);

/*
 * A regular MR over [addr, addr + len) with the access every coherence
 * check needs (local write, remote read and write); NULL with errno set
 * and "ibv_reg_mr failed: ..." in reason.
 */
struct ibv_mr *fault_reg_mr(struct fault_env *env, void *addr, size_t len,
			    char *reason, size_t rlen);

/* A region of a memory source, and the source that frees it. */
struct fault_region {
	struct mem_region r;
	const struct mem_source *src;
};

/* Probe and allocate (not populate); 0, or -1 with the reason. */
int fault_alloc(const char *mem, const char *arg, size_t size,
		struct fault_region *fr, char *reason, size_t len);
void fault_free(struct fault_region *fr);

/*
 * n operations of op_size bytes at base + i * stride through mr, one at a
 * time, each timed into ns[i]. A WRITE first fills the bounce buffer with
 * the pattern of tag for that offset; a READ is checked against it (tag 0:
 * zeros) unless tag < 0. Returns 0 with *bad the number of reads whose
 * data was wrong, or the errno of the first failed operation (err says
 * which and why).
 */
int fault_pass(struct fault_env *env, struct ibv_mr *mr, void *base,
	       size_t stride, size_t n, enum qp_op op, int tag, uint64_t *ns,
	       size_t *bad, char *err, size_t errlen);
/* What a run of bytes holds: "zeros", "tagN" for pattern N, or "other". */
const char *fault_what(const void *p, size_t len, size_t off, const int *tags,
		       size_t ntags);
/* One READ of op_size at off into the bounce buffer, then fault_what. */
const char *fault_device_sees(struct fault_env *env, struct ibv_mr *mr,
			      void *base, size_t off, const int *tags,
			      size_t ntags, char *err, size_t errlen);
/* A record's verdict expectation and where it comes from. */
void fault_expect(struct record *rec, const char *verdict, const char *because);
/* A scenario's own figure in rec->extra. */
void fault_add_int(struct record *rec, const char *key, long long v);
void fault_add_bool(struct record *rec, const char *key, bool v);
/* One counter over a window, for a record; NULL when the kernel lacks it. */
json_object *fault_counter_json(const struct kstat_window *w, enum kstat_id id);

/* The ODP scenarios, shared with odp-implicit. */
int fault_odp_probe(struct fault_env *env, bool implicit, char *reason,
		    size_t len);
struct ibv_mr *fault_odp_reg(struct fault_env *env, void *addr, size_t len,
			     bool implicit, int *err);
/* ibv_advise_mr PREFETCH_WRITE, synchronous; 0 or a positive errno. */
int fault_odp_prefetch(struct fault_env *env, struct ibv_mr *mr, void *addr,
		       size_t len);
int fault_odp_touch_cells(struct fault_env *env, bool implicit);
/*
 * A comma list of NAME[:ARG] for odp-first-touch (--mem): 0 when every
 * name is a memory source, or -1 with an error naming the first that is
 * not and listing those there are.
 */
int fault_mems_check(const char *list, char *err, size_t errlen);
int fault_odp_inval_cells(struct fault_env *env, bool implicit);
/* The ibv_fork_init variant of "fork", run as a fresh process. */
int fault_fork_init_child(const struct verbs_opts *vo);

#endif
