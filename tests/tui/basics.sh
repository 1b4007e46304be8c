#!/bin/sh
# The app's start screen and reader, end to end in tmux: list, sort,
# filter, open, scroll both panes, focus, help, quit; Q from anywhere.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
. tests/lib_tui.sh
make_fixture

tui_start 120 40 -- --db "$DB"
expect "list shows the header with counts" "44 transcripts"
expect "list shows a Chinese title" "深度解读Grok4 发布会"
expect "list shows the sort and its direction" "sort: date new→old"
expect_not "no filter marker while the filter is all" "[all]"
expect "footer shows the main keys" "Enter open"
keys s
expect "s cycles the sort to title" "sort: title"
keys s s s s
expect "sort cycles back to date" "sort: date"
keys f
expect "f cycles the filter, marked in the header" "[unsummarized]"
keys f f f f f
expect "the filters: …, changed, approved, flagged" "[flagged]"
keys f
if wait_gone "[flagged]" 5 && ! screen | head -1 | grep -q '\['; then ok "filter cycles back to all: no marker"
else not_ok "filter cycles back to all: no marker" "$(screen | head -1)"; fi

# open the seed with a summary: it is the newest recording
keys g Enter
expect "Enter opens the reader" "Transcript"
expect "the summary pane shows the outline" "核心观点总结"
expect "header shows the summary version and origin" "summary v1 of 1 · imported"
top1=$(screen | sed -n 5p)
keys j j j
# poll until the redraw shows (a loaded machine may take a while)
i=0; top2=$top1
while [ "$top1" = "$top2" ] && [ $i -lt 100 ]; do sleep 0.05; top2=$(screen | sed -n 5p); i=$((i + 1)); done
if [ "$top1" != "$top2" ]; then ok "j scrolls the transcript"; else not_ok "j scrolls the transcript" "$(screen)"; fi
keys Tab
expect "Tab focuses the summary" "▶ Summary"
s1=$(screen | cut -c62- | sed -n 5p)
keys Space
i=0; s2=$s1
while [ "$s1" = "$s2" ] && [ $i -lt 100 ]; do sleep 0.05; s2=$(screen | cut -c62- | sed -n 5p); i=$((i + 1)); done
if [ "$s1" != "$s2" ]; then ok "Space pages the summary"; else not_ok "Space pages the summary" "$(screen)"; fi
keys h
expect "h focuses the transcript" "▶ Transcript"
keys '?'
expect "? opens the help overlay" "Keys — q or Esc closes"
keys g
expect "help lists the keys of each view" "cycle the sort"
# the overlay is framed, so the reader's edges around it read as outside
row=$(screen | grep -F -- "quit precis from anywhere" | head -1)
case "$row" in
*"│  Q C-c"*"anywhere"*"│"*) ok "the help overlay has a frame on both sides";;
*) not_ok "the help overlay has a frame on both sides" "$(screen)";;
esac
keys G
# the last line of the help is on screen: its position reads "N–M of M"
i=0; while [ $i -lt 100 ] && ! screen | grep -Eq '[0-9]+–([0-9]+) of \1 *$'; do sleep 0.05; i=$((i + 1)); done
if screen | grep -Eq '[0-9]+–([0-9]+) of \1 *$'; then
	ok "G in the help goes to its end"
else
	not_ok "G in the help goes to its end" "$(screen)"
fi
keys q
wait_gone "Keys — q or Esc closes"
expect "q closes the help" "▶ Transcript"
keys q
expect "q returns to the list" "sort: date"
keys Q
check_clean_exit "Q quits with status 0, no sanitizer report"

# another process imports while the app is open: R shows it, and so does
# coming back from the reader
tui_start 100 30 -- --db "$DB"
expect "start before the concurrent import" "44 transcripts"
printf 'Title: Imported meanwhile\n\nContent:\nnew words\n' >"$T_TMP/new1.txt"
"$PRECIS" --db "$DB" import --quiet "$T_TMP/new1.txt" >/dev/null 2>&1
keys R
expect "R picks up a transcript imported by another process" "45 transcripts"
printf 'Title: Imported later\n\nContent:\nmore words\n' >"$T_TMP/new2.txt"
keys Enter
expect "reader" "Transcript"
"$PRECIS" --db "$DB" import --quiet "$T_TMP/new2.txt" >/dev/null 2>&1
keys q
expect "returning from the reader refreshes the list" "46 transcripts"
keys Q
check_clean_exit "concurrent import session ends cleanly"
DB0=$DB

# Q from the reader; Ctrl-C from the list
tui_start 100 30 -- --db "$DB"
expect "second start" "46 transcripts"
keys Enter
expect "reader again" "Transcript"
keys Q
check_clean_exit "Q quits from the reader"
tui_start 100 30 -- --db "$DB"
expect "third start" "46 transcripts"
keys C-c
check_clean_exit "Ctrl-C quits"
done_testing
