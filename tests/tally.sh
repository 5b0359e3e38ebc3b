#!/bin/sh
# Count the results in automake .trs files and print one line:
# "N passed, N failed, N skipped". XFAIL counts as passed, XPASS and
# ERROR as failed. Before it, each failed test's own FAIL lines (at most
# ten), because CI keeps only the tail of the output and a red run is
# otherwise silent about what went wrong.
passed=0 failed=0 skipped=0
for trs in "$@"; do
	[ -f "$trs" ] || { failed=$((failed + 1)); continue; }
	while read -r tag result _; do
		[ "$tag" = ":test-result:" ] || continue
		case $result in
		PASS | XFAIL) passed=$((passed + 1)) ;;
		SKIP) skipped=$((skipped + 1)) ;;
		*)
			failed=$((failed + 1))
			log=${trs%.trs}.log
			echo "--- $log:"
			grep -m 10 -E '^(FAIL|not ok)' "$log" 2>/dev/null ||
				tail -n 5 "$log" 2>/dev/null
			;;
		esac
	done <"$trs"
done
echo "$passed passed, $failed failed, $skipped skipped"
