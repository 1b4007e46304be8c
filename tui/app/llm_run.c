/* llm_run.c — the app's background LLM runner (tui/app/llm_run.h).
 *
 * The worker thread sleeps on a condition variable while there is
 * nothing to do (an idle app uses no CPU), and otherwise drives the
 * engine: llm_engine_step() waits on the network. Engine events update
 * the per-job state under a mutex and wake the loop through a pipe, at
 * most every 40 ms for streamed text (a redraw per token would be waste);
 * the loop then calls the listeners. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "render/alloc.h"
#include "tui/app/llm_run.h"
#include "tui/app/view.h"
#include "tui/llm_conf.h"

#define MAX_LISTEN 8
#define TEXT_EVERY_MS 40

struct job {
	struct llm_live live;
	int changed;
	int ended_seen;    /* the loop saw it end */
	int want_start;
	int want_cancel;
	int started;
};

static struct {
	int up;
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int pfd[2];
	int quit;
	int notified;      /* a byte is in the pipe */
	int64_t last_note_ms;
	struct job *jobs;
	size_t n, cap;
	struct llm_engine *e;
	struct llm_config cfg;
	int cfg_ok;
	char cfg_err[400];
	struct { llm_run_fn fn; void *ctx; } ls[MAX_LISTEN];
	int nls;
} R = { .pfd = { -1, -1 } };

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t llm_live_elapsed(const struct llm_live *l)
{
	if (l->finished || !l->t0_ms)
		return l->elapsed_ms;
	int64_t t = now_ms() - l->t0_ms;
	return t > l->elapsed_ms ? t : l->elapsed_ms;
}

void llm_live_free(struct llm_live *l)
{
	free(l->text);
	memset(l, 0, sizeof *l);
}

int llm_run_config(struct llm_config *out, char *err, size_t n)
{
	if (!R.cfg_ok && !R.cfg_err[0]) {
		llm_conf_load(A->cfg, NULL, &R.cfg);
		if (llm_conf_ready(&R.cfg, R.cfg_err, sizeof R.cfg_err))
			R.cfg_ok = 1;
	}
	if (!R.cfg_ok) {
		snprintf(err, n, "%s", R.cfg_err);
		return -1;
	}
	if (out) {
		*out = R.cfg;
		for (int i = 0; i < R.cfg.nheaders; i++)
			out->headers[i] = xstrdup(R.cfg.headers[i]);
	}
	return 0;
}

/* Wakes the loop (call with the mutex held). */
static void notify(int text_only)
{
	int64_t t = now_ms();
	if (text_only && t - R.last_note_ms < TEXT_EVERY_MS)
		return;
	R.last_note_ms = t;
	if (!R.notified) {
		R.notified = 1;
		char b = 1;
		if (write(R.pfd[1], &b, 1) < 0) {
			/* a full pipe wakes the loop anyway */
		}
	}
}

static struct job *find(int64_t job_id)
{
	for (size_t i = 0; i < R.n; i++)
		if (R.jobs[i].live.job_id == job_id)
			return &R.jobs[i];
	return NULL;
}

/* Engine events, on the worker thread. */
static void on_event(void *ctx, enum llm_event ev, const struct llm_status *s)
{
	(void)ctx;
	pthread_mutex_lock(&R.mu);
	struct job *j = find(s->job_id);
	if (j) {
		struct llm_live *l = &j->live;
		l->state = s->state;
		if (s->stage)
			snprintf(l->stage, sizeof l->stage, "%s", s->stage);
		l->chunks_done = s->chunks_done;
		l->chunks_total = s->chunks_total;
		l->tokens_in = s->tokens_in;
		l->tokens_out = s->tokens_out;
		l->elapsed_ms = s->elapsed_ms;
		if (ev == LLM_EV_TEXT) {
			free(l->text);
			l->text = xstrndup(s->text, s->text_len);
			l->text_len = s->text_len;
		}
		if (ev == LLM_EV_FINISHED) {
			l->finished = 1;
			snprintf(l->error, sizeof l->error, "%s", s->error ? s->error : "");
			snprintf(l->warning, sizeof l->warning, "%s", s->warning ? s->warning : "");
			l->summary_id = s->summary_id;
		}
		j->changed = 1;
		notify(ev == LLM_EV_TEXT);
	}
	pthread_mutex_unlock(&R.mu);
}

static void *worker(void *arg)
{
	(void)arg;
	struct archive *a = NULL;
	char err[600];
	struct llm_engine *e = NULL;
	if (ar_open(A->db_path, 0, &a, err, sizeof err) == 0)
		e = llm_engine_new(&R.cfg, a, on_event, NULL, err, sizeof err);
	pthread_mutex_lock(&R.mu);
	R.e = e;
	for (;;) {
		if (!e) {
			/* could not start: every job fails with the reason */
			for (size_t i = 0; i < R.n; i++)
				if (!R.jobs[i].live.finished) {
					R.jobs[i].live.finished = 1;
					R.jobs[i].live.state = AR_JOB_FAILED;
					snprintf(R.jobs[i].live.error, sizeof R.jobs[i].live.error, "%s", err);
					R.jobs[i].changed = 1;
				}
			notify(0);
			if (R.quit)
				break;
			pthread_cond_wait(&R.cv, &R.mu);
			continue;
		}
		int64_t start[16];
		int ns = 0;
		for (size_t i = 0; i < R.n && ns < 16; i++)
			if (R.jobs[i].want_start) {
				R.jobs[i].want_start = 0;
				R.jobs[i].started = 1;
				R.jobs[i].live.t0_ms = now_ms();
				start[ns++] = R.jobs[i].live.job_id;
			}
		for (size_t i = 0; i < R.n; i++)
			if (R.jobs[i].want_cancel && R.jobs[i].started) {
				R.jobs[i].want_cancel = 0;
				llm_engine_cancel(e, R.jobs[i].live.job_id);
			}
		int quit = R.quit;
		pthread_mutex_unlock(&R.mu);
		if (quit) {
			llm_engine_interrupt(e);
			while (llm_engine_step(e, 100) > 0)
				;
			pthread_mutex_lock(&R.mu);
			break;
		}
		for (int k = 0; k < ns; k++) {
			err[0] = 0;
			int r = llm_engine_start(e, start[k], err, sizeof err);
			if (r != 0) {
				pthread_mutex_lock(&R.mu);
				struct job *j = find(start[k]);
				if (j) {
					j->live.finished = 1;
					j->live.state = AR_JOB_FAILED;
					snprintf(j->live.error, sizeof j->live.error, "%s",
					         err[0] ? err : "another precis is running this job");
					j->changed = 1;
					notify(0);
				}
				pthread_mutex_unlock(&R.mu);
			}
		}
		int active = llm_engine_active(e);
		if (active)
			llm_engine_step(e, 1000);
		pthread_mutex_lock(&R.mu);
		int pending = 0;
		for (size_t i = 0; i < R.n; i++)
			pending |= R.jobs[i].want_start || R.jobs[i].want_cancel;
		if (!llm_engine_active(e) && !pending && !R.quit)
			pthread_cond_wait(&R.cv, &R.mu);
	}
	R.e = NULL;
	pthread_mutex_unlock(&R.mu);
	if (e)
		llm_engine_free(e);
	if (a)
		ar_close(a);
	return NULL;
}

/* The loop: the worker said something changed. */
static void on_pipe(void *ctx, int fd, int revents)
{
	(void)ctx;
	(void)revents;
	char buf[64];
	while (read(fd, buf, sizeof buf) > 0)
		;
	int64_t tids[64];
	int fin[64];
	int n = 0;
	pthread_mutex_lock(&R.mu);
	R.notified = 0;
	for (size_t i = 0; i < R.n && n < 64; i++)
		if (R.jobs[i].changed) {
			R.jobs[i].changed = 0;
			tids[n] = R.jobs[i].live.transcript_id;
			fin[n] = R.jobs[i].live.finished && !R.jobs[i].ended_seen;
			if (R.jobs[i].live.finished)
				R.jobs[i].ended_seen = 1;
			n++;
		}
	pthread_mutex_unlock(&R.mu);
	for (int k = 0; k < n; k++)
		for (int i = 0; i < R.nls; i++)
			R.ls[i].fn(R.ls[i].ctx, tids[k], fin[k]);
	app_dirty();
}

/* Starts the worker once. 0 or -1 with err. */
static int ensure_worker(char *err, size_t n)
{
	if (R.up)
		return 0;
	if (llm_run_config(NULL, err, n) != 0)
		return -1;
	if (pipe(R.pfd) != 0) {
		snprintf(err, n, "cannot make a pipe: %s", strerror(errno));
		return -1;
	}
	for (int i = 0; i < 2; i++)
		fcntl(R.pfd[i], F_SETFL, fcntl(R.pfd[i], F_GETFL) | O_NONBLOCK);
	pthread_mutex_init(&R.mu, NULL);
	pthread_cond_init(&R.cv, NULL);
	if (pthread_create(&R.th, NULL, worker, NULL) != 0) {
		snprintf(err, n, "cannot start the LLM worker thread");
		close(R.pfd[0]);
		close(R.pfd[1]);
		return -1;
	}
	app_watch_fd(R.pfd[0], POLLIN, on_pipe, NULL);
	R.up = 1;
	return 0;
}

/* Makes job (of transcript tid) one of this app's jobs, queued, and wakes
 * the worker to start it; an entry it had before (an earlier attempt) is
 * reused. */
static void take(int64_t job, int64_t tid)
{
	pthread_mutex_lock(&R.mu);
	struct job *j = find(job);
	if (j) {
		llm_live_free(&j->live);
	} else {
		xgrow(&R.jobs, &R.cap, R.n + 1, sizeof *R.jobs);
		j = &R.jobs[R.n++];
	}
	memset(j, 0, sizeof *j);
	j->live.job_id = job;
	j->live.transcript_id = tid;
	j->live.state = AR_JOB_QUEUED;
	snprintf(j->live.stage, sizeof j->live.stage, "queued");
	j->want_start = 1;
	pthread_cond_signal(&R.cv);
	if (R.e)
		llm_engine_wakeup(R.e);   /* it may be waiting on the network */
	pthread_mutex_unlock(&R.mu);
}

int64_t llm_run_start(int64_t tid, char *err, size_t n)
{
	if (A->readonly) {
		snprintf(err, n, "the archive is read-only: %s", A->ro_reason);
		return -1;
	}
	if (ensure_worker(err, n) != 0)
		return -1;
	int64_t job;
	int r = ar_job_add(A->ar, tid, 0, R.cfg.model, R.cfg.prompt, &job);
	if (r != 0) {
		snprintf(err, n, "%s", r < 0 ? ar_error(A->ar) : "the transcript is gone");
		return -1;
	}
	take(job, tid);
	return job;
}

int llm_run_resume(int64_t job_id, int64_t tid, char *err, size_t n)
{
	if (A->readonly) {
		snprintf(err, n, "the archive is read-only: %s", A->ro_reason);
		return -1;
	}
	if (ensure_worker(err, n) != 0)
		return -1;
	pthread_mutex_lock(&R.mu);
	struct job *j = find(job_id);
	int busy = j && !j->live.finished;
	pthread_mutex_unlock(&R.mu);
	if (busy) {
		snprintf(err, n, "job %lld is running in this precis already", (long long)job_id);
		return -1;
	}
	take(job_id, tid);
	return 0;
}

int llm_run_cancel(int64_t job_id)
{
	int done = 0;
	if (R.up) {
		pthread_mutex_lock(&R.mu);
		struct job *j = find(job_id);
		if (j && !j->live.finished) {
			if (j->started) {
				j->want_cancel = 1;
			} else {
				j->want_start = 0;
				j->live.finished = 1;
				j->live.state = AR_JOB_CANCELLED;
				snprintf(j->live.error, sizeof j->live.error, "cancelled");
				j->changed = 1;
				ar_job_finish(A->ar, job_id, AR_JOB_CANCELLED, "cancelled", 0);
				notify(0);
			}
			done = 1;
			pthread_cond_signal(&R.cv);
			if (R.e)
				llm_engine_wakeup(R.e);
		}
		pthread_mutex_unlock(&R.mu);
		if (j && done)
			return 1;
	}
	/* a job queued by someone else: cancel it in the archive */
	struct ar_job aj;
	if (ar_job_get(A->ar, job_id, &aj) == 0) {
		if (aj.state == AR_JOB_QUEUED || (aj.state == AR_JOB_RUNNING && aj.orphaned)) {
			if (ar_job_finish(A->ar, job_id, AR_JOB_CANCELLED, "cancelled", 0) == 0)
				done = 1;
		}
		ar_job_free(&aj);
	}
	return done;
}

static int copy_out(const struct job *j, struct llm_live *out)
{
	*out = j->live;
	out->text = j->live.text ? xstrndup(j->live.text, j->live.text_len) : NULL;
	return 1;
}

int llm_run_get(int64_t tid, struct llm_live *out)
{
	memset(out, 0, sizeof *out);
	if (!R.up)
		return 0;
	int r = 0;
	pthread_mutex_lock(&R.mu);
	for (size_t i = R.n; i-- > 0;)
		if (!tid || R.jobs[i].live.transcript_id == tid) {
			r = copy_out(&R.jobs[i], out);
			break;
		}
	pthread_mutex_unlock(&R.mu);
	return r;
}

int llm_run_get_job(int64_t job_id, struct llm_live *out)
{
	memset(out, 0, sizeof *out);
	if (!R.up)
		return 0;
	pthread_mutex_lock(&R.mu);
	struct job *j = find(job_id);
	int r = j ? copy_out(j, out) : 0;
	pthread_mutex_unlock(&R.mu);
	return r;
}

int llm_run_active(void)
{
	if (!R.up)
		return 0;
	int n = 0;
	pthread_mutex_lock(&R.mu);
	for (size_t i = 0; i < R.n; i++)
		n += !R.jobs[i].live.finished;
	pthread_mutex_unlock(&R.mu);
	return n;
}

void llm_run_listen(llm_run_fn fn, void *ctx)
{
	if (R.nls < MAX_LISTEN) {
		R.ls[R.nls].fn = fn;
		R.ls[R.nls].ctx = ctx;
		R.nls++;
	}
}

void llm_run_unlisten(llm_run_fn fn, void *ctx)
{
	for (int i = 0; i < R.nls; i++)
		if (R.ls[i].fn == fn && R.ls[i].ctx == ctx) {
			memmove(&R.ls[i], &R.ls[i + 1], (size_t)(R.nls - i - 1) * sizeof R.ls[0]);
			R.nls--;
			return;
		}
}

void llm_run_shutdown(void)
{
	if (!R.up)
		goto out;
	pthread_mutex_lock(&R.mu);
	R.quit = 1;
	pthread_cond_signal(&R.cv);
	if (R.e)
		llm_engine_wakeup(R.e);
	pthread_mutex_unlock(&R.mu);
	pthread_join(R.th, NULL);
	app_unwatch_fd(R.pfd[0]);
	close(R.pfd[0]);
	close(R.pfd[1]);
	for (size_t i = 0; i < R.n; i++)
		llm_live_free(&R.jobs[i].live);
	free(R.jobs);
	pthread_mutex_destroy(&R.mu);
	pthread_cond_destroy(&R.cv);
out:
	llm_config_free(&R.cfg);
	memset(&R, 0, sizeof R);
	R.pfd[0] = R.pfd[1] = -1;
}
