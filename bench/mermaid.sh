#!/bin/sh
# bench/mermaid.sh — issue 4's numbers: precis's Mermaid renderer against the two
# terminal renderers a user would pick instead (beautiful-mermaid from npm, Graph::Easy
# from Debian), same diagrams, same run. Run by bench/run.sh (`make bench`).
# env: BUILD (build dir), PRECIS_BIN (release binary), PRECIS_BEFORE (another
# build's binary, timed beside it). Writes drawings, the peer tables and
# mermaid_peers.json to bench/out/; first the hostile maps of issue 12
# (bench/mermaid_limits.py → mermaid_limits.md), then issue 18's time per
# spec case (mermaid_cases.md) and crossings against Graphviz dot
# (mermaid_crossings.md). Takes about 3 minutes.
cd "$(dirname "$0")/.." || exit 1
export BUILD=${BUILD:-build}
export PRECIS_BIN=${PRECIS_BIN:-$PWD/precis}
export OUT=${OUT:-$PWD/bench/out}
export PYTHONDONTWRITEBYTECODE=1
mkdir -p "$OUT"

# the hostile maps of issue 12: time and peak memory, drawn or outlined
echo "### Hostile and huge maps (bench/mermaid_limits.py)"
python3 bench/mermaid_limits.py | tee "$OUT/mermaid_limits.md" || exit 1
echo

sh tests/mermaid-js/setup.sh

# issue 18: whole-process time per diagram over mermaid-js's 900 spec cases
# (PRECIS_BEFORE=another build's binary: both, interleaved, in one run)
echo "### Time per diagram: mermaid-js's flowchart spec cases (bench/mermaid_cases.py)"
uptime
python3 bench/mermaid_cases.py "$PRECIS_BIN" ${PRECIS_BEFORE:+"$PRECIS_BEFORE"} | tee "$OUT/mermaid_cases.md" || exit 1
echo

# issue 18: crossings in the drawing against Graphviz dot, per diagram
if command -v dot >/dev/null 2>&1; then
	echo "### Edge crossings against Graphviz dot (bench/mermaid_crossings.py)"
	dot -V 2>&1
	dirs="bench/mermaid-layout"
	[ -d "${SHARED:-../shared}/mermaid" ] && dirs="${SHARED:-../shared}/mermaid $dirs"
	# shellcheck disable=SC2086
	PRECIS_BIN="$PRECIS_BIN" python3 bench/mermaid_crossings.py --md "$OUT/mermaid_crossings.md" \
		--json "$OUT/mermaid_crossings.json" $dirs || exit 1
	echo
else
	echo "mermaid bench: Graphviz dot missing (make deps-bench installs graphviz)" >&2
	exit 1
fi

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	echo "mermaid bench: node/npm missing (make deps-bench installs them)" >&2
	exit 1
fi
if [ ! -d bench/peers/node_modules/beautiful-mermaid ]; then
	echo "mermaid bench: installing beautiful-mermaid (npm install --prefix bench/peers)"
	npm install --prefix bench/peers --no-audit --no-fund --loglevel=error >&2 || exit 1
fi
if ! perl -MGraph::Easy -e 1 2>/dev/null; then
	echo "mermaid bench: Graph::Easy missing (make deps-bench installs libgraph-easy-perl)" >&2
	exit 1
fi

python3 bench/gen_mermaid.py "$OUT" 100 500 || exit 1
echo
python3 bench/peers/compare.py "$@" | tee "$OUT/mermaid_peers.md"
