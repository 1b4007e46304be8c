/* curl_dl.h — libcurl loaded with dlopen() the first time a request needs
 * it (internal to net/).
 *
 * precis is not linked against libcurl: the library and its ~30
 * dependencies cost ~7 ms of every process start, and only the LLM
 * commands use them. curl_dl_load() maps it once; after it succeeded, the
 * usual curl_* names below call through its table. <curl/curl.h> still
 * gives the types and constants. Include this instead of <curl/curl.h>.
 */
#ifndef PRECIS_NET_CURL_DL_H
#define PRECIS_NET_CURL_DL_H

#include <stddef.h>
#include <time.h>
#include <curl/curl.h>

struct curl_dl {
	CURLcode (*global_init)(long flags);
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *easy, CURLoption opt, ...);
	CURLcode (*easy_getinfo)(CURL *easy, CURLINFO info, ...);
	CURLcode (*easy_perform)(CURL *easy);
	void (*easy_cleanup)(CURL *easy);
	const char *(*easy_strerror)(CURLcode rc);
	struct curl_slist *(*slist_append)(struct curl_slist *l, const char *s);
	void (*slist_free_all)(struct curl_slist *l);
	time_t (*getdate)(const char *s, const time_t *unused);
	CURLM *(*multi_init)(void);
	CURLMcode (*multi_cleanup)(CURLM *m);
	CURLMcode (*multi_add_handle)(CURLM *m, CURL *easy);
	CURLMcode (*multi_remove_handle)(CURLM *m, CURL *easy);
	CURLMcode (*multi_perform)(CURLM *m, int *running);
	CURLMcode (*multi_poll)(CURLM *m, struct curl_waitfd *extra, unsigned n, int timeout_ms,
	                        int *numfds);
	CURLMcode (*multi_wakeup)(CURLM *m);
	CURLMsg *(*multi_info_read)(CURLM *m, int *left);
};

/* The table; valid once curl_dl_load() has returned 0. */
extern struct curl_dl curl_dl;

/* Loads libcurl (libcurl.so.4, else libcurl.so; $PRECIS_LIBCURL names
 * another file) and calls curl_global_init, once for the process
 * (thread-safe). Returns 0, or -1 with a one-line reason in err — the same
 * reason on every later call. */
int curl_dl_load(char *err, size_t errlen);

/* The call sites keep libcurl's names. curl.h may define the first two
 * as type-checking macros that call the real functions: replace them. */
#undef curl_easy_setopt
#undef curl_easy_getinfo
#define curl_global_init        curl_dl.global_init
#define curl_easy_init          curl_dl.easy_init
#define curl_easy_setopt        curl_dl.easy_setopt
#define curl_easy_getinfo       curl_dl.easy_getinfo
#define curl_easy_perform       curl_dl.easy_perform
#define curl_easy_cleanup       curl_dl.easy_cleanup
#define curl_easy_strerror      curl_dl.easy_strerror
#define curl_slist_append       curl_dl.slist_append
#define curl_slist_free_all     curl_dl.slist_free_all
#define curl_getdate            curl_dl.getdate
#define curl_multi_init         curl_dl.multi_init
#define curl_multi_cleanup      curl_dl.multi_cleanup
#define curl_multi_add_handle   curl_dl.multi_add_handle
#define curl_multi_remove_handle curl_dl.multi_remove_handle
#define curl_multi_perform      curl_dl.multi_perform
#define curl_multi_poll         curl_dl.multi_poll
#define curl_multi_wakeup       curl_dl.multi_wakeup
#define curl_multi_info_read    curl_dl.multi_info_read

#endif
