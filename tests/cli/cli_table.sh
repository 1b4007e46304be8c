#!/bin/sh
# The command line says the same everywhere: each command's --help, the
# README's command table and the man page's synopsis and option lists are
# made from one table (tui/cli/options.h), and so are the bash and zsh
# completions. Runs the bash completion function as bash would.
. "$(dirname "$0")/../lib.sh"
cd "$T_REPO" || exit 1

# the generated parts of README.md and docs/precis.1 are up to date
mkdir -p "$T_TMP/repo/docs"
cp README.md "$T_TMP/repo/" && cp docs/precis.1 "$T_TMP/repo/docs/"
if sh docs/generate.sh "$PRECIS" "$T_TMP/repo" 2>"$T_TMP/gen.err"; then ok "docs/generate.sh runs"
else not_ok "docs/generate.sh runs" "$(cat "$T_TMP/gen.err")"; fi
check_eq "README's tables are what the program generates (make docs)" "" "$(diff README.md "$T_TMP/repo/README.md")"
check_eq "the man page's generated parts are up to date (make docs)" "" "$(diff docs/precis.1 "$T_TMP/repo/docs/precis.1")"

man=$(groff -man -Tutf8 -ww docs/precis.1 2>/dev/null | sed 's/.\x08//g')
readme=$(cat README.md)
# the options the issue found missing from one place or another
for pair in "list --sort" "list unsupported" "show --evidence" "show --second-language" "show --raw" \
	"jobs --limit" "summarize --api-base" "summarize --context" "summarize --quiet" "import --transcript-language"; do
	set -- $pair
	check_contains "precis $1 --help lists $2" "$("$PRECIS" "$1" --help)" "$2"
	case $2 in --*) check_contains "precis --help lists $1's $2" "$("$PRECIS" --help)" "$2";; esac
	check_contains "the man page lists $1's $2" "$man" "$2"
	check_contains "the README lists $1's $2" "$readme" "$2"
done
check_contains "--help names an option's values" "$("$PRECIS" list --help)" "unsummarized, summarized"
check_status "an option's value is checked against its list" 2 "$PRECIS" list --sort sideways
check_contains "... and the message lists the values" "$(cat "$T_TMP/out")" "--sort is one of date, title, duration, imported or unsupported (not 'sideways')"
check_contains "... and points at the command's help" "$(cat "$T_TMP/out")" "Try 'precis list --help'"
# every value the table offers is one the command takes
DB="$T_TMP/a.db"
"$PRECIS" --db "$DB" import --quiet data/samples >/dev/null 2>&1
bad=""
for v in $("$PRECIS" --completion bash | sed -n "s/.*list:--sort) COMPREPLY=(\$(compgen -W '\([^']*\)'.*/\1/p"); do
	"$PRECIS" --db "$DB" list --sort "$v" >/dev/null 2>&1 || bad="$bad sort:$v"
done
for v in $("$PRECIS" --completion bash | sed -n "s/.*list:--state) COMPREPLY=(\$(compgen -W '\([^']*\)'.*/\1/p"); do
	"$PRECIS" --db "$DB" list --state "$v" >/dev/null 2>&1 || bad="$bad state:$v"
done
check_eq "every --sort and --state value offered is accepted" "" "$bad"
check_status "an unknown shell for --completion is a usage error" 2 "$PRECIS" --completion fish

# bash: the completion function, driven as readline would
"$PRECIS" --completion bash >"$T_TMP/precis.bash"
mkdir -p "$T_TMP/files" && : >"$T_TMP/files/talk.vtt" && mkdir "$T_TMP/files/subs"
comp() {   # comp WORDS...: the candidates for the last word
	bash -c '. "$1"; shift; cd "$T_FILES"; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _precis; [ ${#COMPREPLY[@]} = 0 ] || printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "' \
		sh "$T_TMP/precis.bash" "$@" 2>&1
}
export T_FILES="$T_TMP/files"
check_contains "bash: commands" "$(comp precis '')" "import jobs list mermaid review search show summarize"
check_eq "bash: a command from its start" "summarize " "$(comp precis summ)"
check_eq "bash: an option of the command" "--sort --state " "$(comp precis list --s)"
check_eq "bash: --sort's values" "date duration imported title unsupported " "$(comp precis list --sort '')"
check_eq "bash: --sort=VALUE" "unsupported " "$(comp precis list --sort = un)"
check_eq "bash: --state's values after --db" "summarized " "$(comp precis --db x.db summarize --state summ)"
check_contains "bash: show's options" "$(comp precis show 3 --)" "--second-language"
check_eq "bash: global options" "--completion --db --help --version " "$(comp precis --)"
check_eq "bash: import completes paths" "subs talk.vtt " "$(comp precis import '')"
check_eq "bash: --limit wants a number, not a file" "" "$(comp precis jobs --limit '')"
check_eq "bash: mermaid --direction" "BT LR RL TD " "$(comp precis mermaid -d '')"

# zsh: the script parses (when zsh is there)
"$PRECIS" --completion zsh >"$T_TMP/_precis"
check_contains "zsh: a #compdef script" "$(head -1 "$T_TMP/_precis")" "#compdef precis"
check_contains "zsh: --sort's values" "$(cat "$T_TMP/_precis")" "(date title duration imported unsupported)"
if command -v zsh >/dev/null 2>&1; then
	check "zsh: the script parses" zsh -n "$T_TMP/_precis"
else
	T_N=$((T_N+1)); echo "ok $T_N # SKIP zsh not installed"
fi
# make install puts them where bash-completion and zsh look
inst=$(make -n install PREFIX=/usr DESTDIR=/x 2>/dev/null)
check_contains "make install: bash completion" "$inst" "/x/usr/share/bash-completion/completions/precis"
check_contains "make install: zsh completion" "$inst" "/x/usr/share/zsh/site-functions/_precis"
done_testing
