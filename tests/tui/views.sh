#!/bin/sh
# Every view says what it does: Ctrl-C cancels a prompt as Esc does; ?
# opens the help at the keys of the view it was pressed in; every bad line
# of the config is listed (and doctor lists them too); messages and the
# footer name keys as bound after [keys] rebinding.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
. tests/lib_tui.sh
make_fixture

# --- Ctrl-C in a prompt
tui_start 100 30 -- --db "$DB"
expect "the list" "44 transcripts"
keys Enter
expect "the reader" "Summary"
keys /
expect "/ prompts" "/ transcript:"
keys_l "rock"
keys C-c
wait_gone "/ transcript:" 3
expect_not "Ctrl-C closed the prompt" "/ transcript:"
expect "… and precis is still running: the reader is there" "Summary"
keys x
expect "the flag prompt" "Flag, reason"
keys C-c
wait_gone "Flag, reason" 3
expect_not "Ctrl-C cancels the flag prompt" "Flag, reason"
check_not_contains "… without flagging" "$(screen | head -1)" "flagged"
# --- ? at the view's keys
keys '?'
expect "? opens the help" "Keys — q or Esc closes"
help_top=$(screen | sed -n '2,3p')
check_contains "… at the reader's keys" "$help_top" "Reader"
keys q
keys m
expect "the map" "Concept map"
keys '?'
expect "? in the map" "Keys — q or Esc closes"
check_contains "… opens at the map's keys" "$(screen | sed -n '2,3p')" "Concept map"
keys q q q
expect "back in the list" "44 transcripts"
keys '?'
expect "? in the list" "Keys — q or Esc closes"
check_contains "… opens at the list's keys (below the global ones)" "$(screen | sed -n '2,3p')" "List"
keys q Q
check_clean_exit "prompt and help session: clean exit"

# --- every bad config line, and keys as bound
mkdir -p "$XDG_CONFIG_HOME/precis"
cat >"$XDG_CONFIG_HOME/precis/config" <<'CFG'
[ui]
split = 500
colour = blue
[keys]
reader.cancel = K9x
list.help = h
reader.jobs = W
reader.resummarize = R
[colors]
hit = purple
CFG
tui_start 120 30 -- --db "$DB"
expect "the list" "44 transcripts"
st=$(screen | tail -4 | tr -d '\n')
check_contains "the start-up message names every ignored line" "$st" "4 config lines ignored (lines 2, 3, 5, 10; precis doctor says why)"
check_contains "… and says why" "$st" "ui.split wants a whole number from 10 to 90"
expect "the footer names the rebound help key" "h help"
keys Enter
expect "the reader" "Summary"
keys Q
check_clean_exit "config session: clean exit"
doc=$("$PRECIS" doctor 2>&1)
for l in 2 3 5 10; do
	check_contains "doctor lists config line $l" "$doc" "config:$l:"
done
check_contains "doctor says the file has ignored lines" "$doc" "lines ignored"
# a transcript without a summary names the rebound keys
cat >"$XDG_CONFIG_HOME/precis/config" <<'CFG'
[keys]
reader.resummarize = R
reader.edit = E
CFG
tui_start 120 30 -- --db "$DB"
expect "the list" "44 transcripts"
keys /
keys_l '"timed talk"'
expect "found" "1 match"
keys Enter
expect "a transcript without a summary" "No summary yet"
expect "… names the LLM key as bound" "from the LLM (R,"
expect "… and the edit key" "E writes one by hand"
keys Q
check_clean_exit "rebound keys session: clean exit"
# --- the diff without colour: removed and added words marked apart
rm -f "$XDG_CONFIG_HOME/precis/config"
D2="$T_TMP/d.db"
printf 'Title: Diff talk\n\nDescription:\nThe quick brown fox jumps over the lazy dog.\n\nContent:\nsome words\n' >"$T_TMP/diff.txt"
"$PRECIS" --db "$D2" import --quiet "$T_TMP/diff.txt" >/dev/null 2>&1
printf 'Title: Diff talk\n\nDescription:\nThe quick red fox jumps over the sleeping dog.\n\nContent:\nsome words\n' >"$T_TMP/diff.txt"
"$PRECIS" --db "$D2" import --quiet "$T_TMP/diff.txt" >/dev/null 2>&1
tui_start 100 24 NO_COLOR=1 -- --db "$D2"
expect "the list (NO_COLOR)" "Diff talk"
keys Enter
expect "the reader: two versions" "summary v2 of 2"
keys D
expect "D: the diff" "words removed"
expect "NO_COLOR: removed words are marked in the text" "[-brown-]"
expect "… and added words, differently" "{+red+}"
expect "… each of them" "[-lazy-]{+sleeping+}"
keys '|'
expect "side by side too" "side by side: old on the left"
expect "… the old side marks what was removed" "[-brown-]"
keys q q Q
check_clean_exit "diff without colour: clean exit"
tui_start 100 24 -- --db "$D2"
expect "the list (colour)" "Diff talk"
keys Enter D
expect "the diff in colour" "words removed"
expect_not "with colour the text carries no markers" "[-brown-]"
keys q q Q
check_clean_exit "diff in colour: clean exit"
# --- closing an overlay over wide characters repaints them right (the
# versions list, the help and the review history over the Chinese seed,
# 120x40, tmux 3.3a):
# the screen after closing is the one Ctrl-L paints
tui_start 120 40 -- --db "$DB"
expect "the list (overlays)" "44 transcripts"
keys /
keys_l "Grok4"
expect "the seed" "Search: Grok4"
expect "… found" "1 match, best first"
keys Enter
expect "its reader" "Summary"
for ov in V '?' H; do
	keys "$ov"
	case $ov in
	V) expect "the versions list is open" "Summary versions";;
	H) expect "the review history is open" "Reviews of #";;
	*) expect "the help is open" "Keys — q or Esc closes";;
	esac
	keys q
	wait_gone "Keys — q or Esc" 3
	wait_gone "Summary versions" 3
	wait_gone "Reviews of #" 3
	sleep 0.3
	after=$(screen)
	keys C-l
	sleep 0.5
	check_eq "closing $ov leaves every wide character where Ctrl-L puts it" "$(screen)" "$after"
done
keys Q
check_clean_exit "overlays: clean exit"
# --- o says "opened" only when the opener exists and succeeded
mkdir -p "$T_TMP/nobin" "$T_TMP/okbin" "$T_TMP/badbin"
printf '#!/bin/sh\nprintf "%%s\\n" "$1" >"%s/opened.txt"\n' "$T_TMP" >"$T_TMP/okbin/xdg-open"
printf '#!/bin/sh\nexit 3\n' >"$T_TMP/badbin/xdg-open"
chmod +x "$T_TMP/okbin/xdg-open" "$T_TMP/badbin/xdg-open"
for bin in nobin badbin okbin; do
	tui_start 120 30 DISPLAY=:99 PATH="$T_TMP/$bin" -- --db "$DB"
	expect "the list ($bin)" "44 transcripts"
	keys /
	keys_l "Grok4"
	expect "the seed ($bin)" "深度解读Grok4 发布会"
	keys Enter
	expect "its reader ($bin)" "Summary"
	keys o
	case $bin in
	nobin) expect "no xdg-open: o says it was not opened, and why" "not opened: xdg-open is not installed; link https://youtube.com"
	       expect_not "… and never 'opened'" "opened https://";;
	badbin) expect "xdg-open failing: o says so" "not opened: xdg-open failed (status 3)";;
	okbin) expect "xdg-open there and working: opened" "opened https://youtube.com/watch?v=EfWnRTBfcfc"
	       check_contains "… the opener got the URL at the top line's time" "$(cat "$T_TMP/opened.txt" 2>/dev/null)" "youtube.com/watch?v=EfWnRTBfcfc";;
	esac
	keys Q
	check_clean_exit "o with $bin: clean exit"
done
done_testing
