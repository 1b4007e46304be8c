#!/bin/sh
# The terminal: escape sequences in a transcript change nothing (the pane
# title stays), tiny sizes (20x5, 1x1) never crash, SIGHUP ends precis and
# leaves the archive intact, SIGTERM restores the terminal, NO_COLOR,
# TERM variants, read-only archives, a missing archive.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
. tests/lib_tui.sh
make_fixture
P() { "$PRECIS" --db "$DB" "$@"; }
app_pid() { pp=$(TM display -p -t t '#{pane_pid}'); ps -o pid= --ppid "$pp" | tr -d ' ' | head -1; }

# --- hostile text
tui_start 100 30 -- --db "$DB"
expect "start" "44 transcripts"
TM select-pane -t t -T "precis-test-title"
title0=$(TM display -p -t t '#{pane_title}')
keys /
keys_l 'before mid after'
expect "find the hostile transcript" "1 match"
keys Enter
expect "the escapes show as ^[" "^["
expect "the text around them is there" "mid"
keys Tab Tab
sleep 0.3
title1=$(TM display -p -t t '#{pane_title}')
check_eq "the pane title is unchanged" "$title0" "$title1"
expect_not "no OSC text leaks onto the screen" "52;c;"
check_eq "the terminal is still on the alternate screen" 1 "$(TM display -p -t t '#{alternate_on}')"
keys Q
check_clean_exit "hostile session ends cleanly"

# --- tiny terminals
tui_start 20 5 -- --db "$DB"
expect "20x5 draws the list" "precis"
keys j j Enter
expect "20x5 opens the reader" "Summary"
keys q
keys Q
check_clean_exit "20x5 ends cleanly"
tui_start 1 1 -- --db "$DB"
sleep 0.5
keys j Enter m Tab
sleep 0.3
resize 30 8
expect "from 1x1 to 30x8 the app draws" "precis"
resize 1 1
sleep 0.2
resize 80 24
expect "and back to 80x24" "44 transcripts"
keys Q
check_clean_exit "1x1 never crashes"
tui_start 15 3 -- --db "$DB"
expect "below the minimum a notice replaces the screen" "terminal too"
keys Q
check_clean_exit "small-terminal notice ends cleanly"

# --- SIGHUP: the process goes, the archive stays whole
tui_start 100 30 -- --db "$DB"
expect "start for SIGHUP" "44 transcripts"
keys Enter
expect "reader open" "Transcript"
pid=$(app_pid)
kill -HUP "$pid"
st=$(wait_exit 10)
check_eq "SIGHUP ends precis (killed by HUP)" 129 "$st"
if kill -0 "$pid" 2>/dev/null; then not_ok "the process is gone"; else ok "the process is gone"; fi
check_eq "the archive is intact" ok "$(sqlite3 "$DB" 'PRAGMA integrity_check')"
check_eq "and readable" 44 "$(P list | wc -l | tr -d ' ')"

# --- SIGTERM restores the terminal
tui_start 100 30 -- --db "$DB"
expect "start for SIGTERM" "44 transcripts"
check_eq "the app runs on the alternate screen" 1 "$(TM display -p -t t '#{alternate_on}')"
kill -TERM "$(app_pid)"
st=$(wait_exit 10)
check_eq "SIGTERM ends precis" 143 "$st"
check_eq "the alternate screen is left" 0 "$(TM display -p -t t '#{alternate_on}')"
check_eq "the cursor is visible again" 1 "$(TM display -p -t t '#{cursor_flag}')"

# --- Ctrl-Z suspends (the terminal is given back), SIGCONT resumes
tui_start 100 30 -- --db "$DB"
expect "start for Ctrl-Z" "44 transcripts"
pid=$(app_pid)
keys C-z
i=0; while [ $i -lt 100 ] && [ "$(TM display -p -t t '#{alternate_on}')" = 1 ]; do sleep 0.05; i=$((i + 1)); done
check_eq "Ctrl-Z leaves the alternate screen" 0 "$(TM display -p -t t '#{alternate_on}')"
check_eq "and stops the process" T "$(ps -o stat= -p "$pid" | cut -c1)"
kill -CONT "$pid"
expect "SIGCONT brings the screen back" "44 transcripts"
keys j
keys Q
check_clean_exit "a suspended and resumed session ends cleanly"

# --- NO_COLOR: attributes only
tui_start 100 30 NO_COLOR=1 -- --db "$DB"
expect "start with NO_COLOR" "44 transcripts"
if screen_e | grep -Eq '\[(3[0-7]|4[0-7]|38;5|48;5)'; then not_ok "NO_COLOR: no colour codes" "$(screen_e | head -3 | cat -v)"; else ok "NO_COLOR: no colour codes"; fi
if screen_e | grep -q '\[7m'; then ok "NO_COLOR: reverse marks the bars and cursor"; else not_ok "NO_COLOR: reverse marks the bars and cursor"; fi
keys Q
check_clean_exit "NO_COLOR session ends cleanly"
tui_start 100 30 -- --db "$DB"
expect "start with colours" "44 transcripts"
if screen_e | grep -Eq '\[(38;5|48;5|3[0-7]m|4[0-7]m)'; then ok "colours are used when allowed"; else not_ok "colours are used when allowed"; fi
keys Q
check_clean_exit "colour session ends cleanly"

# --- TERM variants
for term in xterm-256color screen-256color linux vt100; do
	T_TERM=$term tui_start 100 30 -- --db "$DB"
	expect "TERM=$term: the list" "44 transcripts"
	keys Enter
	expect "TERM=$term: the reader" "Transcript"
	keys Q
	check_clean_exit "TERM=$term ends cleanly"
done

# --- read-only archive: browses, writes say why not. Root ignores file
# modes, so as root precis runs as "nobody" (setpriv) on a file it cannot
# write, in a directory it cannot write.
mkdir -p "$T_TMP/rodir"
cp "$DB" "$T_TMP/rodir/ro.db"
chmod 444 "$T_TMP/rodir/ro.db"
chmod 555 "$T_TMP/rodir"
as_nobody   # a copy of precis nobody can run (the checkout may be private)
[ -n "$AS" ] && chmod 755 "$HOME"
if [ "$(id -u)" = 0 ] && [ -z "$AS" ]; then
	ok "read-only file # SKIP root ignores file modes and setpriv is missing"
else
	OWN_PRECIS=$PRECIS
	PRECIS=$NB_PRECIS
	T_AS="$AS" tui_start 100 30 -- --db "$T_TMP/rodir/ro.db"
	PRECIS=$OWN_PRECIS
	expect "read-only archive still browses" "read-only"
	expect "… with its transcripts" "44 transcripts"
	keys a
	expect "a write says why it cannot" "cannot approve"
	keys Enter
	expect "the reader opens read-only" "Transcript"
	keys x
	expect "flagging says why it cannot" "cannot flag"
	keys Q
	check_clean_exit "read-only session ends cleanly"
	check_eq "nothing was written to the read-only archive" "0" \
		"$("$PRECIS" --db "$T_TMP/rodir/ro.db" list --json | python3 -c 'import json,sys; print(sum(1 for t in json.load(sys.stdin) if t["review"] != "unreviewed"))')"
fi
chmod 755 "$T_TMP/rodir"
# a missing archive: a clear message, no screen
out=$("$PRECIS" --db "$T_TMP/none.db" </dev/null 2>&1)
check_contains "a missing archive is named (non-terminal: listing path)" "$out" "none.db"
tui_start 100 30 -- --db "$T_TMP/none.db"
st=$(wait_exit 10)
check_eq "missing archive: exit 1" 1 "$st"
expect "missing archive: the reason" "no archive here"
done_testing
