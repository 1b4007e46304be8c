#!/bin/sh
# bench/evidence.sh — issue 11's numbers: the evidence engine on the
# labelled set (first-passage precision, invented lines marked none, real
# lines marked none; tune and held-out parts) and the time to compute a
# summary's evidence. Run by bench/run.sh (`make bench`); env BUILD.
# VERBOSE=1 lists every miss.
cd "$(dirname "$0")/.." || exit 1
BUILD=${BUILD:-build}
bin="$BUILD/bench/bench_evidence"
[ -x "$bin" ] || { echo "evidence bench: $bin missing (make BUILD=$BUILD bench)" >&2; exit 1; }
mkdir -p bench/out
"$bin" "${RUNS:-51}" ${VERBOSE:+-v} | tee bench/out/evidence.md
