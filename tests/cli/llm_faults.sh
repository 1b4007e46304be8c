#!/bin/sh
# Every fault the issue lists, against the fake server: each ends in one
# clear line on stderr, the job failed (or retried and done), and the
# current summary unchanged by a failure.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../llm_lib.sh"

DB="$T_TMP/a.db"
P() { "$PRECIS" --db "$DB" "$@"; }
FIX=$(cd "$(dirname "$0")/../fixtures" && pwd)
llm_start
P import --quiet "$FIX/llm/record_small.txt" >/dev/null 2>&1
cur() { P show 1 --summary --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'; }
ORIG=$(cur)
# the state of the job a `summarize --json` run reported, from the archive
job_state() {
	jid=$(printf '%s' "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["job_id"])' 2>/dev/null)
	P jobs --json --all | python3 -c "import json,sys; print([j['state'] for j in json.load(sys.stdin) if j['id'] == ${jid:-0}][0])" 2>/dev/null
}

# fails NAME SCRIPT PHRASE: the run fails with PHRASE on one stderr line,
# the job is failed, the current summary is what it was.
fails() {
	name=$1; llm_script "$2"; llm_log_reset
	before=$(cur)
	out=$(P summarize 1 --json 2>"$T_TMP/err"); st=$?
	err=$(grep 'failed:' "$T_TMP/err")
	js=$(job_state "$out")
	if [ "$st" = 1 ] && [ "$(printf '%s\n' "$err" | wc -l | tr -d ' ')" = 1 ] &&
	   printf '%s' "$err" | grep -q -F -- "$3" && [ "$js" = failed ] &&
	   [ "$(cur)" = "$before" ]; then
		ok "$name: failed with a clear reason, summary unchanged"
	else
		not_ok "$name" "exit $st; stderr: $(cat "$T_TMP/err"); job: $js; current $(cur) vs $before"
	fi
}
# recovers NAME SCRIPT REQUESTS: the run succeeds after REQUESTS requests.
recovers() {
	name=$1; llm_script "$2"; llm_log_reset
	out=$(P summarize 1 --json 2>"$T_TMP/err"); st=$?
	n=$(llm_count)
	if [ "$st" = 0 ] && [ "$n" = "$3" ] && [ "$(job_state "$out")" = done ]; then
		ok "$name: retried and done ($n requests)"
	else
		not_ok "$name" "exit $st, $n requests; stderr: $(cat "$T_TMP/err")"
	fi
}

fails "401" '{"default": {"fault": "status", "status": 401, "message": "Invalid API key"}}' \
	"refused the API key (401 Unauthorized: Invalid API key): set PRECIS_API_KEY"
fails "403" '{"default": {"fault": "status", "status": 403, "message": "not allowed"}}' \
	"denied access (403 Forbidden: not allowed)"
fails "404" '{"default": {"fault": "status", "status": 404, "message": "The model `fake-model` does not exist"}}' \
	"has no such model or path (404 Not Found"
check_eq "404: no retry" 1 "$(llm_count)"

recovers "429 with Retry-After" '{"queue": [{"fault": "status", "status": 429, "retry_after": "1"}]}' 2
check "429: waited for Retry-After (≥ 0.9 s)" test "$(llm_py 'int((L[1]["t"] - L[0]["t"]) * 10)')" -ge 9
recovers "429 without Retry-After" '{"queue": [{"fault": "status", "status": 429}]}' 2
check "429 without Retry-After: short backoff" test "$(llm_py 'int((L[1]["t"] - L[0]["t"]) * 10)')" -lt 9
recovers "500" '{"queue": [{"fault": "status", "status": 500}]}' 2
recovers "502 then 503" '{"queue": [{"fault": "status", "status": 502}, {"fault": "status", "status": 503}]}' 3
fails "503 every time" '{"default": {"fault": "status", "status": 503, "message": "overloaded"}}' \
	"failed (503 Service Unavailable: overloaded) (gave up after 5 tries)"
check_eq "503: retries stop at the cap (1 + 4)" 5 "$(llm_count)"
check "503: backoff grows" test "$(llm_py 'int(((L[4]["t"] - L[3]["t"]) - (L[1]["t"] - L[0]["t"])) * 100)')" -gt 0

# context: one request too long -> notes on smaller pieces, then the summary
llm_script '{"queue": [{"fault": "context"}]}'; llm_log_reset
out=$(P summarize 1 2>&1); st=$?
check_eq "400 context: falls back to chunks and succeeds" 0 "$st"
check "400 context: notes were asked for" test "$(llm_count notes)" -ge 2
fails "400 context every time" '{"default": {"fault": "context", "flavor": "llamacpp"}}' \
	"the prompt is longer than the model's context"

export PRECIS_API_BASE=http://127.0.0.1:1/v1
fails "connection refused" '{}' "connection refused by 127.0.0.1:1: is the server running?"
export PRECIS_API_BASE=http://no-such-host.invalid/v1
fails "DNS failure" '{}' "cannot resolve 'no-such-host.invalid' (DNS lookup failed)"
export PRECIS_API_BASE=https://127.0.0.1:$LLM_PORT/v1
fails "TLS failure" '{}' "TLS with 127.0.0.1:$LLM_PORT failed"
export PRECIS_API_BASE=http://127.0.0.1:$LLM_PORT/v1

llm_config 'idle_timeout = 1
retries = 0'
fails "accepts, then silence" '{"default": {"fault": "silence", "hold": 8}}' "sent no new text for 1 s (idle_timeout)"
fails "headers, then silence" '{"default": {"fault": "headers_then_silence", "hold": 8}}' "sent no new text for 1 s"
fails "only keep-alives" '{"default": {"fault": "keepalive_only", "hold": 8}}' "only keep-alive comments"
fails "stream cut mid-way" '{"default": {"fault": "cut"}}' "ended before the answer was finished"
fails "error object mid-stream (status 200)" '{"default": {"fault": "midstream_error"}}' \
	"error in the middle of the answer: Provider disconnected unexpectedly"
fails "invalid JSON" '{"default": {"fault": "badjson"}}' "invalid JSON in the answer stream"
llm_config 'retries = 1'
recovers "stream cut, then whole" '{"queue": [{"fault": "cut"}]}' 2
fails "empty answer" '{"default": {"fault": "empty"}}' "the model returned an empty answer"
llm_log_reset
fails "answer without a Mermaid map" '{"default": {"fault": "nomermaid"}}' "no Mermaid map"
check_eq "no map: one repair request was sent" 1 "$(llm_count repair)"
check_eq "no map: the repair request names the problem" True "$(llm_py '"no Mermaid map" in L[-1]["body"]["messages"][1]["content"]')"
v=$(P show 1 --versions --json)
check "no map: the partial text is a failed, non-current version" python3 -c '
import json, sys
v = json.loads(sys.argv[1])
f = [x for x in v if x["status"] == "failed"]
assert f and not any(x["current"] for x in f), v
assert f[-1]["warning"].startswith("no Mermaid map"), f[-1]
' "$v"

# a map that does not parse: repaired, or kept with a warning
llm_script '{"queue": [{"fault": "badmermaid"}]}'; llm_log_reset
out=$(P summarize 1 2>&1); st=$?
check_eq "bad map, repaired: done" 0 "$st"
check_eq "bad map: the repair carried the parser's message" True "$(llm_py '"in the Mermaid map, line 3" in L[-1]["body"]["messages"][1]["content"]')"
check_eq "bad map, repaired: no warning" None "$(P show 1 --summary --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["warning"])')"
llm_script '{"default": {"fault": "badmermaid"}}'
out=$(P summarize 1 2>&1); st=$?
check_eq "bad map twice: kept (done)" 0 "$st"
check_contains "bad map twice: the warning is shown" "$out" "warning: the map has"
w=$(P show 1 --summary --json | python3 -c 'import json,sys; s=json.load(sys.stdin); print(s["current"], s["warning"][:11])')
check_eq "bad map twice: current, with its warning stored" "True the map has" "$w"
check_contains "versions list the warning" "$(P show 1 --versions)" "warning: the map has"
check_eq "the imported summary is still there, unchanged" "$ORIG" "$(P show 1 --versions --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')"
done_testing
