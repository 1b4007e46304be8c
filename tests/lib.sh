# Shell test helpers: each check prints one TAP line ("ok N - name" / "not ok").
# Source from tests/cli/*.sh and tests/tui/*.sh; $PRECIS is the binary under test.
# The corpus of real transcripts and diagrams is $SHARED (tests/run.sh sets
# it; default ../shared beside the repository): guard what needs it with
# `if have_corpus; then … else skip_corpus "what"; fi`.
: "${PRECIS:?PRECIS must point at the binary under test}"
T_N=0
T_FAIL=0
T_CORPUS_SKIP=0
T_TMP=$(mktemp -d "${TMPDIR:-/tmp}/precis-test.XXXXXX")
# at_exit CMD: CMD runs when the test ends, before its temp dir goes (the
# helpers' servers: tmux, the fake LLM); one trap, so none replaces another
T_AT_EXIT=""
at_exit() { T_AT_EXIT="$T_AT_EXIT $1;"; }
trap 'eval "$T_AT_EXIT"; rm -rf "$T_TMP"' EXIT
export HOME="$T_TMP/home" XDG_DATA_HOME="$T_TMP/xdg" XDG_CONFIG_HOME="$T_TMP/cfg" TZ=UTC LC_ALL=C.UTF-8 NO_COLOR=1
unset PRECIS_DB
mkdir -p "$HOME"
SHARED=${SHARED:-$(cd "$(dirname "$0")/../../.." && pwd)/shared}
# The repository (fixtures in tests/fixtures, samples in data/samples).
T_REPO=$(cd "$(dirname "$0")/../.." && pwd)

ok()     { T_N=$((T_N+1)); echo "ok $T_N - $1"; }
not_ok() { T_N=$((T_N+1)); T_FAIL=$((T_FAIL+1)); echo "not ok $T_N - $1"; [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/#   /' | head -40; }

# check NAME COMMAND...: passes when the command exits 0
check() { n=$1; shift; if out=$("$@" 2>&1); then ok "$n"; else not_ok "$n" "$out"; fi; }
# check_fails NAME COMMAND...: passes when the command exits non-zero
check_fails() { n=$1; shift; if out=$("$@" 2>&1); then not_ok "$n" "unexpected success: $out"; else ok "$n"; fi; }
# check_eq NAME EXPECTED ACTUAL
check_eq() { if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "expected: $2
actual:   $3"; fi; }
# check_contains NAME HAYSTACK NEEDLE
check_contains() { case "$2" in *"$3"*) ok "$1";; *) not_ok "$1" "missing: $3
in: $(printf '%s' "$2" | head -c 2000)";; esac; }
check_not_contains() { case "$2" in *"$3"*) not_ok "$1" "unexpected: $3";; *) ok "$1";; esac; }
# check_status NAME EXPECTED_STATUS COMMAND...
check_status() { n=$1; e=$2; shift 2; "$@" >"$T_TMP/out" 2>&1; s=$?; if [ "$s" = "$e" ]; then ok "$n"; else not_ok "$n" "exit $s, wanted $e: $(head -c 1500 "$T_TMP/out")"; fi; }
# have_corpus: true when the corpus is there
have_corpus() { [ -d "$SHARED" ]; }
# skip_corpus WHAT: one skipped check (a TAP "ok N # SKIP" line)
skip_corpus() { T_N=$((T_N+1)); T_CORPUS_SKIP=$((T_CORPUS_SKIP+1)); echo "ok $T_N # SKIP corpus: $1"; }
# as_nobody [FILE...]: root ignores file modes, so permission checks run
# as "nobody" (setpriv). Sets AS to the prefix that does it ("" when not
# root, or without setpriv, or when nobody cannot reach $T_TMP) and
# NB_PRECIS to a copy of $PRECIS nobody can run: the checkout may sit in a
# private directory (a clone under /root, mode 700) nobody cannot enter.
# The FILEs are copied beside it ($NB_DIR/NAME) for the same reason.
as_nobody() {
	AS=""; NB_PRECIS=$PRECIS; NB_DIR=$T_TMP/nobody
	mkdir -p "$NB_DIR"
	for f in "$@"; do cp "$f" "$NB_DIR/"; done
	if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
		chmod 755 "$T_TMP"
		cp "$PRECIS" "$NB_DIR/precis"
		chmod -R a+rX "$NB_DIR"
		if setpriv --reuid=nobody --regid=nogroup --clear-groups env "$NB_DIR/precis" --version >/dev/null 2>&1; then
			AS="setpriv --reuid=nobody --regid=nogroup --clear-groups"
			NB_PRECIS="$NB_DIR/precis"
		else
			echo "# nobody cannot run precis from $NB_DIR: permission checks skipped"
		fi
	fi
}
done_testing() {
	echo "1..$T_N"
	[ "$T_CORPUS_SKIP" = 0 ] || echo "# corpus not found at $SHARED: $T_CORPUS_SKIP checks skipped"
	[ "$T_FAIL" = 0 ]
}
