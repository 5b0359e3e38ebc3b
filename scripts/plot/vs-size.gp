# A figure against region size, log-log: registration on the left,
# deregistration on the right, one line per result set and memory
# source, the error bars the 95% interval of each median. The columns
# (col_reg, col_dereg, each followed by its interval) and the unit
# (ylabel_text, yscale) come from the parameter file.
load plot_dir . "/common.gp"
set multiplot title fig_title font ",13"
set logscale x 2
set logscale y 10
set xtics rotate by -45
set xlabel "region size"
set ylabel ylabel_text
set format y "%g"
set bmargin screen 0.16
set tmargin screen 0.86
set lmargin screen 0.07
set rmargin screen 0.40
set title "registration"
plot for [i=1:nseries] datafile index (i-1) \
	using 1:(column(col_reg)/yscale):(column(col_reg+1)/yscale):(column(col_reg+2)/yscale) \
	with yerrorlines ls i
set lmargin screen 0.48
set rmargin screen 0.81
set title "deregistration"
set key at screen 0.83, screen 0.86 left top font ",10"
plot for [i=1:nseries] datafile index (i-1) \
	using 1:(column(col_dereg)/yscale):(column(col_dereg+1)/yscale):(column(col_dereg+2)/yscale) \
	with yerrorlines ls i title series[i]
unset multiplot
