#!/bin/sh
# The archive from the command line, as a user types it: import of both
# seeds, list/show/search, JSON, re-import, versions, usage errors.
. "$(dirname "$0")/../lib.sh"

DB="$T_TMP/a.db"
P() { "$PRECIS" --db "$DB" "$@"; }
# The sample records (data/samples/, byte for byte the corpus seeds).
SEED0=$(ls "$T_REPO"/data/samples/000_*.txt)
SEED2=$(ls "$T_REPO"/data/samples/002_*.txt)

out=$(P import "$SEED0" "$SEED2" 2>&1); st=$?
check_eq "import of both seeds exits 0" 0 "$st"
check_contains "import prints the summary line" "$out" "imported 2, skipped 0, failed 0"

# Record seed: header fields, summary, Mermaid extracted verbatim.
meta=$(P show 1 --meta --json)
check_contains "seed 0 title" "$meta" '"title": "深度解读Grok4 发布会 | Grok4 能撑起马斯克的野心吗？"'
check_contains "seed 0 url" "$meta" '"url": "https://youtube.com/watch?v=EfWnRTBfcfc&si=LKH7ZmqQEou_wn3w"'
check_contains "seed 0 video id" "$meta" '"video_id": "EfWnRTBfcfc"'
check_contains "seed 0 duration 56:04" "$meta" '"duration_s": 3364'
check_contains "seed 0 recorded time" "$meta" '"recorded_at": "2025-07-11T11:59:49'
check_contains "seed 0 has one summary version" "$meta" '"summary_versions": 1'
check_contains "seed 0 state summarized" "$meta" '"state": "summarized"'
want=$(python3 - "$SEED0" <<'EOF'
import sys
s = open(sys.argv[1], encoding='utf-8').read()
a = s.index('<Mermaid_Diagram>') + len('<Mermaid_Diagram>')
b = s.index('</Mermaid_Diagram>')
print(s[a:b].strip('\n'))
EOF
)
got=$(P show 1 --mermaid)
check_eq "seed 0 Mermaid extracted verbatim" "$want" "$got"
summary=$(P show 1 --summary --width 0)
check_contains "seed 0 summary is the Description" "$summary" "核心观点总结"
check_not_contains "summary does not contain the transcript" "$summary" "Content:"
content=$(P show 1 --content --width 0)
check_contains "seed 0 content is the transcript" "$content" "超大规模的算力"
check_not_contains "content does not start with the header" "$(printf '%s' "$content" | head -c 200)" "Timestamp:"

# Bare transcript seed: no summary.
meta2=$(P show 2 --meta --json)
check_contains "seed 2 has no summary" "$meta2" '"summary_versions": 0'
check_contains "seed 2 state unsummarized" "$meta2" '"state": "unsummarized"'
check_contains "seed 2 duration unknown" "$meta2" '"duration_s": null'
check_status "seed 2 --summary fails" 1 P show 2 --summary
check_status "seed 2 --mermaid fails" 1 P show 2 --mermaid

# Listing.
lst=$(P list)
check_contains "list shows seed 0" "$lst" "深度解读Grok4"
check_eq "list has two rows" 2 "$(printf '%s\n' "$lst" | wc -l | tr -d ' ')"
js=$(P list --json)
check "list --json is valid JSON with stable fields" python3 -c '
import json,sys
a = json.loads(sys.argv[1])
assert len(a) == 2
for k in ("id","title","url","duration_s","recorded_at","state","summary_versions"): assert k in a[0], k
' "$js"
check_eq "list --state summarized" 1 "$(P list --state summarized | wc -l | tr -d ' ')"
check_eq "list --state unsummarized" 1 "$(P list --state unsummarized | wc -l | tr -d ' ')"
check_eq "list --state flagged is empty" 0 "$(P list --state flagged | wc -l | tr -d ' ')"
check_eq "list --limit 1" 1 "$(P list --limit 1 | wc -l | tr -d ' ')"
first=$(P list --sort title --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
check_eq "list --sort title: 模 (U+6A21, the guessed title of seed 2) sorts before 深 (U+6DF1)" 2 "$first"
first=$(P list --sort duration --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
check_eq "list --sort duration: longest first" 1 "$first"
check_status "list --sort bogus is a usage error" 2 P list --sort bogus
check_status "list --state bogus is a usage error" 2 P list --state bogus
check_status "list --limit x is a usage error" 2 P list --limit x

# Search: the issue's examples.
s=$(P search --json 算力)
check "search 算力 finds both seeds" python3 -c '
import json,sys
r = json.loads(sys.argv[1])
ids = sorted(x["id"] for x in r["results"])
assert ids == [1, 2], ids
assert r["total"] == 2
for x in r["results"]:
    assert "算力" in x["snippet"], x["snippet"]
    assert x["hits"] >= 1 and isinstance(x["rank"], float)
' "$s"
s=$(P search --json 马)
check "search 马 (one character) finds both seeds" python3 -c '
import json,sys; r = json.loads(sys.argv[1]); assert r["total"] == 2, r' "$s"
s=$(P search --json 苦涩的教训)
check "search of a CJK phrase" python3 -c '
import json,sys; r = json.loads(sys.argv[1]); assert [x["id"] for x in r["results"]] == [1], r' "$s"
s=$(P search Grok4 发布会)
check_contains "search of English + CJK words" "$s" "深度解读Grok4"
s=$(P search --json '"Mermaid 概念图"')
check "search matches the current summary" python3 -c '
import json,sys; r = json.loads(sys.argv[1]); assert r["total"] == 1, r' "$s"
# quoted CJK phrases across a space and into Latin (issue 19): the seed's
# "我并不觉得 他是真正拿 Grok4 来做商业化的"
for q in '"觉得 他是"' '"真正拿 Grok4"' '"不觉得 他是真正拿 Grok4 来做"'; do
	n=$(P search --json "$q" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
	check_eq "the quoted phrase $q is found" 1 "$n"
done
s=$(P search 'zzzyxq')
check_contains "no match says so" "$s" "no matches"
for q in '"' '(' 'a OR' '-' '*' "'; DROP TABLE transcripts; --" 'NEAR(a b)' '马*' '"算力' ')))' 'title:马'; do
	check_status "hostile query [$q] is not an error" 0 P search -- "$q"
done
check_eq "archive intact after hostile queries" 2 "$(P list | wc -l | tr -d ' ')"
check_status "search without a query is a usage error" 2 P search
check_status "show without an id is a usage error" 2 P show
check_status "show with a bad id is a usage error" 2 P show abc
check_status "show of a missing id fails" 1 P show 999
out=$(P show 999 2>&1)
check_contains "missing id is named" "$out" "no transcript #999"
check_status "show with two modes is a usage error" 2 P show 1 --summary --content
check_status "import without paths is a usage error" 2 P import

# Re-import: identical content is skipped.
out=$(P import "$SEED0" "$SEED2" 2>&1)
check_contains "same files twice are skipped" "$out" "imported 0, skipped 2, failed 0"
check_eq "still two transcripts" 2 "$(P list | wc -l | tr -d ' ')"

# A changed summary adds a version; the old one is kept.
mkdir -p "$T_TMP/re"
cp "$SEED0" "$T_TMP/re/rec.txt"
P import --quiet "$T_TMP/re/rec.txt"
id=$(P list --json | python3 -c 'import json,sys; print(max(x["id"] for x in json.load(sys.stdin)))')
check_eq "a copy at another path with the same bytes is skipped" 2 "$id"
python3 - "$T_TMP/re/rec.txt" <<'EOF'
import sys
p = sys.argv[1]
s = open(p, encoding='utf-8').read()
s = s.replace('好的，以下是对文本的总结和分析', '修订版：以下是对文本的新总结', 1)
s = s.replace('Title: 深度解读Grok4', 'Title: 新标题 深度解读Grok4', 1)
open(p, 'w', encoding='utf-8').write(s)
EOF
out=$(P import "$T_TMP/re/rec.txt" 2>&1)
check_contains "changed file is imported (as an update)" "$out" "imported 1, skipped 0, failed 0"
check_eq "no new transcript for a changed file" 2 "$(P list | wc -l | tr -d ' ')"
v=$(P show 1 --versions)
check_contains "version 1 kept" "$v" " v1 "
check_contains "version 2 is current" "$v" "* v2 "
check_contains "new summary is current" "$(P show 1 --summary --width 0)" "修订版"
check_contains "metadata updated" "$(P show 1 --meta)" "新标题"
vj=$(P show 1 --versions --json)
check "versions --json lists both" python3 -c '
import json,sys; v = json.loads(sys.argv[1]); assert [x["version"] for x in v] == [1, 2]; assert v[1]["current"] and not v[0]["current"]' "$vj"
check_eq "search follows the new summary" 1 "$(P search --json 修订版 | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')"
out=$(P import "$T_TMP/re/rec.txt" 2>&1)
check_contains "re-importing the changed file again is skipped" "$out" "skipped 1"

# A progress bar on stderr when it is a terminal (script(1) gives a pty).
if command -v script >/dev/null 2>&1; then
	mkdir -p "$T_TMP/pb"
	cp "$T_REPO/tests/fixtures/parse/srt_variations.srt" "$T_REPO/tests/fixtures/parse/header.txt" "$T_TMP/pb/"
	tty_out=$(script -qec "'$PRECIS' --db '$T_TMP/pb.db' import '$T_TMP/pb'" /dev/null 2>&1)
	check_contains "progress bar drawn on a terminal" "$tty_out" "files"
	check_contains "progress bar shows a percentage" "$tty_out" "%"
	quiet=$(script -qec "'$PRECIS' --db '$T_TMP/pb2.db' import --quiet '$T_TMP/pb'" /dev/null 2>&1)
	check_not_contains "--quiet draws no bar" "$quiet" "files"
	piped=$(P import "$T_TMP/pb" 2>&1 >/dev/null)
	check_not_contains "no bar when stderr is not a terminal" "$piped" "%"
else
	not_ok "progress bar checks need script(1) (util-linux)"
fi

# Content-mode JSON.
cj=$(P show 2 --content --json)
check "show --content --json has text" python3 -c '
import json,sys; o = json.loads(sys.argv[1]); assert o["id"] == 2 and len(o["text"]) > 1000' "$cj"

# A title with escape bytes is made safe in the listing.
printf 'Title: evil \033]0;pwned\007 title \033[31mred\nURL: https://example.com/x\n\nContent:\nsome text here about nothing\n' >"$T_TMP/evil.txt"
P import --quiet "$T_TMP/evil.txt"
lst=$(P list)
check_not_contains "no ESC byte reaches the listing" "$lst" "$(printf '\033')"
check_not_contains "no BEL byte reaches the listing" "$lst" "$(printf '\007')"
sj=$(P search --json nothing)
check "search --json of an escape-titled record is valid" python3 -c 'import json,sys; json.loads(sys.argv[1])' "$sj"

# CJK titles start in the same column as ASCII ones (fixed-width prefix).
check "list rows put every title after the same prefix" python3 -c '
import sys
rows = [l for l in sys.argv[1].splitlines() if l]
idw = max(len(l.split()[0]) for l in rows)
for l in rows:
    state = l[idw + 2 + 10 + 2 + 8 + 2:][:12].strip()
    assert state in ("summarized", "unsummarized", "approved", "flagged"), (state, l)
    assert l[idw + 2 + 10 + 2 + 8 + 2 + 12:][:2] == "  ", l
' "$(P list)"

# A first page (--limit) is read by keyset through an index; without a
# limit the whole listing is read: both give the same order for every sort
# and review state, ties (same date, same length, no date) included.
L="$T_TMP/l.db"
for i in 1 2 3 4 5 6 7 8; do
	case $i in 1|2) ts="Timestamp: 2024-05-01T10:00:00";; 3) ts="";; *) ts="Timestamp: 2024-0$i-02T10:00:00";; esac
	case $i in 1|2|5) dur="Duration: 10:00";; 6) dur="";; *) dur="Duration: $i:00";; esac
	printf 'Title: talk %s\n%s\n%s\n\nContent:\nwords of talk number %s\n' "$i" "$ts" "$dur" "$i" >"$T_TMP/l$i.txt"
done
"$PRECIS" --db "$L" import --quiet "$T_TMP"/l[1-8].txt
sqlite3 "$L" "UPDATE transcripts SET review_state = 'flagged' WHERE id IN (2, 5, 7);
              UPDATE transcripts SET review_state = 'approved' WHERE id IN (1, 6)"
ids() { python3 -c 'import json,sys; print(" ".join(str(r["id"]) for r in json.load(sys.stdin)[:int(sys.argv[1])]))' "$1"; }
for st in "" approved flagged; do
	for so in date title duration imported unsupported; do
		all=$("$PRECIS" --db "$L" list ${st:+--state $st} --sort $so --json | ids 2)
		page=$("$PRECIS" --db "$L" list ${st:+--state $st} --sort $so --limit 2 --json | ids 2)
		check_eq "list ${st:+--state $st }--sort $so: the first page is the listing's start ($all)" "$all" "$page"
	done
done
check_eq "list --sort duration: ties newest first, unknown last" "5 2 1 8 7 4 3 6" \
	"$("$PRECIS" --db "$L" list --sort duration --json | ids 8)"
check_eq "list --sort date: same date newest import first, no date last" "8 7 6 5 2 1 4 3" \
	"$("$PRECIS" --db "$L" list --sort date --json | ids 8)"

# traditional and simplified Chinese find each other (the tokenizer folds
# both to simplified): 台积电 finds 台積電, and the other way round
Z="$T_TMP/zh.db"
printf 'Title: 半導體產業\n\nContent:\n台積電的晶片產能今年又擴大了。\n' >"$T_TMP/trad.txt"
printf 'Title: 芯片\n\nContent:\n台积电的芯片。\n' >"$T_TMP/simp.txt"
"$PRECIS" --db "$Z" import --quiet "$T_TMP/trad.txt" "$T_TMP/simp.txt"
out=$("$PRECIS" --db "$Z" search --json 台积电)
check_contains "simplified 台积电 finds the traditional transcript" "$out" '"title": "半導體產業"'
check_contains "… and the simplified one" "$out" '"title": "芯片"'
out=$("$PRECIS" --db "$Z" search --json 台積電)
check_contains "traditional 台積電 finds the simplified transcript too" "$out" '"title": "芯片"'
check_contains "the title folds as well" "$("$PRECIS" --db "$Z" search 半导体)" "半導體產業"
check_contains "the snippet shows the text as written" "$("$PRECIS" --db "$Z" search 产能)" "產能"

done_testing
