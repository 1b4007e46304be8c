#!/bin/sh
# bench/search.sh — issue 2's numbers: import throughput, database size
# over text size, and search latency against ripgrep over the same text,
# for synthetic archives of 1,000 and 10,000 transcripts (20–90 KB each,
# mixed Chinese/English, made by bench/gen_archive.c from the sample
# records and English transcripts). Run by bench/run.sh (`make bench`).
# env: BUILD (build dir), PRECIS_BIN (release binary), SIZES (default
# "1000 10000"), RUNS (timed searches per query, default 30).
# Writes bench/out/search.md. Takes about 4 minutes.
cd "$(dirname "$0")/.." || exit 1
BUILD=${BUILD:-build}
PRECIS_BIN=${PRECIS_BIN:-$PWD/precis}
SHARED=${SHARED:-$(cd .. && pwd)/shared}
SIZES=${SIZES:-1000 10000}
RUNS=${RUNS:-30}
OUT=$PWD/bench/out
WORK=${BENCH_TMP:-$OUT/search-work}
GEN=$BUILD/bench/gen_archive
SB=$BUILD/bench/search_bench
mkdir -p "$OUT" "$WORK"

for b in "$GEN" "$SB" "$PRECIS_BIN"; do
	[ -x "$b" ] || { echo "search bench: $b missing (make bench builds it)" >&2; exit 1; }
done
command -v rg >/dev/null || { echo "search bench: ripgrep missing (make deps-bench)" >&2; exit 1; }

# Sources: the sample records (Chinese) and English transcripts.
set -- data/samples/*.txt
for f in 013_bitcoin_english_transcript.txt 003_transcript.en.vtt \
         007_bitcoin_english_captions.srt "022_Prompt - DR - Fred Benenson - AI [1595724171].vtt"; do
	[ -f "$SHARED/transcripts/$f" ] && set -- "$@" "$SHARED/transcripts/$f"
done

# The query set, one or more of each class (issue 9): the most frequent
# CJK characters, rarer CJK, phrases with stop words, a frequent Latin
# word, a prefix, an OR of two frequent words, an AND of a frequent and
# a rare word; "class=query" (search_bench splits them).
QUERIES='cjk-frequent=的
cjk-frequent=一
cjk-frequent=是
cjk-1=马
cjk-2=算力
cjk-4=超大规模
phrase-stop="proof of work"
phrase-stop="of the"
phrase="digital signature"
latin-frequent=the
latin=ledger
prefix=a*
prefix=led*
or=proof OR ledger
and-rare=the preliminary'

now() { date +%s.%N; }
report="$OUT/search.md"
{
	echo "Machine: $(nproc) cores, $(uname -m), SQLite $(sqlite3 --version 2>/dev/null | cut -d' ' -f1), ripgrep $(rg --version | head -1 | cut -d' ' -f2)."
	echo
} >"$report"
for n in $SIZES; do
	dir="$WORK/t$n"
	db="$WORK/a$n.db"
	rm -rf "$dir" "$db" "$db-wal" "$db-shm"
	"$GEN" "$dir" "$n" 42 "$@" >/dev/null || exit 1
	text=$(cat "$dir"/* | wc -c)
	sync
	load=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null)
	t0=$(now)
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f '%U %S' -o "$WORK/cpu" "$PRECIS_BIN" --db "$db" import --quiet "$dir" ||
			{ echo "search bench: import failed" >&2; exit 1; }
		cpu=$(awk '{print $1 + $2}' "$WORK/cpu")
	else
		"$PRECIS_BIN" --db "$db" import --quiet "$dir" || { echo "search bench: import failed" >&2; exit 1; }
		cpu=0
	fi
	t1=$(now)
	dbsize=$(stat -c %s "$db")
	fts=$(sqlite3 "$db" "SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'fts%'" 2>/dev/null)
	python3 - "$n" "$text" "$t0" "$t1" "$dbsize" "${fts:-0}" "$cpu" "${load:-?}" >>"$report" <<'EOF'
import sys
n, text, t0, t1, db, fts, cpu, load = sys.argv[1:]
text, db, fts, cpu = int(text), int(db), int(fts or 0), float(cpu)
secs = float(t1) - float(t0)
print(f"### {int(n):,} transcripts, {text/1e6:.0f} MB of text\n")
line = f"- import: {secs:.1f} s, **{text/1e6/secs:.1f} MB/s** (target ≥ 20)"
if cpu > 0:
    line += f"; {cpu:.1f} s of CPU = {text/1e6/cpu:.1f} MB per CPU second"
print(line + f" (load average {load} when it started)")
line = f"- database: {db/1e6:.0f} MB = **{db/text:.2f}× the text** (target ≤ 3)"
if fts:
    line += f"; of which full-text index {fts/1e6:.0f} MB = {fts/text:.2f}× the text"
print(line)
print()
print("In-process: ar_search() on one warm connection (what the app's search-as-you-type does). Whole process: `precis search --limit 20 QUERY` started anew each time. Path: `ranked` (every match ranked, exact total) or `newest` (the estimated work of ranking was over the budget: the newest matches, `(est.)` total). Work: that estimate, in millions of units (the budget is 0.6).")
print()
print("| class | query | matches | path | work | in-process p50 ms | p95 ms | CPU p50 ms | whole process p50 ms | p95 ms | rg files | rg p50 ms | rg p95 ms | rg / whole process |")
print("|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
EOF
	printf '%s\n' "$QUERIES" | tr '\n' '\0' | PRECIS_BIN="$PRECIS_BIN" xargs -0 "$SB" "$db" "$dir" "$RUNS" >>"$report" || exit 1
	echo >>"$report"
done
cat "$report"
[ -n "$KEEP" ] || rm -rf "$WORK"
