#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Report each test line of a KTAP file (mrbench's results.ktap) as a LAVA
# test case: "ok" pass, "not ok" fail, "# SKIP" skip, with the cell's name
# made a LAVA test case id (letters, digits, '_', '-', '.'). Outside LAVA
# (no lava-test-case on PATH) it prints what it would report.
ktap=${1:?usage: ktap-to-lava.sh FILE.ktap}
[ -r "$ktap" ] || { echo "ktap-to-lava.sh: cannot read '$ktap'" >&2; exit 2; }
report=lava-test-case
command -v "$report" >/dev/null 2>&1 || report=echo
sed -n 's/^\(not ok\|ok\) [0-9][0-9]* \(.*\)$/\1|\2/p' "$ktap" |
while IFS='|' read -r verdict rest; do
	case $rest in
	*"# SKIP"*) result=skip name=${rest%%# SKIP*} ;;
	*) result=$([ "$verdict" = ok ] && echo pass || echo fail) name=$rest ;;
	esac
	id=$(printf '%s' "$name" | sed 's/[^A-Za-z0-9_.-]\{1,\}/_/g; s/^_//; s/_$//')
	"$report" "$id" --result "$result"
done
