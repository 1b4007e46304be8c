/* pane.h — a scrolled, wrapped text pane of the reader (transcript or
 * summary): a layout document (render/layout.h) shown from a top line,
 * with gutters, highlight layers and an optional cursor line.
 *
 * Position is kept as the byte offset of the top line's first character
 * (anchor), so a re-wrap (resize, layout toggle, a summary that changes
 * while shown) keeps the same text at the top.
 *
 * Decorations are general so later features add to them without
 * changing the pane:
 *  - gutters: columns left of the text, each a callback that fills its
 *    cells for a laid-out line (the transcript's times; evidence marks);
 *  - marks: layers of byte ranges drawn with a style (search hits, the
 *    current hit, an evidence passage); later layers win;
 *  - cursor: a highlighted line (-1: none), e.g. the summary line whose
 *    evidence is shown.
 */
#ifndef PRECIS_TUI_APP_PANE_H
#define PRECIS_TUI_APP_PANE_H

#include <stddef.h>

#include "render/layout.h"
#include "tui/app/view.h"

/* Fills buf (≤ n bytes, the gutter's width in cells when drawn) for
 * laid-out line k of the pane's document; *st is the style. */
typedef void (*pane_gutter_fn)(void *ctx, const struct rl_doc *d, size_t k,
                               char *buf, size_t n, enum style *st);

struct pane_gutter {
	int width;            /* cells, separator included */
	pane_gutter_fn fn;
	void *ctx;
};

struct pane_marks {
	const struct rl_range *r;   /* sorted by off */
	size_t n;
	enum style st;
};

#define PANE_MAX_GUTTERS 4
#define PANE_MAX_MARKS 4

struct pane {
	struct rl_doc *doc;         /* not owned */
	size_t anchor;              /* byte offset of the top line's start */
	size_t top;                 /* first line shown in the current wrap */
	int text_w, h;              /* last layout */
	long cursor;                /* highlighted line, -1 none */
	int want;                   /* show want_off at the next layout */
	size_t want_off;
	struct pane_gutter gutters[PANE_MAX_GUTTERS];
	int ngutters;
	struct pane_marks marks[PANE_MAX_MARKS];
	int nmarks;
};

void pane_init(struct pane *p, struct rl_doc *doc);
/* Replaces the document keeping the anchor (clamped to the new text). */
void pane_set_doc(struct pane *p, struct rl_doc *doc);
/* Adds a gutter; returns its index or -1. */
int pane_add_gutter(struct pane *p, int width, pane_gutter_fn fn, void *ctx);
/* Sets mark layer i (0 … PANE_MAX_MARKS-1). */
void pane_set_marks(struct pane *p, int i, const struct rl_range *r, size_t n, enum style st);
/* Draws at r (laid out to r first). */
void pane_draw(struct pane *p, struct rect r);
/* Scrolls by delta lines (clamped). */
void pane_scroll(struct pane *p, long delta);
/* Puts line k at the top (clamped). */
void pane_goto_line(struct pane *p, size_t k);
/* Makes byte offset off visible, about a third down when it must move. */
void pane_show_off(struct pane *p, size_t off);
/* Lines in the current layout. */
size_t pane_lines(const struct pane *p);
/* Percentage through the text ("Top", "Bot", "All", "42%") into buf. */
void pane_where(const struct pane *p, char *buf, size_t n);

#endif
