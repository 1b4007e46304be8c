#!/bin/sh
# `precis search` on a terminal: every line fits the width, with colour
# (the hit highlighted) and without (NO_COLOR), CJK and Latin snippets.
# script(1) gives the command a terminal; COLUMNS sets its width.
. "$(dirname "$0")/../lib.sh"

export PRECIS_DB="$T_TMP/s.db"
"$PRECIS" import --quiet "$T_REPO"/data/samples/000_*.txt "$T_REPO"/data/samples/002_*.txt
printf 'Title: Long lines\n\nContent:\n%s the needle is here %s\n' \
	"$(printf 'word%.0s ' $(seq 1 60))" "$(printf 'more%.0s ' $(seq 1 60))" >"$T_TMP/long.txt"
"$PRECIS" import --quiet "$T_TMP/long.txt"

# widest line in display cells, SGR sequences removed
maxw() { python3 -c '
import re, sys, unicodedata
m = 0
for l in sys.stdin.read().replace("\r", "").split("\n"):
    l = re.sub("\x1b\\[[0-9;]*m", "", l)
    w = sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1 for c in l)
    m = max(m, w)
print(m)'; }

for q in 算力 needle; do
	for w in 30 60 100; do
		col=$(env -u NO_COLOR COLUMNS=$w TERM=xterm sh -c 'script -qec "\"$0\" search $1" /dev/null' "$PRECIS" "$q")
		plain=$(NO_COLOR=1 COLUMNS=$w sh -c 'script -qec "\"$0\" search $1" /dev/null' "$PRECIS" "$q")
		check_contains "search $q on a colour terminal highlights the hit ($w columns)" "$col" "$(printf '\033[1;7m')"
		check_not_contains "search $q without colour has no SGR ($w columns)" "$plain" "$(printf '\033[')"
		mc=$(printf '%s' "$col" | maxw)
		mp=$(printf '%s' "$plain" | maxw)
		if [ "$mc" -le "$w" ]; then ok "search $q in colour fits $w columns"; else not_ok "search $q in colour fits $w columns" "widest $mc: $col"; fi
		if [ "$mp" -le "$w" ]; then ok "search $q without colour fits $w columns"; else not_ok "search $q without colour fits $w columns" "widest $mp: $plain"; fi
		stripped=$(printf '%s' "$col" | sed 's/\x1b\[[0-9;]*m//g')
		check_eq "search $q: colour and plain cut the same ($w columns)" "$plain" "$stripped"
	done
done
done_testing
