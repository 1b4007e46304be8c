#!/bin/sh
# The review model on the command line, as a user types it (docs/review.md):
# precis review with its version check (ID@VERSION, --version), refusals
# and exit codes, --json, the reviewer; two facts in list --state, --json and
# summarize --missing; show --meta with every review of every version.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
DB="$T_TMP/a.db"
P() { "$PRECIS" --db "$DB" "$@"; }
mk() {   # mk N TITLE SUMMARY(or empty)
	{
		printf 'Title: %s\nTimestamp: 2025-03-%02dT10:00:00\n\n' "$2" "$1"
		[ -n "$3" ] && printf 'Description:\n%s\n\n' "$3"
		printf 'Content:\nthe words of %s\n' "$2"
	} >"$T_TMP/in$1.txt"
}
mk 1 "One" "# One\n\nfirst summary"
mk 2 "Two" "# Two\n\nsecond summary"
mk 3 "Three" ""
P import --quiet "$T_TMP"/in1.txt "$T_TMP"/in2.txt "$T_TMP"/in3.txt >/dev/null
id_of() { P list --json | python3 -c 'import json,sys; print([r["id"] for r in json.load(sys.stdin) if r["title"] == "'"$1"'"][0])'; }
ONE=$(id_of One); TWO=$(id_of Two); THREE=$(id_of Three)
j() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"; }
mkdir -p "$XDG_CONFIG_HOME/precis"
printf '[review]\nname = Ada\n' >"$XDG_CONFIG_HOME/precis/config"

# approve what is current, saying which version
check_eq "review ID --approve says what it approved" "approved #$ONE v1" "$(P review "$ONE" --approve)"
check_eq "… by the configured reviewer" "approved Ada 1" \
	"$(P show "$ONE" --meta --json | j 'd["review"], d["reviewer"], d["review_version"]' | tr -d "(),'")"
check_eq "--reviewer overrides the config" "Bob" \
	"$(P review "$TWO" --flag 'invented 44%' --reviewer Bob >/dev/null; P show "$TWO" --meta --json | j 'd["reviewer"]')"
check_eq "the flag's reason" "invented 44%" "$(P show "$TWO" --meta --json | j 'd["review_reason"]')"

# a new version (an import of the changed file): changed, back in the queue
sed -i 's/first summary/first summary, revised/' "$T_TMP/in1.txt"
P import --quiet "$T_TMP/in1.txt" >/dev/null
check_eq "a changed file's summary makes an approved one changed" "changed approved 1 2" \
	"$(P show "$ONE" --meta --json | j 'd["review"], d["review_verdict"], d["review_version"], d["current_version"]' | tr -d "(),'")"
check_contains "list shows it changed" "$(P list)" "changed"
check_eq "list --state changed" "One" "$(P list --state changed --json | j '" ".join(r["title"] for r in d)')"
check_eq "list --state unreviewed: summaries nobody reviewed (changed ones too)" "One" \
	"$(P list --state unreviewed --json | j '" ".join(r["title"] for r in d)')"
check_eq "list --state summarized: has a summary, any review" "Two One" \
	"$(P list --state summarized --json | j '" ".join(r["title"] for r in d)')"

# the version check: ID@VERSION
check_status "review 1@1 of a version no longer current: exit 1" 1 P review "$ONE@1" --approve
check_contains "… saying which is current" "$(cat "$T_TMP/out")" "changed: v2"
check_eq "… and nothing written" "changed" "$(P show "$ONE" --meta --json | j 'd["review"]')"
check_eq "--json says stale" "stale 2" "$(P review "$ONE@1" --approve --json | j 'd[0]["result"], d[0]["current_version"]' | tr -d "(),'")"
check_status "review ID@2 (current) approves" 0 P review "$ONE@2" --approve
check_contains "… v2" "$(cat "$T_TMP/out")" "approved #$ONE v2"
check_status "--version N pins every ID" 1 P review "$ONE" "$TWO" --version 2 --clear
check_contains "… #TWO has no version 2" "$(cat "$T_TMP/out")" "#$TWO has no version 2"
check_contains "… #ONE's was cleared" "$(cat "$T_TMP/out")" "cleared #$ONE v2"
check_eq "the --json of a review" "approved 1 Ada" \
	"$(P review "$ONE" --approve --json | j 'd[0]["result"], len(d), d[0]["reviewer"]' | tr -d "(),'")"

# no approval without a summary; a flag is allowed
check_status "approving one without a summary: exit 1" 1 P review "$THREE" --approve
check_contains "… says why" "$(cat "$T_TMP/out")" "has no summary: there is nothing to approve"
check_status "flagging it works" 0 P review "$THREE" --flag 'bad audio'
check_eq "two facts: unsummarized and flagged" "False flagged flagged" \
	"$(P show "$THREE" --meta --json | j 'd["summarized"], d["review"], d["state"]' | tr -d "(),'")"
check_eq "list --state unsummarized includes it" "Three" "$(P list --state unsummarized --json | j '" ".join(r["title"] for r in d)')"
check_contains "summarize --missing would summarize it" \
	"$(P summarize --missing --dry-run --json 2>/dev/null)" "\"id\": $THREE"
check_status "a missing transcript: exit 1" 1 P review 999 --approve
check_contains "… named" "$(cat "$T_TMP/out")" "no transcript #999"

# usage errors: exit 2, one line
check_status "no verdict: exit 2" 2 P review "$ONE"
check_status "two verdicts: exit 2" 2 P review "$ONE" --approve --clear
check_status "no ID: exit 2" 2 P review --approve
check_status "a bad ID: exit 2" 2 P review 'x@1' --approve
check_status "a bad version: exit 2" 2 P review "$ONE@v" --approve
check_status "--state unknown: exit 2" 2 P list --state reviewed
check_contains "… lists the states" "$(cat "$T_TMP/out")" "unreviewed, changed"

# show --meta: every review of every version
out=$(P show "$ONE" --meta)
check_contains "show --meta: the review line" "$out" "approved by Ada, v2"
check_contains "… every review: v1's approval kept" "$out" "approved v1"
n=$(P show "$ONE" --meta --json | j 'len(d["reviews"])')
check_eq "… and in --json, oldest first" "4 1 2" "$n $(P show "$ONE" --meta --json | j 'd["reviews"][0]["version"], d["reviews"][-1]["version"]' | tr -d "(),'")"
check_eq "… the one in force marked" "True" "$(P show "$ONE" --meta --json | j 'd["reviews"][-1]["in_force"]')"
# a hostile reason and reviewer are made safe in text and JSON
P review "$TWO" --flag "$(printf 'evil \033]52;c;aGk=\007 reason')" --reviewer "$(printf 'eve\033[2J')" >/dev/null
out=$(P show "$TWO" --meta)
check_not_contains "no escape reaches the terminal (text)" "$out" "$(printf '\033')"
out=$(P show "$TWO" --meta --json)
check_not_contains "no escape reaches the terminal (JSON)" "$out" "$(printf '\033')"
done_testing
