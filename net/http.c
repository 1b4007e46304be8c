/* http.c — requests over libcurl and the meaning of their outcomes
 * (net/http.h). */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "net/http.h"
#include "net/util.h"

#define MAX_BODY (1 << 20)   /* an error or plain answer larger than this is cut */

int http_global_init(char *err, size_t errlen)
{
	return curl_dl_load(err, errlen);
}

/* Host and port of the base URL, for messages ("api.openai.com"). */
static void url_host(const struct llm_config *cfg, char *buf, size_t n)
{
	const char *u = cfg->base_url;
	const char *p = strstr(u, "://");
	p = p ? p + 3 : u;
	const char *at = strchr(p, '@');
	const char *slash = strchr(p, '/');
	if (at && (!slash || at < slash))
		p = at + 1;
	size_t k = slash ? (size_t)(slash - p) : strlen(p);
	snprintf(buf, n, "%.*s", (int)(k < n ? k : n - 1), p);
}

static int on_event(void *ctx, const char *event, const char *data, size_t len)
{
	struct http_req *r = ctx;
	(void)event;
	int before = r->ans.progress;
	switch (chat_stream_event(&r->ans, data, len)) {
	case CHAT_EV_BAD:
		r->bad_event = 1;
		return 1;           /* stop reading: the stream is not what we expect */
	case CHAT_EV_ERROR:
		r->error_event = 1;
		return 1;
	case CHAT_EV_TOO_LONG:
		return 1;           /* stop reading: on_data ends the transfer */
	default:
		break;
	}
	if (r->ans.progress != before)
		r->last_progress_ms = net_now_ms();
	return 0;
}

static size_t on_data(char *p, size_t size, size_t nmemb, void *ud)
{
	struct http_req *r = ud;
	size_t n = size * nmemb;
	if (r->mode == 0) {
		curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &r->status);
		const char *ct = NULL;
		curl_easy_getinfo(r->easy, CURLINFO_CONTENT_TYPE, &ct);
		size_t i = 0;
		while (i < n && isspace((unsigned char)p[i]))
			i++;
		int looks_sse = (ct && strcasestr(ct, "event-stream")) ||
		                (i < n && p[i] != '{' && p[i] != '[');
		r->mode = r->status == 200 && r->stream && looks_sse ? 1 : 2;
	}
	if (r->mode == 1) {
		if (r->ans.too_long)
			return 0;   /* stop reading: curl ends the transfer */
		if (r->bad_event || r->error_event)
			return n;   /* already decided; let the transfer end */
		int rc = sse_feed(&r->sse, p, n);
		if (rc < 0)
			r->bad_event = 1;
		/* one event may carry the whole answer: its bytes not yet
		 * dispatched count too (JSON escapes at most double them) */
		if (r->ans.cap && r->sse.line_len + r->sse.data_len > 2 * r->ans.cap + 65536)
			r->ans.too_long = 1;
		return r->ans.too_long ? 0 : n;
	}
	if (r->status == 200 && r->ans.cap && r->raw.len + n > 2 * r->ans.cap + MAX_BODY) {
		r->ans.too_long = 1;   /* a plain answer far past what was asked */
		return 0;
	}
	if (r->raw.len < MAX_BODY) {
		size_t k = r->raw.len + n > MAX_BODY ? MAX_BODY - r->raw.len : n;
		buf_put(&r->raw, p, k);
		/* a plain answer or error body arriving is progress */
		r->last_progress_ms = net_now_ms();
	}
	return n;
}

static size_t on_header(char *p, size_t size, size_t nmemb, void *ud)
{
	struct http_req *r = ud;
	size_t n = size * nmemb;
	if (n > 12 && !strncasecmp(p, "retry-after:", 12)) {
		size_t i = 12;
		while (i < n && (p[i] == ' ' || p[i] == '\t'))
			i++;
		size_t e = n;
		while (e > i && isspace((unsigned char)p[e - 1]))
			e--;
		snprintf(r->retry_after, sizeof r->retry_after, "%.*s", (int)(e - i), p + i);
	}
	if (n > 5 && !strncmp(p, "HTTP/", 5)) {
		/* a new response (after a 100 Continue or a proxy's 200) */
		r->retry_after[0] = 0;
	}
	return n;
}

int http_req_init(struct http_req *r, const struct llm_config *cfg, const char *path,
                  const char *body, int stream, char *err, size_t errlen)
{
	memset(r, 0, sizeof *r);
	/* never a header line the settings did not mean (llm_conf_ready
	 * said so already; this holds for every caller) */
	if (llm_config_check(cfg, err, errlen) != 0)
		return -1;
	if (http_global_init(err, errlen) != 0)
		return -1;
	r->cfg = cfg;
	r->stream = stream;
	chat_answer_init(&r->ans);
	sse_init(&r->sse, on_event, NULL, r);
	r->easy = curl_easy_init();
	if (!r->easy) {
		snprintf(err, errlen, "libcurl could not start a request");
		return -1;
	}
	/* the path goes before a query the base URL may have
	 * (".../v1?api-version=…" + "/models") */
	char url[1024];
	size_t qpos = strcspn(cfg->base_url, "?#");
	snprintf(url, sizeof url, "%.*s%s%s", (int)qpos, cfg->base_url, path, cfg->base_url + qpos);
	curl_easy_setopt(r->easy, CURLOPT_URL, url);
	curl_easy_setopt(r->easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(r->easy, CURLOPT_CONNECTTIMEOUT, cfg->connect_timeout_s > 0 ? cfg->connect_timeout_s : 10L);
	curl_easy_setopt(r->easy, CURLOPT_TIMEOUT, 0L);
	curl_easy_setopt(r->easy, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(r->easy, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(r->easy, CURLOPT_USERAGENT, "precis/" PRECIS_VERSION);
	curl_easy_setopt(r->easy, CURLOPT_ERRORBUFFER, r->errbuf);
	curl_easy_setopt(r->easy, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(r->easy, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(r->easy, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(r->easy, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(r->easy, CURLOPT_PRIVATE, r);
	/* Proxies come from http_proxy/https_proxy/no_proxy, which libcurl
	 * reads itself when CURLOPT_PROXY is not set. */
	struct curl_slist *h = NULL;
	h = curl_slist_append(h, stream ? "Accept: text/event-stream" : "Accept: application/json");
	if (body)
		h = curl_slist_append(h, "Content-Type: application/json");
	h = curl_slist_append(h, "Expect:");
	if (cfg->api_key[0]) {
		char auth[600];
		snprintf(auth, sizeof auth, "Authorization: Bearer %s", cfg->api_key);
		h = curl_slist_append(h, auth);
		memset(auth, 0, sizeof auth);
	}
	for (int i = 0; i < cfg->nheaders; i++)
		h = curl_slist_append(h, cfg->headers[i]);
	r->hdrs = h;
	curl_easy_setopt(r->easy, CURLOPT_HTTPHEADER, h);
	if (body) {
		r->body = xstrdup(body);
		curl_easy_setopt(r->easy, CURLOPT_POSTFIELDS, r->body);
		curl_easy_setopt(r->easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(r->body));
	}
	r->started_ms = r->last_progress_ms = net_now_ms();
	return 0;
}

void http_req_free(struct http_req *r)
{
	if (r->easy)
		curl_easy_cleanup(r->easy);
	if (r->hdrs)
		curl_slist_free_all(r->hdrs);
	free(r->body);
	sse_free(&r->sse);
	chat_answer_free(&r->ans);
	buf_free(&r->raw);
	memset(r, 0, sizeof *r);
}

CURLcode http_perform(struct http_req *r, long total_timeout_s)
{
	if (total_timeout_s > 0)
		curl_easy_setopt(r->easy, CURLOPT_TIMEOUT, total_timeout_s);
	r->total_s = total_timeout_s;
	return curl_easy_perform(r->easy);
}

/* Seconds from a Retry-After value (delta-seconds or an HTTP date), or -1. */
static double retry_after_s(const char *v)
{
	if (!v[0])
		return -1;
	char *end;
	double s = strtod(v, &end);
	if (end != v && *end == 0 && s >= 0)
		return s;
	time_t t = curl_getdate(v, NULL);
	if (t < 0)
		return -1;
	double d = difftime(t, time(NULL));
	return d > 0 ? d : 0;
}

/* The reason phrase of common statuses. */
static const char *status_text(long s)
{
	switch (s) {
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 402: return "Payment Required";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 408: return "Request Timeout";
	case 413: return "Payload Too Large";
	case 422: return "Unprocessable Entity";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 502: return "Bad Gateway";
	case 503: return "Service Unavailable";
	case 504: return "Gateway Timeout";
	default: return "";
	}
}

static void reason(struct http_result *res, const struct llm_config *cfg, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void reason(struct http_result *res, const struct llm_config *cfg, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(res->reason, sizeof res->reason, fmt, ap);
	va_end(ap);
	/* one line, nothing the terminal would act on */
	for (char *p = res->reason; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	llm_scrub(cfg, res->reason);
	size_t k = net_utf8_trim(res->reason, strlen(res->reason));
	res->reason[k] = 0;
}

/* A non-200 answer: its body's message, the status, the advice. */
static void classify_status(struct http_req *r, struct http_result *res)
{
	const struct llm_config *cfg = r->cfg;
	char msg[300], code[64], host[256];
	chat_error_message(r->raw.p, r->raw.len, msg, sizeof msg, code, sizeof code);
	url_host(cfg, host, sizeof host);
	long s = r->status;
	char st[64];
	snprintf(st, sizeof st, "%ld%s%s", s, status_text(s)[0] ? " " : "", status_text(s));
	const char *sep = msg[0] ? ": " : "";
	res->status = (int)s;
	res->wait_s = retry_after_s(r->retry_after);
	if ((s == 400 || s == 413 || s == 422) && chat_is_context_error(msg, code)) {
		res->outcome = HO_CONTEXT;
		reason(res, cfg, "the prompt is longer than the model's context (%s%s%s)", st, sep, msg);
	} else if (s == 401) {
		res->outcome = HO_FAIL;
		reason(res, cfg, "%s refused the API key (%s%s%s): set PRECIS_API_KEY or [llm] api_key",
		       host, st, sep, msg);
	} else if (s == 402) {
		res->outcome = HO_FAIL;
		reason(res, cfg, "%s wants payment (%s%s%s): check the account's credit", host, st, sep, msg);
	} else if (s == 403) {
		res->outcome = HO_FAIL;
		reason(res, cfg, "%s denied access (%s%s%s): check the key's permissions and the model",
		       host, st, sep, msg);
	} else if (s == 404) {
		res->outcome = HO_FAIL;
		reason(res, cfg, "%s has no such model or path (%s%s%s): check [llm] model ('%s') and "
		       "base_url (ends in /v1?)", host, st, sep, msg, cfg->model);
	} else if (s == 429) {
		res->outcome = HO_RETRY;
		reason(res, cfg, "rate limited by %s (%s%s%s)", host, st, sep, msg);
	} else if (s == 408 || s == 409 || s >= 500) {
		res->outcome = HO_RETRY;
		reason(res, cfg, "%s failed (%s%s%s)", host, st, sep, msg);
	} else {
		res->outcome = HO_FAIL;
		reason(res, cfg, "%s refused the request (%s%s%s)", host, st, sep, msg);
	}
}

/* A curl-level failure: no usable HTTP answer. */
static void classify_curl(struct http_req *r, CURLcode rc, struct http_result *res)
{
	const struct llm_config *cfg = r->cfg;
	char host[256];
	url_host(cfg, host, sizeof host);
	const char *detail = r->errbuf[0] ? r->errbuf : curl_easy_strerror(rc);
	switch (rc) {
	case CURLE_COULDNT_RESOLVE_HOST:
		res->outcome = HO_FAIL;
		reason(res, cfg, "cannot resolve '%s' (DNS lookup failed): check [llm] base_url or the network",
		       host);
		break;
	case CURLE_COULDNT_RESOLVE_PROXY:
		res->outcome = HO_FAIL;
		reason(res, cfg, "cannot resolve the proxy (%s): check http_proxy/https_proxy", detail);
		break;
	case CURLE_COULDNT_CONNECT:
		res->outcome = HO_FAIL;
		reason(res, cfg, "connection refused by %s: is the server running? (%s)", host, detail);
		break;
	case CURLE_OPERATION_TIMEDOUT: {
		/* connected, then silence: the limit hit was the wait for an
		 * answer, not the connection's */
		curl_off_t conn_us = 0;
		res->outcome = HO_RETRY;
		if (curl_easy_getinfo(r->easy, CURLINFO_CONNECT_TIME_T, &conn_us) == CURLE_OK && conn_us > 0)
			reason(res, cfg, "%s accepted the connection, then sent nothing for %ld s (idle_timeout)",
			       host, r->total_s > 0 ? r->total_s : cfg->idle_timeout_s);
		else
			reason(res, cfg, "no connection to %s within %ld s (connect_timeout)", host,
			       cfg->connect_timeout_s);
		break;
	}
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
		res->outcome = HO_FAIL;
		reason(res, cfg, "TLS with %s failed: %s (https to a plain-http server? a bad certificate?)",
		       host, detail);
		break;
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		res->outcome = HO_RETRY;
		reason(res, cfg, "the connection to %s broke%s (%s)", host,
		       r->ans.content_bytes ? " in the middle of the answer" : "", detail);
		break;
	default:
		res->outcome = HO_FAIL;
		reason(res, cfg, "request to %s failed: %s", host, detail);
		break;
	}
}

void http_classify(struct http_req *r, CURLcode rc, struct http_result *res)
{
	memset(res, 0, sizeof *res);
	res->wait_s = -1;
	const struct llm_config *cfg = r->cfg;
	if (r->status == 0)
		curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &r->status);
	res->status = (int)r->status;
	if (r->idle) {
		char host[256];
		url_host(cfg, host, sizeof host);
		res->outcome = HO_RETRY;
		reason(res, cfg, "%s sent no new text for %ld s (idle_timeout)%s", host, cfg->idle_timeout_s,
		       r->sse.comments ? "; only keep-alive comments" : "");
		return;
	}
	if (r->ans.too_long) {
		res->outcome = HO_FAIL;
		reason(res, cfg, "the answer passed %zu KB, far more than the %zu tokens asked for: "
		       "stopped reading it (does the server ignore max_tokens? see [llm] max_output)",
		       r->ans.cap / 1024, r->ans.cap / CHAT_CAP_PER_TOKEN);
		return;
	}
	/* A stream that already failed in its content says why, whatever
	 * curl thinks of the connection. */
	if (r->mode == 1 && r->error_event) {
		res->outcome = chat_is_context_error(r->ans.error, r->ans.error_code) ? HO_CONTEXT : HO_RETRY;
		reason(res, cfg, "the server reported an error in the middle of the answer: %s", r->ans.error);
		return;
	}
	if (r->mode == 1 && r->bad_event) {
		res->outcome = HO_FAIL;
		reason(res, cfg, "%s (is [llm] base_url an OpenAI-compatible /v1 endpoint?)",
		       r->ans.error[0] ? r->ans.error : "the answer stream is not what a chat server sends");
		return;
	}
	if (rc != CURLE_OK && !(r->mode == 1 && rc == CURLE_WRITE_ERROR)) {
		if (r->status != 0 && r->status != 200 && r->mode == 2) {
			classify_status(r, res);
			return;
		}
		classify_curl(r, rc, res);
		return;
	}
	if (r->status != 200) {
		if (r->status == 0) {
			res->outcome = HO_RETRY;
			reason(res, cfg, "the server closed the connection without an answer");
			return;
		}
		classify_status(r, res);
		return;
	}
	if (r->mode == 2 || r->mode == 0) {
		/* a whole JSON answer (not streamed, or a server that ignores
		 * "stream") */
		enum chat_event ev = chat_parse_body(&r->ans, r->raw.p ? r->raw.p : "", r->raw.len);
		if (ev == CHAT_EV_BAD) {
			res->outcome = HO_FAIL;
			reason(res, cfg, "%s (is [llm] base_url an OpenAI-compatible /v1 endpoint?)", r->ans.error);
			return;
		}
		if (ev == CHAT_EV_ERROR) {
			res->outcome = chat_is_context_error(r->ans.error, r->ans.error_code) ? HO_CONTEXT : HO_RETRY;
			reason(res, cfg, "the server reported an error: %s", r->ans.error);
			return;
		}
		if (ev == CHAT_EV_TOO_LONG) {
			http_classify(r, rc, res);   /* the too_long case above */
			return;
		}
	} else {
		chat_answer_finish(&r->ans);
		if (!chat_answer_complete(&r->ans)) {
			res->outcome = HO_RETRY;
			reason(res, cfg, "the answer stream ended before the answer was finished "
			       "(no [DONE], no finish_reason: cut off after %zu bytes)", r->ans.content_bytes);
			return;
		}
	}
	if (r->ans.refusal.len && !r->ans.text.out.len) {
		/* OpenAI's refusal: no content, the reason in "refusal" */
		char q[320];
		const struct buf *rf = &r->ans.refusal;
		size_t k = rf->len < sizeof q - 4 ? rf->len : net_utf8_trim(rf->p, sizeof q - 4);
		memcpy(q, rf->p, k);
		q[k] = 0;
		if (k < rf->len)
			strcat(q, "…");
		res->outcome = HO_FAIL;
		reason(res, cfg, "the model refused: \"%s\"", q);
		return;
	}
	const char *fr = r->ans.finish_reason;
	if (!strcmp(fr, "length"))
		res->truncated = 1;
	if (!strcmp(fr, "content_filter")) {
		res->outcome = HO_FAIL;
		reason(res, cfg, "the provider's content filter stopped the answer");
		return;
	}
	if (!strcmp(fr, "error")) {
		res->outcome = HO_RETRY;
		reason(res, cfg, "the server ended the answer with an error");
		return;
	}
	res->outcome = HO_OK;
}
