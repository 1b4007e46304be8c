/* prompt.c — the one-line prompt and the yes/no question on the status
 * line: the line editor (tui/app/lineedit.c) under a label, answered by
 * Enter/Esc or, for a question, by one key. Below the views that ask;
 * the loop gives it the keys and draws it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <curses.h>

#include "render/alloc.h"
#include "tui/app/lineedit.h"
#include "tui/app/view.h"

static struct {
	int active;
	int confirm;        /* a yes/no question: one key answers */
	char label[256];
	struct lineedit le;
	prompt_fn done;
	prompt_fn changed;  /* after each edit, or NULL */
	void *ctx;
} prompt;

void app_prompt(const char *label, const char *init, prompt_fn done, void *ctx)
{
	if (prompt.active)
		le_free(&prompt.le);
	prompt.active = 1;
	prompt.confirm = 0;
	snprintf(prompt.label, sizeof prompt.label, "%s", label);
	le_init(&prompt.le, init);
	prompt.done = done;
	prompt.changed = NULL;
	prompt.ctx = ctx;
	app_dirty();
}

void app_prompt_live(const char *label, const char *init, prompt_fn done, prompt_fn changed,
                     void *ctx)
{
	app_prompt(label, init, done, ctx);
	prompt.changed = changed;
}

void app_confirm(const char *label, prompt_fn done, void *ctx)
{
	char l[256];
	snprintf(l, sizeof l, "%s (y/n) ", label);
	app_prompt(l, "", done, ctx);
	prompt.confirm = 1;
}

int prompt_active(void)
{
	return prompt.active;
}

/* The answer a key gives to a yes/no question: 1 yes, 0 no, -1 neither
 * (the question stays). */
static int confirm_answer(int key)
{
	switch (key) {
	case 'y': case 'Y': case '\n': case '\r': case KEY_ENTER:
		return 1;
	case 'n': case 'N': case 'q': case 27: case 3:   /* Esc, Ctrl-C */
		return 0;
	default:
		return -1;
	}
}

int prompt_key(int key)
{
	if (!prompt.active)
		return 0;
	enum le_result r;
	if (prompt.confirm) {
		int yes = confirm_answer(key);
		if (yes < 0)
			return 1;
		le_free(&prompt.le);
		le_init(&prompt.le, yes ? "y" : "");
		r = yes ? LE_ENTER : LE_CANCEL;
	} else {
		r = le_key(&prompt.le, key);
	}
	if (r == LE_ENTER || r == LE_CANCEL) {
		char *text = r == LE_ENTER ? xstrdup(prompt.le.buf) : NULL;
		prompt_fn done = prompt.done;
		void *ctx = prompt.ctx;
		prompt.active = 0;
		le_free(&prompt.le);
		done(ctx, text);
		free(text);
	} else if (r == LE_CHANGED && prompt.changed) {
		prompt.changed(prompt.ctx, prompt.le.buf);
	}
	app_dirty();
	return 1;
}

void prompt_draw(int y)
{
	int lw = draw_text(y, 0, COLS - 1, prompt.label, A_BOLD);
	int cx = le_draw(&prompt.le, y, lw, COLS - lw, A_NORMAL);
	curs_set(1);
	move(y, cx < COLS ? cx : COLS - 1);
}

void prompt_end(void)
{
	if (prompt.active)
		le_free(&prompt.le);
	prompt.active = 0;
}
