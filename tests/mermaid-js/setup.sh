#!/bin/sh
# Installs the official Mermaid parser (npm `mermaid` and jsdom, pinned in
# package.json) into tests/mermaid-js/node_modules/ (git ignores it), once:
# later runs find it there and return at once. Run by `make test` (and
# `make bench`); the tests that need it skip, with a count, when it is not
# there. Never fails: without node, npm or the network it says why and
# exits 0.
cd "$(dirname "$0")" || exit 0
want=$(sed -n 's/.*"mermaid": "\(.*\)".*/\1/p' package.json)
have=$(sed -n 's/^  "version": "\(.*\)",$/\1/p' node_modules/mermaid/package.json 2>/dev/null)
[ -n "$have" ] && [ "$have" = "$want" ] && [ -d node_modules/jsdom ] && exit 0
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	echo "precis: node/npm not found: tests through the official Mermaid parser will be skipped" >&2
	exit 0
fi
echo "precis: installing the official Mermaid parser (npm mermaid $want) into tests/mermaid-js/node_modules" >&2
if ! npm install --no-audit --no-fund --no-package-lock --loglevel=error >npm.log 2>&1; then
	echo "precis: npm install failed (tests/mermaid-js/npm.log): tests through the official Mermaid parser will be skipped" >&2
	tail -3 npm.log >&2
fi
exit 0
