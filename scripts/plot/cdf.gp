# Empirical CDF of the raw registration samples, one panel per memory
# source (panel[], npanels, in prows x pcols), in each the same series:
# a line per result set (colour) and region size (dash), the fraction
# of registrations that took at most x. A step is one sample (or a run
# of them): a vertical wall is a steady cell, a staircase a bimodal one.
load plot_dir . "/common.gp"
set multiplot layout prows, pcols title fig_title font ",13" \
	margins 0.06, 0.84, 90.0 / fig_h, 1 - 70.0 / fig_h spacing 0.06, 110.0 / fig_h
set logscale x 10
set format x "%g"
set yrange [0:1]
set ytics 0.25
set xlabel "registration latency (µs, log)"
set ylabel "fraction of samples ≤ x"
set key at screen 0.86, screen 1 - 70.0 / fig_h left top font ",10"
do for [p=1:npanels] {
	set title panel[p] font ",11"
	plot for [i=1:nseries] datafile index ((p - 1) * nseries + i - 1) \
		using 1:2 with steps ls i title series[i]
	unset key
	unset label 1000
	unset label 1001
}
unset multiplot
