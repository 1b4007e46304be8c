#!/bin/sh
# make check-layers (tests/check_layers.py): the real objects pass, and the
# check fails on deliberately broken object sets — a db/ object calling
# initscr, one holding an escape sequence, render/ calling ioctl and up
# into tui/, db/ calling net/, two render/ files calling each other, and
# a database library outside its engine: tui/ including sqlite3.h, db/
# outside db/sqlite/ including it through the engine's header or calling
# SQLite, db/sqlite/ including libpq-fe.h.
# Each broken set is the real objects plus one or two tiny extra objects
# (their sources beside them, where the check reads their includes).
. "$(dirname "$0")/../lib.sh"

CHECK="$T_REPO/tests/check_layers.py"
ALLOW="$T_REPO/tests/layers.allow"
# The objects make check-layers uses (make test passes them); run alone,
# the same list is made from the sources as the Makefile makes it.
ROOT=${LAYER_ROOT:-${BUILD:-build}/san}
if [ -z "${LAYER_OBJS:-}" ]; then
	LAYER_OBJS=$(cd "$T_REPO" && find db net render tui -name '*.c' -not -path 'render/gen/*' |
	             sort | sed "s|^|$ROOT/|; s|\.c\$|.o|")
fi
cd "$T_REPO" || exit 1
PQ_CFLAGS="-I$(pg_config --includedir 2>/dev/null || echo /usr/include/postgresql)"
allow=""
[ -f "$ALLOW" ] && allow="--allow $ALLOW"

out=$(python3 "$CHECK" $allow "$ROOT" $LAYER_OBJS 2>&1); st=$?
check_eq "the real objects pass" 0 "$st"
check_contains "the check says what it proved" "$out" "layers one-way, no cycles"

# broken NAME EXPECT FILE=SOURCE...: a copy of the real object set plus the
# given extra sources compiled at FILE (relative: db/x.c); the check must
# fail and name the violation EXPECT.
broken() {
	name=$1 expect=$2
	shift 2
	set_dir="$T_TMP/set.$T_N"
	rm -rf "$set_dir"
	objs=""
	for o in $LAYER_OBJS; do
		rel=${o#"$ROOT"/}
		mkdir -p "$set_dir/$(dirname "$rel")"
		ln -s "$T_REPO/$o" "$set_dir/$rel"
		objs="$objs $set_dir/$rel"
	done
	for spec in "$@"; do
		rel=${spec%%=*}
		mkdir -p "$set_dir/$(dirname "$rel")"
		printf '%s\n' "${spec#*=}" >"$set_dir/$rel"
		if ! cc -c -I"$T_REPO" $PQ_CFLAGS -o "$set_dir/${rel%.c}.o" "$set_dir/$rel" 2>"$set_dir/cc.err"; then
			not_ok "$name: cannot compile the broken object" "$(cat "$set_dir/cc.err")"
			return
		fi
		objs="$objs $set_dir/${rel%.c}.o"
	done
	out=$(python3 "$CHECK" $allow "$set_dir" $objs 2>&1); st=$?
	if [ "$st" = 1 ]; then ok "$name: the check fails"; else not_ok "$name: the check fails" "exit $st: $out"; fi
	check_contains "$name: names it" "$out" "$expect"
}

broken "db/ calls initscr" "terminal: db/zz_draw.c uses initscr" \
	'db/zz_draw.c=void *initscr(void); void zz_draw(void) { initscr(); }'
broken "net/ writes SGR" "terminal: net/zz_sgr.c holds an escape sequence" \
	'net/zz_sgr.c=#include <stdio.h>
void zz_sgr(FILE *f) { fputs("\033[1;31mred\033[0m", f); }'
broken "render/ asks the terminal its size" "terminal: render/zz_size.c uses ioctl" \
	'render/zz_size.c=#include <sys/ioctl.h>
int zz_cols(void) { struct winsize w; return ioctl(1, TIOCGWINSZ, &w) == 0 ? w.ws_col : 80; }'
broken "render/ calls up into tui/" "upward: render/zz_up.c uses cli_error of tui/" \
	'render/zz_up.c=int cli_error(const char *fmt, ...); void zz_up(void) { cli_error("x"); }'
net_sym=$(nm -P $(printf '%s\n' $LAYER_OBJS | grep "^$ROOT/net/") 2>/dev/null | awk '$2 == "T" { print $1; exit }')
if [ -n "$net_sym" ]; then
	broken "db/ calls net/" "upward: db/zz_net.c uses $net_sym of net/" \
		"db/zz_net.c=void $net_sym(void); void zz_net(void) { $net_sym(); }"
else
	not_ok "db/ calls net/: no function of net/ found to call"
fi
broken "two render/ files call each other" "cycle: render/zz_a.c render/zz_b.c" \
	'render/zz_a.c=int zz_b(int); int zz_a(int n) { return n ? zz_b(n - 1) : 0; }' \
	'render/zz_b.c=int zz_a(int); int zz_b(int n) { return n ? zz_a(n - 1) : 1; }'

broken "tui/ includes sqlite3.h" "engine: tui/zz_sql.c includes sqlite3.h: only db/sqlite/ may" \
	'tui/zz_sql.c=#include <sqlite3.h>
int zz_sql(void) { return SQLITE_OK; }'
broken "db/ outside db/sqlite/ includes the engine's header" \
	"engine: db/zz_eng.c includes sqlite3.h (through db/sqlite/archive_int.h): only db/sqlite/ may" \
	'db/zz_eng.c=#include "db/sqlite/archive_int.h"
int zz_eng(void) { return AR_SCHEMA_VERSION; }'
broken "db/ outside db/sqlite/ calls SQLite" \
	"engine: db/zz_sq.c uses sqlite3_libversion_number of SQLite: only db/sqlite/ may" \
	'db/zz_sq.c=int sqlite3_libversion_number(void); int zz_sq(void) { return sqlite3_libversion_number(); }'
broken "the SQLite engine includes libpq-fe.h" "engine: db/sqlite/zz_pq.c includes libpq-fe.h: only db/pg/ may" \
	'db/sqlite/zz_pq.c=#include <libpq-fe.h>
int zz_pq(void) { return CONNECTION_OK; }'

# An allow-list entry that no longer happens fails the check too.
printf 'cycle: render/zz_none.c\n' >"$T_TMP/stale.allow"
out=$(python3 "$CHECK" --allow "$T_TMP/stale.allow" "$ROOT" $LAYER_OBJS 2>&1); st=$?
check_eq "a stale allow-list entry fails the check" 1 "$st"
check_contains "and says to delete it" "$out" "no longer happens"
done_testing
