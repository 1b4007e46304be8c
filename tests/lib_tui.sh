# TUI test helpers (sourced after tests/lib.sh): the real binary in a tmux
# server on a private socket, a fixed size, TERM, LANG=C.UTF-8, TZ=UTC and
# HOME/XDG in the test's temp dir. Synchronisation is by polling
# capture-pane until the expected text shows (never a bare sleep).
command -v tmux >/dev/null 2>&1 || { echo "1..0 # SKIP tmux not installed"; exit 0; }
TSOCK="$T_TMP/tmux.0.sock"
TM() { tmux -S "$TSOCK" "$@"; }
at_exit 'TM kill-server >/dev/null 2>&1'
unset NO_COLOR TMUX
T_RUN=0

# tui_start W H [ENV=VALUE...] -- ARGS...: starts precis ARGS in a fresh
# session of W×H; its exit status goes to $T_TMP/exit when it ends.
tui_start() {
	w=$1; h=$2; shift 2
	envs=""
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do envs="$envs $1"; shift; done
	[ "$1" = "--" ] && shift
	TM kill-server >/dev/null 2>&1
	T_RUN=$((T_RUN + 1))
	TSOCK="$T_TMP/tmux.$T_RUN.sock"
	rm -f "$T_TMP/exit"
	cmd="cd '$T_TMP' && env TERM=\${T_TERM:-tmux-256color} LANG=C.UTF-8 LC_ALL=C.UTF-8 TZ=UTC HOME='$HOME' XDG_CONFIG_HOME='$XDG_CONFIG_HOME' XDG_DATA_HOME='$XDG_DATA_HOME' ASAN_OPTIONS='$ASAN_OPTIONS:log_path=$T_TMP/asan' $envs ${T_AS:-} '$PRECIS' $*; echo \$? > '$T_TMP/exit'; sleep 600"
	T_TERM=${T_TERM:-tmux-256color} TM -f /dev/null new-session -d -x "$w" -y "$h" -s t "$cmd"
	TM set-option -g status off >/dev/null
	TM set-option -g window-size manual >/dev/null 2>&1
	TM resize-window -t t -x "$w" -y "$h" >/dev/null 2>&1
}

screen() { TM capture-pane -p -t t 2>/dev/null; }
screen_e() { TM capture-pane -p -e -t t 2>/dev/null; }
keys() { TM send-keys -t t "$@"; }
keys_l() { TM send-keys -t t -l "$@"; }
resize() { TM resize-window -t t -x "$1" -y "$2"; }

# wait_for TEXT [SECONDS]: polls the screen until TEXT shows; 0 or 1.
wait_for() {
	i=0; lim=$(( ${2:-10} * 20 ))
	while [ $i -lt $lim ]; do
		case "$(screen)" in *"$1"*) return 0;; esac
		sleep 0.05; i=$((i + 1))
	done
	return 1
}
# wait_gone TEXT [SECONDS]: until TEXT is no longer on screen.
wait_gone() {
	i=0; lim=$(( ${2:-10} * 20 ))
	while [ $i -lt $lim ]; do
		case "$(screen)" in *"$1"*) ;; *) return 0;; esac
		sleep 0.05; i=$((i + 1))
	done
	return 1
}
# expect NAME TEXT: a check that TEXT shows up.
expect() { if wait_for "$2" "${3:-10}"; then ok "$1"; else not_ok "$1" "$(screen)"; fi; }
expect_not() { case "$(screen)" in *"$2"*) not_ok "$1" "$(screen)";; *) ok "$1";; esac; }
# wait_exit [SECONDS]: until precis has ended; prints its status.
wait_exit() {
	i=0; lim=$(( ${1:-10} * 20 ))
	while [ $i -lt $lim ]; do
		[ -s "$T_TMP/exit" ] && { cat "$T_TMP/exit"; return 0; }
		sleep 0.05; i=$((i + 1))
	done
	echo timeout
	return 1
}
# check_clean_exit NAME: precis ended with status 0 and no sanitizer report.
check_clean_exit() {
	st=$(wait_exit 15)
	rep=$(cat "$T_TMP"/asan.* 2>/dev/null | head -40)
	if [ "$st" = 0 ] && [ -z "$rep" ]; then ok "$1"; else not_ok "$1" "exit: $st
$rep"; fi
	rm -f "$T_TMP"/asan.*
}
# line_of TEXT: the first screen line holding TEXT.
line_of() { screen | grep -F -- "$1" | head -1; }

# The fixture archive: the two samples, a transcript with times, a
# hostile one, and enough small ones to page.
make_fixture() {
	DB="$T_TMP/a.db"
	mkdir -p "$T_TMP/in"
	cp data/samples/*.txt "$T_TMP/in/"
	{
		printf 'WEBVTT\n\n'
		i=0
		while [ $i -lt 240 ]; do
			m=$((i / 2)); s=$(( (i % 2) * 30 ))
			printf '00:%02d:%02d.000 --> 00:%02d:%02d.900\n' $m $s $m $((s + 29))
			printf 'Paragraph %d of the timed talk about rockets and orbits, line %d.\n\n' $i $i
			i=$((i + 1))
		done
	} >"$T_TMP/in/timed.vtt"
	printf 'Title: Hostile \033]0;PWNED-TITLE\007 title\n\nbefore \033]0;PWNED\007 mid \033[2J\033[H after \033]52;c;cHduZWQ=\007 end \033P1$qm\033\\ tail\n' >"$T_TMP/in/hostile.txt"
	i=1
	while [ $i -le 40 ]; do
		printf 'Title: Filler talk %02d\nTimestamp: 2024-01-%02dT10:00:00\nDuration: %d:00\n\nContent:\nfiller words number %d about nothing much\n' \
			$i $(( (i % 28) + 1 )) $((i + 3)) $i >"$T_TMP/in/filler$i.txt"
		i=$((i + 1))
	done
	"$PRECIS" --db "$DB" import --quiet "$T_TMP/in" >/dev/null 2>"$T_TMP/import.err" || {
		cat "$T_TMP/import.err"; }
}
