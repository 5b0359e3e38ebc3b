# ODP first touch: for each result set, memory source and operation, the
# median latency of one RDMA operation on a page never touched (cold),
# touched by the CPU only, already mapped for the device, or prefetched
# with ibv_advise_mr. Missing states (no prefetch) leave a gap.
load plot_dir . "/common.gp"
set title fig_title font ",13"
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.85 border rgb "#333333"
set boxwidth 0.9
set logscale y 10
set format y "%g"
set yrange [*:*]
set xtics rotate by -30 nomirror
set ylabel "median latency per operation (µs, log scale)"
# The blank second line keeps the provenance line clear of the label.
set xlabel "result set, memory source, RDMA operation\n "
set key outside right top
plot for [i=1:nseries] datafile using (column(i+1)):xtic(1) ls i title series[i]
