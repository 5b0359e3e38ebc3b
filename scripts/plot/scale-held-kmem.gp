# mrbench scale held: what grew in the kernel's own memory per MR added,
# system-wide (/proc/meminfo), against the MRs held (log x). Columns 5-8:
# slab, sunreclaim, page tables, vmalloc, in bytes per MR.
load sprintf("%s/scale-common.gp", system("dirname " . ARG0))
set logscale x 10
set xlabel "MRs registered (log)"
set ylabel "bytes per MR added"
set yrange [0:*]
plot datafile using 1:5 with linespoints ls 1 title "Slab", \
	'' using 1:6 with linespoints ls 2 title "SUnreclaim", \
	'' using 1:7 with linespoints ls 3 title "PageTables", \
	'' using 1:8 with linespoints ls 5 title "VmallocUsed"
