#!/bin/sh
# `make bench`: runs every bench/*.sh in name order. Each prints its own
# table (medians, and ratios against the peer its issue names).
cd "$(dirname "$0")/.." || exit 1
export BUILD=${BUILD:-build}
export PRECIS_BIN="$PWD/precis"
mkdir -p bench/out
status=0
for b in bench/[0-9a-z]*.sh; do
	[ "$b" = bench/run.sh ] && continue
	[ -f "$b" ] || continue
	echo "== $b"
	sh "$b" || { echo "bench $b failed" >&2; status=1; }
	echo
done
exit $status
