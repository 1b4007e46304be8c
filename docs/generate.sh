#!/bin/sh
# Rewrites the generated parts of README.md and docs/precis.1 from the
# program's own tables: the key tables (the keymap, tui/app/keymap.h) and
# the command-line tables (commands and options, tui/cli/options.h).
# Each part sits between two marker lines and is replaced whole.
# Usage: sh docs/generate.sh [PRECIS [DIR]] (default ./precis, the
# repository); `make docs` runs it. tests/cli/cli_table.sh checks that
# running it changes nothing.
set -e
PRECIS=${1:-./precis}
DIR=${2:-$(cd "$(dirname "$0")/.." && pwd)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# put FILE BEGIN-PATTERN END-PATTERN CONTENT-FILE
put() {
	B="$2" E="$3" C="$4" awk '
		BEGIN { b = ENVIRON["B"]; e = ENVIRON["E"]; c = ENVIRON["C"] }
		$0 ~ b { print; while ((getline l < c) > 0) print l; close(c); skip = 1; found = 1; next }
		$0 ~ e { skip = 0 }
		!skip { print }
		END { if (!found) { print "no marker " b > "/dev/stderr"; exit 1 } }
	' "$1" >"$tmp/out"
	cat "$tmp/out" >"$1"
}

"$PRECIS" --keymap-markdown >"$tmp/keys.md"
"$PRECIS" --cli-markdown >"$tmp/cli.md"
put "$DIR/README.md" '^<!-- keys:begin -->' '^<!-- keys:end -->' "$tmp/keys.md"
put "$DIR/README.md" '^<!-- cli:begin -->' '^<!-- cli:end -->' "$tmp/cli.md"

MAN="$DIR/docs/precis.1"
"$PRECIS" --keymap-man >"$tmp/keys.roff"
put "$MAN" '^\.\\" keys:begin' '^\.\\" keys:end' "$tmp/keys.roff"
# every part the man page marks (.\" cli:PART:begin … .\" cli:PART:end)
for part in $(sed -n 's/^\.\\" cli:\([a-z]*\):begin.*/\1/p' "$MAN"); do
	"$PRECIS" --cli-man "$part" >"$tmp/$part.roff"
	put "$MAN" "^\\.\\\\\" cli:$part:begin" "^\\.\\\\\" cli:$part:end" "$tmp/$part.roff"
done
