/* prompt.h — the one-line prompt and the yes/no question on the status
 * line (tui/app/prompt.c, on the line editor). Views ask; the loop
 * (tui/app/app.c) hands it the keys and draws it. Internal to tui/app/. */
#ifndef PRECIS_TUI_APP_PROMPT_H
#define PRECIS_TUI_APP_PROMPT_H

/* A one-line prompt on the status line (the line editor): done is called
 * with the text on Enter, or NULL on Esc. */
typedef void (*prompt_fn)(void *ctx, const char *text);
void app_prompt(const char *label, const char *init, prompt_fn done, void *ctx);
/* The same, with changed(ctx, text) called after each edit (a search
 * that highlights while typing); done still ends it. */
void app_prompt_live(const char *label, const char *init, prompt_fn done, prompt_fn changed,
                     void *ctx);
/* A yes/no question on the status line, answered by one key: y or Enter
 * calls done with "y", n, q, Esc or Ctrl-C with NULL; other keys are
 * ignored. */
void app_confirm(const char *label, prompt_fn done, void *ctx);

/* 1 while a prompt or a question is open. */
int prompt_active(void);
/* Gives key to the open prompt: 1 when it took it (it takes every key
 * while open), 0 when none is open. */
int prompt_key(int key);
/* Draws the open prompt on line y with the cursor in it. */
void prompt_draw(int y);
/* Closes the open prompt without answering (the app ends). */
void prompt_end(void);

#endif
