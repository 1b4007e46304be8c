/* llm_app.h — the LLM client's hooks in the reader (tui/app/llm_app.c):
 * r, c, and the progress on the status line. The reader shows the streamed
 * text itself. */
#ifndef PRECIS_TUI_APP_LLM_APP_H
#define PRECIS_TUI_APP_LLM_APP_H

#include <stddef.h>
#include <stdint.h>

struct llm_live;
struct ar_job;

/* r: asks, then starts a summary of transcript tid. */
void llm_app_resummarize(int64_t tid);
/* r in the list with rows tagged: asks once, then queues a summary of
 * each of the n transcripts; the status line follows them (done, failed,
 * to go) until the last ends. queued(ctx) runs once they are queued.
 * Returns 0 when asking, -1 when it cannot (message shown). */
int llm_app_resummarize_many(const int64_t *ids, size_t n, void (*queued)(void *ctx), void *ctx);
/* r in the jobs view on a job left unfinished (queued by a precis that
 * quit, or interrupted): asks, then resumes it where it stopped. */
void llm_app_resume(const struct ar_job *j);
/* c: cancels the summary being written for transcript tid. */
void llm_app_cancel(int64_t tid);
/* The status line for a running job l of transcript tid (stage, chunks,
 * tokens, elapsed). */
void llm_app_progress(int64_t tid, const struct llm_live *l);
/* The status line for a job l that has just ended: the new summary, or
 * why the old one stays (cancelled, stopped, failed). */
void llm_app_ended(const struct llm_live *l);
/* The same, said where the user is when the reader of that transcript
 * is not on screen (the list, the jobs, another transcript): names it. */
void llm_app_ended_elsewhere(const struct llm_live *l);

#endif
