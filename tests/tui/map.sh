#!/bin/sh
# The concept map: m from the reader and Enter on the placeholder, panning,
# ASCII toggle, node focus (Tab, /, CJK), node details with edge jumps,
# the outline, and a map that does not parse (message and source).
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
. tests/lib_tui.sh
make_fixture
printf 'Title: Broken map\nTimestamp: 2020-01-01T00:00:00\n\nDescription:\n## Outline\n\ntext\n\n<Mermaid_Diagram>\nthis is not a flowchart at all\nstill not\n</Mermaid_Diagram>\n\nContent:\nwords of the broken map talk\n' >"$T_TMP/broken.txt"
"$PRECIS" --db "$DB" import --quiet "$T_TMP/broken.txt" >/dev/null 2>&1
printf 'Title: Guessed map\nTimestamp: 2020-01-02T00:00:00\n\nDescription:\n## Outline\n\ntext\n\n<Mermaid_Diagram>\ngraph TD\n    A["one"] --> B["two"]\n    this is (( not a mermaid line\n    linkStyle 0 stroke:#555;\n</Mermaid_Diagram>\n\nContent:\nwords of the guessed map talk\n' >"$T_TMP/guessed.txt"
"$PRECIS" --db "$DB" import --quiet "$T_TMP/guessed.txt" >/dev/null 2>&1
mkdir -p "$XDG_CONFIG_HOME/precis"
printf '[ui]\ncopy_command = cat > %s/copied.txt\n' "$T_TMP" >"$XDG_CONFIG_HOME/precis/config"

tui_start 80 30 -- --db "$DB"
expect "start" "46 transcripts"
keys Enter
expect "reader on the seed" "Transcript"
keys m
expect "m opens the concept map" "Concept map"
expect "the map is drawn with boxes" "┌"
expect "the status line shows the size" "16 nodes"
# the sample map's linkStyle lines that mermaid-js rejects: listed under a
# heading of their own, not as guesses of the parser
expect "lines only mermaid-js rejects are counted in one row below the map" "lines of this map (precis mermaid --id names them"
check_not_contains "… not as the parser's guesses" "$(screen)" "The parser had to guess"
pos0=$(screen | tail -1 | grep -o '[0-9]*,[0-9]*$')
keys l
wait_for "32,0" 3 && ok "l pans right half a screen (40 columns, to the right edge of 112)" || not_ok "l pans right half a screen (40 columns, to the right edge of 112)" "$(screen | tail -1)"
keys h
wait_for " 0,0" 3 && ok "h pans back" || not_ok "h pans back" "$(screen | tail -1)"
keys l
keys j
expect "j pans down" "32,1"
keys 0
expect "0 goes to the left edge" "0,1"
keys '$'
wait_gone " 0,1" 3 && ok "\$ goes to the right edge" || not_ok "\$ goes to the right edge" "$(screen | tail -1)"
keys g 0
expect "g goes to the top" "0,0"
keys A
expect "A switches to ASCII" "ASCII drawing"
expect "ASCII boxes" "+--"
keys A
expect "and back to Unicode" "Unicode drawing"
keys Tab
expect "Tab focuses the first node in reading order" "node: "
# the status rows (a long "node: …" message wraps above the map's counts)
n1=$(screen | tail -3)
keys Tab
i=0; n2=$n1
while [ "$n2" = "$n1" ] && [ $i -lt 60 ]; do sleep 0.05; n2=$(screen | tail -3); i=$((i + 1)); done
[ "$n1" != "$n2" ] && ok "Tab steps to another node" || not_ok "Tab steps to another node" "$n1"
# focused node highlighted, the rest dimmed
if screen_e | grep -q '\[2m'; then ok "unfocused parts are dimmed"; else not_ok "unfocused parts are dimmed" "$(screen_e | head -5)"; fi
keys /
keys_l '马斯克'
keys Enter
expect "/ finds a node by a CJK label" "node: 埃隆·马斯克"
keys Enter
expect "Enter shows the node's details" "Node — Enter jumps along an edge"
expect "details list outgoing edges" "outgoing:"
expect "details list incoming edges" "incoming:"
keys Enter
wait_gone "Node — Enter jumps" 3 && ok "Enter on an edge jumps to its other end" || not_ok "Enter on an edge jumps to its other end" "$(screen | head -5)"
expect "the new node is focused" "node: "
keys o
expect "o shows the outline" "Concept map (outline)"
expect "the outline lists subgraphs with a colon" "马斯克核心业务协同生态:"
expect "edges as arrows" "→ "
keys j j Enter
expect "Enter in the outline goes back to the drawing on that node" "node: "
keys q
expect "q returns to the reader" "Transcript"
keys q
expect "list" "46 transcripts"
# the broken map: its message and its source
keys /
keys_l 'broken map'
expect "find the broken map" "Broken map"
expect "… found" "1 match"
keys Enter
expect "reader on the broken map" "Transcript"
expect "the summary's line does not call it a map of N nodes" "diagram ⋅ does not parse ⋅ press m"
keys m
expect "a map that does not parse says why" "The map does not parse"
expect "and shows its source" "this is not a flowchart at all"
keys y
expect "y copies the map's source" "copied 42 bytes"
check_contains "… the source itself (copy command)" "$(cat "$T_TMP/copied.txt")" "this is not a flowchart at all
still not"
keys q q Escape
expect "back in the list" "46 transcripts"
# a map the parser had to guess at: every message of the parser, and the
# summary line says so instead of a node count (its linkStyle line that
# only mermaid-js rejects is counted apart)
keys /
keys C-u
keys_l 'guessed map'
expect "find the guessed map" "Guessed map"
expect "… found (guessed)" "1 match"
keys Enter
expect "reader on the guessed map" "Transcript"
expect "the summary's line counts the problems, not nodes" "concept map ⋅ does not parse cleanly: 2 problems"
keys m
expect "the map is drawn" "┌"
expect "… with the parser's messages below it" "The parser had to guess: 2 problems"
expect "… the first" "column 10: statements on one line need ';'"
expect "… and the second" "column 13: unexpected text ignored"
expect "… and the line only mermaid-js rejects, which is not counted, in one row" "and 1 line only mermaid-js rejects"
keys Q
check_clean_exit "map session ends cleanly"
done_testing
