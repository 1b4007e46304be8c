#!/bin/sh
# y puts on the clipboard what a reader sees, never the stored bytes: a
# summary from a hostile server and a hostile transcript hold the end of
# bracketed paste (ESC[201~) followed by a command and a CR, OSC 52/0/8
# sequences, C1 controls, bidi overrides, BEL and a lone CR. The OSC 52
# payload the app emits is read back through tmux (set-clipboard on keeps
# it in a paste buffer): printable characters, tabs and newlines only, the
# visible words kept, and the status line says what was left out. The
# map's y (its Mermaid source) goes the same way.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
. tests/lib_tui.sh
. tests/llm_lib.sh
DB="$T_TMP/a.db"
P() { "$PRECIS" --db "$DB" "$@"; }

# The hostile bytes (the same in the transcript and in the answer).
HOSTILE_PY='"\x1b[201~echo PWNED-PASTE\r" + " osc52:\x1b]52;c;cHduZWQ=\x07" + " title:\x1b]0;PWNED-TITLE\x07" + " link:\x1b]8;;http://evil.example/\x1b\\click\x1b]8;;\x1b\\" + " c1:\u009b31m\u0085" + " bidi:\u202eevil\u202c\u2066iso\u2069" + " bel:\x07 cr:a\rb" + " del:\x7f end-of-hostile"'
python3 -c "
import sys
h = $HOSTILE_PY
sys.stdout.write('Title: Hostile clipboard talk\n\nContent:\nfirst line\tafter a tab\n' + h + '\nlast words\n')
" >"$T_TMP/hostile.txt"
P import --quiet "$T_TMP/hostile.txt" >/dev/null 2>&1

llm_start
python3 -c "
import json
h = $HOSTILE_PY
print(json.dumps({'default': {'insert': h}}))
" >"$LLM_DIR/script.json"
P summarize 1 >/dev/null 2>"$T_TMP/sum.err"
check_contains "the hostile answer is stored (the stored bytes are raw)" \
	"$(P show 1 --summary --json | python3 -c 'import json,sys; print(repr(json.load(sys.stdin)["body"]))')" '\x1b[201~'

# clip_check NAME: the clipboard (tmux's newest buffer) is clean text that
# still holds the visible words of the hostile line.
clip_check() {
	TM save-buffer "$T_TMP/clip" 2>/dev/null || : >"$T_TMP/clip"
	res=$(python3 - "$T_TMP/clip" <<'PY'
import sys, unicodedata
b = open(sys.argv[1], "rb").read()
bad = []
t = b.decode("utf-8", "replace")
for i, ch in enumerate(t):
    o = ord(ch)
    if (o < 0x20 and ch not in "\t\n") or o == 0x7f or 0x80 <= o < 0xa0 or unicodedata.category(ch) == "Cf":
        bad.append("U+%04X at %d" % (o, i))
if not t:
    bad.append("empty clipboard")
for w in ("echo PWNED-PASTE", "osc52: title: link:click c1: bidi:eviliso bel: cr:a", "del: end-of-hostile"):
    if w not in t:
        bad.append("missing %r" % w)
print("; ".join(bad) or "clean")
PY
)
	check_eq "$1" clean "$res"
}

tui_start 120 30 -- --db "$DB"
TM set-option -g set-clipboard on >/dev/null
expect "the list" "Hostile clipboard talk"
keys Enter
expect "the reader" "Summary"
TM delete-buffer >/dev/null 2>&1
keys y
expect "y copies the transcript and says what it left out" "left out"
scr=$(screen)
check_contains "… the escape sequences" "$scr" "escape sequences"
check_contains "… the control characters" "$scr" "control characters"
check_contains "… the invisible characters" "$scr" "invisible characters"
clip_check "the transcript on the clipboard is what a reader sees"
case "$(cat "$T_TMP/clip")" in *"first line	after a tab"*"last words"*) ok "… tabs and newlines kept";; *) not_ok "… tabs and newlines kept" "$(cat "$T_TMP/clip")";; esac
keys Tab
TM delete-buffer >/dev/null 2>&1
keys y
expect "y on the summary" "left out"
clip_check "the summary on the clipboard is what a reader sees"
case "$(cat "$T_TMP/clip")" in *"第二部分"*"</Mermaid_Diagram>"*) ok "… the whole summary";; *) not_ok "… the whole summary" "$(cat "$T_TMP/clip")";; esac

keys q
keys Q
check_clean_exit "clean exit"

# the map's y copies its source through the same path: a summary whose
# map holds the hostile line (a Mermaid comment) copies it made safe
python3 -c "
import json
h = $HOSTILE_PY
a = ('Title: Map with a hostile comment\n\n**Structured Outline**\n\n1. one\n\n'
     '**Core Point**\n\nPoint.\n\n**Overarching Framework**\n\nFrame.\n\n'
     '**Mermaid Conceptual Map**\n\n<Mermaid_Diagram>\ngraph TD\n'
     '    A[\"one\"] --> B[\"two\"]\n    %% ' + h + '\n</Mermaid_Diagram>\n')
print(json.dumps({'default': {'answer': a}}))
" >"$LLM_DIR/script.json"
MDB="$T_TMP/map.db"
printf 'Title: Map talk\n\nwords of the map talk\n' >"$T_TMP/map.txt"
"$PRECIS" --db "$MDB" import --quiet "$T_TMP/map.txt" >/dev/null 2>&1
"$PRECIS" --db "$MDB" summarize 1 >/dev/null 2>"$T_TMP/sum2.err"
check_contains "the map's hostile source is stored raw" \
	"$("$PRECIS" --db "$MDB" show 1 --summary --json | python3 -c 'import json,sys; print(repr(json.load(sys.stdin)["body"]))')" '%% \x1b[201~'
tui_start 120 30 -- --db "$MDB"
TM set-option -g set-clipboard on >/dev/null
expect "the list (map)" "Map talk"
keys Enter
expect "the reader (map)" "Summary"
keys m
expect "m opens the map" "Concept map"
TM delete-buffer >/dev/null 2>&1
keys y
expect "y in the map copies its source and says what it left out" "left out"
clip_check "the map's source on the clipboard is what a reader sees"
case "$(cat "$T_TMP/clip")" in *"graph TD"*'A["one"] --> B["two"]'*) ok "… the whole source";; *) not_ok "… the whole source" "$(cat "$T_TMP/clip")";; esac
keys Q
check_clean_exit "clean exit (map)"

# a plain text: nothing left out, nothing said about it
printf 'Title: Plain talk\n\nplain words only\n' >"$T_TMP/plain.txt"
"$PRECIS" --db "$T_TMP/plain.db" import --quiet "$T_TMP/plain.txt" >/dev/null 2>&1
tui_start 120 30 -- --db "$T_TMP/plain.db"
TM set-option -g set-clipboard on >/dev/null
expect "the list again" "Plain talk"
keys Enter
expect "the plain reader" "plain words only"
TM delete-buffer >/dev/null 2>&1
keys y
expect "a plain copy" "copied"
expect_not "… says nothing was left out" "left out"
TM save-buffer "$T_TMP/clip" 2>/dev/null
check_contains "… and copies the text" "$(cat "$T_TMP/clip")" "plain words only"
keys Q
check_clean_exit "clean exit (plain)"
done_testing
