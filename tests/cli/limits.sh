#!/bin/sh
# Limits (issue 12): `show` of a huge one-line transcript streams it —
# memory stays bounded (not ~65 bytes per byte of text, as when a layout
# was made for it) and the bytes out are the text; a failed allocation
# ends with one line "precis: out of memory …" and exit status 1, never a
# bare abort. Not timed (speed is in make bench: bench/show.sh).
. "$(dirname "$0")/../lib.sh"

DB="$T_TMP/big.db"
P() { "$PRECIS" --db "$DB" "$@"; }
ASAN=0
grep -q __asan_init "$PRECIS" 2>/dev/null && ASAN=1

# A 24 MB transcript on one line (Chinese and English, a marker inside).
python3 - "$T_TMP/line.txt" <<'EOF2'
import sys
chunk = ("这是一个很长的单行转录文本，没有换行，用来测试显示时的内存。"
         "The quick brown fox jumps over the lazy dog on one endless line. ")
target = 24 * 1024 * 1024
with open(sys.argv[1], 'w', encoding='utf-8') as f:
    n = 0
    i = 0
    while n < target:
        s = chunk if i != 5000 else "onelinemarker 独一无二 "
        f.write(s)
        n += len(s.encode())
        i += 1
    f.write("END")
EOF2
P import --quiet "$T_TMP/line.txt"
check_eq "the one-line transcript imports" 0 "$?"
id=$(P search --json onelinemarker | python3 -c 'import json,sys; print(json.load(sys.stdin)["results"][0]["id"])')
size=$(wc -c <"$T_TMP/line.txt" | tr -d ' ')

# rss_of OUT CMD...: runs CMD with stdout to OUT; sets $rss (KB) and $st.
rss_of() {
	out=$1; shift
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f '%M' -o "$T_TMP/rss" "$@" >"$out" 2>"$T_TMP/err"; st=$?
		rss=$(tail -1 "$T_TMP/rss")
	else
		"$@" >"$out" 2>"$T_TMP/err"; st=$?
		rss=0
	fi
}
# Bounded: the text is never held whole (nor a layout of it). The sanitizer
# build's shadow memory and runtime add ~30 MB, and its quarantine would
# keep up to 256 MB of freed memory (each window's layout): measured with
# a small one.
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:quarantine_size_mb=8"
LIMIT_KB=$((size / 1024 + 96 * 1024))   # wrapped: one copy of the text
STREAM_KB=$((64 * 1024))                 # streamed: no copy at all
[ -x /usr/bin/time ] || echo "# /usr/bin/time missing: memory checks pass without measuring"

rss_of "$T_TMP/out" "$PRECIS" --db "$DB" show "$id" --content
echo "# show --content of a ${size}-byte line: max RSS ${rss} KB"
check_eq "show --content of the huge line exits 0" 0 "$st"
check "show --content memory stays bounded, whatever the text's size (${rss} KB < ${STREAM_KB} KB)" test "$rss" -lt "$STREAM_KB"
printf '\n' >>"$T_TMP/line.txt"
check "show --content writes the text itself, ended by a newline" cmp -s "$T_TMP/out" "$T_TMP/line.txt"

rss_of "$T_TMP/out" "$PRECIS" --db "$DB" show "$id"
echo "# show (metadata and text): max RSS ${rss} KB"
check_eq "show of the huge line exits 0" 0 "$st"
check "show memory stays bounded, whatever the text's size (${rss} KB < ${STREAM_KB} KB)" test "$rss" -lt "$STREAM_KB"

rss_of "$T_TMP/out" "$PRECIS" --db "$DB" show "$id" --content --json
echo "# show --content --json: max RSS ${rss} KB"
check_eq "show --content --json of the huge line exits 0" 0 "$st"
check "show --content --json memory stays bounded, whatever the text's size (${rss} KB < ${STREAM_KB} KB)" test "$rss" -lt "$STREAM_KB"
python3 - "$T_TMP/out" "$T_TMP/line.txt" <<'EOF2' && ok "the JSON holds the text exactly" || not_ok "the JSON holds the text exactly"
import json, sys
t = json.load(open(sys.argv[1], encoding='utf-8'))['text']
sys.exit(0 if t + '\n' == open(sys.argv[2], encoding='utf-8').read() else 1)
EOF2

rss_of "$T_TMP/out" "$PRECIS" --db "$DB" show "$id" --content --raw
check_eq "show --content --raw exits 0" 0 "$st"
check "show --content --raw memory stays bounded, whatever the text's size (${rss} KB < ${STREAM_KB} KB)" test "$rss" -lt "$STREAM_KB"

# Wrapped, the text is laid out a window at a time: memory is one copy of
# the text plus a window's layout (it was ~15 bytes per byte).
rss_of "$T_TMP/out" "$PRECIS" --db "$DB" show "$id" --content --width 80
echo "# show --content --width 80: max RSS ${rss} KB"
check_eq "show --content --width 80 of the huge line exits 0" 0 "$st"
check "show --width 80 memory stays bounded (${rss} KB < ${LIMIT_KB} KB)" test "$rss" -lt "$LIMIT_KB"
check "every line fits 80 columns" python3 -c '
import sys, unicodedata
def w(ch):
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1
for line in open(sys.argv[1], encoding="utf-8"):
    if sum(w(c) for c in line.rstrip("\n")) > 80:
        sys.exit(1)' "$T_TMP/out"
check_eq "and they hold the whole text" "$(tr -d ' \n' <"$T_TMP/line.txt" | wc -c)" "$(tr -d ' \n' <"$T_TMP/out" | wc -c)"

# Out of memory: an absurd width puts the whole line on one line, which
# needs a layout of all of it (hundreds of MB); with allocations capped,
# precis says so in one line and exits 1. (Under ASan the cap is its
# max_allocation_size_mb; its own warning about the refused allocation
# goes to log_path, away from what is checked.)
if [ "$ASAN" = 1 ]; then
	ASAN_OPTIONS="$ASAN_OPTIONS:allocator_may_return_null=1:max_allocation_size_mb=32:log_path=$T_TMP/asan" \
		"$PRECIS" --db "$DB" show "$id" --content --width 100000000 >"$T_TMP/out" 2>"$T_TMP/err"; st=$?
else
	(ulimit -v 262144; exec "$PRECIS" --db "$DB" show "$id" --content --width 100000000) >"$T_TMP/out" 2>"$T_TMP/err"; st=$?
fi
check_eq "out of memory exits 1 (not an abort)" 1 "$st"
check_eq "and says so in one line" 1 "$(wc -l <"$T_TMP/err" | tr -d ' ')"
check_contains "that line names the problem" "$(cat "$T_TMP/err")" "precis: out of memory"

# A 10 MB stored summary (an import's Description: section): rendering it
# costs a small multiple of its size — the text, a byte of analysis per
# byte, the blocks and spans of its Markdown, never the lines of the whole
# layout (they are printed a piece at a time) nor the stored text once it
# is rendered. It was ~20x (220 MB here with the sanitizer's ~30 MB).
python3 - "$T_TMP/sum.txt" <<'EOF2'
import sys, random
random.seed(7)
en = "the model release shows a long path from compute to users and the market reacts".split()
zh = "算力决定了模型的上限应用推动了需求用户最终受益"
out = ["Title: A huge summary", "", "Description:"]
size, sec = 0, 0
while size < 10 * 1000 * 1000:
    sec += 1
    block = ["## Section %d" % sec, ""]
    for i in range(1, 8):
        block.append("%d. **point %d** %s %s" % (i, i, " ".join(random.choice(en) for _ in range(15)),
                                                  "".join(random.choice(zh) for _ in range(20))))
        for j in range(3):
            block.append("    * *%s* **%s** `%s` %s" % (random.choice(en), random.choice(en), random.choice(en),
                                                       " ".join(random.choice(en) for _ in range(6))))
    block.append("")
    out += block
    size += sum(len(l.encode()) + 1 for l in block)
out += ["## The last section", "", "summary-end-marker", "", "Content:", "a short transcript"]
open(sys.argv[1], "w", encoding="utf-8").write("\n".join(out) + "\n")
EOF2
SDB="$T_TMP/sum.db"
"$PRECIS" --db "$SDB" import --quiet "$T_TMP/sum.txt" >/dev/null 2>&1
ssize=$(wc -c <"$T_TMP/sum.txt" | tr -d ' ')
SUM_KB=$((ssize / 1024 * 5 + 48 * 1024))
rss_of "$T_TMP/out" "$PRECIS" --db "$SDB" show 1 --summary --width 80
echo "# show --summary --width 80 of a ${ssize}-byte summary: max RSS ${rss} KB"
check_eq "show --summary of the huge summary exits 0" 0 "$st"
check "show --summary memory is a small multiple of the summary (${rss} KB < ${SUM_KB} KB)" test "$rss" -lt "$SUM_KB"
check_contains "… and prints all of it" "$(tail -3 "$T_TMP/out")" "summary-end-marker"
rss_of "$T_TMP/out" "$PRECIS" --db "$SDB" show 1 --summary
check "show --summary unwrapped too (${rss} KB < ${SUM_KB} KB)" test "$rss" -lt "$SUM_KB"

done_testing
