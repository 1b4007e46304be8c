#!/bin/sh
# libcrypto failing while import hashes a file (EVP_DigestUpdate or
# EVP_DigestFinal_ex returning 0, made so by a small LD_PRELOAD shim) is a
# clear error for that file — "PATH: cannot compute its SHA-256: …", the
# count says failed, exit status 1 — never an abort, and no half record is
# left when the second hash (of the cleaned text) is the one that fails.
. "$(dirname "$0")/../lib.sh"

SHIM="$T_TMP/failing_crypto.so"
cat >"$T_TMP/shim.c" <<'EOF'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>
/* SHIM_FAIL=update: every EVP_DigestUpdate fails; SHIM_FAIL=final:N: the
 * Nth EVP_DigestFinal_ex fails; unset: both pass through. */
typedef struct evp_md_ctx_st EVP_MD_CTX;
int EVP_DigestUpdate(EVP_MD_CTX *c, const void *d, size_t n)
{
	const char *w = getenv("SHIM_FAIL");
	if (w && !strcmp(w, "update"))
		return 0;
	int (*real)(EVP_MD_CTX *, const void *, size_t) =
		(int (*)(EVP_MD_CTX *, const void *, size_t))dlsym(RTLD_NEXT, "EVP_DigestUpdate");
	return real(c, d, n);
}
int EVP_DigestFinal_ex(EVP_MD_CTX *c, unsigned char *md, unsigned int *n)
{
	static int calls;
	const char *w = getenv("SHIM_FAIL");
	calls++;
	int (*real)(EVP_MD_CTX *, unsigned char *, unsigned int *) =
		(int (*)(EVP_MD_CTX *, unsigned char *, unsigned int *))dlsym(RTLD_NEXT, "EVP_DigestFinal_ex");
	int r = real(c, md, n);
	if (w && !strncmp(w, "final:", 6) && calls == atoi(w + 6))
		return 0;
	return r;
}
EOF
if ! cc -shared -fPIC -o "$SHIM" "$T_TMP/shim.c" 2>"$T_TMP/cc.err"; then
	not_ok "the failing libcrypto shim compiles" "$(cat "$T_TMP/cc.err")"
	done_testing
	exit
fi
# The sanitizer runtime must not insist on coming first.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
A="$T_REPO/data/samples/000_bc66265cf390ae6e.txt"
B="$T_REPO/data/samples/002_72c3af4b86c673dc.txt"
imp() { db=$1; shift; env LD_PRELOAD="$SHIM" "$@" "$PRECIS" --db "$T_TMP/$db.db" import "$A" "$B" 2>&1; }

out=$(imp pass); st=$?
check_eq "through the shim, libcrypto working: both import" "0 imported 2, skipped 0, failed 0" "$st $(printf '%s\n' "$out" | tail -1)"

out=$(imp update SHIM_FAIL=update); st=$?
check_eq "a failing update: exit status 1, not an abort" 1 "$st"
check_contains "the file is named with the reason" "$out" "000_bc66265cf390ae6e.txt: cannot compute its SHA-256: libcrypto's EVP_DigestUpdate failed"
check_contains "every file fails, the run goes on" "$out" "imported 0, skipped 0, failed 2"

out=$(imp final SHIM_FAIL=final:1); st=$?
check_eq "a failing final step: exit status 1" 1 "$st"
check_contains "the first file is named with the reason" "$out" "000_bc66265cf390ae6e.txt: cannot compute its SHA-256: libcrypto's EVP_DigestFinal_ex failed"
check_contains "the second file still imports" "$out" "imported 1, skipped 0, failed 1"

# The first file's own hash passes, the hash of its cleaned text fails.
out=$(imp text SHIM_FAIL=final:2); st=$?
check_eq "the text's hash failing: exit status 1" 1 "$st"
check_contains "reported like the others" "$out" "000_bc66265cf390ae6e.txt: cannot compute its SHA-256: libcrypto's EVP_DigestFinal_ex failed"
check_eq "no half record: only the second file is stored" 1 \
	"$("$PRECIS" --db "$T_TMP/text.db" list --json | grep -c '"content_hash"')"
done_testing
