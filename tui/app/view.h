/* view.h — what the app's views share: the ops table every view
 * implements (tig's struct view_ops), the view stack and the app's state
 * (tui/app/state.h), the prompt (tui/app/prompt.h), styles and drawing
 * helpers. Internal to tui/app/.
 *
 * One file per view: view_list.c, view_reader.c, view_search.c,
 * view_map.c, view_versions.c, view_help.c. A view draws itself into the
 * rectangle it is given (its own header included); the app draws the
 * footer (key hints from the keymap) and the status line below it.
 * Handlers return what must happen (VR_*); only the loop draws, once per
 * pass, when something is dirty.
 */
#ifndef PRECIS_TUI_APP_VIEW_H
#define PRECIS_TUI_APP_VIEW_H

#include <stddef.h>
#include <stdint.h>
#include <curses.h>

#include "db/archive.h"
#include "render/cell.h"
#include "tui/app/app.h"
#include "tui/app/keymap.h"
#include "tui/app/prompt.h"
#include "tui/app/state.h"
#include "tui/fmt.h"

/* Hands the terminal to a program (the editor) and takes it back. */
void screen_suspend(void);
void screen_resume(void);
/* Writes raw bytes to the terminal after the next update (OSC 52, OSC 8);
 * the caller guarantees they are safe. */
void screen_raw(const char *s, size_t n);

/* ---- styles (tui/app/screen.c) -------------------------------------- */

#define APP_STYLES(S) \
	S(NORMAL, "normal") \
	S(BAR, "bar") \
	S(CURSOR, "cursor") \
	S(HIT, "hit") \
	S(CURHIT, "current-hit") \
	S(DIM, "dim") \
	S(HEADING, "heading") \
	S(BOLD, "bold") \
	S(PLACEHOLDER, "placeholder") \
	S(GUTTER, "gutter") \
	S(APPROVED, "approved") \
	S(FLAGGED, "flagged") \
	S(ERROR, "error") \
	S(LINK, "link") \
	S(CODE, "code") \
	S(FOCUS, "focus") \
	S(NODE, "node") \
	S(EDGE, "edge") \
	S(DIAGRAM, "diagram") \
	S(TITLE, "title") \
	S(EVIDENCE, "evidence") \
	S(EV_TERM, "evidence-term") \
	S(EV_SUPPORTED, "evidence-supported") \
	S(EV_WEAK, "evidence-weak") \
	S(EV_NONE, "evidence-none") \
	S(DEL, "diff-removed") \
	S(INS, "diff-added")

enum style {
#define S_ENUM(id, name) ST_##id,
	APP_STYLES(S_ENUM)
#undef S_ENUM
	ST_COUNT
};

attr_t style(enum style s);
/* 1 when colours are in use (a colour terminal and no NO_COLOR). */
int screen_has_colors(void);
/* The style of a rendered cell's attributes (enum rc_attr). */
attr_t style_cell(unsigned rc_attr);

/* ---- drawing helpers (tui/app/draw.c) ------------------------------- */

/* Glyphs with an ASCII fallback when the locale is not UTF-8. */
const char *glyph_vline(void);      /* │ or | */
const char *glyph_approved(void);   /* ✓ or + */
const char *glyph_focus(void);      /* ▶ or > */

/* Draws s (any bytes: cleaned for the terminal) at (y, x) in at most w
 * cells, cut with an ellipsis when longer. Returns the cells drawn. */
int draw_text(int y, int x, int w, const char *s, attr_t at);
/* The same for s[0..len). */
int draw_textn(int y, int x, int w, const char *s, size_t len, attr_t at);
/* Before an overlay draws its box's row y over columns x … x+w-1: a wide
 * character of the view below cut by either edge is blanked whole (curses
 * and the terminal would disagree about it; it came back lost or shifted
 * when the overlay closed). */
void draw_box_edges(int y, int x, int w);
/* Spaces from (y, x) over w cells. */
void draw_fill(int y, int x, int w, attr_t at);
/* Draws s (cleaned, one paragraph) wrapped at w cells over at most rows
 * rows from (y, x), words kept whole; the last row ends with an ellipsis
 * when it is cut. Returns the rows drawn. */
int draw_wrapped(int y, int x, int w, int rows, const char *s, attr_t at);
/* The rows s needs wrapped at w cells. */
int wrapped_rows(const char *s, int w);
/* Display width of s after cleaning. */
int text_width(const char *s);


/* ---- views ---------------------------------------------------------- */

/* The list (start screen). */
struct view *list_open(void);
/* The reader on transcript id; query (may be NULL) is an archive search
 * whose hits are highlighted in both panes. Returns NULL (message shown)
 * when it cannot be read. */
struct view *reader_open(int64_t id, const char *query);
/* The transcript reader v shows; 0 when v is not a reader. */
int64_t reader_transcript(struct view *v);
/* Replaces the summary a reader shows (a new or streaming version):
 * re-laid out keeping the same text at the top of the pane. */
void reader_set_summary(struct view *v, const char *markdown, size_t len);
/* After a review (tui/app/review.c): ok[i] says which of n tagged rows
 * were reviewed (ok is NULL for one transcript, which was). */
typedef void (*review_done_fn)(struct view *v, const unsigned char *ok, size_t n);
/* Review of transcript id for action a (approve, flag with a prompted
 * reason, clear) of the version the user saw, expect (its summary id, 0
 * for none; AR_REVIEW_ANY: unchecked); refused with a message when
 * another is current. v's reload() runs afterwards, then done (may be
 * NULL) when the review was written. */
void app_review(struct view *v, int64_t id, int64_t expect, enum action a, review_done_fn done);
/* The same for n tagged rows (each with the version it had when tagged),
 * after asking, in one transaction. */
void app_review_tagged(struct view *v, const struct ar_row_ref *rows, size_t n, enum action a,
                       review_done_fn done);
/* Actions on a transcript that the list and the reader share
 * (tui/app/row_actions.c): e (a new edited version of the current
 * summary, expect being the version the user saw: 0 for none,
 * AR_REVIEW_ANY unchecked; returns 1 when one was saved), m, o. */
int app_edit_summary(int64_t id, int64_t expect);
void app_open_map(int64_t id);
void app_open_url(const char *url, long at_seconds);
/* The review history of transcript id (H). */
struct view *reviews_open(int64_t id);
/* The help overlay, scrolled to the keys of context ctx (the view it
 * was asked from). */
struct view *help_open(unsigned ctx);
/* Versions of transcript id; on_change(ctx) after a version is made
 * current. */
struct view *versions_open(int64_t id, void (*on_change)(void *ctx), void *ctx);
/* The archive search. */
struct view *search_open(void);
/* The LLM jobs (w). */
struct view *jobs_open(void);
/* What changed from the previous summary version to the current one of
 * transcript id (D). NULL (message shown) when there is nothing to compare. */
struct view *diff_open(int64_t id);
/* The same for the summary version sid of transcript id against the
 * current one (sid 0, or the current itself: its previous version). */
struct view *diff_open_version(int64_t id, int64_t sid);
/* The concept map of a Mermaid source (title for the header). */
struct view *map_open(const char *src, size_t len, const char *title);

#endif
