#!/bin/sh
# libcurl and libcrypto are loaded with dlopen() only when needed
# (net/curl_dl.c, db/crypto_dl.c): commands that reach neither the LLM nor
# import never map them (the ~11 ms of start-up they cost), the ones that
# do still work, and a library that cannot be loaded is a one-line reason,
# not a crash. $PRECIS_LIBCURL / $PRECIS_LIBCRYPTO name the file to load;
# here they name one that does not exist.
. "$(dirname "$0")/../lib.sh"

DB="$T_TMP/a.db"
A="$T_REPO/data/samples/000_bc66265cf390ae6e.txt"
B="$T_REPO/data/samples/002_72c3af4b86c673dc.txt"
P() { "$PRECIS" --db "$DB" "$@"; }
# the libraries the dynamic loader maps for a command (LD_DEBUG=libs)
maps() { LD_DEBUG=libs "$@" 2>&1 >/dev/null | grep -E 'calling init: .*/lib(curl|crypto)[.-]' |
	sed 's|.*/||' | sort -u | tr '\n' ' '; }

check_eq "--version maps neither libcurl nor libcrypto" "" "$(maps "$PRECIS" --version)"
check_eq "import maps libcrypto (and not libcurl)" "libcrypto.so.3 " \
	"$(maps "$PRECIS" --db "$DB" import "$A" "$B")"
check_eq "the import worked" 2 "$(P list --json | grep -c '"content_hash"')"
check_eq "list maps neither" "" "$(maps "$PRECIS" --db "$DB" list --limit 20)"
check_eq "search maps neither" "" "$(maps "$PRECIS" --db "$DB" search --limit 20 the)"
check_eq "show maps neither" "" "$(maps "$PRECIS" --db "$DB" show 1)"

# An LLM command loads libcurl and uses it: a closed port is refused.
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export PRECIS_API_BASE="http://127.0.0.1:$PORT/v1" PRECIS_MODEL=m
unset PRECIS_API_KEY OPENAI_API_KEY
out=$(P doctor 2>&1); st=$?
check_eq "doctor, nothing listening: exit 1" 1 "$st"
check_contains "doctor reached libcurl: connection refused" "$out" \
	"FAIL GET /models: connection refused by 127.0.0.1:$PORT"
case "$(maps "$PRECIS" --db "$DB" doctor)" in
*libcurl.so*) ok "doctor maps libcurl" ;;
*) not_ok "doctor maps libcurl" ;;
esac

# libcurl that cannot be loaded: the reason, once a line, no crash.
out=$(PRECIS_LIBCURL=libprecis-none.so.4 P doctor 2>&1); st=$?
check_eq "doctor without libcurl: exit 1" 1 "$st"
check_contains "doctor says why" "$out" \
	"FAIL GET /models: cannot load libcurl (needed to reach the LLM): libprecis-none.so.4: cannot open shared object file"
check_contains "and what to install" "$out" "; install libcurl4"
out=$(PRECIS_LIBCURL=libprecis-none.so.4 P summarize 1 2>&1); st=$?
check_eq "summarize without libcurl: exit 1" 1 "$st"
check_contains "summarize says why" "$out" \
	"cannot load libcurl (needed to reach the LLM): libprecis-none.so.4: cannot open shared object file"

# libcrypto that cannot be loaded: each file fails with the reason.
out=$(PRECIS_LIBCRYPTO=libprecis-none.so.3 "$PRECIS" --db "$T_TMP/b.db" import "$A" "$B" 2>&1); st=$?
check_eq "import without libcrypto: exit 1" 1 "$st"
check_contains "the file is named with the reason" "$out" \
	"000_bc66265cf390ae6e.txt: cannot compute its SHA-256: cannot load libcrypto: libprecis-none.so.3: cannot open shared object file"
check_contains "nothing imported" "$out" "imported 0, skipped 0, failed 2"
done_testing
