# mrbench scale size: every run's registration median against the size
# (blocks 0 and 1: prefaulted, untouched; columns size in bytes, us, run),
# and with has_model the fitted model, the runs' mean, from the smallest
# size to the predicted one (blocks 2 and 3): the line past the last
# point is a prediction, not a measurement.
load sprintf("%s/scale-common.gp", system("dirname " . ARG0))
set logscale x 2
set logscale y 10
set format x "%.0b%B"
set format y "%g"
set xlabel "region size (log)"
set ylabel "registration, µs (log)"
if (!exists("has_model")) has_model = 0
if (has_model) {
	plot datafile index 0 using 1:2 with points ls 1 title "prefaulted (each run's p50)", \
		'' index 1 using 1:2 with points ls 3 title "untouched (each run's p50)", \
		'' index 2 using 1:2 with lines ls 2 title "prefaulted: model, then prediction", \
		'' index 3 using 1:2 with lines ls 4 title "untouched: model, then prediction"
} else {
	plot datafile index 0 using 1:2 with points ls 1 title "prefaulted (each run's p50)", \
		'' index 1 using 1:2 with points ls 3 title "untouched (each run's p50)"
}
