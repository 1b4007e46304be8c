/* crypto_dl.c — libcrypto mapped on first use (db/crypto_dl.h). */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/opensslv.h>

#include "db/crypto_dl.h"

struct crypto_dl crypto_dl;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static char load_err[300];   /* "" when loaded */

#define STR_(x) #x
#define STR(x) STR_(x)
#ifdef OPENSSL_VERSION_MAJOR
#define SONAME "libcrypto.so." STR(OPENSSL_VERSION_MAJOR)
#else
#define SONAME "libcrypto.so.1.1"
#endif

/* Each symbol and where its address goes. */
#define SYM(fn, member) { #fn, offsetof(struct crypto_dl, member) }
static const struct {
	const char *name;
	size_t off;
} syms[] = {
	SYM(EVP_MD_CTX_new, md_ctx_new),
	SYM(EVP_MD_CTX_free, md_ctx_free),
	SYM(EVP_DigestInit_ex, digest_init_ex),
	SYM(EVP_DigestUpdate, digest_update),
	SYM(EVP_DigestFinal_ex, digest_final_ex),
	SYM(EVP_sha256, sha256),
	SYM(ERR_get_error, err_get_error),
	SYM(ERR_error_string_n, err_error_string_n),
	SYM(ERR_clear_error, err_clear_error),
};
#undef SYM
_Static_assert(sizeof syms / sizeof syms[0] * sizeof(void (*)(void)) == sizeof(struct crypto_dl),
               "one symbol per member of struct crypto_dl");

/* dlerror()'s text on one line (it may be NULL) into buf. */
static void one_line(const char *s, char *buf, size_t n)
{
	snprintf(buf, n, "%s", s ? s : "unknown error");
	for (char *p = buf; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
}

/* Maps libcrypto and fills the table; a failure leaves its reason in
 * load_err. */
static void load(void)
{
	const char *want = getenv("PRECIS_LIBCRYPTO");
	char why[240];
	/* global: dlsym(RTLD_DEFAULT) then finds it after any LD_PRELOAD */
	void *h = dlopen(want && *want ? want : SONAME, RTLD_NOW | RTLD_GLOBAL);
	if (!h) {
		one_line(dlerror(), why, sizeof why);   /* the usual name's failure */
		if (!(want && *want))
			h = dlopen("libcrypto.so", RTLD_NOW | RTLD_GLOBAL);
	}
	if (!h) {
		snprintf(load_err, sizeof load_err, "cannot load libcrypto: %s; install libssl3", why);
		return;
	}
	for (size_t i = 0; i < sizeof syms / sizeof syms[0]; i++) {
		void *f = dlsym(RTLD_DEFAULT, syms[i].name);
		if (!f)
			f = dlsym(h, syms[i].name);
		if (!f) {
			snprintf(load_err, sizeof load_err, "cannot load libcrypto: it has no %s",
			         syms[i].name);
			memset(&crypto_dl, 0, sizeof crypto_dl);
			return;
		}
		/* POSIX: a function's address comes back as a void * */
		memcpy((char *)&crypto_dl + syms[i].off, &f, sizeof f);
	}
}

int crypto_dl_load(char *err, size_t errlen)
{
	pthread_once(&once, load);
	if (!load_err[0])
		return 0;
	if (err && errlen)
		snprintf(err, errlen, "%s", load_err);
	return -1;
}
