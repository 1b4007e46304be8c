#!/bin/sh
# Ctrl-C: in a prompt, a yes/no question or the search's query while it
# is typed it cancels as Esc does (and precis goes on); everywhere else it
# quits whatever [keys] does to quit-all; a [keys] line that gives C-c
# another job is reported at start and C-c still quits there.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
. tests/lib_tui.sh
make_fixture
mkdir -p "$XDG_CONFIG_HOME/precis"
CFG="$XDG_CONFIG_HOME/precis/config"
# check_running NAME: precis has not ended (a moment after the last key)
check_running() {
	sleep 0.3
	if [ -s "$T_TMP/exit" ]; then not_ok "$1" "exit: $(cat "$T_TMP/exit")"; else ok "$1"; fi
}

# quit-all moved to j: C-c still quits
printf '[keys]\nglobal.quit-all = j\n' >"$CFG"
tui_start 100 30 -- --db "$DB"
expect "the list (quit-all = j)" "44 transcripts"
keys C-c
check_clean_exit "C-c quits although quit-all was rebound to j"

# a prompt (x asks for a reason): C-c cancels it, a second C-c quits
printf '' >"$CFG"
tui_start 100 30 -- --db "$DB"
expect "the list" "44 transcripts"
keys x
expect "x asks for a reason" "Flag, reason"
keys_l 'half a reas'
keys C-c
wait_gone "Flag, reason" 3
expect_not "C-c cancels the open prompt" "Flag, reason"
check_running "… and precis goes on"
keys C-c
check_clean_exit "C-c quits from the list once the prompt is closed"

# a yes/no question (r asks before summarizing): C-c answers no
E="PRECIS_API_BASE=http://127.0.0.1:9/v1 PRECIS_MODEL=some-model"
tui_start 120 30 $E -- --db "$DB"
expect "the list (with an endpoint)" "44 transcripts"
keys Enter
expect "the reader" "Summary"
keys r
expect "r asks first" "Summarize with some-model"
keys C-c
expect "C-c in a yes/no question answers no" "not summarized"
check_running "… and precis goes on"
keys C-c
check_clean_exit "C-c quits from the reader"

# the search's query while typed: C-c cancels the search as Esc does;
# in its results (after Tab) C-c quits
tui_start 100 30 -- --db "$DB"
expect "the list again" "44 transcripts"
keys /
keys_l 'orbits'
expect "the search editor" "orbits"
keys C-c
wait_gone "orbits" 3
expect "C-c while the query is typed closes the search" "44 transcripts"
check_running "… and precis goes on"
keys /
expect "the search opens on the last query" "orbits"
expect "… with its results" "best first"
keys Tab
keys C-c
check_clean_exit "C-c quits from the search's results"

# C-c given to copy in the reader: said at the start, left out of the
# line (y still copies), and C-c still quits there
printf '[keys]\nreader.copy = y C-c\n' >"$CFG"
tui_start 160 30 -- --db "$DB"
expect "a [keys] line taking C-c is reported" "C-c always quits (it cancels a prompt): not bound to 'copy'"
keys Enter
expect "the reader" "Transcript"
keys y
expect "y still copies in the reader" "copied"
keys C-c
check_clean_exit "C-c quits in the reader although [keys] gave it to copy"
done_testing
