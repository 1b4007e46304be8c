#!/bin/sh
# r in the app while `precis summarize` writes a summary of the same
# transcript: the app does not write a second one at the same time — it
# says another precis is summarizing it (the transcript's claim,
# db/archive.h) and the archive gets one new version.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
. tests/lib_tui.sh
. tests/llm_lib.sh
DB="$T_TMP/a.db"
P() { "$PRECIS" --db "$DB" "$@"; }
P import --quiet tests/fixtures/llm/record_small.txt >/dev/null 2>&1
versions() { P show 1 --versions --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))'; }
llm_start
llm_config 'idle_timeout = 30'
# the command's answer takes 6 s to start
llm_script '{"default": {"delay": 6}}'
"$PRECIS" --db "$DB" summarize 1 >"$T_TMP/cmd.out" 2>"$T_TMP/cmd.err" &
bg_cmd=$!
i=0
while [ "$(llm_count summary)" = 0 ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
E="PRECIS_API_BASE=$PRECIS_API_BASE PRECIS_MODEL=fake-model"
tui_start 140 30 $E -- --db "$DB"
expect "the list" "小测试：算力与模型"
keys Enter
expect "the reader" "imported"
keys r
expect "r asks first" "(y/n)"
keys y
expect "the app says another precis is summarizing it" "is being summarized by another precis right now" 15
check_eq "the app sent no request of its own" 1 "$(llm_count summary)"
wait "$bg_cmd"; st=$?
check_eq "the command finished its summary" 0 "$st"
check_eq "one new version, not two" 2 "$(versions)"
keys Q
check_clean_exit "clean exit"
done_testing
