#!/bin/sh
# The LLM client in the app, against the fake server: r asks and then
# streams a new summary into the reader while the status line shows the
# progress; D shows what changed; c cancels another run and the old
# summary stays current; w lists the jobs; with no endpoint, r says how to
# set one; quitting in the middle leaves the job resumable.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
. tests/lib_tui.sh
. tests/llm_lib.sh
DB="$T_TMP/a.db"
P() { "$PRECIS" --db "$DB" "$@"; }
P import --quiet tests/fixtures/llm/record_small.txt >/dev/null 2>&1
cur_id() { P show 1 --summary --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'; }
ORIG=$(cur_id)

# no endpoint: one line saying how to set one
tui_start 120 30 -- --db "$DB"
expect "the list" "小测试：算力与模型"
keys Enter
expect "the reader" "Summary"
keys r
expect "r without an endpoint says how to set one" "no LLM endpoint configured: set PRECIS_API_BASE"
keys Q
check_clean_exit "no endpoint: clean exit"

llm_start
# the answer streams slowly: about 20 pieces a second
llm_script '{"default": {"rate": 20}}'
E="PRECIS_API_BASE=$PRECIS_API_BASE PRECIS_MODEL=fake-model"
tui_start 120 30 $E -- --db "$DB"
expect "the list (with an endpoint)" "小测试：算力与模型"
keys Enter
expect "the reader shows the imported summary" "imported"
keys r
expect "r asks first: model, prompt, tokens, requests" "Summarize with fake-model (prompt default): ~"
expect "… and how many requests" "in 1 request? (y/n)"
keys y
expect "the status line shows the progress" "summarizing #1: summary"
expect "the new text streams into the summary pane" "第一部分" 15
scr=$(screen)
case "$scr" in *"summarizing #1"*) ok "still running while the text arrives";; *) not_ok "still running while the text arrives" "$scr";; esac
case "$scr" in *"假模型的标题"*) not_ok "the title line is not part of the streamed summary" "$scr";; *) ok "the title line is not part of the streamed summary";; esac
# keep browsing meanwhile, and resize while the answer arrives
keys Tab j
resize 90 24
expect "a resize mid-stream redraws the reader (stacked)" "Summary"
resize 120 30
expect "… and back side by side, still streaming" "summarizing #1"
expect "it ends: the new version is current" "new summary, now current" 30
expect "the header names the new version" "summary v2 of 2 · llm · fake-model"
NEW=$(cur_id)
check "the archive's current summary is the new one" test "$NEW" != "$ORIG"
keys D
expect "D compares the previous and the new version" "v1 · imported → v2 · llm · fake-model (current)"
expect "… with the count of changed words" "words removed"
keys '|'
expect "| shows them side by side" "side by side: old on the left"
keys q

# another run, cancelled: the summary stays what it was
llm_script '{"default": {"rate": 4, "title": "第二次的标题"}}'
keys r
expect "asked again" "(y/n)"
keys z
expect "a key that is not an answer leaves the question" "(y/n)"
keys n
expect "n declines at once" "not summarized"
check_eq "declining changes nothing" "$NEW" "$(cur_id)"
keys r
expect "asked once more" "(y/n)"
keys y
expect "the second run streams" "summarizing #1" 15
keys c
expect "c cancels" "cancelled: the summary is unchanged" 10
expect "the header still shows version 2" "summary v2 of 2 · llm · fake-model"
check_eq "the current summary is still the one before" "$NEW" "$(cur_id)"
keys w
expect "w lists the jobs" "LLM jobs (2)"
expect "the cancelled job" "cancelled"
expect "the done job" "done"
keys q
keys Q
check_clean_exit "clean exit"

# quitting in the middle: nothing half-written, the job resumable
llm_script '{"default": {"rate": 3}}'
tui_start 120 30 $E -- --db "$DB"
expect "list again" "小测试：算力与模型"
keys Enter
expect "reader again" "Summary"
keys r
expect "asked" "(y/n)"
keys y
expect "running" "summarizing #1"
keys Q
expect "quitting while a summary is written asks first" "1 summary is being written: quit and leave it queued? (y/n)"
keys n
expect "n stays" "not quitting"
expect "… and the summary goes on" "summarizing #1"
keys Q
expect "asked again" "quit and leave it queued?"
keys y
check_clean_exit "quit while a summary is being written: clean exit"
check_eq "the summary is unchanged" "$NEW" "$(cur_id)"
check_contains "the job is left queued, resumable" "$(P jobs --json)" '"interrupted": true'
# the next start says so, and r in the jobs view resumes it
llm_script '{"default": {"rate": 60}}'
tui_start 120 30 $E -- --db "$DB"
expect "the start says a summary was left unfinished" "1 summary was left unfinished: w lists it, r there resumes"
keys w
expect "the jobs view shows it interrupted" "interrupted"
keys r
expect "r asks to resume it" "Resume job"
keys y
expect "it runs again" "resuming job"
# poll the archive until no job is queued or running (at most 30 s)
i=0
while [ $i -lt 300 ]; do
	case "$(P jobs --json)" in *'"state": "running"'*|*'"state": "queued"'*) ;; *) break;; esac
	sleep 0.1; i=$((i + 1))
done
case "$(P jobs --json)" in
*'"state": "running"'*|*'"state": "queued"'*|*'"interrupted": true'*) not_ok "the resumed job ends, nothing left open" "$(P jobs --json)";;
*) ok "the resumed job ends, nothing left open";;
esac
wait_gone "interrupted" 10 && ok "the jobs view shows none interrupted" || not_ok "the jobs view shows none interrupted" "$(screen)"
keys q Q
check_clean_exit "resume session: clean exit"
RESUMED=$(cur_id)
check "the resumed job made a new current summary" test "$RESUMED" != "$NEW"
NEW=$RESUMED
# a batch run in another process while the app is open: w shows its
# progress from the archive
P import --quiet data/samples/002_72c3af4b86c673dc.txt >/dev/null 2>&1
llm_script '{"default": {"rate": 60}}'
tui_start 120 30 $E -- --db "$DB"
expect "list with the seed" "2 transcripts"
"$PRECIS" --db "$DB" summarize 2 --jobs 1 >"$T_TMP/batch.out" 2>&1 &
bpid=$!
keys w
expect "w shows the other process's job running" "running" 20
expect "… with its progress" "notes " 20
wait $bpid
expect "… and then done" "done         #2" 20
keys q Q
check_clean_exit "batch beside the app: clean exit"
check_contains "the batch finished while the app was open" "$(cat "$T_TMP/batch.out")" "done 1, failed 0"
# a map that does not parse even after the repair: kept, with a warning
llm_script '{"default": {"fault": "badmermaid"}}'
P summarize 1 >/dev/null 2>&1
tui_start 120 30 $E -- --db "$DB"
expect "list" "小测试：算力与模型"
keys Enter
expect "the reader shows the kept summary's warning" "warning: the map has"
# D from the versions view: the first version against the current one,
# several versions apart (the reader's D compares only the previous)
keys V
expect "V lists the versions" "Summary versions"
keys g D
expect "D on v1 compares it with the current one, not the previous" "v1 · imported → v"
keys q q
keys Q
check_clean_exit "warning session: clean exit"
done_testing
