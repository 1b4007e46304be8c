#!/bin/sh
# The reader on a 6 MB stored summary (an import's Description: section):
# it opens, scrolls to the end, says that only the first claims are
# checked for evidence, and its memory is a small multiple of the summary
# — the layout keeps a byte of analysis per byte of text, the evidence at
# most EV_MAX_CLAIMS lines (a summary this long had 90,000, whose stored
# results took the reader hundreds of MB to load). Peak RSS is read with
# /usr/bin/time around the app.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
. tests/lib_tui.sh
[ -x /usr/bin/time ] || { echo "1..0 # SKIP /usr/bin/time missing"; exit 0; }
python3 - "$T_TMP/sum.txt" <<'EOF2'
import sys, random
random.seed(11)
en = "the model release shows a long path from compute to users and the market reacts".split()
zh = "算力决定了模型的上限应用推动了需求用户最终受益"
out = ["Title: A huge summary", "", "Description:"]
size, sec = 0, 0
while size < 6 * 1000 * 1000:
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
out += ["## The last section", "", "summary-end-marker", "", "Content:", "a short transcript about the model"]
open(sys.argv[1], "w", encoding="utf-8").write("\n".join(out) + "\n")
EOF2
DB="$T_TMP/a.db"
"$PRECIS" --db "$DB" import --quiet "$T_TMP/sum.txt" >/dev/null 2>&1
size=$(wc -c <"$T_TMP/sum.txt" | tr -d ' ')
# the sanitizer's shadow memory and runtime add ~30 MB; its quarantine
# would keep freed memory: a small one
LIMIT_KB=$((size / 1024 * 8 + 48 * 1024))
# as tui_start does, with /usr/bin/time around precis
cmd="cd '$T_TMP' && env TERM=tmux-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 TZ=UTC HOME='$HOME' XDG_CONFIG_HOME='$XDG_CONFIG_HOME' ASAN_OPTIONS=quarantine_size_mb=8:log_path='$T_TMP/asan' /usr/bin/time -f %M -o '$T_TMP/rss' '$PRECIS' --db '$DB'; echo \$? > '$T_TMP/exit'; sleep 600"
rm -f "$T_TMP/exit"
TM -f /dev/null new-session -d -x 120 -y 40 -s t "$cmd"
TM set-option -g status off >/dev/null
expect "the list" "A huge summary" 30
keys Enter
expect "the reader opens the huge summary" "Section 1" 60
expect "it says only the first claims are checked for evidence" "claims of this long summary are checked" 30
keys Tab G
expect "G reaches its end" "summary-end-marker" 30
keys Q
check_clean_exit "clean exit"
rss=$(tail -1 "$T_TMP/rss" 2>/dev/null)
echo "# the reader on a ${size}-byte summary: max RSS ${rss:-?} KB"
check "the reader's memory is a small multiple of the summary (${rss:-?} KB < ${LIMIT_KB} KB)" test "${rss:-999999999}" -lt "$LIMIT_KB"
done_testing
