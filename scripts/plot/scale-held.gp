# mrbench scale held: the probe's registration and deregistration
# medians, and the mean of the registrations that grew the set, against
# the MRs held (log x). Columns: held, reg p50, dereg p50, grow mean (us).
load sprintf("%s/scale-common.gp", system("dirname " . ARG0))
set logscale x 10
set logscale y 10
set format y "%g"
set xlabel "MRs already registered (log)"
set ylabel "µs (log)"
plot datafile using 1:2 with linespoints ls 1 title "register one more (p50)", \
	'' using 1:3 with linespoints ls 3 title "deregister it (p50)", \
	'' using 1:4 with linespoints ls 5 title "growing the set (mean)"
