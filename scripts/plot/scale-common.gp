# Shared by the scale figures (scripts/plot/scale.sh): fmt ("png" or
# "svg"), outfile, datafile and fig_title come from the command line.
if (fmt eq "svg") {
	set terminal svg size 900, 560 dynamic font "DejaVu Sans,12" background rgb "white"
} else {
	set terminal pngcairo size 900, 560 font "DejaVu Sans,10" background rgb "white"
}
set output outfile
set encoding utf8
set termoption noenhanced
set title fig_title font ",12"
set grid xtics ytics mxtics mytics lc rgb "#dddddd" lw 1 dt solid
set border 3 lc rgb "#444444"
set tics nomirror
set key outside right top vertical Left reverse spacing 1.1 font ",9"
set datafile missing "NaN"
set style line 1 lc rgb "#1f77b4" lw 2 pt 7 ps 0.8
set style line 2 lc rgb "#1f77b4" lw 2 pt 6 ps 0.8 dt 2
set style line 3 lc rgb "#d62728" lw 2 pt 5 ps 0.8
set style line 4 lc rgb "#d62728" lw 2 pt 4 ps 0.8 dt 2
set style line 5 lc rgb "#2ca02c" lw 2 pt 9 ps 0.8
set style line 6 lc rgb "#9467bd" lw 2 pt 11 ps 0.8
