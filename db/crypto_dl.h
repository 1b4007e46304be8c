/* crypto_dl.h — libcrypto loaded with dlopen() the first time import
 * hashes a file (internal to db/).
 *
 * precis is not linked against libcrypto: only import uses it (SHA-256
 * through the EVP interface), and every other command would pay for
 * mapping it at start. crypto_dl_load() maps it once; after it succeeded,
 * the usual names below call through its table. <openssl/evp.h> still
 * gives the types and constants. Include this instead of the OpenSSL
 * headers.
 */
#ifndef PRECIS_DB_CRYPTO_DL_H
#define PRECIS_DB_CRYPTO_DL_H

#include <stddef.h>
#include <openssl/err.h>
#include <openssl/evp.h>

struct crypto_dl {
	EVP_MD_CTX *(*md_ctx_new)(void);
	void (*md_ctx_free)(EVP_MD_CTX *c);
	int (*digest_init_ex)(EVP_MD_CTX *c, const EVP_MD *md, ENGINE *e);
	int (*digest_update)(EVP_MD_CTX *c, const void *d, size_t n);
	int (*digest_final_ex)(EVP_MD_CTX *c, unsigned char *md, unsigned int *n);
	const EVP_MD *(*sha256)(void);
	unsigned long (*err_get_error)(void);
	void (*err_error_string_n)(unsigned long e, char *buf, size_t len);
	void (*err_clear_error)(void);
};

/* The table; valid once crypto_dl_load() has returned 0. */
extern struct crypto_dl crypto_dl;

/* Loads libcrypto (libcrypto.so.N of the headers' major version, else
 * libcrypto.so; $PRECIS_LIBCRYPTO names another file), once for the
 * process (thread-safe). It is loaded into the global scope and each
 * function is looked up there first, so an LD_PRELOAD library that
 * defines one (tests/cli/import_hash_fail.sh) still comes first. Returns
 * 0, or -1 with a one-line reason in err — the same on every later call. */
int crypto_dl_load(char *err, size_t errlen);

#define EVP_MD_CTX_new          crypto_dl.md_ctx_new
#define EVP_MD_CTX_free         crypto_dl.md_ctx_free
#define EVP_DigestInit_ex       crypto_dl.digest_init_ex
#define EVP_DigestUpdate        crypto_dl.digest_update
#define EVP_DigestFinal_ex      crypto_dl.digest_final_ex
#define EVP_sha256              crypto_dl.sha256
#define ERR_get_error           crypto_dl.err_get_error
#define ERR_error_string_n      crypto_dl.err_error_string_n
#define ERR_clear_error         crypto_dl.err_clear_error

#endif
