#!/bin/sh
# Count the results in automake .trs files and print one line:
# "N passed, N failed, N skipped". XFAIL counts as passed, XPASS and
# ERROR as failed.
passed=0 failed=0 skipped=0
for trs in "$@"; do
	[ -f "$trs" ] || { failed=$((failed + 1)); continue; }
	while read -r tag result _; do
		[ "$tag" = ":test-result:" ] || continue
		case $result in
		PASS | XFAIL) passed=$((passed + 1)) ;;
		SKIP) skipped=$((skipped + 1)) ;;
		*) failed=$((failed + 1)) ;;
		esac
	done <"$trs"
done
echo "$passed passed, $failed failed, $skipped skipped"
