#!/bin/sh
# precis mermaid --outline: the map as indented text (render/mermaid/outline.h),
# and hostile bytes in a diagram kept out of every output stream. Needs no corpus.
. "$(dirname "$0")/../lib.sh"
D="$T_TMP/map.mmd"
printf 'graph TD\nA[Start] -- go --> B\nsubgraph S [Box]\nB\nC\nend\nC --> A\n' >"$D"
out=$("$PRECIS" mermaid --outline "$D")
check_eq "--outline text" "Start
  → B (go)
Box:
  B
  C
    → Start" "$out"
out=$("$PRECIS" mermaid --outline --ascii "$D")
check_contains "--outline --ascii arrows" "$out" "-> B (go)"
out=$("$PRECIS" mermaid --outline --json "$D")
check_contains "--outline --json" "$out" '{"depth":1,"kind":"edge","from":"A","to":"B","text":"→ B (go)"}'
check_contains "--outline --json has no reason" "$out" '"reason":null'
out=$(printf 'graph LR\nX --> Y\n' | "$PRECIS" mermaid --outline -)
check_eq "--outline from stdin" "X
  → Y
Y" "$out"
check_status "--outline of an empty diagram fails" 1 sh -c 'printf "graph TD\n" | "$0" mermaid --outline -' "$PRECIS"

# hostile bytes: ESC sequences, C1, DEL, bidi overrides in labels, ids, titles
H="$T_TMP/hostile.mmd"
printf 'graph TD\nA["x\033[2Jy"] -- "\342\200\256l\177" --> B["\302\23331m"]\nsubgraph S ["t\033]52;c;AAAA\007u"]\nC\nend\n\302\205id --> Q\n\342\201\246bidi --> Q\n' >"$H"
# no ESC, C1, DEL or bidi control in stdout or stderr of any mode
unsafe() { LC_ALL=C grep -c "$(printf '\033\\|\177\\|\302[\200-\237]\\|\342\200[\252-\256]\\|\342\201[\246-\251]')" "$1"; }
for mode in "" --ascii --json --outline "--outline --json" "--direction LR"; do
	"$PRECIS" mermaid $mode "$H" >"$T_TMP/o" 2>"$T_TMP/e"
	check_eq "hostile diagram: stdout clean ($mode)" 0 "$(unsafe "$T_TMP/o")"
	check_eq "hostile diagram: stderr clean ($mode)" 0 "$(unsafe "$T_TMP/e")"
done
ids=$("$PRECIS" mermaid --json "$H" | python3 -c 'import json,sys; print(" ".join(repr(n["id"]) for n in json.load(sys.stdin)["nodes"]))')
check_contains "--json keeps a C1 id as the same data (\\u0085)" "$ids" "'\\x85id'"
done_testing
