#!/bin/sh
# Real-world variants from issue 9 through the command line: headerless
# live roll-up captions, a bilingual SRT with '#' comments and the
# language setting (flag and config file), timed JSON with its note, and
# a guessed title; the held formats of ../shared still import as before.
. "$(dirname "$0")/../lib.sh"

FIX="$(cd "$(dirname "$0")/../fixtures/parse" && pwd)"
DB="$T_TMP/v.db"
P() { "$PRECIS" --db "$DB" "$@"; }

out=$(P import "$FIX/live_rollup_noheader.vtt" "$FIX/bilingual_comments.srt" "$FIX/sentences.json" 2>&1); st=$?
check_eq "variants import" 0 "$st"
check_contains "import says how the timed JSON was read" "$out" 'sentences.json: warning: read as timed JSON (the "sentences" array): text from "sentence", times from "start"/"end"'
check_eq "live roll-up: every phrase once, the repeated thanks twice" \
	"THE MEETING WILL COME TO ORDER. And there will be no roll call at this time. Please be seated. Thank you. Thank you. The first item is the budget." \
	"$(P show 1 --content)"
meta=$(P show 2 --meta --json)
check_contains "bilingual SRT: title from the comment block" "$meta" '"title": "【老茶馆】一壶好茶的三个秘诀"'
check_contains "bilingual SRT: URL from the comment block" "$meta" '"url": "https://youtu.be/Xq3Tea0Demo"'
check_contains "bilingual SRT: format srt" "$meta" '"format": "srt"'
content=$(P show 2 --content)
check_eq "bilingual SRT: the cue text by default, no comment, no timing" \
	"Hello everyone, welcome to the Old Teahouse Today we are making a pot of oolong tea Do not let the water boil too hard About ninety degrees is right What a lovely smell" "$content"
check_contains "timed JSON: format timed-json" "$(P show 3 --meta --json)" '"format": "timed-json"'

# the second language is kept: shown by --second-language, in --content --json
check_eq "bilingual SRT: the comment lines are kept as the second language" \
	"大家好，欢迎来到老茶馆 今天我们泡一壶乌龙茶 水不要烧得太开 先闻一闻 Smell it first 好香啊" \
	"$(P show 2 --content --second-language)"
check_eq "--second-language alone means --content" \
	"$(P show 2 --content --second-language)" "$(P show 2 --second-language)"
j=$(P show 2 --content --json)
check_eq "--content --json: text and second_text" \
	"Hello everyone, welcome to the Old Teahouse|大家好，欢迎来到老茶馆" \
	"$(printf '%s' "$j" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["text"][:43] + "|" + d["second_text"][:11])')"
check_eq "a single-language file: second_text is null" "None" \
	"$(P show 1 --content --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["second_text"])')"
check_status "a single-language file: --second-language fails" 1 "$PRECIS" --db "$DB" show 1 --second-language
check_contains "… saying why" "$(cat "$T_TMP/out")" "transcript #1 has no second language"
check_status "--second-language with --summary is a usage error" 2 "$PRECIS" --db "$DB" show 2 --summary --second-language
check_eq "--second-language --raw: the stored bytes" \
	"$(P show 2 --second-language)" "$(P show 2 --second-language --raw | cat)"
check_eq "--second-language --width wraps" "大家好，欢迎来到老茶馆" \
	"$(P show 2 --second-language --width 24 | head -1)"
check_eq "timed JSON: the translation is the second language" \
	"Let's begin. First, a look at the ingredients. Sift the flour." \
	"$("$PRECIS" --db "$T_TMP/tj.db" import --quiet "$FIX/translated.json" && "$PRECIS" --db "$T_TMP/tj.db" show 1 --second-language)"
# a changed file: the second language follows it, and goes when it goes
PB() { "$PRECIS" --db "$T_TMP/bi.db" "$@"; }
sed 's/^What a lovely smell$/What a lovely smell indeed/' "$FIX/bilingual_comments.srt" >"$T_TMP/bi.srt"
PB import --quiet "$T_TMP/bi.srt"
sed -i 's/^# 好香啊$/# 真香/' "$T_TMP/bi.srt"
PB import --quiet "$T_TMP/bi.srt"
check_contains "re-import: the changed second language replaces the old" "$(PB show 1 --second-language)" "先闻一闻 Smell it first 真香"
sed -i '/^#/d' "$T_TMP/bi.srt"
PB import --quiet "$T_TMP/bi.srt"
check_eq "re-import without comments: no second language left" "None" \
	"$(PB show 1 --content --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["second_text"])')"

# the setting: flag, then the config file
DB2="$T_TMP/w.db"
out=$("$PRECIS" --db "$DB2" import --transcript-language second "$FIX/bilingual_comments.srt" 2>&1)
check_contains "--transcript-language second: the comment lines" "$("$PRECIS" --db "$DB2" show 1 --content)" "大家好，欢迎来到老茶馆 今天我们泡一壶乌龙茶"
check_contains "--transcript-language second: the cue text is the second language" "$("$PRECIS" --db "$DB2" show 1 --second-language)" "Hello everyone, welcome to the Old Teahouse"
mkdir -p "$XDG_CONFIG_HOME/precis"
printf '[import]\ntranscript_language = both\n' >"$XDG_CONFIG_HOME/precis/config"
DB3="$T_TMP/x.db"
"$PRECIS" --db "$DB3" import --quiet "$FIX/translated.json"
check_eq "[import] transcript_language = both: original then translation" \
	"我们开始吧。Let's begin. 先看一下材料。First, a look at the ingredients. 面粉要过筛。Sift the flour." \
	"$("$PRECIS" --db "$DB3" show 1 --content)"
printf '[import]\ntranscript_language = klingon\ntranscript_langauge = main\n' >"$XDG_CONFIG_HOME/precis/config"
out=$("$PRECIS" --db "$T_TMP/y.db" import "$FIX/translated.json" 2>&1)
check_contains "a bad value is named with its line" "$out" "config:2: import.transcript_language is one of main, second, both"
check_contains "a misspelt key is reported" "$out" "unknown key 'transcript_langauge'"
rm -f "$XDG_CONFIG_HOME/precis/config"
check_status "a bad --transcript-language is a usage error" 2 "$PRECIS" --db "$T_TMP/z.db" import --transcript-language x "$FIX/translated.json"

# a bare transcript named by a hash: a guessed title
cp "$FIX/asr_converted.srt" "$T_TMP/9f8e7d6c5b4a3f2e.srt"
for i in 1 2 3 4 5 6; do cat "$FIX/rollup_three_lines.srt"; echo; done >"$T_TMP/0a1b2c3d4e5f6a7b.txt"
P import --quiet "$T_TMP/0a1b2c3d4e5f6a7b.txt"
t=$(P list --json | python3 -c 'import json,sys; print([r["title"] for r in json.load(sys.stdin) if r["id"] == 4][0])')
check_contains "a hashed file name gets a title of distinctive words" "$t" " · "

# held formats: every file of ../shared/transcripts imports as before
if have_corpus; then
	DB4="$T_TMP/held.db"
	out=$("$PRECIS" --db "$DB4" import "$SHARED/transcripts" 2>&1)
	check_contains "held formats: the shared transcripts import (the .info.json read beside none)" "$out" "imported 11, skipped 0, failed 1"
	n=$("$PRECIS" --db "$DB4" list --json | python3 -c 'import json,sys; print(sorted((r["format"]) for r in json.load(sys.stdin)))')
	check_eq "held formats: formats unchanged" "['sbv', 'srt', 'srt', 'srt', 'text', 'text', 'vtt', 'vtt', 'vtt', 'vtt', 'whisper-json']" "$n"
else
	skip_corpus "held formats: the shared transcripts import"
	skip_corpus "held formats: formats unchanged"
fi
done_testing
