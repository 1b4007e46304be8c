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

int llm_config_header(struct llm_config *c, const char *line)
{
	const char *colon = strchr(line, ':');
	if (!colon || colon == line)
		return -1;
	for (const char *p = line; p < colon; p++)
		if (!isgraph((unsigned char)*p))
			return -1;
	for (const char *p = line; *p; p++)
		if (*p == '\r' || *p == '\n')
			return -1;
	size_t nl = (size_t)(colon - line);
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

char *llm_scrub(const struct llm_config *c, char *s)
{
	size_t kl = strlen(c->api_key);
	if (kl < 4 || !s)
		return s;
	char *p;
	while ((p = strstr(s, c->api_key)) != NULL) {
		memcpy(p, "***", 3);
		memmove(p + 3, p + kl, strlen(p + kl) + 1);
	}
	return s;
}

const char *llm_safe_url(const struct llm_config *c, char *buf, size_t n)
{
	const char *u = c->base_url;
	const char *s = strstr(u, "://");
	const char *h = s ? s + 3 : u;
	const char *at = strchr(h, '@');
	const char *slash = strchr(h, '/');
	if (at && (!slash || at < slash))
		snprintf(buf, n, "%.*s%s", (int)(h - u), u, at + 1);
	else
		snprintf(buf, n, "%s", u);
	return buf;
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
