#!/bin/sh
# Settings that go into HTTP requests cannot add headers of their own: a
# control character in the API key, the model name, the endpoint or a
# `header =` value is refused with one line naming the setting (doctor
# fails on it), and the fake server receives nothing. A URL's user-info
# and query values are never stored in the archive (the jobs' batch key)
# nor shown.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../llm_lib.sh"

DB="$T_TMP/a.db"
P() { "$PRECIS" --db "$DB" "$@"; }
P import --quiet "$T_REPO/data/samples/002_72c3af4b86c673dc.txt" >/dev/null 2>&1
llm_start
NL='
'
CR=$(printf '\r')

# received X: 1 when some request the server logged carries header X
received() { llm_py "any('$1' in e['headers'] for e in L)"; }

# --- the key
export PRECIS_API_KEY="abc${CR}${NL}X-Injected: yes"
llm_log_reset
out=$(P summarize 1 2>&1); st=$?
check_eq "a key with CR LF: summarize exits 1" 1 "$st"
check_eq "… with one line" 1 "$(printf '%s\n' "$out" | wc -l | tr -d ' ')"
check_contains "… naming the setting" "$out" "the API key from \$PRECIS_API_KEY holds a control character (0x0d)"
check_not_contains "… never the key" "$out" "X-Injected"
check_eq "… and the server received no X-Injected header" False "$(received X-Injected)"
check_eq "… nor any request" 0 "$(llm_count)"
out=$(P doctor 2>&1); st=$?
check_eq "doctor with that key: exit 1" 1 "$st"
check_contains "doctor says what is wrong with the key" "$out" "FAIL the API key from \$PRECIS_API_KEY holds a control character"
check_not_contains "doctor does not call the key fine" "$out" "ok   API key"
check_eq "doctor sent nothing either" False "$(received X-Injected)"
export PRECIS_API_KEY="sk-tab	inside"
out=$(P summarize 1 2>&1); st=$?
check_contains "a tab in the key is refused too" "$out" "holds a control character (0x09)"
unset PRECIS_API_KEY

# --- the model
llm_log_reset
out=$(P summarize 1 --model "fake${CR}${NL}X-Injected: yes" 2>&1); st=$?
check_eq "a model name with CR LF: exit 1" 1 "$st"
check_contains "… naming the setting" "$out" "the model name holds a control character (0x0d): check PRECIS_MODEL, --model or [llm] model"
check_eq "… nothing sent" 0 "$(llm_count)"
out=$(PRECIS_MODEL="fake$(printf '\033')[31m" P doctor 2>&1); st=$?
check_eq "doctor with an escape in the model: exit 1" 1 "$st"
check_contains "… names the model" "$out" "FAIL the model name holds a control character (0x1b)"

# --- the endpoint
out=$(P summarize 1 --api-base "http://127.0.0.1:$LLM_PORT/v1${CR}${NL}X-Injected: yes" 2>&1); st=$?
check_eq "an endpoint with CR LF: exit 1" 1 "$st"
check_contains "… naming the setting" "$out" "the LLM endpoint holds a control character (0x0d)"

# --- header = values
llm_config "header = X-Custom: good value
header = X-Bad: one$(printf '\001')two"
llm_log_reset
out=$(P summarize 1 2>&1); st=$?
check_eq "a header value with a control character: exit 1" 1 "$st"
check_contains "… naming the header" "$out" "[llm] header 'X-Bad' holds a control character (0x01) in its value"
check_eq "… nothing sent" 0 "$(llm_count)"
out=$(P doctor 2>&1); st=$?
check_contains "doctor names the header" "$out" "FAIL [llm] header 'X-Bad' holds a control character"
llm_config "header = X-Custom: good	value"
llm_log_reset
out=$(P summarize 1 2>&1); st=$?
check_eq "a tab in a header value is fine: exit 0" 0 "$st"
check_eq "… the server received it" "good	value" "$(llm_py 'L[-1]["headers"].get("X-Custom")')"
check_eq "… and no other header" False "$(received X-Injected)"
llm_config ""

# --- credentials in the endpoint URL
P import --quiet "$T_REPO/data/samples/000_bc66265cf390ae6e.txt" >/dev/null 2>&1
BASE="http://user:pa55-SECRET-pw@127.0.0.1:$LLM_PORT/v1?api-version=2024&key=QUERY-SECRET-77"
llm_log_reset
out=$(P summarize 2 --api-base "$BASE" 2>&1); st=$?
check_eq "summarize with user-info and a query key: exit 0" 0 "$st"
check_not_contains "… the password is not shown" "$out" "SECRET"
check_eq "the path went before the query" "/v1/chat/completions?api-version=2024&key=QUERY-SECRET-77" "$(llm_py 'L[-1]["path"]')"
check_eq "the user-info went as Basic auth" True "$(llm_py 'L[-1]["headers"].get("Authorization", "").startswith("Basic ")')"
# the archive holds neither secret (the batch key names the redacted URL)
check_eq "the archive never stores the URL's secrets" 0 "$(cat "$DB"* | grep -ac 'SECRET')"
check_contains "… the batch key holds the redacted URL" "$(sqlite3 "$DB" 'select key from batches' 2>&1)" "http://127.0.0.1:$LLM_PORT/v1?api-version=***&key=***"
out=$(P jobs 2>&1)
check_not_contains "jobs shows no secret" "$out" "SECRET"
out=$(P doctor --api-base "$BASE" 2>&1)
check_contains "doctor shows the endpoint redacted" "$out" "endpoint http://127.0.0.1:$LLM_PORT/v1?api-version=***&key=***"
check_not_contains "… no secret" "$out" "SECRET"
# an error naming the URL's secrets hides them
llm_script '{"default": {"fault": "status", "status": 400, "message": "bad key QUERY-SECRET-77 for pa55-SECRET-pw"}}'
out=$(P summarize 1 --api-base "$BASE" 2>&1); st=$?
check_eq "a refused request: exit 1" 1 "$st"
check_contains "… the server's message is shown" "$out" "bad key *** for ***"
check_not_contains "… with the secrets hidden" "$out" "SECRET"
check_eq "… and the archive still holds none" 0 "$(cat "$DB"* | grep -ac 'SECRET')"
done_testing
