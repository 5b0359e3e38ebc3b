# One result set against another: for every cell timed in both, the ratio
# of the median registration times over runs as a bar from 1, the 95% rank-test
# interval as an error bar, the colour the verdict (the legend's series
# are the verdicts, drawn once with no data).
load plot_dir . "/common.gp"
set title fig_title font ",12"
set logscale y 2
set format y "%g"
set ylabel ylabel_text
set xrange [-1:nrows]
set xtics rotate by -60 font ",8" nomirror
set style fill solid 0.85 border rgb "#333333"
set key outside right top
set grid noxtics
# Room under the tics for the provenance line.
set xlabel " "
plot datafile using 1:2:($1-0.4):($1+0.4):(1):2:5:xtic(6) with boxxyerror fc rgb variable notitle, \
	'' using 1:2:3:4 with yerrorbars lc rgb "#222222" pt 0 ps 0 lw 1 notitle, \
	1 with lines dt 2 lc rgb "#222222" notitle, \
	for [i=1:nseries] NaN with boxes ls i fill solid title series[i]
