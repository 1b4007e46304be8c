#!/bin/sh
# Runs every test and ends with one line "N passed, N failed".
# Unit tests (cmocka, TAP output), then the command line and the TUI
# (tests/cli/*.sh, tests/tui/*.sh), each printing TAP lines.
# Usage: PRECIS=path/to/precis tests/run.sh UNIT_BINARIES...
cd "$(dirname "$0")/.." || exit 1
: "${PRECIS:?}"
export PRECIS CMOCKA_MESSAGE_OUTPUT=TAP
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
pass=0; fail=0
run_one() {
	name=$1; shift
	"$@" >"$log" 2>&1
	status=$?
	p=$(grep -c '^ok ' "$log")
	f=$(grep -c '^not ok ' "$log")
	if [ "$status" != 0 ] && [ "$f" = 0 ]; then
		f=1   # crashed or exited non-zero without saying which test
		echo "not ok - $name exited with status $status" >>"$log"
	fi
	if [ "$p" = 0 ] && [ "$f" = 0 ]; then
		f=1
		echo "not ok - $name ran no test" >>"$log"
	fi
	pass=$((pass + p)); fail=$((fail + f))
	if [ "$f" -gt 0 ]; then
		echo "FAIL $name ($p passed, $f failed)"
		grep -v '^ok ' "$log" | head -80 | sed 's/^/    /'
	else
		echo "ok   $name ($p passed)"
	fi
}
for bin in "$@"; do run_one "unit/$(basename "$bin")" "$bin"; done
for t in tests/cli/*.sh tests/tui/*.sh; do
	[ -f "$t" ] || continue
	run_one "$t" sh "$t"
done
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
