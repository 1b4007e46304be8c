#!/bin/sh
# bench/review.sh — issue 16's numbers for the review workflow, through a
# pty (bench/review_bench.py): a scripted review of a queue of 51 summaries
# over the 88 KB seed (data/samples/002_*: the seed itself and 50 copies,
# each with a generated summary, two in ten with a concept map) — keys per
# reviewed transcript and the time of every review key inside precis — and
# a batch approval of 1,000 tagged rows (bench/gen_rows, 3,000 transcripts,
# every third summarized). Run by bench/run.sh (`make bench`); env BUILD,
# PRECIS_BIN, RUNS (default 7). Writes bench/out/review.md.
cd "$(dirname "$0")/.." || exit 1
BUILD=${BUILD:-build}
PRECIS_BIN=${PRECIS_BIN:-$PWD/precis}
RUNS=${RUNS:-7}
OUT=$PWD/bench/out
WORK=$OUT/review-work
GEN=$BUILD/bench/gen_rows
for b in "$GEN" "$PRECIS_BIN"; do
	[ -x "$b" ] || { echo "review bench: $b missing (make bench builds it)" >&2; exit 1; }
done
rm -rf "$WORK"
mkdir -p "$WORK/in"
python3 bench/review_bench.py --make-queue data/samples/002_*.txt "$WORK/in" || exit 1
"$PRECIS_BIN" --db "$WORK/queue.db" import --quiet "$WORK/in" >/dev/null || exit 1
"$GEN" "$WORK/batch.db" 3000 >/dev/null || exit 1
uptime | sed 's/^/load: /' >&2
python3 bench/review_bench.py "$PRECIS_BIN" "$WORK/queue.db" "$WORK/batch.db" "$RUNS" | tee "$OUT/review.md"
