#!/bin/sh
# Streams of every shape in the app (r in the reader), against the fake
# server: three interleaved choices stream as choice 0 alone; a refusal is
# quoted on the status line; an answer that never ends is stopped and the
# old summary stays current.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
. tests/lib_tui.sh
. tests/llm_lib.sh
DB="$T_TMP/a.db"
P() { "$PRECIS" --db "$DB" "$@"; }
P import --quiet tests/fixtures/llm/record_small.txt >/dev/null 2>&1
cur_id() { P show 1 --summary --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'; }
ORIG=$(cur_id)
llm_start
E="PRECIS_API_BASE=$PRECIS_API_BASE PRECIS_MODEL=fake-model"

# three choices interleaved, streamed slowly: the pane shows choice 0 only
llm_script '{"default": {"choices": 3, "rate": 30}}'
tui_start 120 30 $E -- --db "$DB"
expect "the list" "小测试：算力与模型"
keys Enter
expect "the reader" "imported"
keys r
expect "r asks first" "(y/n)"
keys y
expect "choice 0 streams into the summary pane" "第一部分" 15
expect_not "… and no other choice's text" "Choice"
expect "it ends: the new version is current" "new summary, now current" 30
expect_not "the stored summary holds no other choice" "Choice"
NEW=$(cur_id)
check "a new current summary" test "$NEW" != "$ORIG"

# a refusal: quoted on the status line, the summary unchanged
llm_script '{"default": {"refusal": "I cannot summarize this transcript."}}'
keys r
expect "r asks again" "(y/n)"
keys y
expect "the refusal is quoted on the status line" 'the model refused: "I cannot summarize this transcript."' 15
check_eq "the current summary is unchanged after a refusal" "$NEW" "$(cur_id)"

# an answer that never ends: stopped, the old summary stays
llm_script '{"default": {"filler_bytes": 20000000, "piece_bytes": 8000}}'
keys r
expect "r asks once more" "(y/n)"
keys y
expect "a runaway answer is stopped, the old summary stays" "summary failed, the old one stays: the answer passed" 20
expect "… saying what was asked for" "far more than the 3276 tokens asked for"
check_eq "the current summary is unchanged after a runaway answer" "$NEW" "$(cur_id)"
keys Q
check_clean_exit "clean exit"
done_testing
