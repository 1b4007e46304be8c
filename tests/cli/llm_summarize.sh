#!/bin/sh
# precis summarize against the fake OpenAI-compatible server: what is
# sent, what the archive holds afterwards, the key kept secret, every
# server's stream shape, prompts from files, settings from the config.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../llm_lib.sh"

DB="$T_TMP/a.db"
P() { "$PRECIS" --db "$DB" "$@"; }
FIX=$(cd "$(dirname "$0")/../fixtures" && pwd)
SEED2="$T_REPO/data/samples/002_72c3af4b86c673dc.txt"   # the seed, always there

# No endpoint: one line saying how to set one.
unset PRECIS_API_BASE PRECIS_MODEL
P import --quiet "$FIX/parse/header.txt" "$SEED2" >/dev/null 2>&1
out=$(P summarize 1 2>&1); st=$?
check_eq "no endpoint: exit 1" 1 "$st"
check_eq "no endpoint: one line" 1 "$(printf '%s\n' "$out" | wc -l | tr -d ' ')"
check_contains "no endpoint: says how" "$out" "set PRECIS_API_BASE and PRECIS_MODEL"

llm_start
KEY=sk-test-DO-NOT-LEAK-4242
export PRECIS_API_KEY=$KEY
llm_script '{"require_key": "sk-test-DO-NOT-LEAK-4242"}'
before=$(P show 1 --meta --json)

# 1: a short transcript, one request
out=$(P summarize 1 2>"$T_TMP/err"); st=$?
err=$(cat "$T_TMP/err")
check_eq "summarize 1 exits 0" 0 "$st"
check_contains "final line" "$out" "done 1, failed 0"
check_eq "one request for a short transcript" 1 "$(llm_count summary)"
check_eq "sent the model" "fake-model" "$(llm_py 'L[-1]["body"]["model"]')"
check_eq "sent stream: true" "True" "$(llm_py 'L[-1]["body"]["stream"]')"
check_eq "asked for the usage chunk" "True" "$(llm_py 'L[-1]["body"]["stream_options"]["include_usage"]')"
check_eq "system then user message" "['system', 'user']" "$(llm_py '[m["role"] for m in L[-1]["body"]["messages"]]')"
check_eq "the transcript is in the prompt" "True" "$(llm_py '"<transcript>" in L[-1]["body"]["messages"][1]["content"]')"
check_eq "max_tokens by default" "True" "$(llm_py '"max_tokens" in L[-1]["body"] and "max_completion_tokens" not in L[-1]["body"]')"
check_eq "no temperature by default" "False" "$(llm_py '"temperature" in L[-1]["body"]')"
check_eq "the key went in the Authorization header" "Bearer $KEY" "$(llm_py 'L[-1]["headers"]["Authorization"]')"
v=$(P show 1 --versions --json)
check "new version: current, origin llm, model, prompt, tokens" python3 -c '
import json, sys
v = json.loads(sys.argv[1])
assert len(v) == 1, v
new = v[-1]
assert new["current"] and new["origin"] == "llm" and new["model"] == "fake-model", new
assert new["prompt_name"] == "default" and new["status"] == "ok", new
assert new["tokens_in"] > 0 and new["tokens_out"] > 0 and new["duration_s"] >= 0, new
assert new["has_mermaid"] and new["title"] == "假模型的标题", new
' "$v"
meta=$(P show 1 --meta --json)
check "a header title stays (title_source header)" python3 -c '
import json, sys
a, b = json.loads(sys.argv[1]), json.loads(sys.argv[2])
assert b["title"] == a["title"] and b["title_source"] == "header", b
assert b["llm_title"] == "假模型的标题" and b["original_title"] == a["title"], b
' "$before" "$meta"
check_contains "the summary is the model's" "$(P show 1 --summary --width 0)" "核心主旨 (Core Point)"
check_not_contains "the title line is not in the body" "$(P show 1 --summary --width 0)" "Title:"

# 2: the 88 KB seed: map-reduce, the guessed title replaced
guess=$(P show 2 --meta --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["title"])')
llm_log_reset
out=$(P summarize 2 --jobs 3 2>>"$T_TMP/err"); st=$?
check_eq "summarize the seed exits 0" 0 "$st"
seed_notes=$(llm_count notes)
check "the seed goes in chunks (several notes requests)" test "$seed_notes" -ge 3
check_eq "then one reduce request" 1 "$(llm_count reduce)"
check_eq "no chunk exceeds the context" "True" "$(llm_py 'all(len(e["body"]["messages"][1]["content"]) * 0.6 < 8192 for e in L)')"
meta=$(P show 2 --meta --json)
check "guessed title replaced by the model's, original kept" python3 -c '
import json, sys
m = json.loads(sys.argv[1])
assert m["title"] == "假模型的标题", m["title"]
assert m["title_source"] == "guessed" and m["original_title"] == sys.argv[2], m
assert m["llm_title"] == "假模型的标题"
' "$meta" "$guess"
check_contains "list shows the new title" "$(P list)" "假模型的标题"
jobs=$(P jobs --json)
check "jobs --json: two done jobs with chunk counts" python3 -c '
import json, sys
j = json.loads(sys.argv[1])
assert [x["state"] for x in j] == ["done", "done"], j
assert j[0]["chunks_total"] >= 3 and j[0]["chunks_done"] == j[0]["chunks_total"], j[0]
' "$jobs"

# a chunk's notes cut at the output limit: smaller chunks, once
llm_script '{"by_kind": {"notes": [{"fault": "length"}]}}'
llm_log_reset
out=$(P summarize 2 --jobs 3 2>&1); st=$?
check_eq "finish_reason length on a chunk: falls back and succeeds" 0 "$st"
check "… with about twice as many (smaller) chunks" test "$(llm_count notes)" -gt $((seed_notes * 3 / 2))
llm_script '{}'

# a progress line on stderr on a terminal, none in a pipe
check_not_contains "no progress bar in a pipe" "$(cat "$T_TMP/err")" "[---"
if command -v script >/dev/null 2>&1; then
	script -qc "'$PRECIS' --db '$DB' summarize 2 --jobs 2" "$T_TMP/tty" >/dev/null 2>&1
	tty=$(tr '\r' '\n' < "$T_TMP/tty")
	check_contains "on a terminal: a progress line" "$tty" "[----------"
	check_contains "… with the stage and chunks" "$tty" "#2 notes "
	check_contains "… and the final line" "$tty" "done 1, failed 0"
fi

# the key is nowhere: output, errors, archive, --json
all="$out$(cat "$T_TMP/err")$(P show 1 --versions --json)$(P show 2 --meta --json)$(P jobs --json)$(P jobs)"
check_not_contains "key not in any output" "$all" "$KEY"
check_eq "key not in the archive" 0 "$(cat "$DB"* | grep -c -a "$KEY")"

# a wrong key: 401, and the server's echo of it is scrubbed
llm_script '{"require_key": "sk-other-key-0000"}'
out=$(P summarize 1 2>&1); st=$?
check_eq "401: exit 1" 1 "$st"
check_contains "401: clear reason" "$out" "refused the API key (401 Unauthorized"
check_not_contains "401: the echoed key is scrubbed" "$out" "$KEY"
check_contains "401: the echo shows ***" "$out" "Incorrect API key provided: ***"
unset PRECIS_API_KEY
llm_script '{}'

# settings: max_completion_tokens, a temperature, extra headers and body
llm_config 'max_tokens_param = max_completion_tokens
temperature = 0.2
header = HTTP-Referer: https://example.org/precis
header = X-Title: precis tests
extra_body = {"provider": {"sort": "throughput"}}'
llm_log_reset
P summarize 1 >/dev/null 2>&1
check_eq "max_completion_tokens when configured" "True" "$(llm_py '"max_completion_tokens" in L[-1]["body"] and "max_tokens" not in L[-1]["body"]')"
check_eq "temperature when configured" "0.2" "$(llm_py 'L[-1]["body"]["temperature"]')"
check_eq "extra headers sent" "https://example.org/precis|precis tests" "$(llm_py 'L[-1]["headers"]["HTTP-Referer"] + "|" + L[-1]["headers"]["X-Title"]')"
check_eq "extra_body merged" "throughput" "$(llm_py 'L[-1]["body"]["provider"]["sort"]')"
llm_config 'stream = no'
llm_log_reset
out=$(P summarize 1 2>&1); st=$?
check_eq "stream = no: a plain JSON answer works" 0 "$st"
check_eq "stream = no: sent stream false" "False" "$(llm_py 'L[-1]["body"]["stream"]')"
llm_config 'contxt = 5
context = lots'
out=$(P summarize 1 2>&1)
check_contains "config typo reported with its line" "$out" "config:6: unknown key 'contxt' in [llm]"
check_contains "bad config value reported" "$out" "config:7: llm.context wants a whole number"
llm_config ""

# every server's stream shape gives the same clean summary
for fl in openai deepseek ollama llamacpp openrouter; do
	llm_script "{\"default\": {\"flavor\": \"$fl\", \"split\": true}}"
	out=$(P summarize 1 2>&1); st=$?
	body=$(P show 1 --summary --width 0)
	if [ "$st" = 0 ] && printf '%s' "$body" | grep -q "Core Point" &&
	   ! printf '%s' "$body" | grep -q -e "think" -e "嗯" -e "Thinking"; then
		ok "$fl stream shape: summary stored without reasoning"
	else
		not_ok "$fl stream shape" "$out $body"
	fi
done
llm_script '{"default": {"crlf": true, "split": true}}'
out=$(P summarize 1 2>&1); st=$?
check_eq "CRLF line ends, events split anywhere" 0 "$st"

# a prompt from a file
mkdir -p "$XDG_CONFIG_HOME/precis/prompts"
cat > "$XDG_CONFIG_HOME/precis/prompts/terse.prompt" <<'PROMPT'
[summary]
TERSE PROMPT MARKER. Summarize with <Mermaid_Diagram> map: {{transcript}}
PROMPT
llm_script '{}'
llm_log_reset
out=$(P summarize 1 --prompt terse 2>&1); st=$?
check_eq "--prompt NAME from the prompts directory" 0 "$st"
check_eq "the file's text was sent" "True" "$(llm_py '"TERSE PROMPT MARKER" in L[-1]["body"]["messages"][1]["content"]')"
check_eq "the version records the prompt name" "terse" "$(P show 1 --summary --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["prompt_name"])')"
out=$(P summarize 1 --prompt nope 2>&1); st=$?
check_eq "unknown prompt: exit 1" 1 "$st"
check_contains "unknown prompt: says so" "$out" "no prompt named 'nope'"

# --dry-run plans without sending
llm_log_reset
out=$(P summarize 2 --dry-run --context 4000 --json); st=$?
check_eq "--dry-run exits 0" 0 "$st"
check_eq "--dry-run sends nothing" 0 "$(llm_count)"
check "--dry-run: chunks at a 4000-token context" python3 -c '
import json, sys
p = json.loads(sys.argv[1])[0]
assert not p["single_request"] and p["chunks"] >= 8 and p["chunk_tokens"] < 3200, p
assert p["requests"] > p["chunks"], p
' "$out"

# --missing and --state select; nothing is ever removed
P import --quiet "$FIX/parse/front_matter.md" >/dev/null 2>&1
out=$(P summarize --missing 2>&1); st=$?
check_eq "--missing summarizes the one without a summary" 0 "$st"
check_contains "--missing: one done" "$out" "done 1, failed 0"
out=$(P summarize --missing 2>&1)
check_contains "--missing again: nothing left" "$out" "done 0, failed 0"
total=$(for i in 1 2 3; do P show $i --versions --json; done | python3 -c '
import json, sys
print(sum(len(json.loads(x)) for x in sys.stdin.read().replace("]\n[", "]\x00[").split("\x00")))')
check "every version kept" test "$total" -ge 12
done_testing
