/* llm_run.h — the app's LLM jobs: summaries asked for with `r` in the
 * reader, run in the background while the user keeps browsing.
 *
 * One worker thread owns an engine (net/llm.h) and its own connection to
 * the archive; the loop hears from it through a pipe it watches
 * (app_watch_fd), so the screen never waits on the network. The state of
 * each job this app started (stage, chunks, tokens, the answer's text as
 * it streams) is kept here for the views to read; what other processes
 * run is in the archive (ar_jobs_list).
 */
#ifndef PRECIS_TUI_APP_LLM_RUN_H
#define PRECIS_TUI_APP_LLM_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "db/archive.h"
#include "net/llm.h"

/* One job of this app, as last reported. */
struct llm_live {
	int64_t job_id, transcript_id;
	enum ar_job_state state;   /* queued/running, or how it ended */
	int finished;
	char stage[160];
	int chunks_done, chunks_total;
	long tokens_in, tokens_out;
	int64_t elapsed_ms;
	char *text;                /* the answer as it streams (malloc'd copy) */
	size_t text_len;
	char error[640];
	char warning[640];
	int64_t summary_id;
	int64_t t0_ms;             /* when it started (monotonic), 0 while queued */
};
void llm_live_free(struct llm_live *l);
/* Milliseconds since the job started, ticking while nothing arrives (the
 * wait for the first token); its final time once it ended. */
int64_t llm_live_elapsed(const struct llm_live *l);

/* The settings the app uses ([llm], the environment). 0, or -1 with one
 * line saying how to configure an endpoint. */
int llm_run_config(struct llm_config *out, char *err, size_t n);

/* Queues a summary of transcript tid and starts it. Returns the job id,
 * or -1 with a reason in err. */
int64_t llm_run_start(int64_t tid, char *err, size_t n);
/* Resumes job_id (of transcript tid), a job left queued or interrupted
 * (its process gone): the chunks whose notes were stored are not asked
 * again. 0, or -1 with the reason in err; a job that another live precis
 * runs ends at once as failed, saying so. */
int llm_run_resume(int64_t job_id, int64_t tid, char *err, size_t n);
/* Cancels job_id if this app runs it (or a queued job of anyone); 1 when
 * something was cancelled. */
int llm_run_cancel(int64_t job_id);
/* The newest job of this app for transcript tid (0 = any transcript: the
 * newest job). 1 and a copy in *out (llm_live_free), 0 when none. */
int llm_run_get(int64_t tid, struct llm_live *out);
/* The same by job id. */
int llm_run_get_job(int64_t job_id, struct llm_live *out);
/* Jobs of this app still queued or running. */
int llm_run_active(void);

/* fn(ctx, tid, finished) is called from the loop when a job of
 * transcript tid changed (finished: it just ended). At most 8 listeners. */
typedef void (*llm_run_fn)(void *ctx, int64_t tid, int finished);
void llm_run_listen(llm_run_fn fn, void *ctx);
void llm_run_unlisten(llm_run_fn fn, void *ctx);

/* Stops the worker (at exit): running jobs go back to the queue. */
void llm_run_shutdown(void);

#endif
