/* config.c — the LLM client's settings, key scrubbing and request
 * planning (net/llm.h). Reading the settings from files and the
 * environment is tui/'s job (tui/llm_conf.c); this holds the defaults and
 * the rules that use them. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "net/chunk.h"
#include "net/llm.h"
#include "net/plan.h"
#include "net/prompt.h"
#include "net/util.h"

void llm_config_defaults(struct llm_config *c)
{
	memset(c, 0, sizeof *c);
	snprintf(c->prompt, sizeof c->prompt, "default");
	c->context = 8192;
	c->max_output = 4096;
	c->chunk_tokens = 8000;
	c->overlap_tokens = 150;
	c->parallel = 2;
	c->connect_timeout_s = 10;
	c->idle_timeout_s = 120;
	c->retries = 4;
	c->retry_base_s = 1.0;
	c->retry_max_s = 60;
	c->stream = 1;
	c->stream_usage = 1;
	c->max_param = CHAT_MAX_TOKENS;
	c->send_temperature = 0;
	c->temperature = 0.3;
}

void llm_config_free(struct llm_config *c)
{
	for (int i = 0; i < c->nheaders; i++) {
		memset(c->headers[i], 0, strlen(c->headers[i]));
		free(c->headers[i]);
	}
	c->nheaders = 0;
	memset(c->api_key, 0, sizeof c->api_key);
}

/* The first control character of s (C0 but tab when tab_ok, DEL), as
 * its byte value; -1 when there is none. */
static int first_control(const char *s, int tab_ok)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p < 0x20 && !(tab_ok && *p == '\t')) || *p == 0x7f)
			return *p;
	return -1;
}

int llm_config_header(struct llm_config *c, const char *line)
{
	const char *colon = strchr(line, ':');
	if (!colon || colon == line)
		return -1;
	size_t nl = (size_t)(colon - line);
	for (const char *p = line; p < colon; p++)
		if (!isgraph((unsigned char)*p)) {
			if ((unsigned char)*p < 0x20 || *p == 0x7f) {
				snprintf(c->bad_header, sizeof c->bad_header, "the name of [llm] header "
				         "line %d holds a control character (0x%02x)", c->nheaders + 1,
				         (unsigned char)*p);
				return -2;
			}
			return -1;
		}
	int bad = first_control(colon + 1, 1);
	if (bad >= 0) {
		/* a CR LF in a value would start a header of the server's choosing */
		snprintf(c->bad_header, sizeof c->bad_header, "[llm] header '%.*s' holds a control "
		         "character (0x%02x) in its value", (int)(nl < 60 ? nl : 60), line, bad);
		return -2;
	}
	for (int i = 0; i < c->nheaders; i++)
		if (!strncasecmp(c->headers[i], line, nl) && c->headers[i][nl] == ':') {
			free(c->headers[i]);
			c->headers[i] = xstrdup(line);
			return 0;
		}
	if (c->nheaders == LLM_MAX_HEADERS)
		return -1;
	c->headers[c->nheaders++] = xstrdup(line);
	return 0;
}

int llm_config_check(const struct llm_config *c, char *msg, size_t n)
{
	int b;
	if ((b = first_control(c->api_key, 0)) >= 0) {
		snprintf(msg, n, "the API key from %s holds a control character (0x%02x), which would "
		         "add lines to the request's headers: check the key", c->key_source[0] ?
		         c->key_source : "the settings", b);
		return -1;
	}
	if ((b = first_control(c->model, 0)) >= 0) {
		snprintf(msg, n, "the model name holds a control character (0x%02x): check "
		         "PRECIS_MODEL, --model or [llm] model", b);
		return -1;
	}
	if ((b = first_control(c->base_url, 0)) >= 0) {
		snprintf(msg, n, "the LLM endpoint holds a control character (0x%02x): check "
		         "PRECIS_API_BASE, --api-base or [llm] base_url", b);
		return -1;
	}
	if (c->bad_header[0]) {
		snprintf(msg, n, "%s: fix or remove it", c->bad_header);
		return -1;
	}
	for (int i = 0; i < c->nheaders; i++)
		if (first_control(c->headers[i], 1) >= 0) {
			snprintf(msg, n, "[llm] header %d holds a control character: fix or remove it", i + 1);
			return -1;
		}
	return 0;
}

/* Replaces each occurrence of the secret sec (kl bytes, NUL-terminated)
 * in s with "***"; secrets shorter than 4 bytes are left (they would
 * blot out ordinary words). */
static void scrub_one(char *s, const char *sec, size_t kl)
{
	if (kl < 4)
		return;
	char *p = s, *q;
	while ((q = strstr(p, sec)) != NULL) {
		memcpy(q, "***", 3);
		memmove(q + 3, q + kl, strlen(q + kl) + 1);
		p = q + 3;
	}
}

/* The parts of URL u, by pointer: where the authority starts (host: the
 * user-info when there is one), the '@' that ends the user-info (ui_end,
 * NULL when none), the query (q: after '?', up to q_end; NULL when none). */
struct url_parts {
	const char *host, *ui_end, *q, *q_end;
};

static void url_split(const char *u, struct url_parts *p)
{
	const char *s = strstr(u, "://");
	p->host = s ? s + 3 : u;
	size_t auth = strcspn(p->host, "/?#");
	const char *at = NULL;
	for (const char *t = p->host; t < p->host + auth; t++)
		if (*t == '@')
			at = t;   /* the last one: a password may hold '@' */
	p->ui_end = at;
	const char *q = strchr(p->host + auth, '?');
	const char *hash = strchr(p->host + auth, '#');
	if (q && hash && hash < q)
		q = NULL;
	p->q = q ? q + 1 : NULL;
	p->q_end = q ? (hash && hash > q ? hash : q + strlen(q)) : NULL;
}

char *llm_scrub(const struct llm_config *c, char *s)
{
	if (!s)
		return s;
	scrub_one(s, c->api_key, strlen(c->api_key));
	struct url_parts up;
	url_split(c->base_url, &up);
	char sec[512];
	if (up.ui_end) {
		/* the whole user:password, then the password alone */
		size_t k = (size_t)(up.ui_end - up.host);
		if (k < sizeof sec) {
			memcpy(sec, up.host, k);
			sec[k] = 0;
			scrub_one(s, sec, k);
			const char *colon = memchr(up.host, ':', k);
			if (colon) {
				size_t pk = (size_t)(up.ui_end - colon - 1);
				memcpy(sec, colon + 1, pk);
				sec[pk] = 0;
				scrub_one(s, sec, pk);
			}
		}
	}
	for (const char *v = up.q; v && v < up.q_end;) {
		const char *amp = memchr(v, '&', (size_t)(up.q_end - v));
		const char *e = amp ? amp : up.q_end;
		const char *eq = memchr(v, '=', (size_t)(e - v));
		if (eq && (size_t)(e - eq - 1) < sizeof sec) {
			size_t k = (size_t)(e - eq - 1);
			memcpy(sec, eq + 1, k);
			sec[k] = 0;
			scrub_one(s, sec, k);
		}
		v = amp ? amp + 1 : up.q_end;
	}
	return s;
}

const char *llm_redact_url(const char *u, char *buf, size_t n)
{
	struct url_parts up;
	url_split(u, &up);
	struct buf b = { 0 };
	buf_printf(&b, "%.*s", (int)(up.host - u), u);
	const char *rest = up.ui_end ? up.ui_end + 1 : up.host;
	const char *end = up.q ? up.q : rest + strcspn(rest, "#");
	buf_printf(&b, "%.*s", (int)(end - rest), rest);
	for (const char *v = up.q; v && v < up.q_end;) {
		const char *amp = memchr(v, '&', (size_t)(up.q_end - v));
		const char *e = amp ? amp : up.q_end;
		const char *eq = memchr(v, '=', (size_t)(e - v));
		if (eq)
			buf_printf(&b, "%.*s=***%s", (int)(eq - v), v, amp ? "&" : "");
		else
			buf_printf(&b, "%.*s%s", (int)(e - v), v, amp ? "&" : "");
		v = amp ? amp + 1 : up.q_end;
	}
	snprintf(buf, n, "%s", buf_str(&b));
	buf_free(&b);
	return buf;
}

const char *llm_safe_url(const struct llm_config *c, char *buf, size_t n)
{
	return llm_redact_url(c->base_url, buf, n);
}

void plan_budget(const struct llm_config *c, const struct prompt *p, struct plan_budget *b)
{
	memset(b, 0, sizeof *b);
	b->window = c->context * 8 / 10;
	b->out = c->max_output;
	if (b->out > c->context * 4 / 10)
		b->out = c->context * 4 / 10;
	b->notes_out = b->out;
	if (b->notes_out > c->context / 5)
		b->notes_out = c->context / 5;
	if (b->notes_out < 128)
		b->notes_out = 128;
	/* fixed parts of each kind of request */
	struct prompt_vars v = { .part = 99, .parts = 99 };
	char *sys = prompt_render(p, PP_SYSTEM, &v);
	long s = est_tokens(sys, strlen(sys)) + 16;
	free(sys);
	const enum prompt_part kinds[] = { PP_SUMMARY, PP_NOTES, PP_COLLAPSE, PP_REDUCE };
	long *dst[] = { &b->summary_fixed, &b->notes_fixed, &b->collapse_fixed, &b->reduce_fixed };
	for (int i = 0; i < 4; i++) {
		char *t = prompt_render(p, kinds[i], &v);
		*dst[i] = s + est_tokens(t, strlen(t)) + 16;
		free(t);
	}
	b->chunk = b->window - b->notes_fixed - b->notes_out;
	if (b->chunk > c->chunk_tokens)
		b->chunk = c->chunk_tokens;
	b->reduce_room = b->window - b->reduce_fixed - b->out;
	b->collapse_room = b->window - b->collapse_fixed - b->notes_out;
}

int llm_plan_text(const struct llm_config *cfg, const char *text, size_t len,
                  struct llm_plan *plan, char *err, size_t errlen)
{
	memset(plan, 0, sizeof *plan);
	struct prompt p;
	if (prompt_load(cfg->prompts_dir[0] ? cfg->prompts_dir : NULL, cfg->prompt, &p,
	                err, errlen) != 0)
		return -1;
	struct plan_budget b;
	plan_budget(cfg, &p, &b);
	prompt_free(&p);
	plan->transcript_tokens = est_tokens(text, len);
	if (b.chunk < 200 || b.reduce_room < 200) {
		snprintf(err, errlen, "a context of %ld tokens leaves no room for a transcript: raise "
		         "[llm] context or lower max_output", cfg->context);
		return -1;
	}
	if (plan->transcript_tokens + b.summary_fixed + b.out <= b.window) {
		plan->single = 1;
		plan->requests = 1;
		plan->prompt_tokens = plan->transcript_tokens + b.summary_fixed;
		return 0;
	}
	struct chunk *c;
	size_t n = chunk_split(text, len, b.chunk, cfg->overlap_tokens, &c);
	plan->chunks = (int)n;
	plan->chunk_budget = b.chunk;
	long in = 0;
	for (size_t i = 0; i < n; i++)
		in += c[i].tokens + b.notes_fixed;
	free(c);
	/* notes are at most notes_out each; a collapse round when they do
	 * not fit the reduce step (an estimate: the model decides) */
	long notes = (long)n * b.notes_out / 2;
	int req = (int)n;
	while (notes > b.reduce_room && b.collapse_room > b.notes_out) {
		int groups = (int)((notes + b.collapse_room - 1) / b.collapse_room);
		req += groups;
		in += notes + groups * b.collapse_fixed;
		notes = (long)groups * b.notes_out / 2;
		if (groups == 1)
			break;
	}
	plan->requests = req + 1;
	plan->prompt_tokens = in + notes + b.reduce_fixed;
	return 0;
}
