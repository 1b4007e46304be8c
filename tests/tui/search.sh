#!/bin/sh
# Archive search in the app: a one-character CJK query and a phrase,
# results while typing, Enter opens with every hit highlighted in both
# panes (capture-pane -e shows the attributes), n/N, Esc back to the list
# at the same place; the line editor's keys.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
. tests/lib_tui.sh
make_fixture

tui_start 120 36 -- --db "$DB"
expect "start" "44 transcripts"
keys j j j
before=$(line_of "▶" ; screen | sed -n 6p)
keys /
expect "/ opens the search line" "Search:"
keys_l "算"
expect "one CJK character finds both seeds" "2 matches, best first"
expect "results show the seed title" "深度解读Grok4"
expect "snippets show the text around the hit" "算力"
# the hit inside the snippet is highlighted (reverse or a colour)
# the hit inside the snippet is highlighted: reverse or a background colour
if screen_e | grep -E '(\[7m|48;5;[0-9]+m|\[4[0-7]m)算' >/dev/null; then ok "the snippet's hit is highlighted"
else not_ok "the snippet's hit is highlighted" "$(screen_e | grep -F 算 | head -3)"; fi
keys Enter
expect "Enter opens the best match in the reader" "hits in the transcript"
expect "the reader counts the hits" "1/"
# hits are highlighted in both panes
n=$(screen_e | grep -cE '(\[7m|48;5;[0-9]+m|\[4[0-7]m)算')
if [ "$n" -ge 2 ]; then ok "hits are highlighted in the panes ($n lines)"; else not_ok "hits are highlighted in the panes" "$(screen_e | head -12)"; fi
st1=$(screen | tail -1)
keys n
wait_for "2/" 5 && ok "n goes to the next hit" || not_ok "n goes to the next hit" "$(screen | tail -1)"
keys N
expect "N goes back" "1/"
keys Tab
expect "Tab: the summary's hits" "▶ Summary"
keys n
expect "n in the summary pane counts its own hits" "/6"
keys q
expect "q returns to the results" "2 matches, best first"
keys Escape
expect "Esc returns to the list" "44 transcripts"
after=$(screen | sed -n 6p)
check_eq "the list kept its position" "$(printf '%s' "$before" | tail -1)" "$after"

# a phrase, and line editing: C-u clears, C-w deletes a word, cursor keys
keys /
expect "search again" "Search:"
keys_l 'rockets and'
keys C-w
keys_l 'orbits'
wait_for "Search: rockets orbits" 3 && ok "C-w deletes the word before the cursor" || not_ok "C-w deletes the word before the cursor" "$(screen | head -2)"
keys C-u
keys_l '"timed talk"'
expect "a quoted phrase finds the timed transcript" "1 match, best first"
keys Home
keys_l 'xx'
wait_for 'Search: xx"timed talk"' 3 && ok "Home moves to the start" || not_ok "Home moves to the start" "$(screen | head -1)"
keys End BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace
wait_gone '"timed' 3
if [ "$(screen | head -1 | sed 's/ *$//')" = " Search: xx" ]; then ok "End and Backspace delete from the end"; else not_ok "End and Backspace delete from the end" "$(screen | head -1)"; fi
keys C-a Delete Delete C-e
keys_l ' 算力 -bitcoin'
expect "syntax with exclusion still searches" "match"
keys C-u
# a long paste
long=$(printf 'zqxv%.0s ' $(seq 1 200))
keys_l "$long"
expect "a long paste stays on one line and answers" "nothing matches"
keys Escape
expect "Esc from the editor goes back to the list" "44 transcripts"
# the terminal resized while a query is being typed: the query and the
# cursor survive, typing goes on, the results follow
keys /
expect "search once more" "Search:"
keys_l 'rock'
resize 70 20
wait_for "Search: rock" 5 && ok "a resize mid-typing keeps the query" || not_ok "a resize mid-typing keeps the query" "$(screen | head -2)"
keys_l 'ets'
resize 120 36
expect "typing goes on after the resize" "Search: rockets"
expect "the results follow the query" "match"
keys Escape
expect "back to the list after the resize" "44 transcripts"
keys Q
check_clean_exit "search leaves no sanitizer report"
# the footer tells the truth: while the query is typed, keys go to it
HIST="$HOME/.local/state/precis/search_history"
rm -f "$HIST"
tui_start 120 36 -- --db "$DB"
expect "start (history)" "44 transcripts"
keys /
expect "search" "Search:"
foot=$(screen | tail -2 | head -1)
check_contains "while typing, the footer names the line editor's keys" "$foot" "typing:  Enter open  Tab results  Up/Down history"
check_not_contains "… and does not offer q or ? as keys" "$foot" "q quit"
keys_l 'q?j'
expect "q, ? and j are typed into the query" "Search: q?j"
keys C-u
keys_l 'rockets'
expect "a query" "1 match"
keys Tab
foot=$(screen | tail -2 | head -1)
check_contains "after Tab the footer is the view's keys" "$foot" "q quit"
keys Enter
expect "opened" "hits in the transcript"
keys q
keys Escape
expect "back to the list" "44 transcripts"
keys /
keys_l 'filler'
expect "another query" "match"
keys Escape
expect "back again" "44 transcripts"
keys Q
check_clean_exit "history session: clean exit"
check_eq "the history file keeps the queries, newest last" "rockets
filler" "$(cat "$HIST" 2>/dev/null)"
# a new run: the search opens on the last query (selected, with its
# results); a typed character replaces it; Up/Down walk the history
tui_start 120 36 -- --db "$DB"
expect "restart" "44 transcripts"
keys /
expect "the search opens on the last query of the previous run" "Search: filler"
expect "… with its results" "match"
keys Up
expect "Up: the query before it" "Search: rockets"
keys Down
expect "Down: back to the newest" "Search: filler"
keys Down
wait_gone "Search: filler" 3
check_eq "Down past the newest: the empty line" " Search:" "$(screen | head -1 | sed 's/ *$//')"
keys Up
expect "Up again" "Search: filler"
keys Escape
keys /
expect "reopened on it" "Search: filler"
keys_l 'x'
wait_for "Search: x" 3
check_eq "a typed character replaces the selected last query" " Search: x" "$(screen | head -1 | sed 's/ *$//')"
keys Escape
keys Q
check_clean_exit "history restart: clean exit"
# the history is bounded
i=0; : >"$HIST"; while [ $i -lt 700 ]; do echo "old query $i" >>"$HIST"; i=$((i + 1)); done
tui_start 120 36 -- --db "$DB"
expect "restart (long history)" "44 transcripts"
keys /
expect "the newest of a long history" "Search: old query 699"
keys C-u
keys_l 'newest'
keys Enter
keys Escape
expect "back" "44 transcripts"
keys Q
check_clean_exit "long history: clean exit"
check_eq "the history keeps the last 500" "500" "$(wc -l <"$HIST" | tr -d ' ')"
check_eq "… the newest last" "newest" "$(tail -1 "$HIST")"
# traditional and simplified Chinese: 台积电 typed finds 台積電
printf 'Title: 半導體產業\n\nContent:\n台積電的晶片產能今年又擴大了。\n' >"$T_TMP/trad.txt"
"$PRECIS" --db "$DB" import --quiet "$T_TMP/trad.txt" >/dev/null 2>&1
tui_start 120 36 -- --db "$DB"
expect "start (t2s)" "45 transcripts"
keys /
keys C-u
keys_l '台积电'
expect "simplified 台积电 finds the traditional transcript" "半導體產業"
expect "… one match" "1 match, best first"
keys Enter
expect "it opens with the hit" "半導體產業"
keys q Escape Q
check_clean_exit "t2s search: clean exit"
done_testing
