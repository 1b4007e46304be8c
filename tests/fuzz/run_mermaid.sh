#!/bin/sh
# tests/fuzz/run_mermaid.sh — the timeout check of the Mermaid pipeline
# (`make fuzz` runs it after building the targets).
#  1. every hostile map of issue 12 (bench/gen_mermaid.py --shapes) and
#     every seed, each once, under libFuzzer's -timeout=1;
#  2. fuzzing from the seeds (tests/fuzz/corpus/mermaid/, ../shared/mermaid/
#     when present) for FUZZ_TIME seconds (default 60), -timeout=1: any input
#     that takes a second or 512 MB is a failure, saved as tests/fuzz/crash-*.
# Timeouts are wall-clock: on a machine loaded past its cores, expect false
# alarms (the load average is printed first).
cd "$(dirname "$0")/../.." || exit 1
BIN=tests/fuzz/bin/fuzz_mermaid_layout
[ -x "$BIN" ] || { echo "run_mermaid: $BIN not built (make fuzz)" >&2; exit 1; }
SHARED=${SHARED:-../shared}
T=$(mktemp -d "${TMPDIR:-/tmp}/precis-fuzz.XXXXXX")
trap 'rm -rf "$T"' EXIT
echo "load: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null) on $(nproc 2>/dev/null || echo ?) cores"
python3 bench/gen_mermaid.py --shapes "$T/shapes" >/dev/null || exit 1
set -- "$T"/shapes/*.mmd tests/fuzz/corpus/mermaid/*.mmd
[ -d "$SHARED/mermaid" ] && set -- "$@" "$SHARED"/mermaid/*.mmd
status=0
for f in "$@"; do
	if ! "$BIN" -timeout=1 -rss_limit_mb=512 "$f" >"$T/log" 2>&1; then
		echo "FAIL $f:"; grep -E 'ERROR|timeout|invariant' "$T/log" | head -5
		status=1
	fi
done
echo "run_mermaid: $# inputs once each, -timeout=1: $([ $status = 0 ] && echo ok || echo FAILED)"
mkdir -p "$T/corpus"
"$BIN" -timeout=1 -rss_limit_mb=512 -max_len=16384 -max_total_time="${FUZZ_TIME:-60}" \
	-artifact_prefix=tests/fuzz/ -print_final_stats=1 "$T/corpus" tests/fuzz/corpus/mermaid \
	$([ -d "$SHARED/mermaid" ] && echo "$SHARED/mermaid") >"$T/log" 2>&1 || {
	echo "run_mermaid: fuzzing FAILED:"; grep -E 'ERROR|SUMMARY|invariant|Test unit written' "$T/log" | head -10
	status=1
}
grep -E 'stat::number_of_executed_units|stat::peak_rss_mb' "$T/log" | sed 's/^/run_mermaid: /'
exit $status
