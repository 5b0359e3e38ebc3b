# Migration cost: median registration time divided by the pages the
# kernel migrated for it (pgmigrate_success per registration), against
# region size, one line per result set, memory source and page size.
load plot_dir . "/common.gp"
set title fig_title font ",13"
set logscale x 2
set logscale y 10
set format x "%.0b %BB"
set format y "%g"
# The blank second line keeps the provenance line clear of the label.
set xlabel "region size (bytes)\n "
set ylabel "median time per migrated page (ns, log scale)"
plot for [i=1:nseries] datafile index (i-1) using 1:2:3:4 \
	with yerrorlines ls i title series[i]
