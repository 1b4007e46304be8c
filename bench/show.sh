#!/bin/sh
# bench/show.sh — issue 12's show limit: time and peak memory of `precis
# show ID` on one-line transcripts of 50 MB and 100 MB, in a pipe (no
# --width: the text is streamed through the sanitiser, never laid out),
# and wrapped at 80 columns (laid out a 1 MB window at a time).
# Target: memory a few MB plus the text, time linear in its size (streamed,
# the text is not held at all: read through a 2 MB page cache). Before
# the streaming printer, the 50 MB line took 13 s and 2.9 GB (a layout of
# ~65 bytes per byte of text); 100 MB, 36 s and 6.9 GB.
# Run by bench/run.sh (`make bench`); env PRECIS_BIN = the binary, SIZES
# (MB, default "50 100"), RUNS (default 3).
cd "$(dirname "$0")/.." || exit 1
bin=${PRECIS_BIN:-$PWD/precis}
[ -x "$bin" ] || { echo "show bench: $bin missing (make)" >&2; exit 1; }
mkdir -p bench/out
tmp=$(mktemp -d "${TMPDIR:-/tmp}/precis-show.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
RUNS=${RUNS:-3}

# measure CMD...: median wall and CPU (user + system) seconds and peak RSS
# (MB) over $RUNS runs, stdout to /dev/null (a pipe's reader would see the
# same bytes). CPU time is what to compare on a busy machine.
measure() {
	python3 - "$RUNS" "$@" <<'PY'
import os, statistics, subprocess, sys, time
runs = int(sys.argv[1]); cmd = sys.argv[2:]
walls, cpus, rss = [], [], []
for _ in range(runs):
    t = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    walls.append(time.monotonic() - t)
    cpus.append(ru.ru_utime + ru.ru_stime)
    rss.append(ru.ru_maxrss / 1024)
    if status != 0:
        sys.exit(f"failed: {cmd}")
print(f"{statistics.median(walls):.2f} {statistics.median(cpus):.2f} {max(rss):.0f}")
PY
}

{
echo "| transcript (one line) | command | wall s (median of $RUNS) | CPU s | MB/s (CPU) | peak RSS MB |"
echo "|---|---|---:|---:|---:|---:|"
for mb in ${SIZES:-50 100}; do
	python3 - "$tmp/line$mb.txt" "$mb" <<'PY'
import sys
chunk = ("这是一个很长的单行转录文本，没有换行，用来测试显示时的内存和时间。"
         "The quick brown fox jumps over the lazy dog on one endless line. ")
target = int(sys.argv[2]) * 1000 * 1000
data = (chunk * (target // len(chunk.encode()) + 1)).encode()[:target]
data = data.decode('utf-8', 'ignore').encode()
open(sys.argv[1], 'wb').write(data + b"END")
PY
	db="$tmp/a$mb.db"
	"$bin" --db "$db" import --quiet "$tmp/line$mb.txt" || exit 1
	rm -f "$tmp/line$mb.txt"
	for args in "--content" "" "--content --json" "--content --width 80"; do
		set -- $args
		r=$(measure "$bin" --db "$db" show 1 "$@") || exit 1
		set -- $r
		rate=$(python3 -c "print(f'{$mb / max($2, 0.001):.0f}')")
		echo "| $mb MB | \`show 1${args:+ $args}\` | $1 | $2 | $rate | $3 |"
	done
	rm -f "$db" "$db-wal" "$db-shm"
done
} | tee bench/out/show.md
