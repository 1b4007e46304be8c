#!/bin/sh
# Edge crossings in precis's drawing (mermaid --json "crossings": cells where
# two edges cross) never more than Graphviz dot draws for the same diagram:
# dot's counts are in tests/fixtures/mermaid-dot-crossings.tsv, measured by
# bench/mermaid_crossings.py (make bench prints the table again). Diagrams of
# the corpus (corpus:NAME) are skipped, with a count, when it is absent.
. "$(dirname "$0")/../lib.sh"
TSV="$T_REPO/tests/fixtures/mermaid-dot-crossings.tsv"
n=0; nc=0
while IFS="$(printf '\t')" read -r file dotc; do
	case "$file" in ''|'#'*) continue ;; esac
	case "$file" in
	corpus:*)
		if ! have_corpus; then nc=$((nc + 1)); continue; fi
		path="$SHARED/mermaid/${file#corpus:}" ;;
	*) path="$T_REPO/$file" ;;
	esac
	n=$((n + 1))
	c=$("$PRECIS" mermaid --json "$path" 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["crossings"])')
	if [ -n "$c" ] && [ "$c" -le "$dotc" ]; then
		ok "$(basename "$file" .mmd): $c crossings, dot $dotc"
	else
		not_ok "$(basename "$file" .mmd): ${c:-no drawing} crossings, more than dot's $dotc"
	fi
done <"$TSV"
[ "$nc" -gt 0 ] && skip_corpus "crossings of $nc corpus diagrams against dot"
check "at least 15 diagrams compared" test "$n" -ge 15
done_testing
