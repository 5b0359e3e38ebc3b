#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Figures of mrbench scale's held and threads axes, from their JSON Lines,
# until mrbench plot draws bench "scale" records itself:
#
#   scripts/plot/scale.sh OUTDIR FILE.jsonl...
#
# held records: held-latency (reg and dereg medians against N held, log x)
# and held-kmem (kernel bytes per MR: slab, sunreclaim, page tables,
# vmalloc). threads records (threads and --procs together): threads-gibs
# (aggregate GiB/s against T) and threads-latency (registration median),
# a line per kind (threads, processes) and mode (prefault, untouched).
# Where processes outnumber the cores their record has reg_gib_s_bound,
# an upper bound, instead of reg_gib_s: threads-gibs draws it as a series
# of its own, thin and dotted, labelled "bound", never as a throughput.
# size records: size-reg (each run's registration median against the
# size, log-log, and the model of FILE.model.json beside FILE.jsonl when
# there is one, drawn on to the size it predicts).
# Each figure as PNG and SVG. Needs jq and gnuplot.
set -euo pipefail

[ $# -ge 2 ] || { echo "usage: $0 OUTDIR FILE.jsonl..." >&2; exit 2; }
out=$1
shift
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap '[ -n "${MRBENCH_PLOT_KEEP:-}" ] || rm -rf "$tmp"' EXIT
[ -z "${MRBENCH_PLOT_KEEP:-}" ] || echo "data in $tmp" >&2
mkdir -p "$out"

# The first record's words for the title: source, registrar, size, kernel.
describe() {
	jq -rs --arg axis "$1" '[.[] | select(.axis == $axis)][0]
		| "\(.mem) \(.reg) \(.size / 1024 | floor)K, \(.kernel), \(.provider // "no RDMA")"' "${@:2}"
}

# draw TEMPLATE NAME TITLE DATA [GNUPLOT-SETTINGS]
# A string for gnuplot, single-quoted: its quotes doubled (gnuplot's own
# escape there) and control characters dropped, so that nothing from a
# record or the command line is read as code.
gq() {
	printf "'%s'" "$(printf '%s' "$1" | tr -d '\000-\037' | sed "s/'/''/g")"
}

draw() {
	local tpl=$1 name=$2 title=$3 data=$4 more=${5:-}
	for fmt in png svg; do
		gnuplot -e "fmt='$fmt'; outfile=$(gq "$out/$name.$fmt"); datafile=$(gq "$data")" \
			-e "fig_title=$(gq "$title"); $more" "$here/$tpl.gp"
	done
	echo "$out/$name.png $out/$name.svg"
}

num='(if . == null then "NaN" else tostring end)'

if [ "$(jq -s '[.[] | select(.axis == "held" and .status == "ok")] | length' "$@")" -gt 0 ]; then
	# With several runs (--runs), each figure is the runs' median.
	jq -rs 'def med: map(select(. != null)) | sort
			| if length == 0 then null else .[(length - 1) / 2 | floor] end;
		[.[] | select(.axis == "held" and .status == "ok")] | group_by(.held)[]
		| [.[0].held,
		   ([.[].reg_ns.p50] | med / 1000), ([.[].dereg_ns.p50] | med / 1000),
		   ([.[].grow_reg_ns_mean] | med | if . == null then null else . / 1000 end),
		   (.[0].kernel_bytes_per_mr | keys_unsorted[] | select(. != "top_slabs")) as $k
		   | ([.[].kernel_bytes_per_mr[$k]] | med)]
		| map('"$num"') | join(" ")' "$@" > "$tmp/held.dat"
	t=$(describe held "$@")
	draw scale-held held-latency "One more MR while N are held: $t" "$tmp/held.dat"
	draw scale-held-kmem held-kmem "Kernel memory per MR held (system-wide): $t" "$tmp/held.dat"
fi

if [ "$(jq -s '[.[] | select(.axis == "threads" and .status == "ok")] | length' "$@")" -gt 0 ]; then
	# Four blocks: threads prefault, threads untouched, processes
	# prefault, processes untouched; T, GiB/s, reg p50 (us), GiB/s
	# bound (reg_gib_s_bound; NaN where the record has reg_gib_s).
	for procs in false true; do
		for pf in true false; do
			jq -r --argjson procs $procs --argjson pf $pf \
				'select(.axis == "threads" and .status == "ok"
					and (.procs == true) == $procs and .prefault == $pf)
				| [.threads, .reg_gib_s, .reg_ns.p50 / 1000,
				   .reg_gib_s_bound] | map('"$num"') | join(" ")' "$@" |
				sort -n
			[ -n "$(jq -r --argjson procs $procs --argjson pf $pf \
				'select(.axis == "threads" and .status == "ok"
					and (.procs == true) == $procs and .prefault == $pf)
				| 1' "$@")" ] || echo "1 NaN NaN NaN"
			printf '\n\n'
		done
	done > "$tmp/threads.dat"
	t=$(describe threads "$@")
	bound=$(jq -s '[.[] | select(.axis == "threads" and .status == "ok"
			and .reg_gib_s_bound != null)] | length' "$@")
	draw scale-threads threads-gibs "Registering at once, aggregate: $t" "$tmp/threads.dat" \
		"has_bound=$bound"
	draw scale-threads-latency threads-latency "Registering at once, median: $t" "$tmp/threads.dat"
fi

if [ "$(jq -s '[.[] | select(.axis == "size" and .status == "ok")] | length' "$@")" -gt 0 ]; then
	for pf in true false; do
		jq -r --argjson pf $pf 'select(.axis == "size" and .status == "ok"
				and .prefault == $pf)
			| [.size, .reg_ns.p50 / 1000, .run_index] | map('"$num"') | join(" ")' "$@" |
			sort -n
		printf '\n\n'
	done > "$tmp/size.dat"
	models=0
	for f in "$@"; do
		m=${f%.jsonl}.model.json
		[ -f "$m" ] || continue
		models=1
		# The runs' mean of each run's model, at sizes doubling up to
		# the predicted one (bytes, us).
		for pf in true false; do
			jq -r --argjson pf $pf '.predict_bytes as $top
				| [.models[] | select(.prefault == $pf and .op == "reg_ns") | .runs[]] as $r
				| select($r | length > 0)
				| range(12; 64) | pow(2; .) | select(. <= $top) as $b
				| ($b / 4096) as $p
				| [$r[] | .fixed_ns + .per_page_ns * ([$p, (.bend_bytes // 1e30) / 4096] | min)
					+ (.per_page_after_bend_ns // 0) * ([$p - (.bend_bytes // 1e30) / 4096, 0] | max)]
				| (add / length) as $ns | "\($b) \($ns / 1000)"' "$m"
			printf '\n\n'
		done
		break
	done >> "$tmp/size.dat"
	t=$(jq -rs '[.[] | select(.axis == "size")][0]
		| "\(.mem) \(.reg), \(.kernel), \(.provider // "no RDMA")"' "$@")
	draw scale-size size-reg "Registration against size: $t" \
		"$tmp/size.dat" "has_model=$models"
fi
