#!/bin/sh
# One summary of a transcript at a time (issue 19): whatever summarizes a
# transcript claims it in the archive first (an owner and a lease). A
# second command asking for it while the first runs skips it and says
# who holds it; a killed command's claim is taken over (at once when it
# ran on this host, after its lease when another host holds it); the
# fake server sees one request per transcript, the archive one new
# version.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../llm_lib.sh"

DB="$T_TMP/a.db"
P() { "$PRECIS" --db "$DB" "$@"; }
mk() {
	printf 'Title: Claim test %s\nTimestamp: 2024-05-0%sT10:00:00\n\nContent:\n第%s篇：算力、模型与应用互相推动。The talk number %s.\n' \
		"$1" "$1" "$1" "$1" >"$T_TMP/c$1.txt"
	P import --quiet "$T_TMP/c$1.txt" >/dev/null 2>&1
}
for i in 1 2 3 4; do mk $i; done
versions() { P show "$1" --versions --json 2>/dev/null | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))' 2>/dev/null || echo 0; }
# asked_for N: requests the server had for transcript N's text
asked_for() { llm_py "sum(1 for e in L if e['kind'] == 'summary' and 'The talk number $1.' in json.dumps(e['body'], ensure_ascii=False))"; }
# wait_asked N: until the server has a request for transcript N
wait_asked() {
	i=0
	while [ "$(asked_for "$1")" = 0 ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
}

llm_start
# Every answer waits 2 s (under the idle limit of 3): long enough to
# start another command meanwhile.
llm_script '{"default": {"delay": 2}}'
"$PRECIS" --db "$DB" summarize 1 >"$T_TMP/first.out" 2>"$T_TMP/first.err" &
first=$!
wait_asked 1
out=$(P summarize 1 2 2>&1); st=$?
wait "$first"; st1=$?
check_eq "the first command summarizes #1" 0 "$st1"
check_contains "the second one skips #1 and says who holds it" "$out" "#1 skipped: transcript #1 is being summarized by another precis right now"
check_contains "… and summarizes #2" "$out" "done 1, failed 0"
check_eq "the server was asked for #1 once" 1 "$(asked_for 1)"
check_eq "#1 has one new version, not two" 1 "$(versions 1)"
check_eq "#2 has its version" 1 "$(versions 2)"
check_eq "no claim is left behind" 0 "$(sqlite3 "$DB" 'SELECT count(*) FROM claims')"
# the second command's batch resumes #1 later: now nobody holds it
out=$(P summarize 1 2 2>&1)
check_contains "run again, the skipped one is done" "$out" "done 1, failed 0 (1 done before)"
check_eq "… as a second version of #1" 2 "$(versions 1)"

# A command killed while it summarizes: its claim stays, and the next
# command takes it over at once (its process is gone on this host).
llm_script '{"default": {"delay": 30}}'
"$PRECIS" --db "$DB" summarize 3 >/dev/null 2>&1 &
killed=$!
wait_asked 3
check_eq "the running command holds #3's claim" 1 "$(sqlite3 "$DB" "SELECT count(*) FROM claims WHERE transcript_id = 3 AND owner_pid = $killed")"
kill -9 "$killed"; wait "$killed" 2>/dev/null
llm_script '{}'
out=$(P summarize 3 2>&1); st=$?
check_eq "after kill -9 the claim is taken over: exit 0" 0 "$st"
check_contains "… and #3 is summarized" "$out" "done 1, failed 0"
check_eq "#3 has one version" 1 "$(versions 3)"

# Another host's claim (a shared archive): held until its lease runs out.
now=$(date +%s)
sqlite3 "$DB" "INSERT INTO claims VALUES(4, 77, 'elsewhere.example', 4242, '2025-01-01T00:00:00Z', $((now + 300)))"
llm_log_reset
out=$(P summarize 4 2>&1); st=$?
check_contains "another host's live claim: skipped, named" "$out" "#4 skipped: transcript #4 is being summarized by another precis right now (elsewhere.example:4242, job #77"
check_eq "… nothing was asked of the server" 0 "$(asked_for 4)"
check_eq "… no version" 0 "$(versions 4)"
sqlite3 "$DB" "UPDATE claims SET lease_until = $((now - 1)) WHERE transcript_id = 4"
out=$(P summarize 4 2>&1); st=$?
check_eq "once its lease has run out it is taken over: exit 0" 0 "$st"
check_eq "… and #4 is summarized" 1 "$(versions 4)"
check_eq "… its claim released" 0 "$(sqlite3 "$DB" 'SELECT count(*) FROM claims')"
done_testing
