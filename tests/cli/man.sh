#!/bin/sh
# docs/precis.1 renders without a warning (groff -man -Tutf8 -ww) and names
# every command and every option that the commands' --help lists.
. "$(dirname "$0")/../lib.sh"
MAN="$T_REPO/docs/precis.1"

err=$(groff -man -Tutf8 -ww "$MAN" 2>&1 >/dev/null); st=$?
check_eq "groff renders the man page" 0 "$st"
check_eq "groff has no warning" "" "$err"
text=$(groff -man -Tutf8 -ww "$MAN" 2>/dev/null | sed 's/.\x08//g')
for s in NAME SYNOPSIS DESCRIPTION COMMANDS "FULL-SCREEN APP" FILES ENVIRONMENT "EXIT STATUS"; do
	check_contains "section $s" "$text" "$s"
done
opts=$("$PRECIS" --help | grep -o -- '--[a-z][a-z-]*' | sort -u)
for cmd in import list show search mermaid summarize doctor jobs; do
	check_contains "a section for $cmd" "$text" "
   $cmd"
	opts="$opts $("$PRECIS" $cmd --help 2>&1 | grep -o -- '--[a-z][a-z-]*' | sort -u)"
done
missing=""
for o in $(printf '%s\n' $opts | sort -u); do
	case "$text" in *"$o"*) ;; *) missing="$missing $o" ;; esac
done
check_eq "every option of every --help is in the man page" "" "$missing"
done_testing
