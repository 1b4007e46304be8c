#!/bin/sh
# Bad input end to end: broken files among good ones, encodings, a 100 MB
# file, locked archives, a crash mid-import, two processes (read-only
# archives are in archive_safety.sh).
. "$(dirname "$0")/../lib.sh"

DB="$T_TMP/a.db"
P() { "$PRECIS" --db "$DB" "$@"; }
# The sample records (data/samples/, byte for byte the corpus seeds).
SEED0=$(ls "$T_REPO"/data/samples/000_*.txt)
SEED2=$(ls "$T_REPO"/data/samples/002_*.txt)
count() { P list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))'; }

# A directory tree with bad files among good ones.
D="$T_TMP/tree"
mkdir -p "$D/sub/deeper" "$D/.hidden"
cp "$SEED2" "$D/sub/deeper/good.txt"
cp "$T_REPO/tests/fixtures/parse/srt_variations.srt" "$D/sub/captions.srt"
: >"$D/empty.txt"
printf '\211PNG\r\n\032\n\000\000\000\rIHDR\000\000\000\001' >"$D/sub/image.txt"
head -c 3000 /dev/urandom >"$D/noise.bin"
printf '{"not": "a transcript"}' >"$D/odd.json"
cp "$SEED2" "$D/.hidden/skipped.txt"
printf 'x' >"$D/movie.mp4"   # media files are not transcripts: ignored in walks
out=$(P import "$D" 2>&1); st=$?
check_eq "tree with bad files exits non-zero" 1 "$st"
check_contains "good files are still imported" "$out" "imported 2,"
check_contains "bad files are counted" "$out" "failed 4"
check_contains "empty file named with its reason" "$out" "$D/empty.txt: "
check_contains "binary file named" "$out" "$D/sub/image.txt: "
check_contains "random bytes named" "$out" "$D/noise.bin: "
check_contains "unknown JSON named" "$out" "$D/odd.json: "
check_not_contains "hidden directories are skipped" "$out" ".hidden"
check_not_contains "media files are skipped" "$out" "movie.mp4"
n=$(printf '%s\n' "$out" | grep -c "^$D/empty.txt: ")
check_eq "one line per bad file" 1 "$n"
check_eq "two records" 2 "$(count)"
mkfifo "$T_TMP/fifo.txt"
out=$(P import "$T_TMP/fifo.txt" 2>&1); st=$?
check_eq "a FIFO fails without hanging" 1 "$st"
check_contains "a FIFO is named" "$out" "$T_TMP/fifo.txt: not a regular file"
rm -f "$T_TMP/fifo.txt"
check_status "missing path fails" 1 P import "$T_TMP/nope.txt"
out=$(P import "$T_TMP/nope.txt" 2>&1)
check_contains "missing path is named" "$out" "$T_TMP/nope.txt: No such file or directory"

# Encodings: BOM + CRLF, invalid UTF-8, NUL bytes.
E="$T_TMP/enc"
mkdir -p "$E"
printf '\357\273\277Title: BOM and CRLF\r\nURL: https://example.com/v\r\n\r\nContent:\r\nline one of the crlf text\r\nline two\r\n' >"$E/crlf.txt"
printf 'valid start \377\376 broken \300\201 bytes then the word invalidutf\n' >"$E/bad-utf8.txt"
printf 'has a nul\000 byte inside the word nulword here\n' >"$E/nul.txt"
out=$(P import "$E" 2>&1); st=$?
check_eq "BOM/CRLF, invalid UTF-8 and NUL files import" 0 "$st"
check_contains "invalid UTF-8 is reported" "$out" "bad-utf8.txt: warning"
check_contains "NUL bytes are reported" "$out" "nul.txt: warning"
id=$(P search --json crlf | python3 -c 'import json,sys; print(json.load(sys.stdin)["results"][0]["id"])')
t=$(P show "$id" --meta --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["title"])')
check_eq "BOM does not reach the title" "BOM and CRLF" "$t"
c=$(P show "$id" --content --width 0)
check_not_contains "no CR in stored text" "$c" "$(printf '\r')"
id=$(P search --json invalidutf | python3 -c 'import json,sys; print(json.load(sys.stdin)["results"][0]["id"])')
c=$(P show "$id" --content --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["text"])')
check_contains "invalid bytes became U+FFFD" "$c" "�"
check_eq "NUL file searchable" 1 "$(P search --json nulword | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')"

# A 100 MB transcript: imports, with bounded time and memory (not timed).
python3 - "$T_TMP/big.txt" <<'EOF'
import sys
para = ("这是一个很长的转录文本，用来测试导入大文件时的内存和时间。"
        "The quick brown fox jumps over the lazy dog while the archive grows. ") * 20 + "\n"
target = 100 * 1024 * 1024
with open(sys.argv[1], 'w', encoding='utf-8') as f:
    n = 0
    i = 0
    while n < target:
        s = para if i != 777 else "bigfilemarker 独一无二的标记\n"
        f.write(s)
        n += len(s.encode())
        i += 1
EOF
size=$(wc -c <"$T_TMP/big.txt")
check "big file is at least 100 MB" test "$size" -ge 104857600
if [ -x /usr/bin/time ]; then
	/usr/bin/time -f '%M' -o "$T_TMP/rss" "$PRECIS" --db "$T_TMP/big.db" import --quiet "$T_TMP/big.txt" >"$T_TMP/big.out" 2>&1
	st=$?
	rss=$(tail -1 "$T_TMP/rss")
	echo "# 100 MB import: max RSS ${rss} KB (sanitizer build)"
else
	"$PRECIS" --db "$T_TMP/big.db" import --quiet "$T_TMP/big.txt" >"$T_TMP/big.out" 2>&1
	st=$?
	rss=0
fi
check_eq "100 MB file imports" 0 "$st"
check "100 MB import stays under 3 GB of memory (sanitizer build)" test "${rss:-0}" -lt 3000000
r=$("$PRECIS" --db "$T_TMP/big.db" search --json 独一无二的标记 | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
check_eq "text deep inside the 100 MB file is found" 1 "$r"
rm -f "$T_TMP/big.db" "$T_TMP/big.db-wal" "$T_TMP/big.db-shm"

# Locked archive: a writer holds the lock and writes nothing; import waits
# (10 s without any change to the archive), then says so and counts the
# file it never tried.
L="$T_TMP/locked.db"
"$PRECIS" --db "$L" import --quiet "$SEED0"
python3 - "$L" "$T_TMP/lock-ready" <<'EOF' &
import sqlite3, sys, time, os
c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=0)
c.execute('BEGIN EXCLUSIVE')
open(sys.argv[2], 'w').close()
time.sleep(40)
c.execute('ROLLBACK')
EOF
locker=$!
i=0; while [ ! -f "$T_TMP/lock-ready" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
out=$("$PRECIS" --db "$L" import "$SEED2" 2>&1); st=$?
check_eq "import into a locked archive fails" 1 "$st"
check_contains "locked is said plainly" "$out" "locked by another process"
check_contains "the stopped import counts the file it never tried" "$out" "imported 0, skipped 0, failed 0, not tried 1 (stopped)"
kill "$locker" 2>/dev/null; wait "$locker" 2>/dev/null
check "the archive works again after the lock" "$PRECIS" --db "$L" import --quiet "$SEED2"

# Two processes at once: a background import while list and search run.
C="$T_TMP/conc.db"
mkdir -p "$T_TMP/many"
python3 - "$T_TMP/many" "$SEED2" <<'EOF'
import sys
text = open(sys.argv[2], encoding='utf-8').read()
for i in range(40):
    open(f"{sys.argv[1]}/t{i:03d}.txt", 'w', encoding='utf-8').write(f"unique{i}word\n" + text[i * 500:] )
EOF
"$PRECIS" --db "$C" import --quiet "$SEED0"
"$PRECIS" --db "$C" import --quiet "$T_TMP/many" &
bg=$!
fails=0; runs=0
while kill -0 "$bg" 2>/dev/null && [ $runs -lt 200 ]; do
	"$PRECIS" --db "$C" list >/dev/null 2>"$T_TMP/conc.err" || fails=$((fails+1))
	"$PRECIS" --db "$C" search 马斯克 >/dev/null 2>>"$T_TMP/conc.err" || fails=$((fails+1))
	runs=$((runs+1))
done
wait "$bg"; st=$?
echo "# $runs list+search rounds ran during the import"
check_eq "background import succeeds while others read" 0 "$st"
check_eq "no reader failed during the import" 0 "$fails"
check_eq "all files arrived" 41 "$("$PRECIS" --db "$C" list | wc -l | tr -d ' ')"

# A crash mid-import leaves no half record.
K="$T_TMP/crash.db"
"$PRECIS" --db "$K" import --quiet "$SEED0"
python3 - "$T_TMP/crashdir" <<'EOF'
import os, sys
d = sys.argv[1]; os.makedirs(d, exist_ok=True)
para = "崩溃测试的文本，一遍又一遍。Crash test text, again and again. " * 40 + "\n"
for i in range(6):
    with open(f"{d}/c{i}.txt", 'w', encoding='utf-8') as f:
        f.write(f"crashmarker{i}\n" + para * 8000)
EOF
"$PRECIS" --db "$K" import --quiet "$T_TMP/crashdir" &
victim=$!
sleep 2
kill -9 "$victim" 2>/dev/null
wait "$victim" 2>/dev/null
ic=$(sqlite3 "$K" 'PRAGMA integrity_check' 2>&1)
check_eq "integrity after SIGKILL" ok "$ic"
orphans=$(sqlite3 "$K" "SELECT (SELECT count(*) FROM transcripts t WHERE NOT EXISTS (SELECT 1 FROM texts x WHERE x.transcript_id = t.id)) + (SELECT count(*) FROM texts x WHERE NOT EXISTS (SELECT 1 FROM transcripts t WHERE t.id = x.transcript_id))" 2>&1)
check_eq "no transcript without its text and no stray text" 0 "$orphans"
n=$("$PRECIS" --db "$K" list | wc -l | tr -d ' ')
echo "# $n records survived the crash (1 seed + the files committed before the kill)"
check "crash left the seed and only whole files" test "$n" -ge 1 -a "$n" -le 7
check "search works after the crash" "$PRECIS" --db "$K" search crashmarker0
out=$("$PRECIS" --db "$K" import "$T_TMP/crashdir" 2>&1); st=$?
check_eq "re-import after the crash completes" 0 "$st"
check_eq "all six files now present" 7 "$("$PRECIS" --db "$K" list | wc -l | tr -d ' ')"
for i in 0 1 2 3 4 5; do
	check_eq "crash file $i found once by search" 1 "$("$PRECIS" --db "$K" search --json crashmarker$i | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')"
done

# The default archive: first run creates its directory and the samples.
first=$("$PRECIS" 2>&1); st=$?
check_eq "first run of the default archive exits 0" 0 "$st"
check_contains "first run shows the sample records" "$first" "深度解读Grok4"
check_eq "two samples" 2 "$(printf '%s\n' "$first" | grep -c .)"
check "default archive created under XDG_DATA_HOME" test -f "$XDG_DATA_HOME/precis/archive.db"
second=$("$PRECIS" 2>&1)
check_eq "second run imports nothing more" 2 "$(printf '%s\n' "$second" | grep -c .)"

# Not an archive.
printf 'hello' >"$T_TMP/notdb.db"
out=$("$PRECIS" --db "$T_TMP/notdb.db" list 2>&1); st=$?
check_eq "a non-archive file fails" 1 "$st"
check_contains "and says what is wrong" "$out" "not a precis archive"
out=$("$PRECIS" --db "$T_TMP/none.db" list 2>&1); st=$?
check_eq "a missing explicit archive fails for list" 1 "$st"
check_contains "and says so" "$out" "no archive"

done_testing
