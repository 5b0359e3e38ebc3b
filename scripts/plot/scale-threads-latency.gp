# mrbench scale threads: the registration median against the threads or
# processes registering at once; blocks as in scale-threads.gp.
load sprintf("%s/scale-common.gp", system("dirname " . ARG0))
set logscale x 2
set logscale y 10
set format y "%g"
set xlabel "threads or processes registering at once (log)"
set ylabel "registration p50 (µs, log)"
plot datafile index 0 using 1:3 with linespoints ls 1 title "threads, prefaulted", \
	'' index 1 using 1:3 with linespoints ls 2 title "threads, untouched", \
	'' index 2 using 1:3 with linespoints ls 3 title "processes, prefaulted", \
	'' index 3 using 1:3 with linespoints ls 4 title "processes, untouched"
