/* llm_app.h — the LLM client's hooks in the reader (tui/app/llm_app.c):
 * r, c, the streamed text and the progress on the status line. */
#ifndef PRECIS_TUI_APP_LLM_APP_H
#define PRECIS_TUI_APP_LLM_APP_H

struct view;

/* r: asks, then starts a summary of the reader's transcript. */
void llm_app_resummarize(struct view *v);
/* c: cancels the summary being written for the reader's transcript. */
void llm_app_cancel(struct view *v);
/* A reader opened / closed: follow its transcript's jobs. */
void llm_app_attach(struct view *v);
void llm_app_detach(struct view *v);

#endif
