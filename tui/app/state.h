/* state.h — the app's state and the helpers every view shares: the
 * settings and the archive (A), the view stack, the status line's
 * message, the read-only check. Internal to tui/app/.
 *
 * A leaf below the views (tui/app/state.c calls nothing of the app but
 * tui/app/screen.c, and a view only through its ops table): the views
 * call down into it, and the loop (tui/app/app.c) sits above them all.
 */
#ifndef PRECIS_TUI_APP_STATE_H
#define PRECIS_TUI_APP_STATE_H

#include <stddef.h>
#include <stdint.h>

#include "db/archive.h"
#include "tui/app/app.h"
#include "tui/app/keymap.h"

struct cfg;

struct rect { int y, x, h, w; };

enum view_result {
	VR_UNHANDLED = 0,   /* not mine: try the shared handlers */
	VR_DONE,            /* handled (redraw) */
	VR_CLOSE,           /* pop this view */
	VR_QUIT,            /* leave the app */
};

struct view;

struct view_ops {
	const char *name;
	unsigned ctx;       /* keymap context (enum key_ctx) */
	int overlay;        /* drawn over the view below it */
	/* Draws into r. */
	void (*draw)(struct view *v, struct rect r);
	/* Handles an action from the keymap; enum view_result. */
	int (*request)(struct view *v, enum action a);
	/* Raw key before the keymap (line editing); VR_UNHANDLED: use the
	 * keymap. May be NULL. */
	int (*key)(struct view *v, int key);
	/* The archive may have changed (R, or a view above was closed). May
	 * be NULL. */
	void (*reload)(struct view *v);
	/* A mouse event at screen (y, x): button 1 click, 4 wheel up, 5 wheel
	 * down. May be NULL. */
	void (*mouse)(struct view *v, int y, int x, int button);
	/* The footer's key hints into buf (at most width cells) when the view
	 * has its own (the search while its query is typed: the line
	 * editor's keys; the list: its choice of actions, named as bound,
	 * keymap_footer_of()); 0 to use the keymap's. May be NULL. */
	int (*footer)(struct view *v, char *buf, size_t n, int width);
	/* Right part of the status line (position, hit count) into buf. May
	 * be NULL. */
	void (*status)(struct view *v, char *buf, size_t n);
	/* Where the terminal cursor goes: 1 and (*y, *x), or 0 (hidden). May
	 * be NULL. */
	int (*cursor)(struct view *v, int *y, int *x);
	/* Frees the view's state (the struct view itself is the app's). */
	void (*close)(struct view *v);
	/* Shows the evidence of concept-map node node_id (the map's `e` on
	 * the view below it). May be NULL: the view has no evidence. */
	void (*show_node)(struct view *v, const char *node_id);
	/* Another connection committed to the archive (another reviewer's
	 * review, a summary finished elsewhere): the view re-reads what it
	 * shows. Asked every second of every open view (tui/app/app.c).
	 * May be NULL. */
	void (*changed)(struct view *v);
};

struct view {
	const struct view_ops *ops;
	void *priv;
	struct rect area;   /* last drawn */
};

/* ---- the app's state ------------------------------------------------ */

enum layout_pref { LAYOUT_AUTO = 0, LAYOUT_SIDE, LAYOUT_STACKED };

struct app {
	struct archive *ar;
	const char *db_path;
	int readonly;
	char ro_reason[700];
	struct cfg *cfg;
	char cfg_path[4096];
	int utf8;            /* the locale is UTF-8: Unicode glyphs */
	/* [ui] */
	int stack_below;     /* columns under which the reader stacks */
	int split;           /* transcript share of the reader, percent */
	enum layout_pref layout;
	int mouse;
	int ascii_map;       /* [ui] map_ascii */
	char copy_command[256];
	/* the list's order, direction, filter and pattern: J/K in the reader
	 * walk the same queue */
	enum ar_sort sort;
	int reverse;
	enum ar_filter filter;
	char pattern[256];
	/* the transcript the reader was last on: the list's cursor follows */
	int64_t follow_id;
	/* [review] name, else the login name (tui/reviewer.h); "" unknown */
	char reviewer[128];
	int advance;         /* [review] advance: a and x in the reader go on
	                        to the next to review (default yes) */
};

extern struct app *A;

/* Pushes a new view with ops and priv on top. */
struct view *app_push(const struct view_ops *ops, void *priv);
/* Closes the top view (the one below is refreshed). */
void app_pop(void);
/* The view under v, or NULL. */
struct view *app_below(struct view *v);
/* Asks the loop to end after this pass. */
void app_quit(void);
/* 1 (and a message on the status line) when the archive is read-only:
 * call before any write, with what the write was ("approve"). */
int app_check_writable(const char *what);
/* Stores section.key = value in the config file, with a message on
 * failure. */
void app_store(const char *section, const char *key, const char *value);
/* The list's query (order, direction, filter, pattern) into *q; its
 * pattern points into A. */
void app_list_query(struct ar_page_query *q);

/* ---- for the loop (tui/app/app.c) ----------------------------------- */

/* How many views are open; the one at i (0 is the bottom). */
int app_view_count(void);
struct view *app_view_at(int i);
/* The top view, or NULL when none is open. */
struct view *app_top(void);
/* The status line's message ("" when none); *is_error says whether it is
 * drawn as an error. */
const char *app_status_text(int *is_error);
/* How long the message has been shown, in ms (0 when none). */
long long app_status_age_ms(void);
/* Clears the message (a key was pressed). */
void app_status_clear(void);

#endif
