# Where the time goes (mrbench reg --breakdown): one stacked bar per cell,
# the share of a traced registration (left) and deregistration (right)
# spent in each phase. The data file holds, per row, the cell's label and
# ten shares in % for each operation, in the records' phase order; the
# parameter file says which phases are drawn (pcol[], their reg column;
# the dereg one is nphases further), and the notes[] under the bars name
# the phases left out and why.
load plot_dir . "/common.gp"
set multiplot title fig_title . "\n" . fig_subtitle font ",12"
set style data histogram
set style histogram rowstacked
set style fill solid 0.9 border rgb "#333333"
set boxwidth 0.75
set yrange [0:100]
set ytics 10
set grid noxtics
set xtics rotate by -45 nomirror
set xlabel "region size"
set ylabel "share of the traced time (%)"
set bmargin screen 0.16 + 0.035 * nnotes
set tmargin screen 0.84
do for [i=1:nnotes] {
	set label i notes[i] at screen 0.01, screen 0.035 * (nnotes - i + 1) - 0.01 left font ",9"
}
set lmargin screen 0.06
set rmargin screen 0.34
set title "registration"
plot for [i=1:nseries] datafile using (column(pcol[i])):xtic(1) ls i notitle
# The notes are drawn once, with the first panel.
unset label
set lmargin screen 0.40
set rmargin screen 0.68
set title "deregistration"
set key at screen 0.70, screen 0.84 left top font ",9"
plot for [i=1:nseries] datafile using (column(pcol[i] + nphases)):xtic(1) ls i title series[i]
unset multiplot
