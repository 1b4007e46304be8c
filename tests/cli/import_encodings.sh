#!/bin/sh
# Importing text that is not UTF-8: a legacy encoding is detected (ICU's
# detector), converted, and named — a warning on import, "encoding" in
# show --meta and --json; UTF-32 with a byte-order mark is read; a
# subtitle file with a title line, broken markup or a broken timing line is
# read as the reference libraries read it, with a warning for what was
# left out.
. "$(dirname "$0")/../lib.sh"

DB="$T_TMP/a.db"
P() { "$PRECIS" --db "$DB" "$@"; }
FIX=$(cd "$(dirname "$0")/../fixtures/parse" && pwd)

out=$(P import "$FIX/windows1252.srt" 2>&1); st=$?
check_eq "a Windows-1252 SRT imports" 0 "$st"
check_contains "the import says which encoding it assumed" "$out" "windows1252.srt: warning: not UTF-8: read as WINDOWS-1252 (detected)"
check_not_contains "… and replaced nothing" "$out" "U+FFFD"
text=$(P show 1 --content --width 0)
check_contains "ÉVÉNEMENTS, not �V�NEMENTS" "$text" "CE FILM RELATE DES ÉVÉNEMENTS QUI ONT EXISTÉ."
check_not_contains "no replacement character" "$text" "�"
check_contains "show --meta names the encoding" "$(P show 1 --meta)" "encoding    WINDOWS-1252"
check_eq "show --meta --json too" "WINDOWS-1252" "$(P show 1 --meta --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["encoding"])')"

P import --quiet "$FIX/header.txt" >/dev/null 2>&1
check_eq "a UTF-8 file says UTF-8" "UTF-8" "$(P show 2 --meta --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["encoding"])')"

# UTF-32 with a BOM, both byte orders (was: binary file)
for bo in be le; do
	python3 - "$T_TMP/u32$bo.srt" "$bo" <<'PY'
import sys
t = "1\n00:00:01,000 --> 00:00:02,000\nUTF-32 subtitles: café 字幕 (%s)\n" % sys.argv[2]
enc = "utf-32-be" if sys.argv[2] == "be" else "utf-32-le"
bom = b"\0\0\xfe\xff" if sys.argv[2] == "be" else b"\xff\xfe\0\0"
open(sys.argv[1], "wb").write(bom + t.encode(enc))
PY
	out=$(P import "$T_TMP/u32$bo.srt" 2>&1); st=$?
	check_eq "UTF-32 $bo with a BOM imports" 0 "$st"
	check_not_contains "… not as a binary file" "$out" "binary"
done
check_contains "its text" "$(P show 3 --content --width 0)" "UTF-32 subtitles: café 字幕 (be)"
check_eq "its encoding" "UTF-32BE" "$(P show 3 --meta --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["encoding"])')"
check_eq "the other byte order" "UTF-32LE" "$(P show 4 --meta --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["encoding"])')"

# a title line before the first cue: still subtitles, the line named
out=$(P import "$FIX/title_before_cue.srt" 2>&1)
check_contains "a title line before the first cue is said" "$out" 'warning: 1 line before the first cue skipped ("The Movie Title (2019)")'
id=$(P list --json | python3 -c 'import json,sys; print(max(r["id"] for r in json.load(sys.stdin)))')
check_eq "… and the file is read as SRT" "srt" "$(P show "$id" --meta --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["format"])')"
check_not_contains "… without its timing lines in the text" "$(P show "$id" --content --width 0)" "-->"

# a broken and a missing timing line: neither they nor the numbers are text
out=$(P import "$FIX/broken_timing.srt" 2>&1)
check_contains "broken timing lines are said" "$out" 'warning: 2 cues without a readable timing line ("00:00:07,500 -> 00:00:09,000"): read with the time of the cue before'
id=$(P list --json | python3 -c 'import json,sys; print(max(r["id"] for r in json.load(sys.stdin)))')
text=$(P show "$id" --content --width 0)
check_not_contains "no timing line in the text" "$text" "00:00"
check_contains "every caption is there" "$text" "Caption two, arrow broken Caption three Caption four, no timing line"
# ICU is loaded only when a file is not UTF-8
icu() { LD_DEBUG=libs "$@" 2>&1 >/dev/null | grep -c 'calling init: .*/libicui18n'; }
check_eq "importing UTF-8 does not load ICU" 0 "$(icu "$PRECIS" --db "$T_TMP/b.db" import --quiet "$FIX/header.txt")"
check_eq "a Windows-1252 file loads it" 1 "$(icu "$PRECIS" --db "$T_TMP/b.db" import --quiet "$FIX/windows1252.srt")"
done_testing
