#!/bin/sh
# Evidence in the reader, end to end in tmux: the summary's verdict gutter
# (Unicode and ASCII), j/k moving the evidence cursor over the checkable
# lines and the transcript scrolling to the best passage with the passage
# and the matching terms highlighted, n/N over the next-best passages, the
# status line's time and score.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
. tests/lib_tui.sh
make_fixture

# Left pane (the transcript) of a 140-column side-by-side reader.
left() { screen | sed -n '4,38p' | sed 's/│.*//'; }

tui_start 140 40 -- --db "$DB"
expect "list shows the seed" "深度解读Grok4 发布会"
keys g Enter
expect "the reader opens" "Summary"
expect "the summary pane shows the outline" "核心观点总结"

# gutter: every checkable line marked, headings not
expect "supported lines carry ✓" "│✓    ◦ 本次发布主要为文本版"
expect "weak lines carry ~" "│~    ◦ 发布会延迟且内容未达预期"
line=$(line_of "核心观点总结")
case "$line" in *"│✓"*|*"│~"*|*"│✗"*) not_ok "headings are not marked" "$line";; *) ok "headings are not marked";; esac
line=$(line_of "1. Grok4 发布会回顾")
case "$line" in *"│✓"*|*"│~"*|*"│✗"*) not_ok "an item title is not marked" "$line";; *) ok "an item title is not marked";; esac

# the evidence cursor: j in the summary pane
keys Tab
expect "Tab focuses the summary" "▶ Summary"
keys j j j j
expect "the status shows the line's verdict and score" "weak · score"
expect "and which passage" "passage 1/"
if wait_for "h l e" 5 && left | grep -q "h l e"; then
	ok "j scrolled the transcript to the passage of the HLE line"
else
	not_ok "j scrolled the transcript to the passage of the HLE line" "$(screen)"
fi
# the passage is marked (underline or colour) and the terms stand out
esc=$(screen_e)
case "$esc" in *"h l e"*) ;; esac
E=$(printf '\033')
# a term's highlight starts right at it: an attribute change (SGR) just before
if printf '%s' "$esc" | grep -Eq "($E\[[0-9;]*m)+44$E"; then
	ok "the matching number 44 is highlighted in the passage"
else
	not_ok "the matching number 44 is highlighted in the passage" "$(printf '%s' "$esc" | grep -a '44' | head -3 | cat -v)"
fi
if printf '%s' "$esc" | grep -Eq "($E\[[0-9;]*m)+h l e$E"; then
	ok "the spelled-out h l e is highlighted as HLE"
else
	not_ok "the spelled-out h l e is highlighted as HLE" "$(printf '%s' "$esc" | grep -a 'h l e' | head -3 | cat -v)"
fi

# the next line has two passages: n and N step through them
keys j
expect "the next line's status" "passage 1/2"
keys n
expect "n shows the second passage" "passage 2/2"
keys n
expect "n wraps to the first" "passage 1/2"
keys N
expect "N goes back" "passage 2/2"
keys k
expect "k moves the cursor back" "passage 1/1"

# a line whose passage is far into the transcript: j until the cursor
# reaches it (its place among the summary's text lines, from the CLI)
n=$("$PRECIS" --db "$DB" show 1 --evidence --json | python3 -c '
import json, sys
lines = [l for l in json.load(sys.stdin)["lines"] if l["kind"] == "text"]
print([i for i, l in enumerate(lines) if "惺惺相惜" in l["text"]][0])')
case "$(left)" in *"惺惺相惜"*) not_ok "the 惺惺相惜 passage is not in view yet" "$(left)";; *) ok "the 惺惺相惜 passage is not in view yet";; esac
i=4   # the cursor is on the 4th text line (index 3)
while [ $i -le "$n" ]; do keys j; i=$((i + 1)); done
if wait_for "惺惺相惜" 5 && left | grep -q "惺惺相惜"; then
	ok "the transcript scrolled 38 KB down to the passage"
else
	not_ok "the transcript scrolled 38 KB down to the passage" "$(screen)"
fi
expect "the summary keeps the cursor's line in view" "双方关系复杂"

# the map: e on a focused node shows its evidence in the reader
keys m
expect "m opens the concept map" "Concept map"
keys /
keys_l '电池组'
keys Enter
expect "/ focuses the battery node" "node: 电池组"
keys e
expect "e returns to the reader with the node's evidence" "map · "
expect "its passage and score" "score"
if wait_for "电池从特斯拉买" 5 && left | grep -q "电池"; then
	ok "the transcript shows the node's passage"
else
	not_ok "the transcript shows the node's passage" "$(screen)"
fi

# the list: the unsupported column and its sort
keys q
expect "back to the list" "sort: date"
expect "the list has the unsupported column" "unsup"
seed=$(line_of "深度解读Grok4")
want=$("$PRECIS" --db "$DB" list --json | python3 -c '
import json, sys
print([r["unsupported"] for r in json.load(sys.stdin) if r["id"] == 1][0])')
case "$seed" in *" $want  深度解读Grok4"*) ok "the seed's row shows its unsupported count ($want)";;
	*) not_ok "the seed's row shows its unsupported count ($want)" "$seed";; esac
case "$(line_of "Filler talk")" in *" -  Filler talk"*) ok "no summary: -";;
	*) not_ok "no summary: -" "$(screen)";; esac
keys s s s s
expect "s cycles to the unsupported sort" "sort: unsupported"
first=$(screen | sed -n 3p)
case "$first" in *"深度解读Grok4"*) ok "the summary with unsupported lines comes first";;
	*) not_ok "the summary with unsupported lines comes first" "$(screen)";; esac
keys s
expect "and on back to date" "sort: date"

# evidence missing (an archive from before it): the list fills it in
keys Q
check_clean_exit "Q quits cleanly"
sqlite3 "$DB" "DELETE FROM evidence"
tui_start 140 40 -- --db "$DB"
expect "list without stored evidence" "sort: date"
i=0
while [ $i -lt 100 ]; do
	case "$(line_of "深度解读Grok4")" in *" $want  深度解读Grok4"*) break;; esac
	sleep 0.1; i=$((i + 1))
done
case "$(line_of "深度解读Grok4")" in *" $want  深度解读Grok4"*) ok "the count appears once computed in the background";;
	*) not_ok "the count appears once computed in the background" "$(screen)";; esac
check_eq "and is stored" 1 "$(sqlite3 "$DB" 'SELECT count(*) FROM evidence')"

# ASCII fallback for the gutter glyphs
keys Q
check_clean_exit "Q quits cleanly"
tui_start 140 40 LANG=C LC_ALL=C -- --db "$DB"
expect "list again (C locale)" "transcripts"
keys g Enter
expect "reader (C locale)" "Summary"
expect "ASCII marks: + for supported" "|+"
expect "ASCII marks: ~ for weak" "|~"
keys Q
check_clean_exit "Q quits cleanly (C locale)"

done_testing
