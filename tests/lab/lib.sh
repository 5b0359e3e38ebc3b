# Helpers for the shell tests. They speak TAP, which automake's TAP
# driver reads (TEST_LOG_DRIVER in Makefile.am): each check is a test
# line, "ok N - NAME" or "not ok N - NAME", finish prints the plan after
# the last, and a test that cannot run here says "1..0 # SKIP why".
failures=0
_tap_n=0

# The tests of behaviour (verdicts, counters, signals) boot with the host
# clock and two vCPUs, as they were written for; under the instruction
# clock a boot takes twice the wall time. The comparison test measures
# with mrbench vm's own default (MRBENCH_VM_CLOCK=auto: icount on TCG).
export MRBENCH_VM_CLOCK=${MRBENCH_VM_CLOCK:-host}

_ok() {
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n - $*"
}

_fail() {
	_tap_n=$((_tap_n + 1))
	echo "not ok $_tap_n - $*"
	failures=$((failures + 1))
}

# skip_check WHY: a check that cannot be made here, said as a skipped test.
skip_check() {
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n # SKIP $*"
}

# lab_skip WHY: the whole test cannot run here.
lab_skip() {
	echo "1..0 # SKIP $*"
	exit 0
}

# expect_error CODE TEXT CMD...: CMD exits with CODE (any non-zero when
# CODE is empty) and prints exactly one line on stderr containing TEXT.
expect_error() {
	local code=$1 text=$2 out err rc lines
	shift 2
	err=$("$@" 2>&1 >/dev/null)
	rc=$?
	lines=$(printf '%s\n' "$err" | grep -c .)
	if [ -n "$code" ] && [ "$rc" -ne "$code" ]; then
		_fail "$* exited $rc, expected $code"
	elif [ "$rc" -eq 0 ]; then
		_fail "$* succeeded, expected an error"
	elif [ "$lines" -ne 1 ]; then
		_fail "$* printed $lines lines on stderr: $err"
	elif [[ "$err" != *"$text"* ]]; then
		_fail "$* said '$err', expected '$text'"
	else
		_ok "$* -> $err"
	fi
}

# expect_ok TEXT CMD...: CMD exits 0 and its stdout contains TEXT.
expect_ok() {
	local text=$1 out rc
	shift
	out=$("$@" 2>&1)
	rc=$?
	if [ "$rc" -ne 0 ]; then
		_fail "$* exited $rc: $out"
	elif [[ "$out" != *"$text"* ]]; then
		_fail "$* printed no '$text'"
	else
		_ok "$*"
	fi
}

# The plan, last: a test that dies before it has none, and the driver
# says so. The failures are in the test lines, not the exit status.
finish() {
	echo "1..$_tap_n"
	[ "$failures" -eq 0 ] || echo "# $failures check(s) failed"
	exit 0
}

# check NAME CMD...: CMD succeeds.
check() {
	local name=$1
	shift
	if "$@"; then
		_ok "$name"
	else
		_fail "$name"
	fi
}

# check_jq NAME FILE [JQ-ARGS...] FILTER: the filter, run with -n over the
# JSON Lines in FILE, yields true.
check_jq() {
	local name=$1 file=$2
	shift 2
	if [ ! -s "$file" ]; then
		_fail "$name: no $file"
	elif [ "$(jq -n "$@" < "$file")" = true ]; then
		_ok "$name"
	else
		_fail "$name"
	fi
}

# check_schema NAME FILE...: every record of every FILE is valid against
# the mrbench/1 JSON Schema (schema/mrbench-1.schema.json). The system's
# python3 has Debian's jsonschema (install-deps.sh); another python3
# first on PATH may not.
check_schema() {
	local name=$1 py=python3 out
	shift
	/usr/bin/python3 -c 'import jsonschema' 2>/dev/null && py=/usr/bin/python3
	if out=$("$py" "${MRBENCH_SRCDIR:-.}/tests/lab/schema-check.py" \
		"${MRBENCH_SRCDIR:-.}/schema/mrbench-1.schema.json" "$@" 2>&1); then
		_ok "$name: $(tail -n 1 <<<"$out")"
	else
		_fail "$name: $(head -n 3 <<<"$out" | tr '\n' ' ')"
	fi
}

# lab_vm_failed NAME ERRFILE: a boot that did not happen. Where the lab
# cannot fetch the kernel here (no archive, no keyring, a read-only cache
# without it), that is a check that cannot be made, said as a skip with
# mrbench vm's reason; any other failure of the lab is a failure.
lab_vm_failed() {
	local name=$1 why

	why=$(grep -m 1 -E "no package for|apt-get download .* failed|no Debian archive keyring|is read-only and holds no" "$2")
	if [ -n "$why" ]; then
		skip_check "$name: the lab cannot fetch this kernel here: ${why#mrbench-vm: }"
	else
		_fail "$name: mrbench vm failed: $(tail -3 "$2" | tr '\n' ' ')"
	fi
}

# Skip a lab test where the lab cannot run at all.
lab_require() {
	command -v jq >/dev/null || lab_skip "no jq"
	command -v qemu-system-x86_64 >/dev/null || lab_skip "no qemu-system-x86_64"
}

# A fresh folder for a test's results, inside the build tree (the guest
# sees the host's tree, and writes back into this folder).
lab_outdir() {
	local d="$PWD/tests/lab/out/$1"
	rm -rf "$d"
	mkdir -p "$d"
	echo "$d"
}
