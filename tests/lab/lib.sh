# Helpers for the shell tests: each check prints one line, and finish
# exits 0 (pass) or 1 (fail) as the automake harness expects.
failures=0

# The tests of behaviour (verdicts, counters, signals) boot with the host
# clock and two vCPUs, as they were written for; under the instruction
# clock a boot takes twice the wall time. The comparison test measures
# with mrbench vm's own default (MRBENCH_VM_CLOCK=auto: icount on TCG).
export MRBENCH_VM_CLOCK=${MRBENCH_VM_CLOCK:-host}

_fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
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
		echo "ok: $* -> $err"
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
		echo "ok: $*"
	fi
}

finish() {
	[ "$failures" -eq 0 ] && exit 0
	echo "$failures check(s) failed"
	exit 1
}

# check NAME CMD...: CMD succeeds.
check() {
	local name=$1
	shift
	if "$@"; then
		echo "ok: $name"
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
		echo "ok: $name"
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
		echo "ok: $name: $(tail -n 1 <<<"$out")"
	else
		_fail "$name: $(head -n 3 <<<"$out" | tr '\n' ' ')"
	fi
}

# Skip (77) a lab test where the lab cannot run at all.
lab_require() {
	command -v jq >/dev/null || { echo "SKIP: no jq"; exit 77; }
	command -v qemu-system-x86_64 >/dev/null ||
		{ echo "SKIP: no qemu-system-x86_64"; exit 77; }
}

# A fresh folder for a test's results, inside the build tree (the guest
# sees the host's tree, and writes back into this folder).
lab_outdir() {
	local d="$PWD/tests/lab/out/$1"
	rm -rf "$d"
	mkdir -p "$d"
	echo "$d"
}
