#!/bin/sh
# precis doctor against the fake server, configuration from file and
# environment, a key file readable by others, proxies from the environment.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../llm_lib.sh"

DB="$T_TMP/a.db"
P() { "$PRECIS" --db "$DB" "$@"; }
FIX=$(cd "$(dirname "$0")/../fixtures" && pwd)

unset PRECIS_API_BASE PRECIS_MODEL
out=$(P doctor 2>&1); st=$?
check_eq "doctor without an endpoint: exit 1" 1 "$st"
check_contains "doctor without an endpoint: how to set one" "$out" "FAIL no LLM endpoint configured: set PRECIS_API_BASE"

llm_start
out=$(P doctor 2>&1); st=$?
check_eq "doctor: exit 0 when a summary can be made" 0 "$st"
check_contains "doctor: the model is listed" "$out" "ok   the server lists model fake-model"
check_contains "doctor: the test completion" "$out" "ok   test completion: fake-model answered"
check_contains "doctor: last line" "$out" "ok   summaries can be made"
check_eq "doctor sent GET /models and one completion" "models ping" "$(llm_py '" ".join(e["kind"] for e in L)')"

out=$(P doctor --model other-model 2>&1); st=$?
check_contains "doctor: an unlisted model is a warning" "$out" "warn the server does not list model other-model (it lists 1: fake-model)"
check_eq "doctor: the server still answered: exit 0" 0 "$st"

llm_script '{"default": {"fault": "status", "status": 404, "message": "model not found"}}'
out=$(P doctor 2>&1); st=$?
check_eq "doctor: completion fails -> exit 1" 1 "$st"
check_contains "doctor: the reason with its fix" "$out" "FAIL test completion: 127.0.0.1:$LLM_PORT has no such model or path (404 Not Found: model not found): check [llm] model"

# a server that accepts the request and then says nothing: the limit hit
# is the wait for the answer (idle_timeout), not the connection's
llm_config "idle_timeout = 2"
llm_script '{"default": {"fault": "silence", "hold": 6}}'
out=$(P doctor 2>&1); st=$?
check_eq "doctor: a silent server -> exit 1" 1 "$st"
check_contains "doctor: the idle timeout it hit" "$out" "FAIL test completion: 127.0.0.1:$LLM_PORT accepted the connection, then sent nothing for 2 s (idle_timeout)"
check_not_contains "doctor: not a connection timeout" "$out" "connect_timeout"
llm_config ""

llm_script '{"require_key": "sk-right-one-777"}'
export PRECIS_API_KEY=sk-wrong-one-888
out=$(P doctor 2>&1); st=$?
check_eq "doctor: wrong key -> exit 1" 1 "$st"
check_contains "doctor: GET /models refused" "$out" "FAIL GET /models: 127.0.0.1:$LLM_PORT refused the API key (401 Unauthorized"
check_contains "doctor: where the key came from, not the key" "$out" "API key from \$PRECIS_API_KEY (16 characters, not shown)"
check_not_contains "doctor: the key is not shown" "$out" "sk-wrong-one-888"
unset PRECIS_API_KEY

# a key in a config file others can read
llm_script '{"require_key": "sk-right-one-777"}'
llm_config 'api_key = sk-right-one-777'
chmod 644 "$XDG_CONFIG_HOME/precis/config"
out=$(P doctor 2>&1); st=$?
check_eq "doctor: the file's key works" 0 "$st"
check_contains "doctor: key file readable by others is warned" "$out" "holds an API key and can be read by others (mode 0644): chmod 600"
check_not_contains "doctor: the key from the file is not shown" "$out" "sk-right-one-777"
chmod 600 "$XDG_CONFIG_HOME/precis/config"
out=$(P doctor 2>&1)
check_not_contains "doctor: mode 600 is fine" "$out" "can be read by others"
# the environment beats the file; OPENAI_API_KEY comes last
export OPENAI_API_KEY=sk-openai-fallback
out=$(P doctor 2>&1)
check_contains "the file's key before OPENAI_API_KEY" "$out" "API key from the config file"
llm_config ''
out=$(P doctor 2>&1); st=$?
check_contains "OPENAI_API_KEY as the fallback" "$out" "API key from \$OPENAI_API_KEY"
check_eq "OPENAI_API_KEY was sent" "Bearer sk-openai-fallback" "$(llm_py 'L[-1]["headers"]["Authorization"]')"
unset OPENAI_API_KEY
llm_config 'api_key_env = MY_LLM_KEY'
MY_LLM_KEY=sk-right-one-777 P doctor >/dev/null 2>&1
check_eq "api_key_env names the variable holding the key" "Bearer sk-right-one-777" "$(llm_py 'L[-1]["headers"]["Authorization"]')"
llm_config ''
llm_script '{}'

# settings of one model in [llm.NAME]
llm_config '[llm.fake-model]
context = 777
[llm.other]
contxt = 1'
out=$(P doctor 2>&1)
check_contains "[llm.MODEL] applies to that model" "$out" "context 777 tokens"
check_contains "[llm.OTHER] is checked too" "$out" "unknown key 'contxt' in [llm.other]"
llm_config ''

# libcurl's proxy variables: a base URL nobody can resolve, reached
# through the fake server acting as the proxy
P import --quiet "$FIX/llm/record_small.txt" >/dev/null 2>&1
llm_log_reset
out=$(http_proxy="http://127.0.0.1:$LLM_PORT" PRECIS_API_BASE=http://llm.example.invalid/v1 P summarize 1 2>&1); st=$?
check_eq "http_proxy is honoured" 0 "$st"
check_eq "the request went through the proxy" "http://llm.example.invalid/v1/chat/completions" "$(llm_py 'L[-1]["path"]')"
out=$(no_proxy="llm.example.invalid" http_proxy="http://127.0.0.1:$LLM_PORT" PRECIS_API_BASE=http://llm.example.invalid/v1 P summarize 1 2>&1); st=$?
check_contains "no_proxy is honoured too" "$out" "cannot resolve 'llm.example.invalid'"
done_testing
