# Helpers for tests that talk to the fake LLM server (tests/fake_llm.py).
# Source after tests/lib.sh. llm_start starts the server on a free port of
# 127.0.0.1 and points precis at it (PRECIS_API_BASE, PRECIS_MODEL) with
# quick retries and a short idle limit (a config file in $XDG_CONFIG_HOME).
LLM_DIR="$T_TMP/llm"
LLM_PY=$(cd "$(dirname "$0")/.." && pwd)/fake_llm.py

llm_start() {
	mkdir -p "$LLM_DIR" "$XDG_CONFIG_HOME/precis"
	: > "$LLM_DIR/log.jsonl"
	echo '{}' > "$LLM_DIR/script.json"
	python3 "$LLM_PY" --port-file "$LLM_DIR/port" --log "$LLM_DIR/log.jsonl" \
		--script "$LLM_DIR/script.json" &
	LLM_PID=$!
	i=0
	while [ ! -s "$LLM_DIR/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
	LLM_PORT=$(cat "$LLM_DIR/port")
	at_exit 'kill $LLM_PID 2>/dev/null'
	export PRECIS_API_BASE="http://127.0.0.1:$LLM_PORT/v1" PRECIS_MODEL=fake-model
	unset PRECIS_API_KEY OPENAI_API_KEY
	llm_config ""
}

# llm_config TEXT: the [llm] section of the config file (plus test defaults).
llm_config() {
	cat > "$XDG_CONFIG_HOME/precis/config" <<CFG
[llm]
retry_base = 0.05
retry_max = 2
idle_timeout = 3
connect_timeout = 5
$1
CFG
	chmod 600 "$XDG_CONFIG_HOME/precis/config"
}

# llm_script JSON: what the server answers next (see tests/fake_llm.py).
llm_script() { printf '%s\n' "$1" > "$LLM_DIR/script.json.tmp" && mv "$LLM_DIR/script.json.tmp" "$LLM_DIR/script.json"; }
llm_log_reset() { : > "$LLM_DIR/log.jsonl"; }
# llm_count [KIND]: requests logged (of that kind).
llm_count() {
	python3 - "$LLM_DIR/log.jsonl" "${1:-}" <<'PY'
import json, sys
n = 0
for l in open(sys.argv[1], encoding="utf-8"):
    e = json.loads(l)
    if not sys.argv[2] or e["kind"] == sys.argv[2]:
        n += 1
print(n)
PY
}
# llm_py EXPR: evaluates a Python expression over L (the list of logged
# requests) and prints the result.
llm_py() {
	python3 - "$LLM_DIR/log.jsonl" "$1" <<'PY'
import json, sys
L = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
print(eval(sys.argv[2]))
PY
}
