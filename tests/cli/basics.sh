#!/bin/sh
# The command line's global behaviour: help, version, usage errors.
. "$(dirname "$0")/../lib.sh"

out=$("$PRECIS" --help 2>&1); check_contains "--help shows usage" "$out" "usage: precis"
out=$("$PRECIS" --version 2>&1); check_contains "--version prints the version" "$out" "precis 0."
check_status "unknown command is a usage error (exit 2)" 2 "$PRECIS" frobnicate
check_status "unknown global option is a usage error (exit 2)" 2 "$PRECIS" --nope
out=$("$PRECIS" frobnicate 2>&1); check_contains "unknown command is named" "$out" "unknown command 'frobnicate'"

# Every command names the option it refuses (exit 2, one line and the hint).
DB="$T_TMP/a.db"
for cmd in import list "show 1" "search x" mermaid summarize doctor jobs; do
	name=${cmd%% *}
	# shellcheck disable=SC2086
	out=$("$PRECIS" --db "$DB" $cmd --frobnicate=1 2>&1); st=$?
	check_eq "$name --frobnicate: exit 2" 2 "$st"
	check_contains "$name names a bad long option" "$out" "precis $name: unknown option '--frobnicate'"
	# shellcheck disable=SC2086
	out=$("$PRECIS" --db "$DB" $cmd -Z 2>&1)
	check_contains "$name names a bad short option" "$out" "precis $name: unknown option '-Z'"
done
out=$("$PRECIS" --db "$DB" summarize 1 --jobs 2>&1)
check_contains "summarize names an option without its value" "$out" "precis summarize: option '--jobs' needs a value"
out=$("$PRECIS" --db "$DB" jobs --json=yes 2>&1)
check_contains "jobs names an option given a value it does not take" "$out" "precis jobs: option '--json' takes no value"
out=$("$PRECIS" --db "$DB" doctor --model 2>&1)
check_contains "doctor names an option without its value" "$out" "precis doctor: option '--model' needs a value"
done_testing
