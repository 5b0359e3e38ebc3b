# mrbench scale threads: aggregate registration throughput against the
# threads or processes registering at once. Four blocks: threads
# prefaulted, threads untouched, processes prefaulted, processes
# untouched; columns T, GiB/s, reg p50 (us), GiB/s bound. The bound
# (reg_gib_s_bound: processes past the cores, whose waits for a CPU their
# own clocks leave out) is no throughput reached: it is drawn apart, thin
# and dotted with open markers, and only where has_bound is set.
load sprintf("%s/scale-common.gp", system("dirname " . ARG0))
if (!exists("has_bound")) has_bound = 0
set logscale x 2
set logscale y 10
set format y "%g"
set xlabel "threads or processes registering at once (log)"
set ylabel "GiB/s registered (aggregate, log)"
set style line 13 lc rgb "#d62728" lw 1 pt 12 ps 1.0 dt 3
set style line 14 lc rgb "#d62728" lw 1 pt 10 ps 1.0 dt 3
if (has_bound) {
	set label 1 "bound: past the cores, the sum of\neach process's size / median,\nan upper bound, not reached" \
		at screen 0.755, screen 0.68 left font ",9" tc rgb "#444444"
	plot datafile index 0 using 1:2 with linespoints ls 1 title "threads, prefaulted", \
		'' index 1 using 1:2 with linespoints ls 2 title "threads, untouched", \
		'' index 2 using 1:2 with linespoints ls 3 title "processes, prefaulted", \
		'' index 3 using 1:2 with linespoints ls 4 title "processes, untouched", \
		'' index 2 using 1:4 with linespoints ls 13 title "processes, prefaulted: bound", \
		'' index 3 using 1:4 with linespoints ls 14 title "processes, untouched: bound"
} else {
	plot datafile index 0 using 1:2 with linespoints ls 1 title "threads, prefaulted", \
		'' index 1 using 1:2 with linespoints ls 2 title "threads, untouched", \
		'' index 2 using 1:2 with linespoints ls 3 title "processes, prefaulted", \
		'' index 3 using 1:2 with linespoints ls 4 title "processes, untouched"
}
