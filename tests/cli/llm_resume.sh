#!/bin/sh
# Nothing lost: kill -9 and Ctrl-C in the middle of a run, then the same
# command again resumes without redoing what finished (transcripts done,
# chunks whose notes were stored); two precis on one archive at once.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../llm_lib.sh"

DB="$T_TMP/a.db"
P() { "$PRECIS" --db "$DB" "$@"; }
FIX=$(cd "$(dirname "$0")/../fixtures" && pwd)
SEED2="$T_REPO/data/samples/002_72c3af4b86c673dc.txt"   # the seed, always there
llm_start
P import --quiet "$FIX/llm/record_small.txt" "$SEED2" >/dev/null 2>&1
jobs_json() { P jobs --json --all; }
# field JOBID FIELD
field() { jobs_json | python3 -c "import json,sys; print([j for j in json.load(sys.stdin) if j['id']==$1][0]['$2'])"; }
# wait_chunks JOBID N: until N chunks of the job are done (at most 60 s)
wait_chunks() {
	i=0
	while [ $i -lt 600 ]; do
		d=$(field "$1" chunks_done 2>/dev/null)
		[ -n "$d" ] && [ "$d" -ge "$2" ] && return 0
		sleep 0.1; i=$((i+1))
	done
	return 1
}
ORIG1=$(P show 1 --summary --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')

# notes arrive slowly: about one second each
llm_script '{"by_kind": {"summary": [{}]}, "default": {"rate": 30}}'
"$PRECIS" --db "$DB" summarize 1 2 --jobs 1 >"$T_TMP/out1" 2>&1 &
pid=$!
i=0; while [ $i -lt 300 ] && [ "$(jobs_json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))' 2>/dev/null)" != 2 ]; do sleep 0.1; i=$((i+1)); done
J2=$(jobs_json | python3 -c 'import json,sys; print([j for j in json.load(sys.stdin) if j["transcript_id"]==2][0]["id"])')
if wait_chunks "$J2" 2; then ok "the seed's notes arrive one by one"; else not_ok "notes never arrived" "$(cat "$T_TMP/out1")"; fi
kill -9 $pid
wait $pid 2>/dev/null
done_at_kill=$(field "$J2" chunks_done)
total=$(field "$J2" chunks_total)
sent_at_kill=$(llm_count notes)
check_eq "after kill -9: #1 is done" done "$(jobs_json | python3 -c 'import json,sys; print([j for j in json.load(sys.stdin) if j["transcript_id"]==1][0]["state"])')"
check_eq "after kill -9: #2 shows as interrupted" "running True" "$(field "$J2" state) $(field "$J2" interrupted)"
check_contains "jobs says interrupted" "$(P jobs)" "interrupted"
check_eq "after kill -9: #2 still has no summary" 1 "$(P show 2 --summary >/dev/null 2>&1; echo $?)"
check "the archive is intact" sh -c "'$PRECIS' --db '$DB' list >/dev/null"

llm_script '{"default": {}}'
out=$(P summarize 1 2 --jobs 1 2>&1); st=$?
check_eq "the same command again: exit 0" 0 "$st"
check_contains "it says it resumes" "$out" "resuming the unfinished run of this command: 1 of 2 already done"
check_contains "final line counts what was done before" "$out" "done 1, failed 0 (1 done before)"
check_eq "#1 was not summarized again" 1 "$(llm_count summary)"
after=$(( $(llm_count notes) - sent_at_kill ))
check_eq "only the chunks without notes were sent again ($done_at_kill of $total were done)" \
	$((total - done_at_kill)) "$after"
check_eq "#2 done now" done "$(field "$J2" state)"
check_eq "#2 has its summary" 0 "$(P show 2 --summary >/dev/null 2>&1; echo $?)"
out=$(P summarize 1 2 --jobs 1 2>&1)
check_contains "a finished run is not resumed: run again means new versions" "$out" "done 2, failed 0"

# Ctrl-C: the job goes back to the queue; the same command resumes it
llm_script '{"default": {"rate": 30}}'
llm_log_reset
"$PRECIS" --db "$DB" summarize 2 --jobs 2 >"$T_TMP/out2" 2>"$T_TMP/err2" &
pid=$!
sleep 0.5
J=$(jobs_json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
wait_chunks "$J" 2
kill -INT $pid
wait $pid; st=$?
check_eq "Ctrl-C: exit 130" 130 "$st"
check_contains "Ctrl-C: says how to resume" "$(cat "$T_TMP/err2")" "interrupted: run the same command again to resume"
check_eq "Ctrl-C: the job is queued again" "queued True" "$(field "$J" state) $(field "$J" interrupted)"
done_at_int=$(field "$J" chunks_done)
sent=$(llm_count notes)
llm_script '{"default": {}}'
out=$(P summarize 2 --jobs 2 2>&1); st=$?
check_eq "after Ctrl-C the same command finishes" 0 "$st"
check_eq "after Ctrl-C: only missing notes sent" $(( $(field "$J" chunks_total) - done_at_int )) $(( $(llm_count notes) - sent ))

# two precis on one archive at once
llm_script '{"default": {"rate": 60}}'
"$PRECIS" --db "$DB" summarize 1 >"$T_TMP/a1" 2>&1 &
p1=$!
"$PRECIS" --db "$DB" summarize 2 --jobs 2 >"$T_TMP/a2" 2>&1 &
p2=$!
i=0
while [ $i -lt 300 ] && ! P jobs --json | python3 -c '
import json, sys
sys.exit(0 if any(j["transcript_id"] == 1 and j["state"] == "running" for j in json.load(sys.stdin)) else 1)'; do
	sleep 0.1; i=$((i+1))
done
out=$(P summarize 1 2>&1)
check_contains "the same transcript in a second process is left to the first" "$out" "being summarized by another precis right now"
wait $p1; s1=$?
wait $p2; s2=$?
check_eq "two processes at once: both finish" "0 0" "$s1 $s2"
check "both wrote new versions" python3 -c '
import json, subprocess, sys
for i in (1, 2):
    v = json.loads(subprocess.check_output([sys.argv[1], "--db", sys.argv[2], "show", str(i), "--versions", "--json"]))
    assert v[-1]["current"] and v[-1]["origin"] == "llm", v
' "$PRECIS" "$DB"
check_eq "the imported summary of #1 is still version 1" "$ORIG1" "$(P show 1 --versions --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')"
done_testing
