#!/bin/sh
# A checkout in a private directory (mode 700, as a clone under /root is):
# the checks that run precis as "nobody" must still pass, so they use a
# copy of precis (and of what it reads) nobody can reach. This copies the
# tests, the samples and the binary under a mode-700 directory and runs
# the scripts that hold such checks from there.
. "$(dirname "$0")/../lib.sh"

if [ "$(id -u)" != 0 ] || ! command -v setpriv >/dev/null; then
	ok "private checkout # SKIP only root runs checks as nobody (with setpriv)"
	done_testing
	exit 0
fi
PRIV="$T_TMP/private"
mkdir -p "$PRIV/precis/build"
chmod 700 "$PRIV"
cp -R "$T_REPO/tests" "$T_REPO/data" "$PRIV/precis/"
cp "$PRECIS" "$PRIV/precis/build/precis"
check "nobody cannot enter the private directory" sh -c \
	"! setpriv --reuid=nobody --regid=nogroup --clear-groups ls '$PRIV' >/dev/null 2>&1"
for t in tests/cli/archive_safety.sh tests/tui/terminal.sh; do
	PRECIS="$PRIV/precis/build/precis" sh "$PRIV/precis/$t" >"$T_TMP/out" 2>&1; st=$?
	bad=$(grep '^not ok' "$T_TMP/out" | head -20)
	nobody=$(grep -c 'read-only\|unwritable' "$T_TMP/out")
	if [ "$st" = 0 ] && [ -z "$bad" ] && [ "$nobody" -gt 0 ]; then
		ok "$t passes from a private checkout"
	else
		not_ok "$t passes from a private checkout" "exit $st
$bad"
	fi
done
done_testing
