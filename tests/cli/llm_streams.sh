#!/bin/sh
# precis summarize and doctor against streams of every shape real providers
# send (tests/fake_llm.py, tests/fixtures/sse/): several choices
# interleaved (n > 1), a refusal instead of an answer, a NUL inside a
# delta, blank lines after a <think> block, and an answer that never ends
# (a server ignoring max_tokens).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../llm_lib.sh"

DB="$T_TMP/a.db"
P() { "$PRECIS" --db "$DB" "$@"; }
FIX=$(cd "$(dirname "$0")/../fixtures" && pwd)
P import --quiet "$FIX/parse/header.txt" >/dev/null 2>&1
llm_start
nversions() { P show 1 --versions --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))'; }
cur() { P show 1 --summary --json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["id"] if d else 0)'; }

# n = 3 in extra_body: never sent, so the server streams one answer
llm_config 'extra_body = {"n": 3, "top_p": 0.9}'
out=$(P summarize 1 2>&1); st=$?
check_eq "extra_body n=3: the summary is made" 0 "$st"
check_eq "n is not sent (one choice asked for)" "False" "$(llm_py '"n" in L[-1]["body"]')"
check_eq "the rest of extra_body is" "0.9" "$(llm_py 'L[-1]["body"]["top_p"]')"
sum=$(P show 1 --summary --width 0)
check_contains "the summary is choice 0's text" "$sum" "核心主旨 (Core Point)"
check_not_contains "… with nothing of another choice" "$sum" "Choice 1 says"
llm_config ""

# a server that sends three interleaved choices unasked: choice 0 is read
llm_script '{"default": {"choices": 3}}'
before=$(nversions)
out=$(P summarize 1 2>&1); st=$?
check_eq "three interleaved choices: exit 0" 0 "$st"
sum=$(P show 1 --summary --width 0)
check_contains "the summary is choice 0's" "$sum" "算力决定了模型的上限。"
check_not_contains "… not the choices interleaved" "$sum" "Choice"
check_eq "one new version" $((before + 1)) "$(nversions)"
# doctor: the ping's answer is choice 0, and doctor says the server sent three
out=$(P doctor 2>&1); st=$?
check_eq "doctor passes on a three-choice stream" 0 "$st"
check_contains "doctor quotes choice 0's reply" "$out" '("ok")'
check_contains "doctor warns about the extra choices" "$out" "the server sent 3 answers (choices) to one request"

# a refusal instead of an answer: quoted, not "an empty answer"
llm_script '{"default": {"refusal": "I'"'"'m sorry, but I can'"'"'t help with that."}}'
cur0=$(cur)
out=$(P summarize 1 2>&1); st=$?
check_eq "a refusal fails the run" 1 "$st"
check_contains "the refusal is quoted" "$out" "the model refused: \"I'm sorry, but I can't help with that.\""
check_not_contains "… not called an empty answer" "$out" "empty answer"
check_eq "the current summary is unchanged" "$cur0" "$(cur)"
check_eq "a refusal is not worth a repair request" 0 "$(llm_count repair)"
out=$(P doctor 2>&1); st=$?
check_eq "doctor fails on a refusal" 1 "$st"
check_contains "doctor quotes it" "$out" "test completion: the model refused: \"I'm sorry"

# a recorded refusal stream (OpenAI's shape, tests/fixtures/sse/)
llm_script "{\"default\": {\"sse_file\": \"$FIX/sse/openai_refusal.sse\"}}"
out=$(P summarize 1 2>&1)
check_contains "the recorded refusal is quoted" "$out" "the model refused: \"I'm sorry, but I can't help with that request.\""

# a NUL inside a delta (valid JSON \u0000): dropped, like the importer does
llm_script '{"default": {"insert": "空\u0000字符与\u0007响铃。\n"}}'
llm_log_reset
out=$(P summarize 1 2>&1); st=$?
check_eq "a NUL in the answer does not fail the run" 0 "$st"
check_not_contains "nothing blames the endpoint" "$out" "base_url"
check_contains "the text around the NUL is kept" "$(P show 1 --summary --json)" '空字符与'
check_eq "one request, no retry" 1 "$(llm_count)"

# blank lines after a <think> block are not part of the answer
llm_script '{"default": {"flavor": "ollama"}}'
out=$(P doctor 2>&1)
check_contains "doctor's reply after </think> has no blank lines" "$out" '("ok")'

# an answer that never ends: stopped at a multiple of max_output
llm_config 'max_output = 2048'
llm_script '{"default": {"filler_bytes": 3000000, "piece_bytes": 4000}}'
cur0=$(cur)
out=$(P summarize 1 2>&1); st=$?
check_eq "a runaway answer fails the run" 1 "$st"
check_contains "… saying it stopped reading" "$out" "the answer passed 64 KB, far more than the 2048 tokens asked for: stopped reading it"
check_eq "… in one line (and the summary line)" 2 "$(printf '%s\n' "$out" | wc -l | tr -d ' ')"
check_eq "the current summary is unchanged" "$cur0" "$(cur)"
check_eq "the partial answer is kept as a failed version" failed "$(P show 1 --versions --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[-1]["status"])')"
n=$(sqlite3 "$DB" "SELECT max(length(CAST(body AS BLOB))) FROM summaries WHERE status = 'failed'")
check "… of at most the cap (64 KB), not the 3 MB sent" test "$n" -le 70000
llm_config ""

done_testing
