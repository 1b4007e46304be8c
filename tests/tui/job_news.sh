#!/bin/sh
# What a summary being written says, wherever the user is: the elapsed
# clock ticks while the first token is awaited; a summary that ends while
# the user is in the list (or another view) is announced there, done or
# failed; the jobs view shows a failure's whole reason.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
. tests/lib_tui.sh
. tests/llm_lib.sh
DB="$T_TMP/a.db"
P() { "$PRECIS" --db "$DB" "$@"; }
P import --quiet tests/fixtures/llm/record_small.txt >/dev/null 2>&1
llm_start
llm_config "idle_timeout = 30"
E="PRECIS_API_BASE=$PRECIS_API_BASE PRECIS_MODEL=fake-model"

# the first token takes 4 s: the clock goes on meanwhile
llm_script '{"default": {"delay": 4, "rate": 50}}'
tui_start 120 30 $E -- --db "$DB"
expect "the list" "小测试：算力与模型"
keys Enter
expect "the reader" "Summary"
keys r
expect "asked" "(y/n)"
keys y
expect "progress shown" "summarizing #1"
expect "the clock ticks while the first token is awaited" "0:02 (" 6
# back to the list before it ends: the end is announced there
keys q
expect "back in the list" "1 transcript"
expect "a summary that ends while the list is shown is announced there" "summary of #1 (小测试：算力与模型) written, now current" 20
keys Q
check_clean_exit "done elsewhere: clean exit"

# a failure with a long reason, while in the jobs view and then the list
long="the server said no: $(printf 'very long reason %s ' 1 2 3 4 5 6 7) END-OF-REASON"
llm_script "{\"default\": {\"delay\": 2, \"fault\": \"status\", \"status\": 400, \"message\": \"$long\"}}"
tui_start 120 30 $E -- --db "$DB"
expect "the list" "小测试：算力与模型"
keys Enter
expect "the reader" "Summary"
keys r
expect "asked" "(y/n)"
keys y
expect "running" "summarizing #1"
keys w
expect "the jobs view" "LLM jobs"
expect "a failure that ends in the jobs view is announced there" "summary of #1 (小测试：算力与模型) failed, the old one stays" 20
keys g
expect "the jobs view shows the failed job's whole reason, not cut" "END-OF-REASON" 10
expect "… under the job's title" "reason:"
keys q q
expect "back in the list" "1 transcript"
keys Q
check_clean_exit "failed elsewhere: clean exit"
# a failed run's partial text: marked the same way in the app and on the
# command line
llm_script '{"default": {"fault": "nomermaid"}}'
P summarize 1 >/dev/null 2>&1
check_contains "show --versions marks the failed run's partial text" "$(P show 1 --versions)" "failed (partial)"
tui_start 120 30 $E -- --db "$DB"
expect "the list (versions)" "小测试：算力与模型"
keys Enter
expect "the reader (versions)" "Summary"
keys V
expect "the versions list" "Summary versions"
expect "… marks it the same way" "failed (partial)"
keys G Enter
expect "… and it cannot become current" "must be a finished version"
keys q Q
check_clean_exit "failed partial version: clean exit"
done_testing
