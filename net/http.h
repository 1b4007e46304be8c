/* http.h — one HTTP exchange with an OpenAI-compatible server over
 * libcurl (loaded on first use: net/curl_dl.h), and what its outcome means
 * (internal to net/).
 *
 * The response is read as it arrives: a 200 answer to a streamed request
 * goes through the SSE parser into a chat answer; anything else (a JSON
 * answer, an error body) is collected, capped. When the transfer ends,
 * http_classify() turns curl's result, the status and the body into one
 * outcome and a one-line reason a person can act on.
 */
#ifndef PRECIS_NET_HTTP_H
#define PRECIS_NET_HTTP_H

#include <stdint.h>
#include "net/curl_dl.h"

#include "net/chat.h"
#include "net/llm.h"
#include "net/sse.h"

enum http_outcome {
	HO_OK = 0,      /* an answer (maybe cut by the output limit: truncated) */
	HO_RETRY,       /* worth trying again (429, 5xx, a broken stream, …) */
	HO_CONTEXT,     /* the prompt did not fit the model's context */
	HO_FAIL,        /* will not get better by trying again */
};

struct http_req {
	const struct llm_config *cfg;
	CURL *easy;
	struct curl_slist *hdrs;
	char *body;                /* request body (owned), NULL for GET */
	int stream;
	long status;
	int mode;                  /* 0 not decided, 1 SSE, 2 plain body */
	struct sse sse;
	struct chat_answer ans;
	struct buf raw;            /* plain body, capped */
	int bad_event, error_event;
	char retry_after[64];
	char errbuf[CURL_ERROR_SIZE];
	int64_t started_ms;
	int64_t last_progress_ms;  /* new text (not keep-alives) last arrived */
	int idle;                  /* stopped by the watchdog */
	long total_s;              /* http_perform()'s limit, 0 none */
};

struct http_result {
	enum http_outcome outcome;
	char reason[400];          /* one line, scrubbed of the key */
	double wait_s;             /* Retry-After in seconds, or -1 */
	int truncated;             /* finish_reason "length" */
	int status;                /* HTTP status (0: none) */
};

/* Prepares a request to base_url + path: POST body (copied) when body is
 * not NULL, else GET. Returns 0, or -1 with err. */
int http_req_init(struct http_req *r, const struct llm_config *cfg, const char *path,
                  const char *body, int stream, char *err, size_t errlen);
void http_req_free(struct http_req *r);
/* Classifies a finished transfer (rc: curl's result). */
void http_classify(struct http_req *r, CURLcode rc, struct http_result *res);
/* Runs a prepared request to the end (blocking; for doctor). Returns
 * curl's result. total_timeout_s 0: none. */
CURLcode http_perform(struct http_req *r, long total_timeout_s);

/* Loads libcurl and runs curl_global_init, once (net/curl_dl.h): 0, or
 * -1 with a one-line reason in err (libcurl cannot be loaded). Every path
 * to libcurl starts here. */
int http_global_init(char *err, size_t errlen);

#endif
