/* chat.c — Chat Completions requests and answers (net/chat.h). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <jansson.h>

#include "net/chat.h"

char *chat_request_json(const struct chat_req *r, char *err, size_t errlen)
{
	json_t *o = json_object();
	json_object_set_new(o, "model", json_string(r->model ? r->model : ""));
	json_t *msgs = json_array();
	if (r->system) {
		json_t *m = json_object();
		json_object_set_new(m, "role", json_string("system"));
		json_object_set_new(m, "content", json_string(r->system));
		json_array_append_new(msgs, m);
	}
	json_t *m = json_object();
	json_object_set_new(m, "role", json_string("user"));
	json_object_set_new(m, "content", json_string(r->user ? r->user : ""));
	json_array_append_new(msgs, m);
	json_object_set_new(o, "messages", msgs);
	json_object_set_new(o, "stream", json_boolean(r->stream));
	if (r->stream && r->stream_usage) {
		json_t *so = json_object();
		json_object_set_new(so, "include_usage", json_true());
		json_object_set_new(o, "stream_options", so);
	}
	if (r->max_tokens > 0 && r->max_param != CHAT_MAX_NONE)
		json_object_set_new(o, r->max_param == CHAT_MAX_COMPLETION_TOKENS
		                       ? "max_completion_tokens" : "max_tokens",
		                    json_integer(r->max_tokens));
	if (r->send_temperature)
		json_object_set_new(o, "temperature", json_real(r->temperature));
	if (r->extra_body && *r->extra_body) {
		json_error_t je;
		json_t *x = json_loads(r->extra_body, 0, &je);
		if (!x || !json_is_object(x)) {
			snprintf(err, errlen, "extra_body is not a JSON object%s%s",
			         x ? "" : ": ", x ? "" : je.text);
			json_decref(x);
			json_decref(o);
			return NULL;
		}
		json_object_update(o, x);
		json_decref(x);
		/* One answer is read (choice 0): asking for more costs tokens
		 * and, streamed, interleaves their chunks. */
		json_t *nv = json_object_get(o, "n");
		if (nv && !(json_is_integer(nv) && json_integer_value(nv) == 1))
			json_object_del(o, "n");
	}
	char *s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return s;
}

void chat_answer_init(struct chat_answer *a)
{
	memset(a, 0, sizeof *a);
	think_init(&a->text);
	a->prompt_tokens = a->completion_tokens = -1;
}

void chat_answer_free(struct chat_answer *a)
{
	think_free(&a->text);
	buf_free(&a->refusal);
}

size_t chat_answer_cap(long max_tokens)
{
	if (max_tokens < 1024)
		max_tokens = 1024;
	return (size_t)max_tokens * CHAT_CAP_PER_TOKEN;
}

#define REFUSAL_MAX 1024   /* bytes of a refusal kept to quote */

/* Copies a JSON string (or number) value into a small buffer as one clean
 * line: control characters become spaces, the cut never splits UTF-8. */
static void clean_copy(char *out, size_t n, const char *s, size_t len)
{
	if (n == 0)
		return;
	size_t k = 0;
	int space = 0;
	for (size_t i = 0; i < len && k + 1 < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f) {
			if (!space && k > 0)
				out[k++] = ' ';
			space = 1;
			continue;
		}
		out[k++] = (char)c;
		space = c == ' ';
	}
	while (k > 0 && out[k - 1] == ' ')
		k--;
	k = net_utf8_trim(out, k);
	out[k] = 0;
}

/* Stores the message and code of an error value (object or string). */
static void take_error(struct chat_answer *a, json_t *err)
{
	const char *msg = NULL;
	size_t mlen = 0;
	a->error_code[0] = 0;
	if (json_is_string(err)) {
		msg = json_string_value(err);
		mlen = json_string_length(err);
	} else if (json_is_object(err)) {
		json_t *m = json_object_get(err, "message");
		if (json_is_string(m)) {
			msg = json_string_value(m);
			mlen = json_string_length(m);
		}
		const char *keys[] = { "code", "type", "status" };
		for (size_t i = 0; i < 3 && !a->error_code[0]; i++) {
			json_t *c = json_object_get(err, keys[i]);
			if (json_is_string(c))
				clean_copy(a->error_code, sizeof a->error_code, json_string_value(c),
				           json_string_length(c));
			else if (json_is_integer(c))
				snprintf(a->error_code, sizeof a->error_code, "%lld",
				         (long long)json_integer_value(c));
		}
	}
	if (msg && mlen)
		clean_copy(a->error, sizeof a->error, msg, mlen);
	else
		snprintf(a->error, sizeof a->error, "the server reported an error without a message");
}

/* Reads usage counters when present. */
static void take_usage(struct chat_answer *a, json_t *root)
{
	json_t *u = json_object_get(root, "usage");
	if (!json_is_object(u))
		return;
	json_t *p = json_object_get(u, "prompt_tokens");
	json_t *c = json_object_get(u, "completion_tokens");
	if (json_is_integer(p))
		a->prompt_tokens = (long)json_integer_value(p);
	if (json_is_integer(c))
		a->completion_tokens = (long)json_integer_value(c);
}

/* Feeds answer text to the filter without its NUL characters (valid
 * JSON "\u0000"; a C string cannot hold them and the importer drops them
 * too). */
static void feed_text(struct chat_answer *a, const char *s, size_t n)
{
	while (n) {
		const char *z = memchr(s, 0, n);
		size_t k = z ? (size_t)(z - s) : n;
		think_feed(&a->text, s, k);
		if (!z)
			break;
		a->nul_bytes++;
		s += k + 1;
		n -= k + 1;
	}
}

/* Adds the text of a message or delta object: content to the answer,
 * reasoning fields counted and dropped, a refusal kept to be quoted.
 * Returns 1 when it brought text. */
static int take_message(struct chat_answer *a, json_t *msg)
{
	int got = 0;
	if (!json_is_object(msg))
		return 0;
	json_t *c = json_object_get(msg, "content");
	if (json_is_string(c) && json_string_length(c) > 0) {
		feed_text(a, json_string_value(c), json_string_length(c));
		a->content_bytes += json_string_length(c);
		got = 1;
	}
	const char *rkeys[] = { "reasoning_content", "reasoning" };
	for (size_t i = 0; i < 2; i++) {
		json_t *r = json_object_get(msg, rkeys[i]);
		if (json_is_string(r) && json_string_length(r) > 0) {
			a->reasoning_bytes += json_string_length(r);
			got = 1;
		}
	}
	json_t *rf = json_object_get(msg, "refusal");
	if (json_is_string(rf) && json_string_length(rf) > 0) {
		size_t k = json_string_length(rf);
		if (a->refusal.len < REFUSAL_MAX)
			buf_put(&a->refusal, json_string_value(rf),
			        k < REFUSAL_MAX - a->refusal.len ? k : REFUSAL_MAX - a->refusal.len);
		a->content_bytes += k;
		got = 1;
	}
	return got;
}

/* Reads the choices array of a chunk or answer: only choice 0 counts. A
 * chunk of a stream with several choices (n > 1) carries one or more of
 * them, each with its "index"; a choice without an index is choice 0. */
static int take_choices(struct chat_answer *a, json_t *root, const char *field)
{
	json_t *ch = json_object_get(root, "choices");
	if (!json_is_array(ch) || json_array_size(ch) == 0)
		return 0;
	json_t *c0 = NULL;
	for (size_t i = 0; i < json_array_size(ch); i++) {
		json_t *c = json_array_get(ch, i);
		if (!json_is_object(c))
			continue;
		json_t *ix = json_object_get(c, "index");
		json_int_t k = json_is_integer(ix) ? json_integer_value(ix) : 0;
		if (k >= 0 && k < 1000 && (int)k + 1 > a->choices)
			a->choices = (int)k + 1;
		if (k == 0 && !c0)
			c0 = c;
	}
	if (!c0)
		return 0;
	int got = take_message(a, json_object_get(c0, field));
	json_t *fr = json_object_get(c0, "finish_reason");
	if (json_is_string(fr) && json_string_length(fr) > 0)
		clean_copy(a->finish_reason, sizeof a->finish_reason, json_string_value(fr),
		           json_string_length(fr));
	return got;
}

/* An error in an otherwise normal object: {"error": …} (OpenAI, OpenRouter
 * mid-stream), {"object": "error", "message": …} (vLLM). */
static int find_error(struct chat_answer *a, json_t *root)
{
	json_t *e = json_object_get(root, "error");
	if (e && !json_is_null(e)) {
		take_error(a, e);
		return 1;
	}
	json_t *obj = json_object_get(root, "object");
	if (json_is_string(obj) && !strcmp(json_string_value(obj), "error")) {
		take_error(a, root);
		return 1;
	}
	return 0;
}

enum chat_event chat_stream_event(struct chat_answer *a, const char *data, size_t len)
{
	a->events++;
	size_t i = 0;
	while (i < len && isspace((unsigned char)data[i]))
		i++;
	if (len - i >= 6 && !memcmp(data + i, "[DONE]", 6)) {
		a->done = 1;
		return CHAT_EV_DONE;
	}
	json_error_t je;
	json_t *root = json_loadb(data, len, JSON_ALLOW_NUL, &je);
	if (!json_is_object(root)) {
		snprintf(a->error, sizeof a->error, "invalid JSON in the answer stream: %s", je.text);
		if (root)
			snprintf(a->error, sizeof a->error, "the answer stream held JSON that is not a chunk");
		json_decref(root);
		return CHAT_EV_BAD;
	}
	/* An error chunk may still carry choices with finish_reason "error". */
	if (find_error(a, root)) {
		take_choices(a, root, "delta");
		json_decref(root);
		return CHAT_EV_ERROR;
	}
	if (take_choices(a, root, "delta"))
		a->progress++;
	take_usage(a, root);
	json_decref(root);
	if (a->cap && a->content_bytes + a->reasoning_bytes > a->cap) {
		a->too_long = 1;
		return CHAT_EV_TOO_LONG;
	}
	return CHAT_EV_OK;
}

enum chat_event chat_parse_body(struct chat_answer *a, const char *body, size_t len)
{
	json_error_t je;
	json_t *root = json_loadb(body, len, JSON_ALLOW_NUL, &je);
	if (!json_is_object(root)) {
		snprintf(a->error, sizeof a->error, "invalid JSON in the answer: %s", je.text);
		json_decref(root);
		return CHAT_EV_BAD;
	}
	if (find_error(a, root)) {
		json_decref(root);
		return CHAT_EV_ERROR;
	}
	json_t *ch = json_object_get(root, "choices");
	if (!json_is_array(ch)) {
		snprintf(a->error, sizeof a->error, "the answer has no choices");
		json_decref(root);
		return CHAT_EV_BAD;
	}
	if (take_choices(a, root, "message"))
		a->progress++;
	take_usage(a, root);
	json_decref(root);
	think_finish(&a->text);
	if (a->cap && a->content_bytes + a->reasoning_bytes > a->cap) {
		a->too_long = 1;
		return CHAT_EV_TOO_LONG;
	}
	return CHAT_EV_OK;
}

void chat_answer_finish(struct chat_answer *a)
{
	think_finish(&a->text);
}

int chat_answer_complete(const struct chat_answer *a)
{
	return a->done || a->finish_reason[0];
}

char *chat_error_message(const char *body, size_t len, char *out, size_t n,
                         char *code, size_t coden)
{
	struct chat_answer a;
	chat_answer_init(&a);
	if (code && coden)
		code[0] = 0;
	out[0] = 0;
	json_t *root = body && len ? json_loadb(body, len, JSON_ALLOW_NUL, NULL) : NULL;
	if (json_is_object(root)) {
		if (find_error(&a, root)) {
			snprintf(out, n, "%s", a.error);
			if (code)
				snprintf(code, coden, "%s", a.error_code);
		} else {
			const char *keys[] = { "message", "detail", "msg" };
			for (size_t i = 0; i < 3 && !out[0]; i++) {
				json_t *v = json_object_get(root, keys[i]);
				if (json_is_string(v))
					clean_copy(out, n, json_string_value(v), json_string_length(v));
			}
		}
	}
	json_decref(root);
	chat_answer_free(&a);
	if (!out[0] && body && len) {
		/* Not JSON (an HTML error page of a proxy, plain text): its
		 * first non-blank line, tags and all, as a hint. */
		size_t i = 0;
		while (i < len && isspace((unsigned char)body[i]))
			i++;
		size_t e = i;
		while (e < len && body[e] != '\n' && body[e] != '\r')
			e++;
		clean_copy(out, n < 160 ? n : 160, body + i, e - i);
	}
	return out;
}

int chat_is_context_error(const char *message, const char *code)
{
	static const char *const pats[] = {
		"context length", "context_length", "context window", "maximum context",
		"context size", "exceed_context", "too many tokens", "prompt is too long",
		"input is too long", "reduce the length", "tokens exceeds",
		"too long for", NULL,
	};
	for (int i = 0; pats[i]; i++)
		if ((message && strcasestr(message, pats[i])) || (code && strcasestr(code, pats[i])))
			return 1;
	return 0;
}
