#!/bin/sh
# No command silently loses an import (issue 12): --db names that are not
# files are refused; a create that cannot happen says what and where, a
# read-only archive is read and refuses writes plainly, and
# one that fails half-way (disk full) leaves no file behind; concurrent
# imports into one archive all finish, with totals that are true.
. "$(dirname "$0")/../lib.sh"

count_of() { "$PRECIS" --db "$1" list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))'; }
REC="$T_TMP/rec.txt"
printf 'Title: kept\n\nContent:\nwords worth keeping\n' >"$REC"

# ---- names SQLite would not keep ---------------------------------------
mkdir -p "$T_TMP/cwd"
cd "$T_TMP/cwd" || exit 1
for name in '' ':memory:' 'file:x.db?mode=memory' 'file:kept.db'; do
	out=$("$PRECIS" --db "$name" import "$REC" 2>&1); st=$?
	check_eq "--db '$name': import refused" 1 "$st"
	check_not_contains "--db '$name': nothing claims to be imported" "$out" "imported 1"
done
out=$("$PRECIS" --db '' import "$REC" 2>&1)
check_contains "--db '': says the path is empty" "$out" "archive path is empty"
out=$("$PRECIS" --db ':memory:' list 2>&1)
check_contains "--db :memory: says it is not a file" "$out" "':memory:' is not a file"
out=$("$PRECIS" --db 'file:x.db?mode=memory' import "$REC" 2>&1)
check_contains "--db file:… says it would be a URI" "$out" "SQLite would read this as a URI"
check_eq "nothing was created for them" "" "$(ls -A "$T_TMP/cwd")"
# A file of such a name is still reachable as a path.
out=$("$PRECIS" --db ./:memory: import "$REC" 2>&1); st=$?
check_eq "--db ./:memory: is a plain file" 0 "$st"
check "  and it exists" test -f "$T_TMP/cwd/:memory:"
check_eq "  and keeps the import" 1 "$(count_of ./:memory:)"
cd "$T_TMP" || exit 1

# ---- creating where it cannot be created --------------------------------
out=$("$PRECIS" --db "$T_TMP/no/such/dir/a.db" import "$REC" 2>&1); st=$?
check_eq "missing directory: import fails" 1 "$st"
check_contains "missing directory: what and where" "$out" "cannot create $T_TMP/no/such/dir/a.db: No such file or directory"
# Root ignores file modes: these run as "nobody", with a copy of precis
# and of what it reads where nobody can reach them (as_nobody, tests/lib.sh).
SEED0=$(ls "$T_REPO"/data/samples/000_*.txt)
SEED2=$(ls "$T_REPO"/data/samples/002_*.txt)
as_nobody "$REC" "$SEED2"
NB_REC="$NB_DIR/$(basename "$REC")"
NB_SEED2="$NB_DIR/$(basename "$SEED2")"
if [ "$(id -u)" != 0 ] || [ -n "$AS" ]; then
	mkdir -p "$T_TMP/locked-dir"
	chmod 555 "$T_TMP/locked-dir"
	out=$($AS env HOME=/nonexistent "$NB_PRECIS" --db "$T_TMP/locked-dir/a.db" import "$NB_REC" 2>&1); st=$?
	check_eq "unwritable directory: import fails" 1 "$st"
	check_contains "unwritable directory: what and where" "$out" "cannot create $T_TMP/locked-dir/a.db: Permission denied"
	check_eq "unwritable directory: nothing left" "" "$(ls -A "$T_TMP/locked-dir")"
	chmod 755 "$T_TMP/locked-dir"
else
	echo "# root without setpriv: permission checks skipped"
fi

# A read-only archive in a read-only directory is read through a file: URI
# precis builds itself (SQLite cannot make the -shm there): URI syntax in
# the path ('?', '#', '%') stays part of the name.
if [ "$(id -u)" != 0 ] || [ -n "$AS" ]; then
	U="$T_TMP/ro?mode=memory#x%41"
	mkdir -p "$U"
	"$PRECIS" --db "$U/a.db" import --quiet "$REC"
	chmod 444 "$U/a.db"
	chmod 555 "$U"
	out=$($AS env HOME=/nonexistent "$NB_PRECIS" --db "$U/a.db" list 2>&1); st=$?
	check_eq "read-only archive under a URI-looking path: list works" 0 "$st"
	check_contains "  and shows its record" "$out" "kept"
	chmod 755 "$U"
	chmod 644 "$U/a.db"
fi

# A read-only archive: read commands work, writes fail clearly.
R="$T_TMP/ro"
mkdir -p "$R"
"$PRECIS" --db "$R/ro.db" import --quiet "$SEED0"
chmod 444 "$R/ro.db"
chmod 555 "$R"
RO() { $AS env HOME=/nonexistent "$NB_PRECIS" --db "$R/ro.db" "$@"; }
check "list works on a read-only archive" RO list
check "search works on a read-only archive" RO search 马斯克
check "show works on a read-only archive" RO show 1 --meta
if [ "$(id -u)" != 0 ] || [ -n "$AS" ]; then
	out=$(RO import "$NB_SEED2" 2>&1); st=$?
	check_eq "import into a read-only archive fails" 1 "$st"
	check_contains "read-only is said plainly" "$out" "read-only"
	check_eq "nothing was added" 1 "$(RO list | wc -l | tr -d ' ')"
fi
chmod 755 "$R"
chmod 644 "$R/ro.db"

# ---- a create that fails half-way (disk full) ---------------------------
# Two ways to fill the disk: a tiny tmpfs when this runs as root and may
# mount, and always a file size limit (RLIMIT_FSIZE, SIGXFSZ ignored so
# writes fail with EFBIG, as on a full disk).
F="$T_TMP/full"
mkdir -p "$F"
(ulimit -f 16; trap '' XFSZ; exec "$PRECIS" --db "$F/a.db" import "$REC") >"$T_TMP/o" 2>"$T_TMP/e"; st=$?
check_eq "write failure while creating: import fails" 1 "$st"
check_contains "write failure while creating: says it could not write" "$(cat "$T_TMP/e")" "$F/a.db: "
check_eq "write failure while creating: no archive, -wal or -shm left behind" "" "$(ls -A "$F")"
out=$("$PRECIS" --db "$F/a.db" list 2>&1)
check_contains "a later command finds no archive (not an 'empty file')" "$out" "no archive here"
check "a later import creates it normally" "$PRECIS" --db "$F/a.db" import --quiet "$REC"
if [ "$(id -u)" = 0 ] && mkdir -p "$T_TMP/tiny" && mount -t tmpfs -o size=48k tmpfs "$T_TMP/tiny" 2>/dev/null; then
	out=$("$PRECIS" --db "$T_TMP/tiny/a.db" import "$REC" 2>&1); st=$?
	check_eq "full tmpfs: import fails" 1 "$st"
	check_contains "full tmpfs: says so" "$out" "full"
	check_eq "full tmpfs: nothing left behind" "" "$(ls -A "$T_TMP/tiny")"
	umount "$T_TMP/tiny"
else
	echo "# no tmpfs mount (not root or not allowed): the file size limit stood for a full disk"
fi

# ---- concurrent imports --------------------------------------------------
# Four imports of 400 files each at once: with SQLite's own busy timeout
# the running ones retook the lock right after each group commit, and the
# others gave up after 5 s ("imported 0, … (stopped)"). All must finish,
# every file counted once.
python3 - "$T_TMP/c" <<'EOF2'
import os, sys
base = ("并发导入测试的文本，一遍又一遍。Concurrent import test text, again and again. " * 150)
for d in range(5):
    os.makedirs(f"{sys.argv[1]}/d{d}", exist_ok=True)
    for i in range(400 if d < 4 else 150):
        with open(f"{sys.argv[1]}/d{d}/f{i:03d}.txt", 'w', encoding='utf-8') as f:
            f.write(f"concmark{d}x{i} " + base[(i * 7) % 500:] + "\n")
EOF2
C="$T_TMP/c.db"
"$PRECIS" --db "$C" import --quiet "$REC"
for d in 0 1 2 3; do
	"$PRECIS" --db "$C" import "$T_TMP/c/d$d" >"$T_TMP/c$d.out" 2>"$T_TMP/c$d.err" &
	eval "pid$d=$!"
done
for d in 0 1 2 3; do
	eval "wait \$pid$d"; st=$?
	check_eq "concurrent import $d finishes (exit 0)" 0 "$st"
	check_eq "concurrent import $d counts its files" "imported 400, skipped 0, failed 0" "$(cat "$T_TMP/c$d.out")"
	[ -s "$T_TMP/c$d.err" ] && echo "# import $d said: $(head -3 "$T_TMP/c$d.err")"
done
check_eq "all 1601 records are there" 1601 "$(count_of "$C")"
# The same files twice at once: one import stores them, the other skips
# them (the duplicate check runs under the write lock).
"$PRECIS" --db "$C" import "$T_TMP/c/d4" >"$T_TMP/s1.out" 2>&1 &
p1=$!
"$PRECIS" --db "$C" import "$T_TMP/c/d4" >"$T_TMP/s2.out" 2>&1 &
p2=$!
wait $p1; st1=$?
wait $p2; st2=$?
check_eq "two imports of the same files both finish" "0 0" "$st1 $st2"
sums=$(cat "$T_TMP/s1.out" "$T_TMP/s2.out" | python3 -c '
import re, sys
imp = skip = 0
for line in sys.stdin:
    m = re.match(r"imported (\d+), skipped (\d+), failed (\d+)", line)
    if m:
        imp += int(m.group(1)); skip += int(m.group(2))
print(imp, skip)')
check_eq "each file counted imported once and skipped once" "150 150" "$sums"
check_eq "150 more records, no duplicate" 1751 "$(count_of "$C")"

done_testing
