#!/bin/sh
# The reader: stacked at 80×24, resize 160×50 → 60×20 → back keeping the
# position, time gutter, in-pane search with smart case and a count,
# sections, review marks with a reason, next unreviewed (list and reader),
# edit through a scripted $EDITOR, versions.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
. tests/lib_tui.sh
make_fixture
P() { "$PRECIS" --db "$DB" "$@"; }

# --- stacked at 80×24, summary above the transcript
tui_start 80 24 -- --db "$DB"
expect "80x24 list" "44 transcripts"
keys Enter
expect "reader at 80x24" "Summary"
s_row=$(screen | grep -n "Summary" | head -1 | cut -d: -f1)
t_row=$(screen | grep -n "Transcript" | head -1 | cut -d: -f1)
if [ -n "$s_row" ] && [ -n "$t_row" ] && [ "$s_row" -lt "$t_row" ]; then ok "stacked below 100 columns: summary above transcript"
else not_ok "stacked below 100 columns: summary above transcript" "$(screen)"; fi
keys '|'
expect "| puts the panes side by side (remembered)" "layout: side by side"
check_contains "the layout is stored in the config" "$(cat "$XDG_CONFIG_HOME/precis/config" 2>/dev/null)" "layout = side"
keys '|'
expect "| stacks them again" "layout: stacked"
keys Q
check_clean_exit "80x24 session ends cleanly"

# --- resize keeps the reader's position (the timed transcript, side by side)
rm -f "$XDG_CONFIG_HOME/precis/config"
tui_start 160 50 -- --db "$DB"
expect "160x50 list" "44 transcripts"
keys /
keys_l '"timed talk"'
expect "find the timed transcript" "1 match"
keys Enter
expect "open it" "Paragraph 0 of the timed talk"
expect "time gutter shows paragraph start times" "04:00"
i=0; while [ $i -lt 18 ]; do keys j; i=$((i + 1)); done
expect "scrolled down" "Paragraph 16 of"
wait_gone "Paragraph 15 of" 3
# the first text line of the transcript pane (the row under its title)
pane_top() { screen | sed -n '/Transcript/{n;p;q}' | cut -c1-"$1"; }
top=$(pane_top 80 | grep -o "Paragraph [0-9]*" | head -1)
check_eq "18 lines down the top line is paragraph 16 (blank lines between groups)" "Paragraph 16" "$top"
resize 60 20
wait_for "Transcript" 5
sleep 0.3
t60=$(screen | sed -n '/Transcript/{n;N;p;q}' | tr '\n' ' ')
check_contains "60x20 keeps the same text at the top of the transcript" "$t60" "$top"
resize 160 50
sleep 0.3
wait_for "Transcript" 5
t160=$(pane_top 80 | grep -o "Paragraph [0-9]*" | head -1)
check_eq "back at 160x50 the same top line" "$top" "$t160"
# in-pane search: smart case, count, wrap-around
keys /
expect "/ prompts in the focused pane" "/ transcript:"
keys_l 'Paragraph 5'
keys Enter
expect "the first hit after the top line, counted on the status line" "2/11"
keys N
expect "N goes back" "1/11"
keys N
expect "N wraps around to the last hit" "11/11"
expect "wrap-around is said" "continuing at BOTTOM"
keys /
keys_l 'paragraph 5'
keys Enter
expect "lower case ignores case" "/11"
keys /
keys_l 'PARAGRAPH 5'
keys Enter
expect "an upper-case query is case-sensitive" "not found: PARAGRAPH 5"
keys q
keys Escape
expect "back to the list" "44 transcripts"
keys Q
check_clean_exit "resize session ends cleanly"

# --- find: hits highlighted while typing, Esc puts everything back;
# after G, n wraps to the first hit and says so (not back up silently)
tui_start 120 30 -- --db "$DB"
expect "list (find)" "44 transcripts"
keys /
keys_l '"timed talk"'
expect "the timed transcript" "1 match"
keys Enter
expect "its reader" "Paragraph 0 of the timed talk"
keys /
keys_l 'line 1'
expect "while typing, the pane counts the hits" "111 hits"
if screen_e | grep -E '(\[7m|48;5;[0-9]+m|\[4[0-7]m)line 1' >/dev/null; then ok "while typing, the hits are highlighted"
else not_ok "while typing, the hits are highlighted" "$(screen_e | head -8)"; fi
check_contains "… before Enter: the prompt is still open" "$(screen | tail -1)" "/ transcript: line 1"
keys Escape
wait_gone "/ transcript:" 3
if screen_e | grep -E '(\[7m|48;5;[0-9]+m|\[4[0-7]m)line 1' >/dev/null; then not_ok "Esc clears the highlighting" "$(screen_e | head -8)"
else ok "Esc clears the highlighting"; fi
keys /
keys_l 'line 1.'
keys Enter
expect "Enter: the hit" "1/1"
keys /
keys_l 'line 1'
keys Enter
expect "a query with hits near the top only" "1/111"
keys G
expect "G goes to the bottom" "Paragraph 239"
keys n
expect "n after G wraps to the first hit" "1/111"
expect "… and says the search wrapped" "search wrapped"
keys N
expect "N from the first wraps to the last" "111/111"
expect "… saying so" "search wrapped: hit TOP"
keys Q
check_clean_exit "find session ends cleanly"

# --- review, reasons, next unreviewed; edit; versions
cat >"$T_TMP/editor.sh" <<'EOS'
#!/bin/sh
printf '\n## Checked by the test editor\n\nOne more line.\n' >>"$1"
EOS
chmod +x "$T_TMP/editor.sh"
tui_start 120 36 EDITOR="$T_TMP/editor.sh" VISUAL= -- --db "$DB"
expect "review session" "44 transcripts"
keys a
expect "a approves (mark in the list)" "approved"
line=$(screen | sed -n 3p)
case "$line" in *"✓"*) ok "the approved row shows ✓";; *) not_ok "the approved row shows ✓" "$line";; esac
keys j x
expect "x asks for a reason" "Flag, reason"
keys_l 'invented 44% figure'
keys Enter
expect "flagged with the reason" "flagged: invented 44% figure"
line=$(screen | sed -n 4p)
case "$line" in *"!"*) ok "the flagged row shows !";; *) not_ok "the flagged row shows !" "$line";; esac
js=$(P list --json)
check "list --json carries the reason" python3 -c '
import json, sys
rows = json.loads(sys.argv[1])
assert any(r["review_reason"] == "invented 44% figure" and r["state"] == "flagged" for r in rows), rows
' "$js"
keys g
keys ']'
expect "] goes to the next unreviewed" "#"
n3=$(screen | sed -n 5p)
case "$n3" in *"▶"*|*) ;; esac
keys k k k
keys '['
expect "[ finds no earlier one to review" "no earlier transcript to review"
keys g Enter
expect "the approved seed in the reader" "approved"
keys J
# the others have no summary: nothing to review (tests/tui/review.sh walks a queue)
expect "J stops only where there is a summary to review" "no later transcript to review"
keys K
expect "K goes back to an earlier one to review, or says there is none" "to review"
keys q
keys g Enter
expect "reader on the seed again" "summary v1 of 1 · imported"
keys e
expect "e saves the editor's change as a new edited version" "summary v2 of 2 · edited"
keys Tab G
expect "the edit shows at the end of the summary" "Checked by the test editor"
keys V
expect "V lists the versions" "Summary versions"
expect "versions show origins" "imported"
keys k D
expect "D on a chosen version compares it with the current one" "v1 · imported → v2 · edited (current)"
keys q
expect "q goes back to the versions" "Summary versions"
keys Enter
expect "Enter makes v1 current" "version 1 is now current"
keys q
expect "header follows" "summary v1 of 2 · imported"
check_eq "nothing was deleted: two versions" 2 "$(P show 1 --versions --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')"
keys Q
check_clean_exit "review session ends cleanly"

tui_start 120 36 EDITOR=true VISUAL= -- --db "$DB"
expect "unchanged edit session" "44 transcripts"
keys Enter e
expect "an unchanged edit adds nothing" "unchanged: no new version"
keys r
expect "r without an LLM endpoint says how to set one" "no LLM endpoint configured"
# the message is longer than a row: it wraps over the status rows, whole
expect "a long message is shown whole, wrapped" "[llm] in ~/.config/precis/config"
above=$(screen | grep -B1 -F "no LLM endpoint configured" | head -1)
rows=$(screen | sed -n '/no LLM endpoint configured/,$p' | grep -c .)
case "$above" in
*"Enter open"*) check "the footer sits above the message's $rows rows" test "$rows" -ge 2;;
*) not_ok "the footer sits above the wrapped message" "$(screen | tail -5)";;
esac
keys j
wait_gone "[llm] in ~/.config" 5 && ok "the next key clears it" || not_ok "the next key clears it" "$(screen | tail -4)"
case "$(screen | tail -2 | head -1)" in
*"Enter open"*) ok "the footer is back on its row";;
*) not_ok "the footer is back on its row" "$(screen | tail -3)";;
esac
keys Q
check_clean_exit "unchanged edit session ends cleanly"
check_eq "still two versions" 2 "$(P show 1 --versions --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')"

# an editor that appends 5 MB: refused with one line, nothing saved
cat >"$T_TMP/editor_big.sh" <<'EOS'
#!/bin/sh
yes 'an editor gone wrong appends this line again and again' | head -c 5000000 >>"$1"
EOS
chmod +x "$T_TMP/editor_big.sh"
tui_start 120 36 EDITOR="$T_TMP/editor_big.sh" VISUAL= -- --db "$DB"
expect "huge edit session" "44 transcripts"
keys Enter e
expect "an edit larger than a summary may be is refused" "edit: the edited summary is 5.0 MB, more than a summary may be (1024 KB); nothing saved"
keys Q
check_clean_exit "huge edit session ends cleanly"
check_eq "nothing was saved: still two versions" 2 "$(P show 1 --versions --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')"
done_testing
