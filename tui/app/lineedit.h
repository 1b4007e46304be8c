/* lineedit.h — a one-line editor (no readline: it would install its own
 * SIGWINCH handling): cursor keys, Home/End, Backspace/Del, Ctrl-U/K/W/A/E,
 * Esc, Ctrl-G or Ctrl-C to cancel,
 * wide and combining characters (the cursor moves by grapheme cluster),
 * long pastes. Drawn cleaned (render/sanitize.h), scrolled horizontally so
 * the cursor stays visible. */
#ifndef PRECIS_TUI_APP_LINEEDIT_H
#define PRECIS_TUI_APP_LINEEDIT_H

#include <stddef.h>

struct lineedit {
	char *buf;          /* NUL-terminated UTF-8 */
	size_t len, cap;
	size_t cur;         /* byte offset of the cursor (a cluster boundary) */
};

enum le_result { LE_IGNORED = 0, LE_MOVED, LE_CHANGED, LE_ENTER, LE_CANCEL };

void le_init(struct lineedit *e, const char *text);
void le_free(struct lineedit *e);
/* Replaces the text with text, the cursor at its end. */
void le_set(struct lineedit *e, const char *text);
/* Handles one key (keymap.h codes). */
enum le_result le_key(struct lineedit *e, int key);
/* Draws the text at (y, x) in w cells; returns the cursor's column. */
int le_draw(const struct lineedit *e, int y, int x, int w, unsigned long attr);

#endif
