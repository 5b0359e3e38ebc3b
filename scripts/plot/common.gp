# Shared by every mrbench figure. mrbench plot first loads a parameter
# file that sets: term_name ("pngcairo" or "svg"), outfile, datafile,
# fig_title, nseries, series[] (legend titles) and one line style per
# series; then the figure's own template, which loads this file.
if (term_name eq "svg") {
	set terminal svg size fig_w, fig_h dynamic font "DejaVu Sans,12" background rgb "white"
} else {
	set terminal pngcairo size fig_w, fig_h font "DejaVu Sans,10" background rgb "white"
}
set output outfile
set encoding utf8
set termoption noenhanced
set grid xtics ytics mxtics mytics lc rgb "#dddddd" lw 1 dt solid
set border 3 lc rgb "#444444"
set tics nomirror
set key outside right top vertical Left reverse noautotitle spacing 1.1 font ",9"
set datafile missing "NaN"
# The provenance line (kernels, machine, date, method), small, at the
# bottom; two lines when many sets make it long (footer2 then holds the
# method). A multi-panel template unsets labels 1000 and 1001 after its
# first panel.
set label 1000 footer at screen 0.005, screen (footer2 eq "" ? 0.01 : 0.01 + 13.0 / fig_h) \
	left font ",8" tc rgb "#555555"
if (footer2 ne "") {
	set label 1001 footer2 at screen 0.005, screen 0.01 left font ",8" tc rgb "#555555"
}
