/* engine.c — runs summary jobs: plan, map (notes per chunk), collapse,
 * reduce, check, repair, store (net/llm.h).
 *
 * One curl multi handle carries every request of every active job; at most
 * cfg.parallel are in flight, the oldest job's first. A request that fails
 * in a way worth retrying waits (Retry-After, else exponential backoff)
 * and goes again; one whose prompt did not fit makes the job fall back to
 * smaller pieces, once. Notes of finished chunks are stored with the job
 * as they arrive, so a job resumed after a crash asks only for the rest.
 * Only the final answer's text is reported as it streams. */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "net/curl_dl.h"

#include "net/answer.h"
#include "net/chunk.h"
#include "net/http.h"
#include "net/llm.h"
#include "net/plan.h"
#include "net/prompt.h"
#include "net/util.h"

#define BEAT_MS 5000          /* heartbeat of a running job */
#define MAX_ROUNDS 4          /* collapse rounds before giving up */

enum kind { K_SINGLE, K_NOTES, K_COLLAPSE, K_REDUCE, K_REPAIR };

struct job;

struct req {
	struct job *job;
	enum kind kind;
	size_t item;              /* chunk or group index */
	char *body;               /* request JSON */
	char key[48];             /* notes cache key ("" for final answers) */
	long est_in;
	long max_tokens;          /* the answer's limit asked for */
	int attempt;              /* tries started */
	int64_t not_before_ms;
	int in_flight;
	struct http_req h;
	size_t seen_len;          /* text reported so far */
	int seen_resets;
	int text_started;         /* a TEXT event was sent for this try */
	char last_error[400];
};

struct job {
	int64_t id, tid;
	struct prompt prompt;
	struct plan_budget b;
	char *text;
	size_t len;
	char title_hint[320];
	char lang_hint[48];
	/* rounds of notes: round 0 is the map over chunks, later ones collapse */
	int round;
	char **notes;
	size_t nitems, items_done;
	char **prev;              /* outputs of the previous round (collapse input) */
	size_t nprev;
	size_t nchunks;
	int rechunked, shrunk;
	long chunk_budget;
	/* the final answer */
	char *first_answer;       /* visible text of the summary before repair */
	int first_truncated;
	int final_started;
	long tokens_in, tokens_out;
	int requests;
	int64_t t0, last_beat;
	int64_t last_claim;       /* when its claim of the transcript was renewed */
	char stage[160];
	char warn_extra[300];
	int done;                 /* finished: to be removed */
};

struct llm_engine {
	struct llm_config cfg;
	struct archive *a;
	CURLM *multi;
	llm_event_fn fn;
	void *ctx;
	struct job **jobs;
	size_t njobs, jobcap;
	struct req **reqs;        /* pending and in flight, oldest first */
	size_t nreqs, reqcap;
	int inflight;
	pthread_mutex_t mu;       /* guards the requests below (other threads) */
	int64_t *cancels;
	size_t ncancel, cancelcap;
	int interrupt;
};

/* ---- events ------------------------------------------------------------ */

static void emit(struct llm_engine *e, struct job *j, enum llm_event ev, enum ar_job_state st,
                 const char *text, size_t tlen, int reset, const char *error,
                 const char *warning, int64_t sid)
{
	if (!e->fn)
		return;
	struct llm_status s = {
		.job_id = j->id, .transcript_id = j->tid, .state = st, .stage = j->stage,
		.chunks_done = (int)(j->round == 0 ? j->items_done : j->nchunks),
		.chunks_total = (int)(j->nchunks ? j->nchunks : 1),
		.tokens_in = j->tokens_in, .tokens_out = j->tokens_out,
		.elapsed_ms = net_now_ms() - j->t0, .text = text, .text_len = tlen,
		.text_reset = reset, .error = error, .warning = warning, .summary_id = sid,
		.requests = j->requests,
	};
	if (j->nchunks == 0 && j->final_started == 0)
		s.chunks_done = 0;
	if (j->nchunks == 0 && st == AR_JOB_DONE)
		s.chunks_done = 1;
	e->fn(e->ctx, ev, &s);
}

/* Records the stage in the archive and tells the caller. */
static void progress(struct llm_engine *e, struct job *j, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void progress(struct llm_engine *e, struct job *j, const char *fmt, ...)
{
	if (fmt) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(j->stage, sizeof j->stage, fmt, ap);
		va_end(ap);
		llm_scrub(&e->cfg, j->stage);
	}
	struct ar_job_progress p = {
		.stage = j->stage,
		.chunks_done = (int)(j->round == 0 && !j->final_started ? j->items_done : j->nchunks),
		.chunks_total = (int)(j->nchunks ? j->nchunks : 1),
		.tokens_in = j->tokens_in, .tokens_out = j->tokens_out,
	};
	if (j->nchunks == 0)
		p.chunks_done = 0;
	ar_job_progress(e->a, j->id, &p);
	j->last_beat = net_now_ms();
	emit(e, j, LLM_EV_PROGRESS, AR_JOB_RUNNING, NULL, 0, 0, NULL, NULL, 0);
}

/* ---- requests ---------------------------------------------------------- */

static void req_free(struct req *r)
{
	if (r->in_flight)
		http_req_free(&r->h);
	free(r->body);
	free(r);
}

/* Stops and forgets every request of job j. */
static void drop_requests(struct llm_engine *e, struct job *j)
{
	size_t k = 0;
	for (size_t i = 0; i < e->nreqs; i++) {
		struct req *r = e->reqs[i];
		if (r->job != j) {
			e->reqs[k++] = r;
			continue;
		}
		if (r->in_flight) {
			curl_multi_remove_handle(e->multi, r->h.easy);
			e->inflight--;
		}
		req_free(r);
	}
	e->nreqs = k;
}

/* 64-bit FNV-1a of the parts, as hex: the key of stored notes. */
static void note_key(char *out, size_t n, const char *kind, const struct job *j,
                     const char *model, const char *text, size_t len)
{
	uint64_t h = 1469598103934665603ULL;
	const char *parts[] = { kind, model, j->prompt.fingerprint };
	for (int i = 0; i < 3; i++) {
		for (const char *s = parts[i]; *s; s++) {
			h ^= (unsigned char)*s;
			h *= 1099511628211ULL;
		}
		h ^= 0xff;
		h *= 1099511628211ULL;
	}
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)text[i];
		h *= 1099511628211ULL;
	}
	snprintf(out, n, "%s:%016llx", kind, (unsigned long long)h);
}

/* Queues a request with user message user (rendered). */
static void submit(struct llm_engine *e, struct job *j, enum kind k, size_t item,
                   const char *user, const char *key, long max_tokens)
{
	struct prompt_vars v = { .title_hint = j->title_hint, .language_hint = j->lang_hint };
	char *sys = prompt_render(&j->prompt, PP_SYSTEM, &v);
	struct chat_req cr = {
		.model = e->cfg.model, .system = sys[0] ? sys : NULL, .user = user,
		.stream = e->cfg.stream, .stream_usage = e->cfg.stream_usage,
		.max_tokens = max_tokens, .max_param = e->cfg.max_param,
		.send_temperature = e->cfg.send_temperature, .temperature = e->cfg.temperature,
		.extra_body = e->cfg.extra_body[0] ? e->cfg.extra_body : NULL,
	};
	char err[200];
	struct req *r = xcalloc(1, sizeof *r);
	r->job = j;
	r->kind = k;
	r->item = item;
	r->body = chat_request_json(&cr, err, sizeof err);   /* extra_body was checked */
	r->est_in = est_tokens(user, strlen(user)) + est_tokens(sys, strlen(sys)) + 8;
	r->max_tokens = max_tokens;
	snprintf(r->key, sizeof r->key, "%s", key ? key : "");
	free(sys);
	xgrow(&e->reqs, &e->reqcap, e->nreqs + 1, sizeof *e->reqs);
	e->reqs[e->nreqs++] = r;
}

/* Starts the requests that may go now. */
static void start_ready(struct llm_engine *e)
{
	int64_t now = net_now_ms();
	int limit = e->cfg.parallel > 0 ? e->cfg.parallel : 1;
	for (size_t i = 0; i < e->nreqs && e->inflight < limit; i++) {
		struct req *r = e->reqs[i];
		if (r->in_flight || r->not_before_ms > now)
			continue;
		char err[200];
		if (http_req_init(&r->h, &e->cfg, "/chat/completions", r->body, e->cfg.stream,
		                  err, sizeof err) != 0) {
			snprintf(r->last_error, sizeof r->last_error, "%s", err);
			r->not_before_ms = now + 1000;
			continue;
		}
		/* an answer far past its limit is cut off, not read forever */
		r->h.ans.cap = chat_answer_cap(r->max_tokens);
		r->in_flight = 1;
		r->attempt++;
		r->seen_len = 0;
		r->seen_resets = 0;
		r->text_started = 0;
		r->job->requests++;
		curl_multi_add_handle(e->multi, r->h.easy);
		e->inflight++;
	}
}

/* ---- jobs ---------------------------------------------------------------- */

static void job_free(struct job *j)
{
	prompt_free(&j->prompt);
	free(j->text);
	for (size_t i = 0; i < j->nitems; i++)
		free(j->notes[i]);
	free(j->notes);
	for (size_t i = 0; i < j->nprev; i++)
		free(j->prev[i]);
	free(j->prev);
	free(j->first_answer);
	free(j);
}

/* Ends job j as failed: partial text (may be NULL) is kept as a failed
 * version, the current summary is untouched. */
static void job_fail(struct llm_engine *e, struct job *j, const char *reason, const char *partial)
{
	char why[400];
	snprintf(why, sizeof why, "%s", reason);
	llm_scrub(&e->cfg, why);
	drop_requests(e, j);
	if (partial && *partial) {
		struct ar_summary_new s = {
			.body = partial, .origin = AR_ORIGIN_LLM, .model = e->cfg.model,
			.prompt_name = j->prompt.name, .failed = 1, .tokens_in = j->tokens_in,
			.tokens_out = j->tokens_out, .duration_ms = (long)(net_now_ms() - j->t0),
			.warning = why, .job_id = j->id,
		};
		ar_add_summary(e->a, j->tid, &s, NULL);
	}
	ar_job_finish(e->a, j->id, AR_JOB_FAILED, why, 0);
	j->done = 1;
	emit(e, j, LLM_EV_FINISHED, AR_JOB_FAILED, NULL, 0, 0, why, NULL, 0);
}

/* Stores a checked answer as the new current version and ends the job. */
static void job_store(struct llm_engine *e, struct job *j, const struct answer *a, const char *warning)
{
	drop_requests(e, j);
	int64_t sid = 0;
	struct ar_summary_new s = {
		.body = a->body, .mermaid = a->mermaid, .origin = AR_ORIGIN_LLM,
		.model = e->cfg.model, .prompt_name = j->prompt.name, .title = a->title,
		.tokens_in = j->tokens_in, .tokens_out = j->tokens_out,
		.duration_ms = (long)(net_now_ms() - j->t0),
		.warning = warning && *warning ? warning : NULL, .job_id = j->id,
	};
	int r = ar_begin(e->a);
	if (r == 0)
		r = ar_add_summary(e->a, j->tid, &s, &sid) == 0 ? 0 : -1;
	if (r == 0)
		r = ar_job_finish(e->a, j->id, AR_JOB_DONE, NULL, sid);
	if (r == 0)
		r = ar_commit(e->a);
	else
		ar_rollback(e->a);
	if (r != 0) {
		char why[400];
		snprintf(why, sizeof why, "could not store the summary: %s", ar_error(e->a));
		ar_job_finish(e->a, j->id, AR_JOB_FAILED, why, 0);
		j->done = 1;
		emit(e, j, LLM_EV_FINISHED, AR_JOB_FAILED, NULL, 0, 0, why, NULL, 0);
		return;
	}
	j->done = 1;
	snprintf(j->stage, sizeof j->stage, "done");
	emit(e, j, LLM_EV_FINISHED, AR_JOB_DONE, a->body, strlen(a->body), 1, NULL,
	     warning && *warning ? warning : NULL, sid);
}

/* Joins the notes of the current round, items [from, to), with headings. */
static char *join_notes(struct job *j, size_t from, size_t to)
{
	struct buf b = { 0 };
	for (size_t i = from; i < to; i++) {
		buf_printf(&b, "%s### Part %zu of %zu\n\n", b.len ? "\n\n" : "", i + 1, j->nitems);
		buf_puts(&b, j->notes[i] ? j->notes[i] : "");
	}
	return buf_take(&b);
}

static void start_round(struct llm_engine *e, struct job *j);

/* Sends the final summary request from the notes (or a collapse round
 * first when they do not fit). */
static void after_round(struct llm_engine *e, struct job *j)
{
	long total = 0;
	for (size_t i = 0; i < j->nitems; i++)
		total += est_tokens(j->notes[i], strlen(j->notes[i])) + 8;
	if (total <= j->b.reduce_room) {
		char *notes = join_notes(j, 0, j->nitems);
		struct prompt_vars v = { .notes = notes, .title_hint = j->title_hint,
		                         .language_hint = j->lang_hint };
		char *user = prompt_render(&j->prompt, PP_REDUCE, &v);
		j->final_started = 1;
		submit(e, j, K_REDUCE, 0, user, NULL, j->b.out);
		free(user);
		free(notes);
		progress(e, j, "summary from the notes of %zu parts", j->nchunks);
		return;
	}
	if (j->round >= MAX_ROUNDS) {
		job_fail(e, j, "the notes do not fit the context even after collapsing them: raise "
		         "[llm] context (if the model allows) or lower max_output", NULL);
		return;
	}
	/* group consecutive notes into collapse requests */
	size_t ngroups = 0;
	size_t *starts = xmalloc((j->nitems + 1) * sizeof *starts);
	long acc = 0;
	for (size_t i = 0; i < j->nitems; i++) {
		long t = est_tokens(j->notes[i], strlen(j->notes[i])) + 8;
		if (i == 0 || acc + t > j->b.collapse_room) {
			starts[ngroups++] = i;
			acc = 0;
		}
		acc += t;
	}
	starts[ngroups] = j->nitems;
	if (ngroups >= j->nitems && j->nitems > 1 && j->round > 0) {
		free(starts);
		job_fail(e, j, "the notes do not get shorter when collapsed: raise [llm] context or "
		         "lower max_output", NULL);
		return;
	}
	char **groups = xmalloc(ngroups * sizeof *groups);
	for (size_t g = 0; g < ngroups; g++)
		groups[g] = join_notes(j, starts[g], starts[g + 1]);
	free(starts);
	/* this round's outputs are kept: a collapse that does not fit is
	 * grouped again from them */
	for (size_t i = 0; i < j->nprev; i++)
		free(j->prev[i]);
	free(j->prev);
	j->prev = j->notes;
	j->nprev = j->nitems;
	j->notes = groups;   /* the next round's inputs, replaced by its outputs */
	j->nitems = ngroups;
	j->round++;
	start_round(e, j);
}

/* Sends (or takes from the stored notes) the requests of the current
 * round: j->notes holds its inputs (chunks are read from the text in
 * round 0). */
static void start_round(struct llm_engine *e, struct job *j)
{
	j->items_done = 0;
	char **inputs = j->notes;
	j->notes = xcalloc(j->nitems ? j->nitems : 1, sizeof *j->notes);
	for (size_t i = 0; i < j->nitems; i++) {
		char *in = inputs ? inputs[i] : NULL;
		char key[48];
		note_key(key, sizeof key, j->round == 0 ? "notes" : "collapse", j, e->cfg.model,
		         in ? in : "", in ? strlen(in) : 0);
		char *cached = NULL;
		long ti = -1, to = -1;
		if (ar_job_note_get(e->a, j->id, key, &cached, &ti, &to) == 0) {
			j->notes[i] = cached;
			j->items_done++;
			continue;
		}
		struct prompt_vars v = { .title_hint = j->title_hint, .language_hint = j->lang_hint,
		                         .part = (int)i + 1, .parts = (int)j->nitems };
		char *user;
		if (j->round == 0) {
			v.chunk = in;
			user = prompt_render(&j->prompt, PP_NOTES, &v);
		} else {
			v.notes = in;
			user = prompt_render(&j->prompt, PP_COLLAPSE, &v);
		}
		submit(e, j, j->round == 0 ? K_NOTES : K_COLLAPSE, i, user, key, j->b.notes_out);
		free(user);
	}
	if (inputs) {
		for (size_t i = 0; i < j->nitems; i++)
			free(inputs[i]);
		free(inputs);
	}
	if (j->round == 0)
		progress(e, j, "notes %zu/%zu", j->items_done, j->nitems);
	else
		progress(e, j, "collapsing notes (round %d: %zu/%zu)", j->round, j->items_done, j->nitems);
	if (j->items_done == j->nitems)
		after_round(e, j);
}

/* Cuts the transcript into pieces of budget tokens and starts the map. */
static void start_map(struct llm_engine *e, struct job *j, long budget)
{
	drop_requests(e, j);
	for (size_t i = 0; i < j->nitems; i++)
		free(j->notes[i]);
	free(j->notes);
	j->notes = NULL;
	j->round = 0;
	j->final_started = 0;
	j->chunk_budget = budget;
	struct chunk *c;
	size_t n = chunk_split(j->text, j->len, budget, e->cfg.overlap_tokens, &c);
	j->nchunks = j->nitems = n;
	char **inputs = xmalloc((n ? n : 1) * sizeof *inputs);
	for (size_t i = 0; i < n; i++)
		inputs[i] = xstrndup(j->text + c[i].off, c[i].len);
	free(c);
	j->notes = inputs;
	start_round(e, j);
}

/* The checks of a final answer: repair once, then store or fail. */
static void final_answer(struct llm_engine *e, struct job *j, struct req *r, const char *text,
                         int truncated)
{
	struct answer a;
	answer_check(text, &j->prompt.check, &a);
	if (truncated && !a.fatal && a.nproblems == 0) {
		/* complete in form though cut: keep it, say so */
		snprintf(j->warn_extra, sizeof j->warn_extra,
		         "the answer reached max_output (%ld tokens)", j->b.out);
	}
	if (r->kind != K_REPAIR && a.nproblems > 0) {
		j->first_answer = xstrdup(text);
		j->first_truncated = truncated;
		if (truncated)
			buf_printf(&a.problems, "- the answer was cut off: be more concise\n");
		struct prompt_vars v = { .answer = text, .problems = buf_str(&a.problems),
		                         .title_hint = j->title_hint, .language_hint = j->lang_hint };
		char *user = prompt_render(&j->prompt, PP_REPAIR, &v);
		submit(e, j, K_REPAIR, 0, user, NULL, j->b.out);
		free(user);
		progress(e, j, "repair (%d problem%s)", a.nproblems, a.nproblems == 1 ? "" : "s");
		answer_free(&a);
		return;
	}
	if (r->kind == K_REPAIR && j->first_answer) {
		/* keep the better of the two: the repair unless it is worse */
		struct answer f;
		answer_check(j->first_answer, &j->prompt.check, &f);
		if ((a.fatal && !f.fatal) || (a.fatal == f.fatal && a.nproblems > f.nproblems)) {
			answer_free(&a);
			a = f;
			truncated = j->first_truncated;
		} else {
			answer_free(&f);
		}
	}
	if (a.fatal) {
		char why[400];
		snprintf(why, sizeof why, "%s%s", a.reason,
		         truncated ? " (the answer was cut off at max_output: raise [llm] max_output)" : "");
		job_fail(e, j, why, text);
		answer_free(&a);
		return;
	}
	char warning[640];
	snprintf(warning, sizeof warning, "%s%s%s%s%s", a.warning,
	         a.warning[0] && j->warn_extra[0] ? "; " : "", j->warn_extra,
	         (a.warning[0] || j->warn_extra[0]) && !a.title && j->prompt.check.title ? "; " : "",
	         !a.title && j->prompt.check.title ? "no title line" : "");
	job_store(e, j, &a, warning);
	answer_free(&a);
}

/* Usage of a finished request, from the server or estimated. */
static void count_usage(struct job *j, struct req *r)
{
	long in = r->h.ans.prompt_tokens >= 0 ? r->h.ans.prompt_tokens : r->est_in;
	long out = r->h.ans.completion_tokens;
	if (out < 0) {
		const struct buf *t = &r->h.ans.text.out;
		out = est_tokens(t->p ? t->p : "", t->len) + (long)(r->h.ans.reasoning_bytes / 3);
	}
	j->tokens_in += in;
	j->tokens_out += out;
	/* A server that counts far fewer prompt tokens than we sent may have
	 * cut the prompt without a word (Ollama's /v1 past its num_ctx). */
	if (r->h.ans.prompt_tokens > 0 && r->est_in > 1024 &&
	    r->h.ans.prompt_tokens * 10 < r->est_in * 3 && !j->warn_extra[0])
		snprintf(j->warn_extra, sizeof j->warn_extra,
		         "the server counted %ld prompt tokens where about %ld were sent: it may have "
		         "cut the transcript (Ollama: raise num_ctx)", r->h.ans.prompt_tokens, r->est_in);
}

/* A request ended (its transfer is over and removed from the multi). */
static void req_done(struct llm_engine *e, struct req *r, CURLcode rc)
{
	struct job *j = r->job;
	struct http_result res;
	http_classify(&r->h, rc, &res);
	const struct buf *tb = &r->h.ans.text.out;
	char *text = xstrndup(tb->p ? tb->p : "", tb->len);
	long ptok = r->h.ans.prompt_tokens, ctok = r->h.ans.completion_tokens;
	if (res.outcome == HO_OK)
		count_usage(j, r);
	/* the transfer is over (the caller took it out of the multi handle):
	 * from here on r is a request that waits or ends, never in flight */
	http_req_free(&r->h);
	r->in_flight = 0;
	if (res.outcome == HO_OK && r->kind != K_SINGLE && r->kind != K_REDUCE && r->kind != K_REPAIR) {
		/* notes */
		if (res.truncated && r->kind == K_NOTES && !j->rechunked) {
			free(text);
			j->rechunked = 1;
			start_map(e, j, j->chunk_budget / 2 > 100 ? j->chunk_budget / 2 : 100);
			return;
		}
		const char *t = text;
		while (*t == ' ' || *t == '\n' || *t == '\t' || *t == '\r')
			t++;
		if (!*t) {
			res.outcome = HO_RETRY;
			snprintf(res.reason, sizeof res.reason, "the model returned empty notes");
		} else {
			ar_job_note_put(e->a, j->id, r->key, t, ptok, ctok);
			free(j->notes[r->item]);
			j->notes[r->item] = xstrdup(t);
			j->items_done++;
			size_t done_items = j->items_done, n = j->nitems;
			int round = j->round;
			/* the request is finished: forget it before moving on */
			for (size_t i = 0; i < e->nreqs; i++)
				if (e->reqs[i] == r) {
					memmove(e->reqs + i, e->reqs + i + 1, (e->nreqs - i - 1) * sizeof *e->reqs);
					e->nreqs--;
					break;
				}
			req_free(r);
			free(text);
			if (round == 0)
				progress(e, j, "notes %zu/%zu", done_items, n);
			else
				progress(e, j, "collapsing notes (round %d: %zu/%zu)", round, done_items, n);
			if (done_items == n)
				after_round(e, j);
			return;
		}
	}
	if (res.outcome == HO_OK) {
		/* detach the request before the job may end */
		for (size_t i = 0; i < e->nreqs; i++)
			if (e->reqs[i] == r) {
				memmove(e->reqs + i, e->reqs + i + 1, (e->nreqs - i - 1) * sizeof *e->reqs);
				e->nreqs--;
				break;
			}
		final_answer(e, j, r, text, res.truncated);
		req_free(r);
		free(text);
		return;
	}
	if (res.outcome == HO_CONTEXT) {
		if (r->kind == K_SINGLE && !j->rechunked) {
			free(text);
			j->rechunked = 1;
			long half = est_tokens(j->text, j->len) / 2;
			start_map(e, j, half < j->b.chunk ? half : j->b.chunk);
			return;
		}
		if (r->kind == K_NOTES && !j->rechunked) {
			free(text);
			j->rechunked = 1;
			start_map(e, j, j->chunk_budget / 2 > 100 ? j->chunk_budget / 2 : 100);
			return;
		}
		if ((r->kind == K_REDUCE || r->kind == K_COLLAPSE) && !j->shrunk) {
			enum kind k = r->kind;
			free(text);
			j->shrunk = 1;
			j->b.reduce_room /= 2;
			j->b.collapse_room /= 2;
			drop_requests(e, j);   /* frees r */
			if (k == K_COLLAPSE && j->prev) {
				/* group the previous round's notes again, smaller */
				for (size_t i = 0; i < j->nitems; i++)
					free(j->notes[i]);
				free(j->notes);
				j->notes = j->prev;
				j->nitems = j->nprev;
				j->prev = NULL;
				j->nprev = 0;
				j->round--;
			}
			j->final_started = 0;
			after_round(e, j);
			return;
		}
		char why[600];
		snprintf(why, sizeof why, "%s, even after splitting it smaller: lower [llm] context to "
		         "what the model really has", res.reason);
		job_fail(e, j, why, r->kind == K_REPAIR ? j->first_answer : NULL);
		free(text);
		return;
	}
	if (res.outcome == HO_RETRY && r->attempt <= e->cfg.retries) {
		double wait = e->cfg.retry_base_s;
		for (int i = 1; i < r->attempt; i++)
			wait *= 2;
		if (res.wait_s >= 0)
			wait = res.wait_s;
		if (wait > e->cfg.retry_max_s)
			wait = (double)e->cfg.retry_max_s;
		r->not_before_ms = net_now_ms() + (int64_t)(wait * 1000);
		snprintf(r->last_error, sizeof r->last_error, "%s", res.reason);
		progress(e, j, "waiting %.0f s to retry (%d/%d): %s", wait < 1 && wait > 0 ? 1 : wait,
		         r->attempt, e->cfg.retries, res.reason);
		free(text);
		return;
	}
	char why[600];
	if (res.outcome == HO_RETRY && r->attempt > 1)
		snprintf(why, sizeof why, "%s (gave up after %d tries)", res.reason, r->attempt);
	else
		snprintf(why, sizeof why, "%s", res.reason);
	const char *partial = NULL;
	if (r->kind == K_SINGLE || r->kind == K_REDUCE || r->kind == K_REPAIR)
		partial = text[0] ? text : r->kind == K_REPAIR ? j->first_answer : NULL;
	job_fail(e, j, why, partial);
	free(text);
}

/* Plans a claimed job and sends its first requests. 0, or -1 (ended). */
static int job_begin(struct llm_engine *e, struct job *j)
{
	char err[400];
	struct ar_meta m;
	int r = ar_get_meta(e->a, j->tid, &m);
	if (r != 0) {
		job_fail(e, j, r < 0 ? ar_error(e->a) : "the transcript is gone", NULL);
		return -1;
	}
	if (m.title && m.title_source && strcmp(m.title_source, "guessed") != 0)
		snprintf(j->title_hint, sizeof j->title_hint, " (titled \"%.280s\")", m.title);
	static const char *const langs[][2] = {
		{ "zh", "Chinese" }, { "ja", "Japanese" }, { "ko", "Korean" }, { "en", "English" },
		{ "de", "German" }, { "fr", "French" }, { "es", "Spanish" }, { "ru", "Russian" },
		{ "pt", "Portuguese" }, { "it", "Italian" },
	};
	for (size_t i = 0; m.language && i < sizeof langs / sizeof langs[0]; i++)
		if (!strncmp(m.language, langs[i][0], 2))
			snprintf(j->lang_hint, sizeof j->lang_hint, " (%s)", langs[i][1]);
	ar_meta_free(&m);
	if (ar_get_text(e->a, j->tid, &j->text, &j->len) != 0) {
		job_fail(e, j, "the transcript has no text", NULL);
		return -1;
	}
	if (prompt_load(e->cfg.prompts_dir[0] ? e->cfg.prompts_dir : NULL, e->cfg.prompt,
	                &j->prompt, err, sizeof err) != 0) {
		job_fail(e, j, err, NULL);
		return -1;
	}
	if (e->cfg.extra_body[0]) {
		struct chat_req cr = { .model = e->cfg.model, .user = "", .extra_body = e->cfg.extra_body };
		char *b = chat_request_json(&cr, err, sizeof err);
		if (!b) {
			char why[420];
			snprintf(why, sizeof why, "[llm] %s", err);
			job_fail(e, j, why, NULL);
			return -1;
		}
		free(b);
	}
	plan_budget(&e->cfg, &j->prompt, &j->b);
	if (j->b.chunk < 200 || j->b.reduce_room < 200) {
		snprintf(err, sizeof err, "a context of %ld tokens leaves no room for a transcript: "
		         "raise [llm] context or lower max_output", e->cfg.context);
		job_fail(e, j, err, NULL);
		return -1;
	}
	long t = est_tokens(j->text, j->len);
	emit(e, j, LLM_EV_STARTED, AR_JOB_RUNNING, NULL, 0, 0, NULL, NULL, 0);
	if (t + j->b.summary_fixed + j->b.out <= j->b.window) {
		struct prompt_vars v = { .transcript = j->text, .title_hint = j->title_hint,
		                         .language_hint = j->lang_hint };
		char *user = prompt_render(&j->prompt, PP_SUMMARY, &v);
		j->final_started = 1;
		submit(e, j, K_SINGLE, 0, user, NULL, j->b.out);
		free(user);
		progress(e, j, "summary (one request, ~%ld tokens)", t);
		return 0;
	}
	start_map(e, j, j->b.chunk);
	return 0;
}

/* ---- the engine ------------------------------------------------------------ */

struct llm_engine *llm_engine_new(const struct llm_config *cfg, struct archive *a,
                                  llm_event_fn fn, void *ctx, char *err, size_t errlen)
{
	if (http_global_init(err, errlen) != 0)
		return NULL;
	struct llm_engine *e = xcalloc(1, sizeof *e);
	e->cfg = *cfg;
	for (int i = 0; i < cfg->nheaders; i++)
		e->cfg.headers[i] = xstrdup(cfg->headers[i]);
	e->a = a;
	e->fn = fn;
	e->ctx = ctx;
	e->multi = curl_multi_init();
	if (!e->multi) {
		snprintf(err, errlen, "libcurl could not start");
		llm_config_free(&e->cfg);
		free(e);
		return NULL;
	}
	pthread_mutex_init(&e->mu, NULL);
	return e;
}

/* Gives job j back to the queue and ends it here. */
static void job_release(struct llm_engine *e, struct job *j, const char *why)
{
	drop_requests(e, j);
	ar_job_release(e->a, j->id, why);
	j->done = 1;
	emit(e, j, LLM_EV_FINISHED, AR_JOB_QUEUED, NULL, 0, 0, why, NULL, 0);
}

/* Removes finished jobs, giving up their claims of their transcripts. */
static void reap(struct llm_engine *e)
{
	size_t k = 0;
	for (size_t i = 0; i < e->njobs; i++) {
		if (e->jobs[i]->done) {
			ar_claim_release(e->a, e->jobs[i]->tid);
			job_free(e->jobs[i]);
		} else {
			e->jobs[k++] = e->jobs[i];
		}
	}
	e->njobs = k;
}

void llm_engine_free(struct llm_engine *e)
{
	if (!e)
		return;
	for (size_t i = 0; i < e->njobs; i++)
		if (!e->jobs[i]->done)
			job_release(e, e->jobs[i], "interrupted");
	reap(e);
	free(e->jobs);
	free(e->reqs);
	free(e->cancels);
	curl_multi_cleanup(e->multi);
	pthread_mutex_destroy(&e->mu);
	llm_config_free(&e->cfg);
	free(e);
}

int llm_engine_start(struct llm_engine *e, int64_t job_id, char *err, size_t errlen)
{
	struct ar_job aj;
	int r = ar_job_get(e->a, job_id, &aj);
	if (r != 0) {
		snprintf(err, errlen, "%s", r < 0 ? ar_error(e->a) : "no such job");
		return -1;
	}
	int64_t tid = aj.transcript_id, batch = aj.batch_id;
	ar_job_free(&aj);
	r = ar_job_claim(e->a, job_id);
	if (r != 0) {
		if (r < 0)
			snprintf(err, errlen, "%s", ar_error(e->a));
		else
			snprintf(err, errlen, "another precis is running this job");
		return r;
	}
	/* One summary of a transcript at a time, whatever job asks for it:
	 * the transcript is claimed (db/archive.h, "claims") before any
	 * request is made. A batch's job goes back to the queue (its command
	 * run again resumes it); another one (the app's) ends here. */
	struct ar_claim h;
	r = ar_claim_take(e->a, tid, job_id, &h);
	if (r != 0) {
		if (r < 0)
			snprintf(err, errlen, "%s", ar_error(e->a));
		else
			snprintf(err, errlen, "transcript #%lld is being summarized by another precis "
			         "right now (%s, job #%lld; its claim is renewed while it works)",
			         (long long)tid, h.owner ? h.owner : "?", (long long)h.job_id);
		ar_claim_free(&h);
		if (batch > 0)
			ar_job_release(e->a, job_id, r > 0 ? "being summarized by another precis" : err);
		else
			ar_job_finish(e->a, job_id, AR_JOB_CANCELLED, err, 0);
		return r;
	}
	struct job *j = xcalloc(1, sizeof *j);
	j->id = job_id;
	j->tid = tid;
	j->t0 = j->last_beat = j->last_claim = net_now_ms();
	snprintf(j->stage, sizeof j->stage, "planning");
	xgrow(&e->jobs, &e->jobcap, e->njobs + 1, sizeof *e->jobs);
	e->jobs[e->njobs++] = j;
	job_begin(e, j);
	reap(e);
	return 0;
}

int llm_engine_active(const struct llm_engine *e)
{
	int n = 0;
	for (size_t i = 0; i < e->njobs; i++)
		n += !e->jobs[i]->done;
	return n;
}

void llm_engine_cancel(struct llm_engine *e, int64_t job_id)
{
	pthread_mutex_lock(&e->mu);
	xgrow(&e->cancels, &e->cancelcap, e->ncancel + 1, sizeof *e->cancels);
	e->cancels[e->ncancel++] = job_id;
	pthread_mutex_unlock(&e->mu);
	curl_multi_wakeup(e->multi);
}

void llm_engine_interrupt(struct llm_engine *e)
{
	pthread_mutex_lock(&e->mu);
	e->interrupt = 1;
	pthread_mutex_unlock(&e->mu);
	curl_multi_wakeup(e->multi);
}

void llm_engine_wakeup(struct llm_engine *e)
{
	curl_multi_wakeup(e->multi);
}

/* Applies cancel and interrupt requests from other threads. */
static void take_requests(struct llm_engine *e)
{
	pthread_mutex_lock(&e->mu);
	int interrupt = e->interrupt;
	e->interrupt = 0;
	size_t n = e->ncancel;
	int64_t *ids = n ? xmalloc(n * sizeof *ids) : NULL;
	if (n)
		memcpy(ids, e->cancels, n * sizeof *ids);
	e->ncancel = 0;
	pthread_mutex_unlock(&e->mu);
	for (size_t k = 0; k < n; k++)
		for (size_t i = 0; i < e->njobs; i++) {
			struct job *j = e->jobs[i];
			if (j->id != ids[k] || j->done)
				continue;
			drop_requests(e, j);
			ar_job_finish(e->a, j->id, AR_JOB_CANCELLED, "cancelled", 0);
			j->done = 1;
			snprintf(j->stage, sizeof j->stage, "cancelled");
			emit(e, j, LLM_EV_FINISHED, AR_JOB_CANCELLED, NULL, 0, 0, "cancelled", NULL, 0);
		}
	free(ids);
	if (interrupt)
		for (size_t i = 0; i < e->njobs; i++)
			if (!e->jobs[i]->done)
				job_release(e, e->jobs[i], "interrupted");
	reap(e);
}

/* Reports new text of final answers, watches for silence, beats. */
static void watch(struct llm_engine *e)
{
	int64_t now = net_now_ms();
	for (size_t i = 0; i < e->nreqs; i++) {
		struct req *r = e->reqs[i];
		if (!r->in_flight)
			continue;
		const struct buf *t = &r->h.ans.text.out;
		if ((r->kind == K_SINGLE || r->kind == K_REDUCE || r->kind == K_REPAIR) &&
		    (t->len != r->seen_len || r->h.ans.text.resets != r->seen_resets)) {
			/* the first text of a try replaces whatever was shown */
			int reset = !r->text_started || r->h.ans.text.resets != r->seen_resets ||
			            t->len < r->seen_len;
			r->seen_len = t->len;
			r->seen_resets = r->h.ans.text.resets;
			r->text_started = 1;
			emit(e, r->job, LLM_EV_TEXT, AR_JOB_RUNNING, t->p ? t->p : "", t->len, reset,
			     NULL, NULL, 0);
		}
		if (e->cfg.idle_timeout_s > 0 && now - r->h.last_progress_ms > e->cfg.idle_timeout_s * 1000)
			r->h.idle = 1;
	}
	for (size_t i = 0; i < e->njobs; i++) {
		struct job *j = e->jobs[i];
		if (!j->done && now - j->last_beat >= BEAT_MS) {
			ar_job_heartbeat(e->a, j->id);
			j->last_beat = now;
		}
		/* the claim of the transcript, on its own clock: progress
		 * refreshes the job's heartbeat, not the claim */
		if (!j->done && now - j->last_claim >= BEAT_MS) {
			j->last_claim = now;
			if (ar_claim_renew(e->a, j->tid) == 1)
				job_fail(e, j, "another precis took the transcript over (this one had "
				         "stopped renewing its claim: suspended or too slow?)", NULL);
		}
	}
}

int llm_engine_step(struct llm_engine *e, int timeout_ms)
{
	take_requests(e);
	start_ready(e);
	/* wait no longer than the next retry or watchdog deadline */
	int64_t now = net_now_ms();
	int64_t wait = timeout_ms;
	int limit = e->cfg.parallel > 0 ? e->cfg.parallel : 1;
	for (size_t i = 0; i < e->nreqs; i++) {
		struct req *r = e->reqs[i];
		int64_t due;
		if (r->in_flight) {
			if (e->cfg.idle_timeout_s <= 0)
				continue;
			due = r->h.last_progress_ms + e->cfg.idle_timeout_s * 1000 + 5;
		} else if (e->inflight < limit) {
			due = r->not_before_ms;    /* a retry's wait, or now */
		} else {
			continue;                  /* waits for a slot: a transfer ending wakes us */
		}
		if (due - now < wait)
			wait = due - now;
	}
	if (e->njobs && wait > 1000)
		wait = 1000;
	if (wait < 0)
		wait = 0;
	curl_multi_poll(e->multi, NULL, 0, (int)wait, NULL);
	int running;
	curl_multi_perform(e->multi, &running);
	watch(e);
	/* transfers stopped by the watchdog end as if failed */
	for (size_t i = 0; i < e->nreqs; i++) {
		struct req *r = e->reqs[i];
		if (r->in_flight && r->h.idle) {
			curl_multi_remove_handle(e->multi, r->h.easy);
			e->inflight--;
			req_done(e, r, CURLE_OPERATION_TIMEDOUT);
			i = (size_t)-1;   /* the list changed: look again */
		}
	}
	CURLMsg *msg;
	int left;
	while ((msg = curl_multi_info_read(e->multi, &left))) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		CURL *easy = msg->easy_handle;
		CURLcode rc = msg->data.result;
		struct http_req *h = NULL;
		curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&h);
		curl_multi_remove_handle(e->multi, easy);
		e->inflight--;
		struct req *r = NULL;
		for (size_t i = 0; i < e->nreqs; i++)
			if (&e->reqs[i]->h == h)
				r = e->reqs[i];
		if (r)
			req_done(e, r, rc);
	}
	reap(e);
	start_ready(e);
	return llm_engine_active(e);
}
