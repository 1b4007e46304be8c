/* view_jobs.c — `w`: the LLM jobs in the archive, newest first: queued,
 * running with their progress (chunks, tokens, elapsed time), done, failed
 * with the reason, cancelled, interrupted (its process is gone). Jobs of
 * this app show live progress; those of a `precis summarize` elsewhere
 * what it last wrote to the archive (looked at again every second while
 * any runs, every three seconds otherwise, only while this view is open).
 * Enter opens the transcript, c cancels the selected job, r resumes one
 * left unfinished (or, for one that ended, summarizes its transcript
 * again). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <curses.h>

#include "db/archive.h"
#include "render/alloc.h"
#include "tui/app/llm_app.h"
#include "tui/app/llm_run.h"
#include "tui/app/view.h"

#define LIMIT 500

struct jobs {
	struct ar_job *v;
	size_t n, cur, top;
	int h;
	unsigned timer;
};

static void tick(void *ctx);

static void load(struct jobs *s)
{
	int64_t keep = s->cur < s->n ? s->v[s->cur].id : 0;
	ar_jobs_free(s->v, s->n);
	s->v = NULL;
	s->n = 0;
	struct ar_job_query q = { .limit = LIMIT };
	if (ar_jobs_list(A->ar, &q, &s->v, &s->n) != 0) {
		app_error("%s", ar_error(A->ar));
		return;
	}
	s->cur = 0;
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].id == keep)
			s->cur = i;
	/* a monitor: look again in a second while anything runs, every three
	 * seconds otherwise (another process may start a batch); only while
	 * this view is open */
	int running = 0;
	for (size_t i = 0; i < s->n; i++)
		running |= (s->v[i].state == AR_JOB_RUNNING || s->v[i].state == AR_JOB_QUEUED) &&
		           !s->v[i].orphaned;
	if (!s->timer)
		s->timer = app_timer_after(running ? 1000 : 3000, tick, s);
}

static void tick(void *ctx)
{
	struct jobs *s = ctx;
	s->timer = 0;
	load(s);
	app_dirty();
}

static void on_change(void *ctx, int64_t tid, int finished)
{
	(void)tid;
	(void)finished;
	struct jobs *s = ctx;
	if (finished)
		load(s);
	app_dirty();
}

/* The progress part of a row: live for this app's jobs. */
static void progress(const struct ar_job *j, char *buf, size_t n)
{
	struct llm_live l;
	int live = llm_run_get_job(j->id, &l) && !l.finished;
	const char *stage = live ? l.stage : j->stage;
	int done = live ? l.chunks_done : j->chunks_done, total = live ? l.chunks_total : j->chunks_total;
	long tok = live ? l.tokens_in + l.tokens_out : j->tokens_in + j->tokens_out;
	char el[32] = "";
	if (live)
		snprintf(el, sizeof el, " · %lld:%02lld", (long long)(llm_live_elapsed(&l) / 60000),
		         (long long)(llm_live_elapsed(&l) / 1000 % 60));
	snprintf(buf, n, "%s%s%d/%d chunks · %.1fk tokens%s", stage ? stage : "",
	         stage ? " · " : "", done, total, tok / 1000.0, el);
	llm_live_free(&l);
}

static void jobs_draw(struct view *v, struct rect r)
{
	struct jobs *s = v->priv;
	for (int y = r.y; y < r.y + r.h; y++)
		draw_fill(y, r.x, r.w, A_NORMAL);
	draw_fill(r.y, r.x, r.w, style(ST_BAR));
	char head[200];
	int mine = llm_run_active();
	snprintf(head, sizeof head, "LLM jobs (%zu)%s — %s opens, %s cancels", s->n,
	         mine ? "; this app is running some" : "", keymap_key(KC_JOBS, ACT_OPEN),
	         keymap_key(KC_JOBS, ACT_CANCEL_JOB));
	draw_text(r.y, r.x + 1, r.w - 2, head, style(ST_BAR) | A_BOLD);
	if (r.h < 3)
		return;
	draw_fill(r.y + 1, r.x, r.w, style(ST_TITLE));
	draw_text(r.y + 1, r.x + 1, r.w - 2, "   job  state        transcript  model / progress or reason",
	          style(ST_TITLE));
	/* the selected job's whole reason, wrapped, below the rows (a row
	 * cuts it) */
	const struct ar_job *sel = s->cur < s->n ? &s->v[s->cur] : NULL;
	const char *why = sel && (sel->state == AR_JOB_FAILED || sel->state == AR_JOB_CANCELLED ||
	                          sel->orphaned) && sel->error && *sel->error ? sel->error : NULL;
	int reason_rows = 0;
	if (why && r.h >= 8) {
		reason_rows = wrapped_rows(why, r.w - 2 - 8);
		int max = r.h / 3;
		if (reason_rows > max)
			reason_rows = max;
		reason_rows += 1;   /* its title row */
	}
	s->h = r.h - 2 - reason_rows;
	if (s->h < 1)
		s->h = 1;
	if (reason_rows) {
		int y = r.y + r.h - reason_rows;
		char t[80];
		snprintf(t, sizeof t, "job %lld: %s", (long long)sel->id,
		         sel->orphaned ? "interrupted" : ar_job_state_name(sel->state));
		draw_fill(y, r.x, r.w, style(ST_TITLE));
		draw_text(y, r.x + 1, r.w - 2, t, style(ST_TITLE));
		draw_text(y + 1, r.x + 1, 8, "reason:", A_BOLD);
		draw_wrapped(y + 1, r.x + 1 + 8, r.w - 2 - 8, reason_rows - 1, why, A_NORMAL);
	}
	if (s->cur < s->top)
		s->top = s->cur;
	if (s->cur >= s->top + (size_t)s->h)
		s->top = s->cur - (size_t)s->h + 1;
	if (!s->n) {
		draw_text(r.y + 3, r.x + 2, r.w - 4, "No jobs yet: r in the reader, or precis summarize, makes one.",
		          A_DIM);
		return;
	}
	for (int i = 0; i < s->h; i++) {
		size_t k = s->top + (size_t)i;
		if (k >= s->n)
			break;
		const struct ar_job *j = &s->v[k];
		attr_t at = k == s->cur ? style(ST_CURSOR) : A_NORMAL;
		int y = r.y + 2 + i;
		draw_fill(y, r.x, r.w, at);
		const char *st = j->orphaned ? "interrupted" : ar_job_state_name(j->state);
		attr_t sat = at;
		if (j->state == AR_JOB_FAILED)
			sat = k == s->cur ? at : style(ST_ERROR);
		else if (j->state == AR_JOB_DONE)
			sat = k == s->cur ? at : style(ST_APPROVED);
		char left[64];
		snprintf(left, sizeof left, "%6lld  ", (long long)j->id);
		int x = r.x + draw_text(y, r.x, r.w, left, at);
		x += draw_text(y, x, 13, st, sat | (j->state == AR_JOB_RUNNING ? A_BOLD : 0));
		x = r.x + 8 + 13;
		char tid[32];
		snprintf(tid, sizeof tid, "#%-10lld ", (long long)j->transcript_id);
		x += draw_text(y, x, r.x + r.w - x, tid, at);
		char detail[600];
		if ((j->state == AR_JOB_RUNNING || j->state == AR_JOB_QUEUED) && !j->orphaned)
			progress(j, detail, sizeof detail);
		else if (j->state == AR_JOB_FAILED || j->state == AR_JOB_CANCELLED || j->orphaned)
			snprintf(detail, sizeof detail, "%s", j->error ? j->error : "");
		else
			snprintf(detail, sizeof detail, "%s", j->title ? j->title : "");
		char line[800];
		snprintf(line, sizeof line, "%s  %s", j->model ? j->model : "-", detail);
		draw_text(y, x, r.x + r.w - x - 1, line, at);
	}
}

static int jobs_request(struct view *v, enum action a)
{
	struct jobs *s = v->priv;
	size_t page = s->h > 1 ? (size_t)s->h - 1 : 1;
	switch (a) {
	case ACT_MOVE_DOWN: if (s->cur + 1 < s->n) s->cur++; break;
	case ACT_MOVE_UP: if (s->cur) s->cur--; break;
	case ACT_PAGE_DOWN: s->cur = s->cur + page < s->n ? s->cur + page : (s->n ? s->n - 1 : 0); break;
	case ACT_PAGE_UP: s->cur = s->cur > page ? s->cur - page : 0; break;
	case ACT_FIRST: s->cur = 0; break;
	case ACT_LAST: s->cur = s->n ? s->n - 1 : 0; break;
	case ACT_REFRESH: load(s); break;
	case ACT_OPEN:
		if (s->cur < s->n)
			reader_open(s->v[s->cur].transcript_id, NULL);
		break;
	case ACT_RESUMMARIZE: {
		if (s->cur >= s->n)
			break;
		const struct ar_job *j = &s->v[s->cur];
		int open = j->state == AR_JOB_QUEUED || j->state == AR_JOB_RUNNING;
		if (open && j->orphaned)
			llm_app_resume(j);           /* left unfinished: go on where it stopped */
		else if (open)
			app_status("job %lld is %s (%s cancels it)", (long long)j->id,
			           ar_job_state_name(j->state), keymap_key(KC_JOBS, ACT_CANCEL_JOB));
		else
			llm_app_resummarize(j->transcript_id);   /* ended: a new summary */
		break;
	}
	case ACT_CANCEL_JOB: {
		if (s->cur >= s->n)
			break;
		const struct ar_job *j = &s->v[s->cur];
		if (app_check_writable("cancel a job"))
			break;
		if (j->state != AR_JOB_QUEUED && j->state != AR_JOB_RUNNING) {
			app_status("job %lld is %s: nothing to cancel", (long long)j->id,
			           ar_job_state_name(j->state));
			break;
		}
		if (llm_run_cancel(j->id))
			app_status("job %lld cancelled: the summary of #%lld is unchanged", (long long)j->id,
			           (long long)j->transcript_id);
		else
			app_status("job %lld runs in another precis: stop that one (Ctrl-C)", (long long)j->id);
		load(s);
		break;
	}
	default:
		return VR_UNHANDLED;
	}
	return VR_DONE;
}

static void jobs_reload(struct view *v)
{
	load(v->priv);
}

static void jobs_close(struct view *v)
{
	struct jobs *s = v->priv;
	llm_run_unlisten(on_change, s);
	if (s->timer)
		app_timer_cancel(s->timer);
	ar_jobs_free(s->v, s->n);
	free(s);
}

static const struct view_ops jobs_ops = {
	.name = "jobs",
	.ctx = KC_JOBS,
	.draw = jobs_draw,
	.request = jobs_request,
	.reload = jobs_reload,
	.close = jobs_close,
};

struct view *jobs_open(void)
{
	struct jobs *s = xcalloc(1, sizeof *s);
	load(s);
	llm_run_listen(on_change, s);
	return app_push(&jobs_ops, s);
}
