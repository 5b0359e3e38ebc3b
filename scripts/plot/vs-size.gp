# A figure against region size, log-log, one panel per memory source
# (panel[], npanels, laid out in prows x pcols), each with the same
# series: per result set, registration solid and deregistration dashed,
# the error bars the 95% interval of each median (or the range of the
# run medians). The unit comes from the parameter file (ylabel_text,
# yscale); the one legend stands right of the panels.
load plot_dir . "/common.gp"
set multiplot layout prows, pcols title fig_title font ",13" \
	margins 0.06, 0.84, 90.0 / fig_h, 1 - 70.0 / fig_h spacing 0.06, 110.0 / fig_h
set logscale x 2
set logscale y 10
set xtics rotate by -45 font ",9"
set format y "%g"
set ylabel ylabel_text
set key at screen 0.86, screen 1 - 70.0 / fig_h left top font ",10"
do for [p=1:npanels] {
	set title panel[p] font ",11"
	plot for [i=1:nseries] datafile index ((p - 1) * nseries + i - 1) \
		using 1:($2/yscale):($3/yscale):($4/yscale) \
		with yerrorlines ls i title series[i]
	unset key
	unset label 1000
	unset label 1001
}
unset multiplot
