/* curl_dl.c — libcurl mapped on first use (net/curl_dl.h). */
#include <dlfcn.h>
#include <stddef.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/curl_dl.h"

struct curl_dl curl_dl;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static char load_err[300];   /* "" when loaded */

/* Each symbol and where its address goes. */
#define SYM(fn, member) { #fn, offsetof(struct curl_dl, member) }
static const struct {
	const char *name;
	size_t off;
} syms[] = {
	SYM(curl_global_init, global_init),
	SYM(curl_easy_init, easy_init),
	SYM(curl_easy_setopt, easy_setopt),
	SYM(curl_easy_getinfo, easy_getinfo),
	SYM(curl_easy_perform, easy_perform),
	SYM(curl_easy_cleanup, easy_cleanup),
	SYM(curl_easy_strerror, easy_strerror),
	SYM(curl_slist_append, slist_append),
	SYM(curl_slist_free_all, slist_free_all),
	SYM(curl_getdate, getdate),
	SYM(curl_multi_init, multi_init),
	SYM(curl_multi_cleanup, multi_cleanup),
	SYM(curl_multi_add_handle, multi_add_handle),
	SYM(curl_multi_remove_handle, multi_remove_handle),
	SYM(curl_multi_perform, multi_perform),
	SYM(curl_multi_poll, multi_poll),
	SYM(curl_multi_wakeup, multi_wakeup),
	SYM(curl_multi_info_read, multi_info_read),
};
#undef SYM
_Static_assert(sizeof syms / sizeof syms[0] * sizeof(void (*)(void)) == sizeof(struct curl_dl),
               "one symbol per member of struct curl_dl");

/* dlerror()'s text on one line (it may be NULL) into buf. */
static void one_line(const char *s, char *buf, size_t n)
{
	snprintf(buf, n, "%s", s ? s : "unknown error");
	for (char *p = buf; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
}

/* Maps libcurl and fills the table; a failure leaves its reason in
 * load_err. */
static void load(void)
{
	const char *want = getenv("PRECIS_LIBCURL");
	char why[220];
	void *h = dlopen(want && *want ? want : "libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		one_line(dlerror(), why, sizeof why);   /* the usual name's failure */
		if (!(want && *want))
			h = dlopen("libcurl.so", RTLD_NOW | RTLD_LOCAL);
	}
	if (!h) {
		snprintf(load_err, sizeof load_err,
		         "cannot load libcurl (needed to reach the LLM): %s; install libcurl4", why);
		return;
	}
	for (size_t i = 0; i < sizeof syms / sizeof syms[0]; i++) {
		void *f = dlsym(h, syms[i].name);
		if (!f) {
			snprintf(load_err, sizeof load_err,
			         "cannot load libcurl (needed to reach the LLM): it has no %s "
			         "(libcurl 7.68 or later is needed)", syms[i].name);
			memset(&curl_dl, 0, sizeof curl_dl);
			return;
		}
		/* POSIX: a function's address comes back as a void * */
		memcpy((char *)&curl_dl + syms[i].off, &f, sizeof f);
	}
	if (curl_dl.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		snprintf(load_err, sizeof load_err, "libcurl could not start (curl_global_init failed)");
}

int curl_dl_load(char *err, size_t errlen)
{
	pthread_once(&once, load);
	if (!load_err[0])
		return 0;
	if (err && errlen)
		snprintf(err, errlen, "%s", load_err);
	return -1;
}
