#!/bin/sh
# precis mermaid: every diagram — the hand-written ones in tests/fixtures/mermaid
# always, the corpus's when it is there — drawn and geometry-checked against
# the official parser's truth (tests/cli/mermaid_check.py), plus the CLI contract.
. "$(dirname "$0")/../lib.sh"
CHECK="$(dirname "$0")/mermaid_check.py"
FIX="$T_REPO/tests/fixtures/mermaid"
total=0
n=0
set -- "$FIX"/*.mmd
if have_corpus; then
	set -- "$@" "$SHARED"/mermaid/*.mmd
else
	skip_corpus "geometry of the corpus diagrams ($SHARED/mermaid)"
fi
for f in "$@"; do
	n=$((n + 1))
	name=$(basename "$f" .mmd)
	truth="${f%.mmd}.truth.json"
	[ -f "$truth" ] || truth=""
	out=$(python3 "$CHECK" "$PRECIS" "$f" "$truth" 2>&1); st=$?
	c=$(printf '%s\n' "$out" | sed -n 's/^crossings //p' | tail -1)
	total=$((total + ${c:-0}))
	if [ $st = 0 ]; then ok "geometry $name (crossings ${c:-?})"; else not_ok "geometry $name" "$out"; fi
	for d in LR TD BT RL; do
		out=$(python3 "$CHECK" "$PRECIS" "$f" "$truth" $d 2>&1); st=$?
		if [ $st = 0 ]; then ok "geometry $name --direction $d"; else not_ok "geometry $name --direction $d" "$out"; fi
	done
done
echo "# total edge crossings over $n diagrams: $total"
check "at least 6 diagrams checked" test "$n" -ge 6

S="$FIX/seed_grok4.mmd"     # the map of the sample record 000
out=$("$PRECIS" mermaid "$S" 2>/dev/null)
check_contains "sample: Chinese label drawn" "$out" "埃隆·马斯克"
check_contains "sample: subgraph title drawn" "$out" "马斯克核心业务协同生态"
check_contains "sample: arrowheads" "$out" "▼"
out=$("$PRECIS" mermaid --ascii "$S" 2>/dev/null)
bad=$(printf '%s' "$out" | grep -c '[─│┌┐└┘├┤┬┴┼▼▲►◄]')
check_eq "--ascii uses no box-drawing glyphs" 0 "$bad"
check_contains "--ascii arrowheads" "$out" "v"
w1=$("$PRECIS" mermaid --json "$S" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["width"] > d["height"])')
check_eq "sample TD json parses" True "$w1"
lr=$("$PRECIS" mermaid --direction LR "$S" | head -1)
td=$("$PRECIS" mermaid "$S" | head -1)
check "LR differs from TD" test "$lr" != "$td"
out=$(printf 'graph LR\nA-->B\n' | "$PRECIS" mermaid - 2>&1)
check_contains "stdin" "$out" "►"
out=$(printf 'graph TD\nA-->B\n' | "$PRECIS" mermaid --direction BT - 2>&1)
first=$(printf '%s\n' "$out" | head -1)
check_contains "BT puts the target first" "$(printf '%s\n' "$out" | head -2)" "B"
check_status "empty diagram fails" 1 sh -c 'printf "graph TD\n" | "$0" mermaid -' "$PRECIS"
err=$(printf '' | "$PRECIS" mermaid - 2>&1 >/dev/null)
check_contains "error on stderr" "$err" "precis"
check_status "bad direction is a usage error" 2 "$PRECIS" mermaid --direction XY "$S"
check_status "missing file" 1 "$PRECIS" mermaid /nonexistent.mmd
err=$(printf 'graph TD\nA-->B\nthis is not mermaid ((\n' | "$PRECIS" mermaid - 2>&1 >/dev/null)
check_contains "parser warnings on stderr in text mode" "$err" "warning"
out=$(printf 'graph TD\nA-->B\nthis is not mermaid ((\n' | "$PRECIS" mermaid --json - 2>/dev/null)
check_contains "warnings in json" "$out" '"warnings":[{'
# --id: the current summary's map from the archive
DB="$T_TMP/id.db"
"$PRECIS" --db "$DB" import "$T_REPO/data/samples/000_bc66265cf390ae6e.txt" >/dev/null 2>&1
out=$("$PRECIS" --db "$DB" mermaid --id 1 2>&1)
check_contains "--id draws the summary's map" "$out" "马斯克核心业务协同生态"
check_status "--id of a missing transcript" 1 "$PRECIS" --db "$DB" mermaid --id 999
check_status "--id wants a number" 2 "$PRECIS" --db "$DB" mermaid --id abc
# two-headed edges between neighbouring boxes keep both heads (as corpus 013)
H="$FIX/two_heads.mmd"
out=$("$PRECIS" mermaid "$H" 2>&1)
check_contains "<--> shows both arrowheads (LR)" "$out" "◄─►"
check_contains "o--o shows both circles (LR)" "$out" "o─o"
check_contains "x--x shows both crosses (LR)" "$out" "x─x"
out=$("$PRECIS" mermaid --ascii "$H" 2>&1)
check_contains "<--> shows both arrowheads (ASCII)" "$out" "<->"
out=$("$PRECIS" mermaid --direction TD "$H" 2>&1)
col=$(printf '%s\n' "$out" | sed -n '/│ B │/,/│ C │/p' | tr -d ' ' | tr '\n' ' ')
check_contains "<--> shows both arrowheads (TD)" "$col" "▲ │ ▼"
# an edge through a subgraph border keeps the border line whole (a junction)
out=$("$PRECIS" mermaid "$S" 2>&1)
top=$(printf '%s\n' "$out" | grep '马斯克核心业务协同生态')
check_contains "edge through a subgraph border is a junction" "$top" "─┼─"
check_not_contains "no edge glyph breaks a subgraph border" "$top" "─│─"
done_testing
