#!/bin/sh
# The reviewer's day (issue 16, docs/review.md), driven in tmux:
#  - review state that stays true: a new version (an edit) puts an approved
#    transcript back in the queue as changed, in the header, the list, J and
#    --json; no approval without a summary; J stops only at summaries;
#  - who and when: [review] name on every review, H shows the history;
#  - two apps on one archive see each other's reviews without a key, and a
#    review of a version that is no longer current is refused;
#  - a queue in one key per summary: a and x approve/flag and go on, the
#    list's cursor follows the reader;
#  - the list acts on its row (a, e, m, V, o, H) and on tagged rows (t, T, U,
#    then a); l filters as you type; S reverses the sort; the header shows
#    the order, filter, pattern and tags at 80 columns.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
. tests/lib_tui.sh
make_fixture
P() { "$PRECIS" --db "$DB" "$@"; }
# six transcripts with summaries, in two channels, one a day apart
i=1
while [ $i -le 6 ]; do
	ch=Alpha; [ $((i % 2)) = 0 ] && ch=Beta
	printf 'Title: Queue talk %d\nChannel: %s channel\nURL: https://example.com/q%d\nTimestamp: 2026-02-%02dT10:00:00\nDuration: 10:00\n\nDescription:\n# Queue summary %d\n\nPoint %d of the queue.\n\nContent:\nqueue words number %d about the point\n' \
		$i $ch $i $i $i $i $i >"$T_TMP/q$i.txt"
	i=$((i + 1))
done
P import --quiet "$T_TMP"/q*.txt >/dev/null
qid() { P list --json | python3 -c 'import json,sys; print([r["id"] for r in json.load(sys.stdin) if r["title"] == "Queue talk '"$1"'"][0])'; }
Q1=$(qid 1); Q2=$(qid 2); Q3=$(qid 3); Q4=$(qid 4); Q5=$(qid 5); Q6=$(qid 6)
field() { P show "$1" --meta --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["'"$2"'"])'; }
mkdir -p "$XDG_CONFIG_HOME/precis"
printf '[review]\nname = Ada Reviewer\n' >"$XDG_CONFIG_HOME/precis/config"
cat >"$T_TMP/editor.sh" <<'EOS'
#!/bin/sh
printf '\nAn edited line.\n' >>"$1"
EOS
chmod +x "$T_TMP/editor.sh"

# --- review state that never lies ---------------------------------------
tui_start 120 36 EDITOR="$T_TMP/editor.sh" VISUAL= -- --db "$DB"
expect "the list counts what is to review: summaries only" "50 transcripts · 43 unsummarized · 7 unreviewed"
# Queue talk 6 is the newest recording: the top row
keys g Enter
expect "the reader on Queue talk 6" "Queue summary 6"
keys A
expect "A approves and stays" "approved by Ada Reviewer"
check_eq "the archive records who approved, and which version" "approved Ada Reviewer 1" \
	"$(field "$Q6" review) $(field "$Q6" reviewer) $(field "$Q6" review_version)"
keys e
expect "e saves a new version" "saved as version 2 (edited)"
expect "the header no longer says approved: changed since v1" "~ changed since approved v1"
expect_not "… and not ✓ approved" "✓ approved"
check_eq "--json: changed, the approval of v1 kept" "changed approved 1 2" \
	"$(field "$Q6" review) $(field "$Q6" review_verdict) $(field "$Q6" review_version) $(field "$Q6" current_version)"
check_contains "list --state changed lists it" "$(P list --state changed)" "Queue talk 6"
check_contains "list --state unreviewed lists it (the queue)" "$(P list --state unreviewed)" "Queue talk 6"
keys q
expect "back in the list: counted as changed" "7 unreviewed (1 changed)"
line=$(line_of "Queue talk 6")
case "$line" in *"~"*) ok "the list marks it changed (~)";; *) not_ok "the list marks it changed (~)" "$line";; esac
# [ from the second row stops at it again
keys g j '['
expect "[ stops at the changed one" "#$Q6 ·"
keys H
expect "H: the review history" "Reviews of #$Q6"
expect "… who approved which version" "Ada Reviewer"
expect "… the version" "v1"
keys q
# no approval without a summary; J/] skip transcripts without one
keys g j j j j j j j
expect "a row without a summary" "#$(P list --json | python3 -c 'import json,sys; print([r["id"] for r in json.load(sys.stdin) if r["title"] == "Filler talk 27"][0])') ·"
keys a
expect "a on a transcript without a summary is refused, saying why" "cannot approve"
expect "… because there is nothing to approve" "has no summary"
keys x
expect "flagging one is allowed" "Flag, reason"
keys_l 'unusable audio'
keys Enter
expect "flagged" "flagged: unusable audio"
expect "the header still counts it as unsummarized" "43 unsummarized"
keys Q
check_clean_exit "review state session ends cleanly"
FL=$(P list --json | python3 -c 'import json,sys; print([r["id"] for r in json.load(sys.stdin) if r["title"] == "Filler talk 27"][0])')
check_contains "list --state unsummarized includes the flagged one" "$(P list --state unsummarized)" "Filler talk 27"
check_eq "--json: no summary, flagged — two facts" "False flagged" "$(field "$FL" summarized) $(field "$FL" review)"

# --- two apps on one archive; a stale review is refused ------------------
mkdir -p "$T_TMP/cfg2/precis"
printf '[review]\nname = Bob\n' >"$T_TMP/cfg2/precis/config"
tui_start 120 36 -- --db "$DB"
# the second app in a tmux server of its own (tmux 3.3a's server exits when
# a second session is made under window-size manual)
TM2() { tmux -S "$T_TMP/tmux2.sock" "$@"; }
at_exit 'TM2 kill-server >/dev/null 2>&1'
TM2 -f /dev/null new-session -d -x 120 -y 36 -s u "cd '$T_TMP' && env TERM=tmux-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 TZ=UTC HOME='$HOME' XDG_CONFIG_HOME='$T_TMP/cfg2' EDITOR='$T_TMP/editor.sh' VISUAL= XDG_DATA_HOME='$XDG_DATA_HOME' ASAN_OPTIONS='$ASAN_OPTIONS:log_path=$T_TMP/asan' '$PRECIS' --db '$DB'; echo \$? > '$T_TMP/exit2'; sleep 600"
TM2 set-option -g status off >/dev/null
screen2() { TM2 capture-pane -p -t u 2>/dev/null; }
keys2() { TM2 send-keys -t u "$@"; }
wait2() { i=0; while [ $i -lt 200 ]; do case "$(screen2)" in *"$1"*) return 0;; esac; sleep 0.05; i=$((i + 1)); done; return 1; }
expect "first app" "Queue talk 5"
wait2 "Queue talk 5" || not_ok "second app starts" "$(screen2)"
# the second app approves Queue talk 5 (second row); the first sees it
keys2 j a
wait2 "approved" && ok "the second app approves" || not_ok "the second app approves" "$(screen2)"
i=0; while [ $i -lt 60 ] && ! line_of "Queue talk 5" | grep -q "✓"; do sleep 0.05; i=$((i + 1)); done
case "$(line_of "Queue talk 5")" in *"✓"*) ok "the first app's list shows the other's approval, no key pressed";;
	*) not_ok "the first app's list shows the other's approval, no key pressed" "$(screen)";; esac
# the first app reads Queue talk 4 (v1); the second edits it meanwhile
keys j j Enter
expect "the first app reads Queue talk 4" "Queue summary 4"
keys2 j e
wait2 "saved as version 2" && ok "the second app saves v2 of it" || not_ok "the second app saves v2 of it" "$(screen2)"
keys2 Enter
wait2 "An edited line" || not_ok "the second app reads v2" "$(screen2)"
expect "the first app says a newer version is current, without swapping it in" "v2 is current (R shows it)"
expect "… still showing what was read" "summary v1 shown"
keys a
expect "a review of v1 is refused, naming the current version" "not approved: the summary of #$Q4 changed: v2"
check_eq "nothing was written" "unreviewed 0" "$(field "$Q4" review) $(P show "$Q4" --meta --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["reviews"]))')"
keys R
expect "R shows the current version" "showing the current version, v2"
expect "… its text" "An edited line"
keys A
expect "now it is approved" "approved by Ada Reviewer"
check_eq "approved, v2, by the first app's reviewer" "approved 2 Ada Reviewer" "$(field "$Q4" review) $(field "$Q4" review_version) $(field "$Q4" reviewer)"
# the second app's reader (open on it all along) picks up the approval
wait2 "✓ approved by Ada Reviewer" && ok "the second app's reader shows the approval" || not_ok "the second app's reader shows the approval" "$(screen2 | head -3)"
keys2 Q
keys Q
check_clean_exit "first app ends cleanly"
i=0; while [ $i -lt 100 ] && [ ! -s "$T_TMP/exit2" ]; do sleep 0.05; i=$((i + 1)); done
check_eq "second app ends cleanly" 0 "$(cat "$T_TMP/exit2" 2>/dev/null)"

# --- the queue: one key per summary; the cursor follows -----------------
P review "$Q1" "$Q2" "$Q3" "$Q4" "$Q5" "$Q6" --clear >/dev/null
tui_start 120 36 -- --db "$DB"
expect "queue session" "Queue talk 6"
keys g Enter
expect "reader on the first of the queue" "Queue summary 6"
keys a
expect "a approves and opens the next" "approved #$Q6 · next to review: #$Q5"
expect "… which is on screen" "Queue summary 5"
keys a
expect "a again" "Queue summary 4"
keys x
expect "x asks for a reason" "Flag, reason"
keys_l 'invented figure'
keys Enter
expect "x flags and opens the next" "flagged #$Q4 · next to review: #$Q3"
expect "… on screen" "Queue summary 3"
check_eq "three keys (and a reason) reviewed three summaries" "approved approved flagged" \
	"$(field "$Q6" review) $(field "$Q5" review) $(field "$Q4" review)"
keys J
expect "J skips to the next without reviewing" "Queue summary 2"
keys q
expect "q lands the list on the transcript the reader was on" "#$Q2 ·"
keys Q
check_clean_exit "queue session ends cleanly"

# --- the list acts: its row, tags, pattern, reverse; 80 columns ---------
P review "$Q1" "$Q2" "$Q3" "$Q4" "$Q5" "$Q6" --clear >/dev/null
tui_start 80 24 EDITOR="$T_TMP/editor.sh" VISUAL= -- --db "$DB"
expect "80x24 list" "50 transcripts"
keys l
expect "l asks for a pattern" "Limit to"
keys_l 'queue'
expect "rows are filtered as the pattern is typed" "/queue/"
expect "… queue rows listed" "Queue talk 1"
wait_gone "Filler talk" 5 && ok "… others not" || not_ok "… others not" "$(screen)"
keys_l ' beta'
expect "every word must match: title and channel" "Queue talk 4"
wait_gone "Queue talk 5" 5 && ok "… Alpha rows gone" || not_ok "… Alpha rows gone" "$(screen)"
keys Escape
expect "Esc puts the last pattern back (none)" "Filler talk"
keys '\'
keys_l 'queue'
keys Enter
expect "Enter keeps the pattern" "6 match 'queue'"
keys S
expect "S reverses the sort, shown in the header" "old→new"
expect "… the oldest first" "Queue talk 1"
keys f f f
expect "the filter marker" "[unreviewed]"
keys t t
expect "t tags and moves down" "2 tagged"
scr=$(screen | head -1)
for part in "sort: date old→new" "[unreviewed]" "/queue/" "2 tagged"; do
	check_contains "at 80 columns the header shows $part" "$scr" "$part"
done
keys a
expect "a with tags asks" "Approve the 2 tagged transcripts? (y/n)"
keys y
expect "approves both in one go" "approved 2 transcripts"
check_eq "the two oldest are approved" "approved approved unreviewed" \
	"$(field "$Q1" review) $(field "$Q2" review) $(field "$Q3" review)"
expect_not "tags are gone once done" "tagged"
keys T
expect "T tags every row listed" "4 tagged"
keys U
expect "U untags" "4 untagged"
# a row's own actions
keys g
keys H
expect "H on the row" "Reviews of #$Q3"
keys q
keys V
expect "V on the row" "Summary versions"
keys q
keys e
expect "e on the row saves a new version" "saved as version 2 (edited)"
keys m
expect "m on the row: no map in this summary" "no concept map"
keys o
expect "o on the row opens its URL" "example.com/q3"
keys Q
check_clean_exit "list session ends cleanly"

# --- the review messages name the keys as bound after [keys] -------------
printf '[review]\nname = Ada Reviewer\n[keys]\nlist.approve = v\nlist.limit = L\n' >"$XDG_CONFIG_HOME/precis/config"
tui_start 120 36 -- --db "$DB"
expect "rebound session" "Queue talk 6"
keys T
expect "the tags' message names approve as bound" "v approves them"
keys U L
keys_l 'queue'
keys Enter
expect "the pattern's message names the limit key as bound" "(L changes it, L then Enter"
keys Q
check_clean_exit "rebound session ends cleanly"
printf '[review]\nname = Ada Reviewer\n' >"$XDG_CONFIG_HOME/precis/config"

# --- r on tagged rows: jobs queued, progress on the status line ----------
. tests/llm_lib.sh
llm_start
llm_script '{"default": {"rate": 200}}'
v1=$(P show "$Q1" --versions --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
tui_start 120 36 PRECIS_API_BASE=$PRECIS_API_BASE PRECIS_MODEL=fake-model -- --db "$DB"
expect "llm session" "Queue talk 6"
keys l
keys_l 'queue'
keys Enter
keys S
expect "oldest first" "old→new"
keys g t t
expect "two tagged" "2 tagged"
keys r
expect "r with tags asks once" "Summarize the 2 tagged again with fake-model"
keys y
expect "the status line follows the batch" "summarizing 2 tagged:"
expect "… to its end" "summarized 2 tagged: 2 new versions" 40
check_eq "each got a new version" "$((v1 + 1)) $((v1 + 1))" \
	"$(P show "$Q1" --versions --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))') $(P show "$Q2" --versions --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')"
check_eq "the approved one is back in the queue as changed" "changed" "$(field "$Q1" review)"
check_not_contains "the tags were queued, so untagged" "$(screen | head -1)" "tagged"
keys Q
check_clean_exit "llm session ends cleanly"
done_testing
