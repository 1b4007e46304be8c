#!/bin/sh
# The command line's global behaviour: help, version, usage errors.
. "$(dirname "$0")/../lib.sh"

out=$("$PRECIS" --help 2>&1); check_contains "--help shows usage" "$out" "usage: precis"
out=$("$PRECIS" --version 2>&1); check_contains "--version prints the version" "$out" "precis 0."
check_status "unknown command is a usage error (exit 2)" 2 "$PRECIS" frobnicate
check_status "unknown global option is a usage error (exit 2)" 2 "$PRECIS" --nope
out=$("$PRECIS" frobnicate 2>&1); check_contains "unknown command is named" "$out" "unknown command 'frobnicate'"
done_testing
