# mrbench scale threads: aggregate registration throughput against the
# threads or processes registering at once. Four blocks: threads
# prefaulted, threads untouched, processes prefaulted, processes
# untouched; columns T, GiB/s, reg p50 (us).
load sprintf("%s/scale-common.gp", system("dirname " . ARG0))
set logscale x 2
set xlabel "threads or processes registering at once (log)"
set ylabel "GiB/s registered (aggregate)"
set yrange [0:*]
plot datafile index 0 using 1:2 with linespoints ls 1 title "threads, prefaulted", \
	'' index 1 using 1:2 with linespoints ls 2 title "threads, untouched", \
	'' index 2 using 1:2 with linespoints ls 3 title "processes, prefaulted", \
	'' index 3 using 1:2 with linespoints ls 4 title "processes, untouched"
