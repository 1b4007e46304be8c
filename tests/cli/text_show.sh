#!/bin/sh
# `precis show --content/--summary --width N`: the text layer on the command
# line (issue 3). Every line fits the width, no escape code reaches a pipe,
# and a hostile transcript (clear screen, window title, clipboard) is shown
# as visible placeholders.
. "$(dirname "$0")/../lib.sh"

export PRECIS_DB="$T_TMP/text.db"
check "import the seeds" "$PRECIS" import "$T_REPO"/data/samples/000_*.txt "$T_REPO"/data/samples/002_*.txt

# widest line in display cells (East Asian Wide/Fullwidth = 2; the text
# layer's own width function is what the unit tests check)
maxw() { python3 -c '
import sys, unicodedata
m = 0
for l in sys.stdin.read().split("\n"):
    w = sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1 for c in l)
    m = max(m, w)
print(m)'; }

for w in 1 2 3 40 80 200; do
	for what in content summary; do
		out=$("$PRECIS" show 1 --$what --width $w 2>&1)
		mw=$(printf '%s' "$out" | maxw)
		if [ "$mw" -le "$w" ] && [ -n "$out" ]; then ok "show --$what --width $w: lines ≤ $w"; else not_ok "show --$what --width $w: lines ≤ $w" "widest $mw"; fi
	done
done
out=$("$PRECIS" show 2 --content --width 37 | head -3)
check_eq "002 wraps at 37 columns" "就没打开啊，开了。 好的，开油管有一个
同步啊，大家可以去我的油管上面那个也
是digo数字镜像上面可以看得到我的这个" "$out"
out=$("$PRECIS" show 1 --summary --width 80)
check_contains "summary: Mermaid block is one placeholder line" "$out" "⊞ concept map ⋅ 16 nodes ⋅ press m"
check_not_contains "summary: no Markdown markers left" "$out" "**"
check_not_contains "summary: no diagram source in the text" "$out" "graph TD"
check_contains "summary: nested bullets hang under their item" "$out" "1. Grok4 发布会回顾:
   ◦ 发布会延迟且内容未达预期，被形容为“寂寞”。"
lines=$("$PRECIS" show 2 --content | wc -l)
check_eq "without --width a pipe stays unwrapped" "1" "$lines"

printf 'Title: evil \033]0;pwned\007title\n\nhello \033]52;c;aGVsbG8=\007 world \033[2J\033[H cleared? \xe2\x80\xaeesrever\n' > "$T_TMP/evil.txt"
check "import a hostile transcript" "$PRECIS" import "$T_TMP/evil.txt"
out=$("$PRECIS" show 3 --content --width 80)
esc=$(printf '\033')
check_not_contains "hostile transcript: no ESC reaches the output" "$out" "$esc"
check_contains "hostile transcript: OSC 52 shown as a placeholder" "$out" "hello ^[ world ^[^[ cleared?"
check_not_contains "hostile transcript: bidi override dropped" "$out" "$(printf '\342\200\256')"
done_testing
