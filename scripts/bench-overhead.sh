#!/bin/bash
# make bench: is mrbench's harness free? For each size, the same cell
# (anonymous, prefaulted, ibv_reg_mr) timed by mrbench and by rawloop, a
# minimal loop of clock_gettime / ibv_reg_mr / clock_gettime /
# ibv_dereg_mr, alternately ROUNDS times; prints the ratio of the medians
# of their medians, and the spread of the rounds' own ratios. Goal: within
# 1.02. A benchmark: it reports, it does not fail on a slow figure.
#
# Under TCG one run's median moves by 10-40% with the host's load over a
# few seconds, far more than the 2% looked for: the order alternates so
# that neither program always runs first (a drift would then count
# against it), and SPREAD shows whether the ratio can be told from noise.
#
# Runs where there is an RDMA device; elsewhere it reruns itself inside
# the lab VM (MRBENCH_BENCH_KERNEL, default debian:6.12).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
exec_dir=${MRBENCH_EXEC_DIR:-$here/..}
export PATH=$exec_dir:$PATH
sizes=${MRBENCH_BENCH_SIZES:-4096 65536 2097152 67108864}
rounds=${MRBENCH_BENCH_ROUNDS:-5}
secs=${MRBENCH_BENCH_SECONDS:-1}

if [ -z "$(ibv_devices 2>/dev/null | awk 'NR > 2 { print $1 }')" ]; then
	[ -n "${MRBENCH_VM:-}" ] && { echo "bench: no RDMA device" >&2; exit 1; }
	exec mrbench vm -q --kernel "${MRBENCH_BENCH_KERNEL:-debian:6.12}" -- "$0"
fi

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# rawloop runs on the CPU mrbench bound itself to, known after its first run.
run_mrbench() {
	local out

	out=$(mrbench reg -s "$size" --min-time "$secs" --ci-target 0 -f json 2>/dev/null)
	cpu=$(jq -r '.binding.cpu // 0' <<<"$out")
	m+=("$(jq -r '.reg_ns.p50' <<<"$out")")
}
run_raw() { r+=("$(rawloop "$size" "$secs" "$cpu" | cut -d' ' -f1)"); }

printf '%-10s %12s %12s %8s  %s\n' SIZE "mrbench p50" "raw p50" RATIO "SPREAD (rounds)"
for size in $sizes; do
	m=() r=() q=()
	for i in $(seq "$rounds"); do
		if [ $((i % 2)) = 1 ]; then
			run_mrbench
			run_raw
		else
			run_raw
			run_mrbench
		fi
		q+=("$(awk -v m="${m[-1]}" -v r="${r[-1]}" 'BEGIN { print m / r }')")
	done
	mp=$(printf '%s\n' "${m[@]}" | median)
	rp=$(printf '%s\n' "${r[@]}" | median)
	lo=$(printf '%s\n' "${q[@]}" | sort -g | head -1)
	hi=$(printf '%s\n' "${q[@]}" | sort -g | tail -1)
	awk -v s="$size" -v m="$mp" -v r="$rp" -v lo="$lo" -v hi="$hi" -v n="$rounds" \
		'BEGIN { printf "%-10s %12s %12s %8.3f  %.3f..%.3f (%d)\n", s, m, r, m / r, lo, hi, n }'
done
