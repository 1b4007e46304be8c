/* llm_app.c — the LLM client in the reader: `r` asks (model, prompt,
 * estimated tokens and requests) and starts a summary in the background;
 * the summary pane shows the new text as it arrives and the status line
 * the progress (chunks, tokens, elapsed); `c` cancels and the old summary
 * comes back; when it ends the pane shows the new current version (or the
 * old one, with the reason it failed). The user keeps browsing: the work
 * runs in tui/app/llm_run.c's thread. The reader follows its transcript's
 * jobs itself (llm_run_listen) and calls down into this file for what the
 * status line says; nothing here calls the reader. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/archive.h"
#include "net/llm.h"
#include "render/alloc.h"
#include "tui/app/llm_app.h"
#include "tui/app/llm_run.h"
#include "tui/app/view.h"

void llm_app_progress(int64_t tid, const struct llm_live *l)
{
	char chunks[64] = "";
	if (l->chunks_total > 1)
		snprintf(chunks, sizeof chunks, " · %d/%d chunks", l->chunks_done, l->chunks_total);
	int64_t el = llm_live_elapsed(l);
	app_status("summarizing #%lld: %s%s · %.1fk tokens · %lld:%02lld (%s cancels, %s lists jobs)",
	           (long long)tid, l->stage[0] ? l->stage : "starting", chunks,
	           (l->tokens_in + l->tokens_out) / 1000.0, (long long)(el / 60000),
	           (long long)(el / 1000 % 60), keymap_key(KC_READER, ACT_CANCEL_JOB),
	           keymap_key(KC_READER, ACT_JOBS));
}

void llm_app_ended(const struct llm_live *l)
{
	switch (l->state) {
	case AR_JOB_DONE:
		if (l->warning[0])
			app_error("new summary (with a warning: %s) — %s shows what changed", l->warning,
			          keymap_key(KC_READER, ACT_DIFF));
		else
			app_status("new summary, now current (%.1f s, %.1fk tokens) — %s shows what changed",
			           l->elapsed_ms / 1000.0, (l->tokens_in + l->tokens_out) / 1000.0,
			           keymap_key(KC_READER, ACT_DIFF));
		break;
	case AR_JOB_CANCELLED:
		app_status("cancelled: the summary is unchanged");
		break;
	case AR_JOB_QUEUED:
		app_status("summary stopped: the summary is unchanged");
		break;
	default:
		app_error("summary failed, the old one stays: %s", l->error);
		break;
	}
}

void llm_app_ended_elsewhere(const struct llm_live *l)
{
	struct ar_meta m;
	char title[120] = "";
	if (ar_get_meta(A->ar, l->transcript_id, &m) == 0) {
		snprintf(title, sizeof title, " (%.80s)", m.title ? m.title : "");
		ar_meta_free(&m);
	}
	long long tid = (long long)l->transcript_id;
	switch (l->state) {
	case AR_JOB_DONE:
		if (l->warning[0])
			app_error("summary of #%lld%s written, with a warning: %s", tid, title, l->warning);
		else
			app_status("summary of #%lld%s written, now current (%.1f s) — %s lists the jobs", tid,
			           title, l->elapsed_ms / 1000.0, keymap_key(KC_LIST, ACT_JOBS));
		break;
	case AR_JOB_CANCELLED:
		app_status("summary of #%lld%s cancelled: unchanged", tid, title);
		break;
	case AR_JOB_QUEUED:
		app_status("summary of #%lld%s stopped: unchanged", tid, title);
		break;
	default:
		app_error("summary of #%lld%s failed, the old one stays: %s", tid, title, l->error);
		break;
	}
}

struct ask {
	int64_t tid;
};

static void confirmed(void *ctx, const char *text)
{
	struct ask *q = ctx;
	int64_t tid = q->tid;
	free(q);
	if (!text || (tolower((unsigned char)text[0]) != 'y')) {
		app_status("not summarized");
		return;
	}
	char err[600];
	if (llm_run_start(tid, err, sizeof err) < 0) {
		app_error("%s", err);
		return;
	}
	app_status("summarizing #%lld in the background (%s cancels, %s lists jobs)", (long long)tid,
	           keymap_key(KC_READER, ACT_CANCEL_JOB), keymap_key(KC_READER, ACT_JOBS));
}

void llm_app_resummarize(int64_t tid)
{
	char err[600];
	struct llm_config lc;
	if (llm_run_config(&lc, err, sizeof err) != 0) {
		app_error("%s", err);
		return;
	}
	if (app_check_writable("summarize")) {
		llm_config_free(&lc);
		return;
	}
	struct llm_live l;
	if (llm_run_get(tid, &l)) {
		int busy = !l.finished;
		llm_live_free(&l);
		if (busy) {
			app_status("#%lld is being summarized already (%s cancels)", (long long)tid,
			           keymap_key(KC_READER, ACT_CANCEL_JOB));
			llm_config_free(&lc);
			return;
		}
	}
	char *text;
	size_t len;
	if (ar_get_text(A->ar, tid, &text, &len) != 0) {
		app_error("%s", ar_error(A->ar));
		llm_config_free(&lc);
		return;
	}
	struct llm_plan p;
	int r = llm_plan_text(&lc, text, len, &p, err, sizeof err);
	free(text);
	if (r != 0) {
		app_error("%s", err);
		llm_config_free(&lc);
		return;
	}
	char label[400];
	snprintf(label, sizeof label, "Summarize with %.60s (prompt %.30s): ~%.1fk tokens in %d request%s?",
	         lc.model, lc.prompt, p.prompt_tokens / 1000.0, p.requests, p.requests == 1 ? "" : "s");
	llm_config_free(&lc);
	struct ask *q = xmalloc(sizeof *q);
	q->tid = tid;
	app_confirm(label, confirmed, q);
}

/* ---- r on tagged rows: one question, a job each, one progress line -- */

static struct {
	int64_t *jobs;            /* the batch's jobs still followed */
	size_t n, cap, total;
	size_t done, failed;
	int listening;
} batch;

static void batch_status(void)
{
	size_t left = batch.total - batch.done - batch.failed;
	if (left)
		app_status("summarizing %zu tagged: %zu done, %zu failed, %zu to go (%s lists the jobs)",
		           batch.total, batch.done, batch.failed, left, keymap_key(KC_LIST, ACT_JOBS));
	else if (batch.failed)
		app_error("summarized %zu tagged: %zu new version%s, %zu failed (%s shows why)", batch.total,
		          batch.done, batch.done == 1 ? "" : "s", batch.failed, keymap_key(KC_LIST, ACT_JOBS));
	else
		app_status("summarized %zu tagged: %zu new version%s, each back in the queue (%s in the list, %s in the reader)",
		           batch.total, batch.done, batch.done == 1 ? "" : "s",
		           keymap_key(KC_LIST, ACT_NEXT_UNREVIEWED), keymap_key(KC_READER, ACT_NEXT_UNREVIEWED));
}

/* A job ended: count it when it is one of the batch's. */
static void batch_change(void *ctx, int64_t tid, int finished)
{
	(void)ctx;
	(void)tid;
	if (!finished)
		return;
	for (size_t i = 0; i < batch.n; i++) {
		struct llm_live l;
		if (!llm_run_get_job(batch.jobs[i], &l))
			continue;
		int fin = l.finished;
		enum ar_job_state st = l.state;
		llm_live_free(&l);
		if (!fin)
			continue;
		if (st == AR_JOB_DONE)
			batch.done++;
		else
			batch.failed++;
		batch.jobs[i--] = batch.jobs[--batch.n];
	}
	batch_status();
	if (!batch.n && batch.listening) {
		llm_run_unlisten(batch_change, NULL);
		batch.listening = 0;
	}
}

struct many {
	int64_t *ids;
	size_t n;
	void (*queued)(void *ctx);
	void *ctx;
};

static void many_confirmed(void *ctx, const char *text)
{
	struct many *m = ctx;
	if (!text || tolower((unsigned char)text[0]) != 'y') {
		app_status("not summarized");
	} else {
		if (!batch.n) {
			batch.total = batch.done = batch.failed = 0;
		}
		char err[600] = "";
		size_t started = 0;
		for (size_t i = 0; i < m->n; i++) {
			int64_t job = llm_run_start(m->ids[i], err, sizeof err);
			if (job < 0)
				break;
			xgrow(&batch.jobs, &batch.cap, batch.n + 1, sizeof *batch.jobs);
			batch.jobs[batch.n++] = job;
			batch.total++;
			started++;
		}
		if (started && !batch.listening) {
			llm_run_listen(batch_change, NULL);
			batch.listening = 1;
		}
		if (started < m->n)
			app_error("queued %zu of %zu: %s", started, m->n, err);
		else
			batch_status();
		if (started && m->queued)
			m->queued(m->ctx);
	}
	free(m->ids);
	free(m);
}

int llm_app_resummarize_many(const int64_t *ids, size_t n, void (*queued)(void *ctx), void *ctx)
{
	char err[600];
	struct llm_config lc;
	if (llm_run_config(&lc, err, sizeof err) != 0) {
		app_error("%s", err);
		return -1;
	}
	if (app_check_writable("summarize")) {
		llm_config_free(&lc);
		return -1;
	}
	char label[400];
	snprintf(label, sizeof label, "Summarize the %zu tagged again with %.60s (prompt %.30s), in the background?",
	         n, lc.model, lc.prompt);
	llm_config_free(&lc);
	struct many *m = xmalloc(sizeof *m);
	m->ids = xmalloc((n ? n : 1) * sizeof *m->ids);
	memcpy(m->ids, ids, n * sizeof *ids);
	m->n = n;
	m->queued = queued;
	m->ctx = ctx;
	app_confirm(label, many_confirmed, m);
	return 0;
}

void llm_app_cancel(int64_t tid)
{
	struct llm_live l;
	if (!llm_run_get(tid, &l) || l.finished) {
		if (l.job_id)
			llm_live_free(&l);
		app_status("no summary is being written for #%lld", (long long)tid);
		return;
	}
	int64_t job = l.job_id;
	llm_live_free(&l);
	llm_run_cancel(job);
	app_status("cancelling…");
}

struct resume {
	int64_t job, tid;
};

static void resume_confirmed(void *ctx, const char *text)
{
	struct resume q = *(struct resume *)ctx;
	free(ctx);
	if (!text || tolower((unsigned char)text[0]) != 'y') {
		app_status("job %lld left as it was", (long long)q.job);
		return;
	}
	char err[600];
	if (llm_run_resume(q.job, q.tid, err, sizeof err) != 0) {
		app_error("%s", err);
		return;
	}
	app_status("resuming job %lld: the summary of #%lld, in the background (%s cancels)",
	           (long long)q.job, (long long)q.tid, keymap_key(KC_JOBS, ACT_CANCEL_JOB));
}

void llm_app_resume(const struct ar_job *j)
{
	char err[600];
	struct llm_config lc;
	if (llm_run_config(&lc, err, sizeof err) != 0) {
		app_error("%s", err);
		return;
	}
	llm_config_free(&lc);
	if (app_check_writable("resume a summary"))
		return;
	char done[64] = "";
	if (j->chunks_total > 1)
		snprintf(done, sizeof done, ", %d of %d chunks done", j->chunks_done, j->chunks_total);
	char label[400];
	snprintf(label, sizeof label, "Resume job %lld, the summary of #%lld (%.40s%s)?",
	         (long long)j->id, (long long)j->transcript_id, j->model ? j->model : "-", done);
	struct resume *q = xmalloc(sizeof *q);
	q->job = j->id;
	q->tid = j->transcript_id;
	app_confirm(label, resume_confirmed, q);
}
