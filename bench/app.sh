#!/bin/sh
# bench/app.sh — issue 7's numbers for the full-screen app, through a pty
# (bench/app_bench.py): first frame at 1,000 and 100,000 transcripts,
# opening the 88 KB seed, bytes written per scroll beside less, idle CPU.
# Run by bench/run.sh (`make bench`); env BUILD, PRECIS_BIN, RUNS
# (default 7). Writes bench/out/app.md. Generating the 100,000-row archive
# takes a minute the first time (kept in bench/out/app-work).
cd "$(dirname "$0")/.." || exit 1
BUILD=${BUILD:-build}
PRECIS_BIN=${PRECIS_BIN:-$PWD/precis}
RUNS=${RUNS:-7}
OUT=$PWD/bench/out
WORK=$OUT/app-work
GEN=$BUILD/bench/gen_rows
mkdir -p "$WORK"
for b in "$GEN" "$PRECIS_BIN"; do
	[ -x "$b" ] || { echo "app bench: $b missing (make bench builds it)" >&2; exit 1; }
done
command -v less >/dev/null || { echo "app bench: less missing" >&2; exit 1; }
for n in 1000 100000; do
	[ -s "$WORK/rows$n.db" ] || "$GEN" "$WORK/rows$n.db" $n || exit 1
done
rm -f "$WORK"/seed.db*
"$PRECIS_BIN" --db "$WORK/seed.db" import --quiet data/samples/002_*.txt >/dev/null || exit 1
"$PRECIS_BIN" --db "$WORK/seed.db" show 1 --content --width 0 >"$WORK/seed.txt"
rm -f "$WORK"/seed0.db*
"$PRECIS_BIN" --db "$WORK/seed0.db" import --quiet data/samples/000_*.txt >/dev/null || exit 1
python3 bench/app_bench.py "$PRECIS_BIN" "$WORK/rows1000.db" "$WORK/rows100000.db" \
	"$WORK/seed.db" "$WORK/seed.txt" "$RUNS" "$WORK/seed0.db" | tee "$OUT/app.md"
