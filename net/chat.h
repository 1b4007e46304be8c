/* chat.h — the OpenAI-compatible Chat Completions protocol, without I/O.
 *
 * Builds request bodies and reads answers: streamed chunks (one SSE event
 * each, see net/sse.h), plain JSON answers, and error bodies. Servers
 * differ in details this module absorbs: reasoning text arrives as
 * `reasoning_content` (DeepSeek, llama.cpp) or `reasoning` (OpenRouter,
 * Ollama) and is never part of the answer; `<think>` blocks in the content
 * are dropped (net/think.h); `delta.content` may be null; usage may come in
 * a last chunk whose `choices` is empty; an `error` object may arrive in
 * the middle of a stream whose HTTP status was 200. Only choice 0 is read
 * (a server asked for n > 1, or one that sends several anyway, interleaves
 * the choices' chunks); `n` is never asked for. A refusal (`refusal`
 * instead of `content`, OpenAI) is kept to be quoted. A NUL (`\u0000`) in
 * the text is dropped, as the importer drops NUL bytes.
 */
#ifndef PRECIS_NET_CHAT_H
#define PRECIS_NET_CHAT_H

#include <stddef.h>

#include "net/think.h"
#include "net/util.h"

/* Which parameter carries the output limit: older servers know only
 * max_tokens; newer OpenAI models accept only max_completion_tokens. */
enum chat_maxtok { CHAT_MAX_TOKENS = 0, CHAT_MAX_COMPLETION_TOKENS, CHAT_MAX_NONE };

struct chat_req {
	const char *model;
	const char *system;        /* NULL: no system message */
	const char *user;
	int stream;
	int stream_usage;          /* ask for the usage chunk (stream_options) */
	long max_tokens;           /* ≤ 0: not sent */
	enum chat_maxtok max_param;
	int send_temperature;      /* 0: the server's default (some models refuse others) */
	double temperature;
	const char *extra_body;    /* a JSON object merged into the body, or NULL */
};

/* The request body (malloc'd JSON). NULL with a reason in err when
 * extra_body is not a JSON object. */
char *chat_request_json(const struct chat_req *r, char *err, size_t errlen);

/* One answer as it arrives. */
struct chat_answer {
	struct think text;         /* the visible answer (text.out) */
	size_t content_bytes;      /* content bytes received, thinking included */
	size_t reasoning_bytes;    /* reasoning_content/reasoning bytes (dropped) */
	size_t cap;                /* content + reasoning bytes allowed (0: no
	                              limit); past it the answer is too long */
	int too_long;              /* the answer passed cap */
	size_t nul_bytes;          /* NUL characters (\u0000) dropped from content */
	struct buf refusal;        /* message.refusal / delta.refusal text, capped */
	int choices;               /* choices seen (1 + the highest index); only
	                              choice 0 is read */
	char finish_reason[32];    /* "" until the server gives one */
	int done;                  /* "data: [DONE]" seen */
	long prompt_tokens;        /* usage as the server reported it; -1 unknown */
	long completion_tokens;
	char error[300];           /* an error object's message ("" when none) */
	char error_code[64];       /* its code or type, when given */
	int events;                /* SSE events read */
	int progress;              /* events that brought new content or reasoning */
};

void chat_answer_init(struct chat_answer *a);
void chat_answer_free(struct chat_answer *a);

enum chat_event {
	CHAT_EV_OK = 0,     /* read; nothing special */
	CHAT_EV_DONE,       /* [DONE] */
	CHAT_EV_ERROR,      /* an error object (message in a->error) */
	CHAT_EV_BAD,        /* not JSON, or not a chunk (message in a->error) */
	CHAT_EV_TOO_LONG,   /* content and reasoning passed a->cap: stop reading */
};
/* Reads the data of one SSE event of a streamed answer. */
enum chat_event chat_stream_event(struct chat_answer *a, const char *data, size_t len);
/* Reads a whole non-streamed answer. Returns CHAT_EV_OK, CHAT_EV_ERROR or
 * CHAT_EV_BAD like chat_stream_event. */
enum chat_event chat_parse_body(struct chat_answer *a, const char *body, size_t len);
/* The stream ended (end of the response body): flushes the text filter. */
void chat_answer_finish(struct chat_answer *a);
/* 1 when a stream ended properly: [DONE] or a finish_reason was seen. */
int chat_answer_complete(const struct chat_answer *a);

/* The bytes an answer asked for max_tokens tokens may take before it is
 * cut off as too long: CHAT_CAP_PER_TOKEN bytes a token (8 times the
 * ~4 bytes of an English or CJK token), for at least 1,024 tokens. A
 * server that ignores max_tokens cannot make precis read (and keep) an
 * answer without end. */
#define CHAT_CAP_PER_TOKEN 32
size_t chat_answer_cap(long max_tokens);

/* The message of an error body ({"error":{"message":…}}, {"error":"…"},
 * {"message":…}, {"detail":…}, or the first line of a non-JSON body),
 * one clean line of at most n-1 bytes, into out; the code or type into
 * code (may be NULL). Returns out. */
char *chat_error_message(const char *body, size_t len, char *out, size_t n,
                         char *code, size_t coden);
/* 1 when an error says the prompt did not fit the model's context. */
int chat_is_context_error(const char *message, const char *code);

#endif
