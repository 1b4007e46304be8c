#!/bin/sh
# Runs every test and ends with one line "N passed, N failed, N skipped".
# Unit tests (cmocka, TAP output), then the command line and the TUI
# (tests/cli/*.sh, tests/tui/*.sh), each printing TAP lines. A check that
# needs the corpus (real transcripts and diagrams in ../shared, or $SHARED)
# is skipped without it ("ok N # SKIP", cmocka prints "not ok N # SKIP"),
# and the run says once how many were skipped.
# Usage: PRECIS=path/to/precis tests/run.sh UNIT_BINARIES...
cd "$(dirname "$0")/.." || exit 1
: "${PRECIS:?}"
# Where the corpus is, as given (for messages) and as an absolute path.
SHARED=${SHARED:-../shared}
shared_shown=$SHARED
[ -d "$SHARED" ] && SHARED=$(cd "$SHARED" && pwd)
export PRECIS SHARED CMOCKA_MESSAGE_OUTPUT=TAP
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
pass=0; fail=0; skipped=0; corpus=0
run_one() {
	name=$1; shift
	"$@" >"$log" 2>&1
	status=$?
	s=$(grep -cE '^(not )?ok .*# SKIP' "$log")
	p=$(grep '^ok ' "$log" | grep -vc '# SKIP')
	f=$(grep '^not ok ' "$log" | grep -vc '# SKIP')
	c=$(sed -n 's/^# corpus not found at .*: \([0-9][0-9]*\) checks skipped$/\1/p' "$log" | tail -1)
	if [ "$status" != 0 ] && [ "$f" = 0 ]; then
		f=1   # crashed or exited non-zero without saying which test
		echo "not ok - $name exited with status $status" >>"$log"
	fi
	if [ "$p" = 0 ] && [ "$f" = 0 ] && [ "$s" = 0 ]; then
		f=1
		echo "not ok - $name ran no test" >>"$log"
	fi
	pass=$((pass + p)); fail=$((fail + f)); skipped=$((skipped + s))
	corpus=$((corpus + ${c:-0}))
	sk=""
	[ "$s" -gt 0 ] && sk=", $s skipped"
	if [ "$f" -gt 0 ]; then
		echo "FAIL $name ($p passed, $f failed$sk)"
		grep -v '^ok ' "$log" | head -80 | sed 's/^/    /'
	else
		echo "ok   $name ($p passed$sk)"
	fi
}
for bin in "$@"; do run_one "unit/$(basename "$bin")" "$bin"; done
for t in tests/cli/*.sh tests/tui/*.sh; do
	[ -f "$t" ] || continue
	run_one "$t" sh "$t"
done
[ "$corpus" -gt 0 ] && echo "corpus not found at $shared_shown: $corpus checks skipped"
echo "$pass passed, $fail failed, $skipped skipped"
[ "$fail" = 0 ]
