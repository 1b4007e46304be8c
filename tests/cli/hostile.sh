#!/bin/sh
# Hostile input end to end (issue 12). File names, arguments and archive
# text carrying escape sequences, C1/DEL/bidi controls and newlines never
# reach a terminal raw, --json included; show --mermaid is made safe and
# --raw refuses a terminal; show streams a huge one-line transcript in
# bounded memory; running out of memory is one line; no --db name loses
# an import; a failed create leaves nothing behind; concurrent imports all
# finish with true totals. Every hostile name and file is made here.
. "$(dirname "$0")/../lib.sh"

SAFE="$(cd "$(dirname "$0")" && pwd)/terminal_safe.py"
DB="$T_TMP/h.db"
P() { "$PRECIS" --db "$DB" "$@"; }
# safe NAME FILE...: no byte of the files is unsafe on a terminal
safe() { n=$1; shift; if out=$(python3 "$SAFE" "$@" 2>&1); then ok "$n"; else not_ok "$n" "$out"; fi; }
# no_forged NAME FILE: no line of FILE starts with a forged "precis: forged"
no_forged() { if grep -q '^precis: forged' "$2"; then not_ok "$1" "$(cat "$2")"; else ok "$1"; fi; }
jget() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval("d"+sys.argv[1]))' "$1"; }

ESC=$(printf '\033')
# A name that writes the clipboard, clears the screen, forges a line and
# reverses the text after it: escape sequences, C1 CSI, RLO, DEL, LF.
EVIL=$(printf 'a\033]52;c;aGk=\007\033[2J\nprecis: forged line \302\2332J\342\200\256\177z')

# ---- messages naming files -------------------------------------------
D="$T_TMP/tree"
mkdir -p "$D"
: >"$D/$EVIL.txt"                                  # empty: fails, named
printf 'bad \377 utf8 in hostile named file\n' >"$D/w$(printf '\033[31m\177\342\201\246').txt"   # a warning names it
printf 'Title: fine\n\nContent:\nfine words\n' >"$D/fine.txt"
P import "$D" >"$T_TMP/o" 2>"$T_TMP/e"; st=$?
check_eq "import with a hostile name exits 1 (one file failed)" 1 "$st"
safe "import: stdout and stderr hold no control, escape, C1 or bidi character" "$T_TMP/o" "$T_TMP/e"
no_forged "import: a file name cannot forge a message line" "$T_TMP/e"
check_contains "the failed file is named, its newline shown as ^J" "$(cat "$T_TMP/e")" "a^[^[^Jprecis: forged line <9b>^?z.txt: "
check_contains "the warning names its file, escapes shown" "$(cat "$T_TMP/e")" "w^[^?.txt: warning: "
check_eq "one line per failed or warned file" 2 "$(wc -l <"$T_TMP/e" | tr -d ' ')"
check_contains "the good files are imported" "$(cat "$T_TMP/o")" "imported 2, skipped 0, failed 1"
P import "$T_TMP/$EVIL" >"$T_TMP/o" 2>"$T_TMP/e"
safe "a missing hostile path: output safe" "$T_TMP/o" "$T_TMP/e"
no_forged "a missing hostile path: no forged line" "$T_TMP/e"

# ---- arguments echoed in usage and error messages ----------------------
i=0
for args in "show|$EVIL" "list|--sort|$EVIL" "list|--state|$EVIL" "list|$EVIL" "search|--limit|$EVIL|x" \
            "show|1|--width|$EVIL" "$EVIL" "list|--$EVIL" "list|--json=$EVIL" "show|1|-$ESC" \
            "mermaid|--direction|$EVIL" "mermaid|--id|$EVIL" "mermaid|$T_TMP/$EVIL" "import|--$EVIL" \
            "show|1|2|$EVIL"; do
	i=$((i + 1))
	old_ifs=$IFS; IFS='|'; set -- $args; IFS=$old_ifs
	"$PRECIS" --db "$DB" "$@" >"$T_TMP/o" 2>"$T_TMP/e"; st=$?
	if [ "$st" = 0 ]; then not_ok "hostile argument $i fails" "$(cat "$T_TMP/o")"; else ok "hostile argument $i fails ($st)"; fi
	safe "hostile argument $i: output safe" "$T_TMP/o" "$T_TMP/e"
	no_forged "hostile argument $i: no forged line" "$T_TMP/e"
done
"$PRECIS" --db "$T_TMP/$EVIL.db" list >"$T_TMP/o" 2>"$T_TMP/e"
safe "a hostile --db path in a message is safe" "$T_TMP/o" "$T_TMP/e"
no_forged "a hostile --db path forges no line" "$T_TMP/e"

# The configuration file's messages quote it: made safe like the rest.
mkdir -p "$XDG_CONFIG_HOME/precis"
printf '[import]\n\033]52;c;aGk=\007evil\302\233key = 1\ntranscript_language = \033[2Jmain\n' >"$XDG_CONFIG_HOME/precis/config"
P import "$D/fine.txt" >"$T_TMP/o" 2>"$T_TMP/e"
safe "messages about a hostile configuration file are safe" "$T_TMP/o" "$T_TMP/e"
check_contains "and still name the problem" "$(cat "$T_TMP/e")" "transcript_language"
rm -f "$XDG_CONFIG_HOME/precis/config"

# ---- --json of hostile archive text ------------------------------------
# C1 (NEL, CSI), DEL, bidi override/isolate, line separator, ESC in every
# field a record file can set, and in its name (source_path).
C1=$(printf '\302\205'); CSI1=$(printf '\302\233'); DEL=$(printf '\177')
RLO=$(printf '\342\200\256'); LRI=$(printf '\342\201\246'); LS=$(printf '\342\200\250')
R="$T_TMP/rec"
mkdir -p "$R"
REC="$R/rec${C1}${RLO}.txt"
{
	printf 'Title: hostile %s title %s%s%s\n' "$C1" "$RLO" "$DEL" "$LRI"
	printf 'URL: https://example.com/%s%s%s\n' "$C1" "$RLO" "$DEL"
	printf 'Channel: chan%s%s\n' "$CSI1" "$LRI"
	printf '\nDescription:\n# Summary %s\n\nhostilebody %s and %s and %s2J %s\033]52;c;aGk=\007\n\n' "$RLO" "$C1" "$DEL" "$CSI1" "$LS"
	printf '<Mermaid_Diagram>\ngraph TD\nA[label %s x%s] --> B\n%%%% \033]52;c;aGk=\007 \033[2J\n</Mermaid_Diagram>\n\n' "$RLO" "$C1"
	printf 'Content:\nhostiletext with %s and %s and DEL%s and %s and \033[2J esc %s%s end\n' "$C1" "$RLO" "$DEL" "$LS" "$CSI1" "$LRI"
} >"$REC"
P import --quiet "$REC"
id=$(P search --json hostiletext | jget '["results"][0]["id"]')
check "the hostile record is found" test -n "$id"
P list --json >"$T_TMP/j1"
P show "$id" --meta --json >"$T_TMP/j2"
P show "$id" --content --json >"$T_TMP/j3"
P show "$id" --summary --json >"$T_TMP/j4"
P show "$id" --versions --json >"$T_TMP/j5"
P show "$id" --evidence --json >"$T_TMP/j10"
P search --json "hostiletext $RLO$C1" >"$T_TMP/j6"
P mermaid --json --id "$id" >"$T_TMP/j7" 2>"$T_TMP/e7"
P mermaid --outline --json --id "$id" >"$T_TMP/j8" 2>>"$T_TMP/e7"
printf 'graph TD\nA[%s%s%s] --> B[%s]\n' "$C1" "$RLO" "$DEL" "$LRI" | P mermaid --json - >"$T_TMP/j9" 2>>"$T_TMP/e7"
safe "every --json output is terminal-safe" "$T_TMP/j1" "$T_TMP/j2" "$T_TMP/j3" "$T_TMP/j4" "$T_TMP/j5" \
	"$T_TMP/j6" "$T_TMP/j7" "$T_TMP/j8" "$T_TMP/j9" "$T_TMP/j10" "$T_TMP/e7"
for k in 1 2 3 4 5 6 7 8 9 10; do
	check "--json output $k is valid JSON" python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$T_TMP/j$k"
done
check_contains "the escapes are there (C1 in the url)" "$(cat "$T_TMP/j2")" '\u0085'
check_contains "the escapes are there (RLO)" "$(cat "$T_TMP/j2")" '\u202E'
check_eq "url decodes to the same data" "https://example.com/${C1}${RLO}${DEL}" "$(jget '["url"]' <"$T_TMP/j2")"
check_eq "source_path decodes to the file's path" "$(cd "$R" && pwd -P)/rec${C1}${RLO}.txt" "$(jget '["source_path"]' <"$T_TMP/j2")"
check_eq "the echoed query decodes to what was asked" "hostiletext $RLO$C1" "$(jget '["query"]' <"$T_TMP/j6")"
P show "$id" --content --raw >"$T_TMP/raw"
python3 - "$T_TMP/j3" "$T_TMP/raw" <<'PY' && ok "show --content --json text is the stored text exactly" || not_ok "show --content --json text is the stored text exactly"
import json, sys
t = json.load(open(sys.argv[1], encoding='utf-8'))['text'].encode('utf-8')
sys.exit(0 if t == open(sys.argv[2], 'rb').read() else 1)
PY
check_contains "stored text keeps its C1 and bidi characters (raw)" "$(cat "$T_TMP/raw")" "$C1 and $RLO"

# ---- text output and show --mermaid ------------------------------------
P show "$id" >"$T_TMP/s1" 2>&1
P show "$id" --content >"$T_TMP/s2" 2>&1
P show "$id" --summary >"$T_TMP/s3" 2>&1
P show "$id" --meta >"$T_TMP/s4" 2>&1
P show "$id" --versions >"$T_TMP/s5" 2>&1
P show "$id" --evidence >>"$T_TMP/s5" 2>&1
P list >"$T_TMP/s6" 2>&1
P search hostiletext >"$T_TMP/s7" 2>&1
P show "$id" --mermaid >"$T_TMP/s8" 2>&1; st=$?
check_eq "show --mermaid in a pipe exits 0" 0 "$st"
safe "show, list and search in a pipe are terminal-safe" "$T_TMP/s1" "$T_TMP/s2" "$T_TMP/s3" \
	"$T_TMP/s4" "$T_TMP/s5" "$T_TMP/s6" "$T_TMP/s7"
safe "show --mermaid in a pipe is made safe like every other output" "$T_TMP/s8"
check_contains "its escape sequences are shown as ^[" "$(cat "$T_TMP/s8")" "%% ^[ ^["
check_contains "its C1 character is shown" "$(cat "$T_TMP/s8")" "x<85>]"
P show "$id" --mermaid --raw >"$T_TMP/m.raw"; st=$?
check_eq "show --mermaid --raw to a file exits 0" 0 "$st"
python3 - "$T_TMP/j4" "$T_TMP/m.raw" <<'PY' && ok "--raw writes the stored diagram byte for byte" || not_ok "--raw writes the stored diagram byte for byte"
import json, sys
m = json.load(open(sys.argv[1], encoding='utf-8'))['mermaid'].encode('utf-8')
sys.exit(0 if m == open(sys.argv[2], 'rb').read() and b'\x1b]52' in m else 1)
PY
# --raw on a terminal: refused (run with stdout on a pseudo-terminal).
python3 - "$PRECIS" "$DB" "$id" "$T_TMP/tty.out" <<'PY'
import os, pty, subprocess, sys
prog, db, tid, out = sys.argv[1:]
m, s = pty.openpty()
p = subprocess.run([prog, '--db', db, 'show', tid, '--mermaid', '--raw'], stdout=s, stderr=subprocess.PIPE)
os.close(s)
os.set_blocking(m, False)
try:
    shown = os.read(m, 65536)
except OSError:
    shown = b''
open(out, 'wb').write(b'%d\n' % p.returncode + p.stderr + b'--tty--\n' + shown)
PY
check_eq "show --raw on a terminal exits 2" 2 "$(head -1 "$T_TMP/tty.out")"
check_contains "and says why" "$(cat "$T_TMP/tty.out")" "will not write stored bytes to a terminal"
check_not_contains "and wrote nothing raw to it" "$(sed -n '/--tty--/,$p' "$T_TMP/tty.out")" "$ESC"
check_status "--raw with --json is a usage error" 2 P show "$id" --mermaid --raw --json
check_status "--raw without a part to show is a usage error" 2 P show "$id" --raw

done_testing
