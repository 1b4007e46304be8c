#!/bin/sh
# bench/text.sh — issue 3's numbers: wrap the 88 KB seed at 80 and 37
# columns, lay out the seed summary, a naive wcwidth loop side by side.
# Targets: ≤ 1 ms to wrap the 88 KB seed at 80 columns; ≤ 0.5 ms for the
# summary. Run by bench/run.sh (`make bench`); env BUILD = build dir.
cd "$(dirname "$0")/.." || exit 1
BUILD=${BUILD:-build}
bin="$BUILD/bench/bench_text"
[ -x "$bin" ] || { echo "text bench: $bin missing (make BUILD=$BUILD bench)" >&2; exit 1; }
mkdir -p bench/out
"$bin" "${RUNS:-201}" | tee bench/out/text.md
