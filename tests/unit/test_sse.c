/* test_sse.c — the SSE parser and the chat stream reader (net/sse.h,
 * net/chat.h) on recorded streams in the shapes real servers send
 * (tests/fixtures/sse/, written for precis), fed whole, split at every
 * byte position, one byte at a time, and with CRLF and bare-CR line ends. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/chat.h"
#include "net/sse.h"
#include "tests/unit/support.h"

#define FIX "tests/fixtures/sse/"

/* What a stream read to its end gives: compared between feedings. */
struct outcome {
	char text[512];
	char finish[32];
	char error[300];
	long ptok, ctok;
	int done, complete, bad, err_ev, events, comments, pending;
	size_t reasoning;
	char refusal[256];
	int choices;
	size_t nuls;
};

struct run {
	struct chat_answer a;
	int bad, err_ev;
};

static int on_event(void *ctx, const char *event, const char *data, size_t len)
{
	struct run *r = ctx;
	(void)event;
	assert_int_equal(strlen(data), len);
	switch (chat_stream_event(&r->a, data, len)) {
	case CHAT_EV_BAD: r->bad++; break;
	case CHAT_EV_ERROR: r->err_ev++; break;
	default: break;
	}
	return 0;
}

/* Feeds buf in pieces that end at the given cut positions (sorted). */
static void feed(const char *buf, size_t n, const size_t *cuts, size_t ncuts, struct outcome *o)
{
	struct run r = { 0 };
	struct sse p;
	chat_answer_init(&r.a);
	sse_init(&p, on_event, NULL, &r);
	size_t at = 0;
	for (size_t i = 0; i <= ncuts; i++) {
		size_t end = i < ncuts ? cuts[i] : n;
		assert_int_equal(sse_feed(&p, buf + at, end - at), 0);
		at = end;
	}
	chat_answer_finish(&r.a);
	memset(o, 0, sizeof *o);
	snprintf(o->text, sizeof o->text, "%s", buf_str(&r.a.text.out));
	snprintf(o->finish, sizeof o->finish, "%s", r.a.finish_reason);
	snprintf(o->error, sizeof o->error, "%s", r.a.error);
	o->ptok = r.a.prompt_tokens;
	o->ctok = r.a.completion_tokens;
	o->done = r.a.done;
	o->complete = chat_answer_complete(&r.a);
	o->bad = r.bad;
	o->err_ev = r.err_ev;
	o->events = (int)p.events;
	o->comments = (int)p.comments;
	o->pending = sse_pending(&p);
	o->reasoning = r.a.reasoning_bytes;
	snprintf(o->refusal, sizeof o->refusal, "%s", buf_str(&r.a.refusal));
	o->choices = r.a.choices;
	o->nuls = r.a.nul_bytes;
	sse_free(&p);
	chat_answer_free(&r.a);
}

static void assert_same(const struct outcome *a, const struct outcome *b, size_t where)
{
	if (strcmp(a->text, b->text) || strcmp(a->finish, b->finish) || strcmp(a->error, b->error) ||
	    a->ptok != b->ptok || a->ctok != b->ctok || a->done != b->done || a->bad != b->bad ||
	    a->err_ev != b->err_ev || a->events != b->events || a->comments != b->comments ||
	    a->reasoning != b->reasoning || a->pending != b->pending ||
	    strcmp(a->refusal, b->refusal) || a->choices != b->choices || a->nuls != b->nuls)
		fail_msg("split at %zu changed the outcome: '%s' vs '%s'", where, a->text, b->text);
}

/* Replaces every "\n" with eol (CRLF or CR). */
static char *convert_eol(const char *s, size_t n, const char *eol, size_t *outn)
{
	size_t el = strlen(eol);
	char *o = malloc(n * el + 1);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n') {
			memcpy(o + k, eol, el);
			k += el;
		} else {
			o[k++] = s[i];
		}
	}
	o[k] = 0;
	*outn = k;
	return o;
}

/* The SSE layer alone: every event (name and data) and comment, in
 * order, as one string, for comparing feedings cheaply. */
struct trace {
	struct buf b;
};

static int trace_event(void *ctx, const char *event, const char *data, size_t len)
{
	struct trace *t = ctx;
	buf_printf(&t->b, "E[%s]", event);
	buf_put(&t->b, data, len);
	buf_put(&t->b, "\x01", 1);
	return 0;
}

static void trace_comment(void *ctx, const char *text, size_t len)
{
	struct trace *t = ctx;
	buf_puts(&t->b, "C:");
	buf_put(&t->b, text, len);
	buf_put(&t->b, "\x01", 1);
}

/* Feeds buf in two pieces cut at cut (0: whole), or one byte at a time
 * (cut == (size_t)-1); returns the trace (malloc'd). */
static char *trace_feed(const char *buf, size_t n, size_t cut)
{
	struct trace t = { { 0 } };
	struct sse p;
	sse_init(&p, trace_event, trace_comment, &t);
	if (cut == (size_t)-1) {
		for (size_t i = 0; i < n; i++)
			assert_int_equal(sse_feed(&p, buf + i, 1), 0);
	} else {
		assert_int_equal(sse_feed(&p, buf, cut), 0);
		assert_int_equal(sse_feed(&p, buf + cut, n - cut), 0);
	}
	buf_printf(&t.b, "pending=%d", sse_pending(&p));
	sse_free(&p);
	return buf_take(&t.b);
}

/* Reads a recording and checks that every way of feeding it (split at
 * each byte, byte by byte, CRLF and CR line ends) gives the same events,
 * and the same answer; returns the outcome of the whole feed. */
static void check_all_splits(const char *name, struct outcome *whole)
{
	size_t n;
	char path[256];
	snprintf(path, sizeof path, FIX "%s", name);
	char *lf = t_slurp(path, &n);
	char *ref = trace_feed(lf, n, 0);
	const char *eols[] = { "\n", "\r\n", "\r" };
	for (int e = 0; e < 3; e++) {
		size_t len;
		char *buf = convert_eol(lf, n, eols[e], &len);
		struct outcome o;
		feed(buf, len, NULL, 0, e == 0 ? whole : &o);
		if (e > 0)
			assert_same(whole, &o, 0);
		for (size_t cut = 0; cut <= len; cut++) {
			char *tr = trace_feed(buf, len, cut);
			if (strcmp(tr, ref))
				fail_msg("%s: split at byte %zu (eol %d) changed the events", name, cut, e);
			free(tr);
		}
		char *tr = trace_feed(buf, len, (size_t)-1);
		assert_string_equal(tr, ref);
		free(tr);
		free(buf);
	}
	free(ref);
	free(lf);
}

static void test_openai(void **state)
{
	struct outcome o;
	check_all_splits("openai.sse", &o);
	assert_string_equal(o.text, "Title: 算力与野心\n\n**核心主旨 (Core Point)** 马斯克 🚀");
	assert_string_equal(o.finish, "stop");
	assert_int_equal(o.ptok, 1234);
	assert_int_equal(o.ctok, 56);
	assert_true(o.done && o.complete);
	assert_int_equal(o.bad + o.err_ev, 0);
	assert_int_equal(o.events, 7);
	assert_false(o.pending);
}

static void test_deepseek_reasoning_is_not_answer(void **state)
{
	struct outcome o;
	check_all_splits("deepseek.sse", &o);
	assert_string_equal(o.text, "Title: 深度解读\n正文。");
	assert_int_equal(o.reasoning, strlen("嗯，用户要我总结") + strlen("这段访谈。"));
	assert_int_equal(o.comments, 3);
	assert_int_equal(o.ptok, 4021);
	assert_int_equal(o.ctok, 380);
	assert_true(o.complete);
}

static void test_ollama_think_block_split_across_chunks(void **state)
{
	struct outcome o;
	check_all_splits("ollama.sse", &o);
	/* the blank lines after </think> are not part of the answer */
	assert_string_equal(o.text, "Title: Ledgers explained");
	assert_int_equal(o.ptok, 2048);
	assert_true(o.done);
}

static void test_llamacpp_lone_close_tag_drops_what_came_before(void **state)
{
	struct outcome o;
	check_all_splits("llamacpp.sse", &o);
	assert_string_equal(o.text, "Title: Double-entry bookkeeping");
	assert_int_equal(o.ctok, 27);
	assert_string_equal(o.finish, "stop");
}

static void test_openrouter_comments_and_reasoning(void **state)
{
	struct outcome o;
	check_all_splits("openrouter.sse", &o);
	assert_string_equal(o.text, "Title: Über Geld und Zeit");
	assert_int_equal(o.comments, 3);
	assert_int_equal(o.reasoning, strlen("Let me think about this."));
	assert_int_equal(o.ptok, 900);
	/* a later chunk without finish_reason does not erase it */
	assert_string_equal(o.finish, "stop");
}

static void test_midstream_error_with_status_200(void **state)
{
	struct outcome o;
	check_all_splits("openrouter_error.sse", &o);
	assert_int_equal(o.err_ev, 1);
	assert_string_equal(o.error, "Provider disconnected unexpectedly");
	assert_string_equal(o.text, "Title: 一半");
	assert_string_equal(o.finish, "error");
	assert_false(o.done);
}

static void test_multiline_data_and_other_fields(void **state)
{
	struct outcome o;
	check_all_splits("vllm_multiline.sse", &o);
	assert_int_equal(o.bad, 0);
	assert_string_equal(o.text, "多行事件");
	assert_string_equal(o.finish, "length");
}

static void test_stream_cut_is_truncated_not_finished(void **state)
{
	struct outcome o;
	check_all_splits("truncated.sse", &o);
	assert_string_equal(o.text, "Title: 截断的回答");
	assert_false(o.complete);
	assert_true(o.pending);     /* the last event never ended */
	assert_int_equal(o.events, 2);
}

static int count_event(void *ctx, const char *event, const char *data, size_t len)
{
	int *n = ctx;
	(*n)++;
	(void)event; (void)data; (void)len;
	return 0;
}

static void test_parser_edge_rules(void **state)
{
	struct sse p;
	int n = 0;
	/* a BOM, an event without data, a field without a colon, an empty data */
	const char *s = "\xEF\xBB\xBF" "event: ping\n\ndata\n\n:c\ndata:\n\n";
	sse_init(&p, count_event, NULL, &n);
	assert_int_equal(sse_feed(&p, s, strlen(s)), 0);
	assert_int_equal(n, 2);    /* "data" alone and "data:" both give an (empty) event */
	assert_false(sse_pending(&p));
	sse_free(&p);
	/* a BOM-like start that is not one is kept: the field becomes
	 * "\xEF\xBBdata", unknown, and the next event still counts */
	n = 0;
	sse_init(&p, count_event, NULL, &n);
	assert_int_equal(sse_feed(&p, "\xEF\xBB" "data: x\n\ndata: y\n\n", 21), 0);
	assert_int_equal(n, 1);
	sse_free(&p);
}

static void test_error_bodies_and_context_errors(void **state)
{
	char m[300], code[64];
	const char *openai = "{\"error\":{\"message\":\"This model's maximum context length is 8192 tokens. "
	                     "However, your messages resulted in 9000 tokens.\",\"type\":\"invalid_request_error\","
	                     "\"param\":\"messages\",\"code\":\"context_length_exceeded\"}}";
	chat_error_message(openai, strlen(openai), m, sizeof m, code, sizeof code);
	assert_true(t_starts_with(m, "This model's maximum context length is 8192"));
	assert_string_equal(code, "context_length_exceeded");
	assert_true(chat_is_context_error(m, code));
	const char *llama = "{\"error\":{\"code\":400,\"message\":\"the request exceeds the available context size, "
	                    "try increasing it\",\"type\":\"exceed_context_size_error\",\"n_prompt_tokens\":9000,\"n_ctx\":4096}}";
	chat_error_message(llama, strlen(llama), m, sizeof m, code, sizeof code);
	assert_true(chat_is_context_error(m, code));
	const char *ollama = "{\"error\":\"model \\\"llama9\\\" not found, try pulling it first\"}";
	chat_error_message(ollama, strlen(ollama), m, sizeof m, code, sizeof code);
	assert_string_equal(m, "model \"llama9\" not found, try pulling it first");
	assert_false(chat_is_context_error(m, code));
	const char *vllm = "{\"object\":\"error\",\"message\":\"The model `x` does not exist.\",\"type\":\"NotFoundError\",\"code\":404}";
	chat_error_message(vllm, strlen(vllm), m, sizeof m, code, sizeof code);
	assert_string_equal(m, "The model `x` does not exist.");
	const char *html = "\n<html><head><title>502 Bad Gateway</title></head>\n<body>...";
	chat_error_message(html, strlen(html), m, sizeof m, code, sizeof code);
	assert_true(t_starts_with(m, "<html><head><title>502 Bad Gateway"));
	const char *ctl = "{\"error\":{\"message\":\"bad\\u001b[31m\\nthing\\r\"}}";
	chat_error_message(ctl, strlen(ctl), m, sizeof m, NULL, 0);
	assert_null(strchr(m, '\033'));
	assert_null(strchr(m, '\n'));
}

static void test_request_body(void **state)
{
	char err[128];
	struct chat_req r = { .model = "gpt-5-mini", .system = "sys", .user = "用户", .stream = 1,
	                      .stream_usage = 1, .max_tokens = 900, .max_param = CHAT_MAX_COMPLETION_TOKENS };
	char *s = chat_request_json(&r, err, sizeof err);
	assert_non_null(s);
	assert_non_null(strstr(s, "\"max_completion_tokens\":900"));
	assert_null(strstr(s, "\"max_tokens\""));
	assert_null(strstr(s, "temperature"));
	assert_non_null(strstr(s, "\"stream\":true"));
	assert_non_null(strstr(s, "\"include_usage\":true"));
	assert_non_null(strstr(s, "\"role\":\"system\""));
	free(s);
	r.max_param = CHAT_MAX_TOKENS;
	r.send_temperature = 1;
	r.temperature = 0.25;
	r.extra_body = "{\"provider\":{\"sort\":\"throughput\"}}";
	s = chat_request_json(&r, err, sizeof err);
	assert_non_null(strstr(s, "\"max_tokens\":900"));
	assert_non_null(strstr(s, "\"temperature\":0.25"));
	assert_non_null(strstr(s, "\"provider\":{\"sort\":\"throughput\"}"));
	free(s);
	r.extra_body = "[1,2]";
	assert_null(chat_request_json(&r, err, sizeof err));
	assert_non_null(strstr(err, "extra_body"));
}

static void test_plain_answer(void **state)
{
	struct chat_answer a;
	chat_answer_init(&a);
	const char *b = "{\"id\":\"x\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":"
	                "{\"role\":\"assistant\",\"content\":\"<think>hmm</think>答案\",\"reasoning_content\":\"r\"},"
	                "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":3}}";
	assert_int_equal(chat_parse_body(&a, b, strlen(b)), CHAT_EV_OK);
	assert_string_equal(buf_str(&a.text.out), "答案");
	assert_int_equal(a.prompt_tokens, 10);
	chat_answer_free(&a);
	chat_answer_init(&a);
	assert_int_equal(chat_parse_body(&a, "{\"choices\":[", 12), CHAT_EV_BAD);
	assert_non_null(strstr(a.error, "invalid JSON"));
	chat_answer_free(&a);
}

static void test_n3_choices_take_choice_zero(void **state)
{
	struct outcome o;
	check_all_splits("openai_n3.sse", &o);
	/* not {"{"{"citycitycity…: the three choices were interleaved */
	assert_string_equal(o.text, "{\"city\": \"Paris\"}");
	assert_int_equal(o.choices, 3);
	assert_string_equal(o.finish, "stop");
	assert_int_equal(o.ctok, 27);
	assert_true(o.done && o.complete);
}

static void test_choice_zero_by_index_not_position(void **state)
{
	struct outcome o;
	check_all_splits("vllm_n2.sse", &o);
	assert_string_equal(o.text, "第一个回答");
	assert_int_equal(o.choices, 2);
	assert_true(o.complete);
}

static void test_refusal_is_kept(void **state)
{
	struct outcome o;
	check_all_splits("openai_refusal.sse", &o);
	assert_string_equal(o.text, "");
	assert_string_equal(o.refusal, "I'm sorry, but I can't help with that request.");
	assert_true(o.complete);
	assert_int_equal(o.bad + o.err_ev, 0);
}

static void test_nul_in_delta_is_dropped_not_bad(void **state)
{
	struct outcome o;
	check_all_splits("deepseek_chat_nul.sse", &o);
	assert_int_equal(o.bad, 0);
	assert_string_equal(o.error, "");
	assert_string_equal(o.text, "Title: 空字符测试\n\n正文结束。");
	assert_int_equal(o.nuls, 3);
	assert_true(o.complete);
	/* a plain answer too */
	struct chat_answer a;
	chat_answer_init(&a);
	const char *b = "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
	                "\"content\":\"a\\u0000b\"},\"finish_reason\":\"stop\"}]}";
	assert_int_equal(chat_parse_body(&a, b, strlen(b)), CHAT_EV_OK);
	assert_string_equal(buf_str(&a.text.out), "ab");
	chat_answer_free(&a);
}

static void test_leading_blank_lines_dropped(void **state)
{
	struct outcome o;
	check_all_splits("openrouter_leading_blank.sse", &o);
	assert_string_equal(o.text, "Title: Blank lines\n\nBody.");
	assert_int_equal(o.reasoning, strlen("The user wants a title."));
	/* the first line's indentation stays; a blank line inside stays */
	struct think t;
	think_init(&t);
	const char *parts[] = { "<think>x</think>", " \n", "\n  ", " ", "- item\n\n", "next" };
	for (size_t i = 0; i < 6; i++)
		think_feed(&t, parts[i], strlen(parts[i]));
	think_finish(&t);
	assert_string_equal(buf_str(&t.out), "   - item\n\nnext");
	think_free(&t);
}

/* A server that ignores max_tokens: the answer is cut off at the cap,
 * and so is one event that would carry it all. */
static void test_answer_cap(void **state)
{
	assert_int_equal(chat_answer_cap(4096), 4096 * CHAT_CAP_PER_TOKEN);
	assert_int_equal(chat_answer_cap(10), 1024 * CHAT_CAP_PER_TOKEN);
	struct chat_answer a;
	chat_answer_init(&a);
	a.cap = chat_answer_cap(1024);
	const char *ev = "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\""
	                 "0123456789012345678901234567890123456789012345678901234567890123\"}}]}";
	size_t n = 0;
	enum chat_event r = CHAT_EV_OK;
	while (r == CHAT_EV_OK && n < 100000) {
		r = chat_stream_event(&a, ev, strlen(ev));
		n++;
	}
	assert_int_equal(r, CHAT_EV_TOO_LONG);
	assert_true(a.too_long);
	assert_int_equal(n, a.cap / 64 + 1);
	assert_true(a.text.out.len <= a.cap + 64);
	chat_answer_free(&a);
	/* the plain answer too */
	chat_answer_init(&a);
	a.cap = 1024;
	struct buf b = { 0 };
	buf_puts(&b, "{\"choices\":[{\"index\":0,\"message\":{\"content\":\"");
	for (int i = 0; i < 200; i++)
		buf_puts(&b, "0123456789");
	buf_puts(&b, "\"},\"finish_reason\":\"stop\"}]}");
	assert_int_equal(chat_parse_body(&a, b.p, b.len), CHAT_EV_TOO_LONG);
	buf_free(&b);
	chat_answer_free(&a);
}

static void test_request_never_asks_for_several_choices(void **state)
{
	char err[128];
	struct chat_req r = { .model = "m", .user = "u", .stream = 1,
	                      .extra_body = "{\"n\":3,\"top_p\":0.9}" };
	char *s = chat_request_json(&r, err, sizeof err);
	assert_non_null(s);
	assert_null(strstr(s, "\"n\":"));
	assert_non_null(strstr(s, "\"top_p\":0.9"));
	free(s);
	r.extra_body = "{\"n\":1}";
	s = chat_request_json(&r, err, sizeof err);
	assert_non_null(strstr(s, "\"n\":1"));
	free(s);
	/* a plain answer with three choices gives choice 0 */
	struct chat_answer a;
	chat_answer_init(&a);
	const char *b = "{\"choices\":[{\"index\":2,\"message\":{\"content\":\"c\"}},"
	                "{\"index\":0,\"message\":{\"content\":\"a\"},\"finish_reason\":\"stop\"},"
	                "{\"index\":1,\"message\":{\"content\":\"b\"}}]}";
	assert_int_equal(chat_parse_body(&a, b, strlen(b)), CHAT_EV_OK);
	assert_string_equal(buf_str(&a.text.out), "a");
	assert_int_equal(a.choices, 3);
	chat_answer_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_openai),
		cmocka_unit_test(test_deepseek_reasoning_is_not_answer),
		cmocka_unit_test(test_ollama_think_block_split_across_chunks),
		cmocka_unit_test(test_llamacpp_lone_close_tag_drops_what_came_before),
		cmocka_unit_test(test_openrouter_comments_and_reasoning),
		cmocka_unit_test(test_midstream_error_with_status_200),
		cmocka_unit_test(test_multiline_data_and_other_fields),
		cmocka_unit_test(test_stream_cut_is_truncated_not_finished),
		cmocka_unit_test(test_parser_edge_rules),
		cmocka_unit_test(test_error_bodies_and_context_errors),
		cmocka_unit_test(test_request_body),
		cmocka_unit_test(test_plain_answer),
		cmocka_unit_test(test_n3_choices_take_choice_zero),
		cmocka_unit_test(test_choice_zero_by_index_not_position),
		cmocka_unit_test(test_refusal_is_kept),
		cmocka_unit_test(test_nul_in_delta_is_dropped_not_bad),
		cmocka_unit_test(test_leading_blank_lines_dropped),
		cmocka_unit_test(test_answer_cap),
		cmocka_unit_test(test_request_never_asks_for_several_choices),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
