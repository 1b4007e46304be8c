#!/bin/sh
# precis mermaid on the maps of issue 12 that took seconds to minutes and
# gigabytes: past a budget it prints one line saying why and the outline,
# exits 0, and its output stays small. `timeout` only guards against a hang
# (speed is measured by bench/mermaid.sh; tests/unit/test_mermaid_limits.c
# checks that the work grows linearly). Needs no corpus.
. "$(dirname "$0")/../lib.sh"
# fan-out: A1 & … & A50 --> B1 & … & B50 (591 bytes, 2,500 edges)
fan() { awk -v k="$1" 'BEGIN { printf "graph TD\n"; for (i = 1; i <= k; i++) printf "%sA%d", (i > 1 ? " & " : ""), i;
	printf " -->"; for (i = 1; i <= k; i++) printf "%sB%d", (i > 1 ? " & " : " "), i; printf "\n" }'; }
nest() { awk -v d="$1" 'BEGIN { print "graph TD"; for (i = 0; i < d; i++) print "subgraph S" i; print "X --> Y"; for (i = 0; i < d; i++) print "end" }'; }
dense() { awk -v n="$1" -v e="$2" 'BEGIN { srand(7); print "graph TD"; for (i = 0; i < e; i++) printf "n%d --> n%d\n", int(rand() * n), int(rand() * n) }'; }
fan 50 >"$T_TMP/fan50.mmd"
fan 300 >"$T_TMP/fan300.mmd"
nest 1000 >"$T_TMP/nest1000.mmd"
nest 5000 >"$T_TMP/nest5000.mmd"
dense 1000 2000 >"$T_TMP/edges2000.mmd"
dense 10000 20000 >"$T_TMP/edges20000.mmd"
check_eq "fan-out source is 591 bytes" 591 "$(wc -c <"$T_TMP/fan50.mmd" | tr -d ' ')"
for s in fan50:2600 fan300:90600 nest1000:1003 nest5000:5003 edges2000:-1 edges20000:-1; do
	name=${s%%:*}; want=${s#*:}
	timeout 120 "$PRECIS" mermaid "$T_TMP/$name.mmd" >"$T_TMP/out" 2>"$T_TMP/err"; st=$?
	check_eq "$name: exit 0 with the outline" 0 "$st"
	first=$(head -1 "$T_TMP/out")
	check_contains "$name: first line says why" "$first" "too large to draw: "
	check_contains "$name: ... and that the outline follows" "$first" "; its outline instead:"
	lines=$(($(wc -l <"$T_TMP/out") - 1))
	[ "$want" = -1 ] || check_eq "$name: one outline line per node, edge and subgraph" "$want" "$lines"
	size=$(wc -c <"$T_TMP/out")
	if [ "$size" -lt 2000000 ]; then ok "$name: output stays small ($size bytes)"; else not_ok "$name: output $size bytes"; fi
	check_eq "$name: nothing on stderr" "" "$(cat "$T_TMP/err")"
done
out=$("$PRECIS" mermaid --json "$T_TMP/fan50.mmd")
check_contains "--json past a budget: the outline" "$out" '{"outline":[{"depth":0,"kind":"node","id":"A1","text":"A1"},'
check_contains "--json past a budget: the reason" "$out" '"reason":"too large to draw: '
out=$("$PRECIS" mermaid --outline "$T_TMP/nest1000.mmd" | sed -n '1001p')
check_eq "--outline of 1,000 levels: indentation capped" "                                [depth 1000] X" "$out"
out=$("$PRECIS" mermaid --ascii "$T_TMP/nest1000.mmd" | head -1)
check_eq "--ascii outline line" "too large to draw: subgraphs nested more than 20 deep; its outline instead:" "$out"
# just inside the budgets: drawn
fan 12 >"$T_TMP/fan12.mmd"
out=$("$PRECIS" mermaid "$T_TMP/fan12.mmd")
check_contains "144 edges from one line are drawn" "$out" "┌"
check_not_contains "... not outlined" "$out" "too large"
nest 20 >"$T_TMP/nest20.mmd"
check_contains "20 levels are drawn" "$("$PRECIS" mermaid "$T_TMP/nest20.mmd")" "┌─S19"
done_testing
