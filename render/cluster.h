/* cluster.h — text as grapheme clusters with their widths: the part of
 * the sanitizer that measures (render/sanitize.h draws).
 *
 * rs_next() cuts UTF-8 text into the units precis lays out and draws:
 * grapheme clusters (utf8proc's Unicode 15 rules) with their cells
 * (render/cpwidth.h), and the pieces the sanitizer shows as placeholders —
 * controls, whole escape sequences, invalid runs, line ends, invisible
 * format characters (render/sanitize.h says what is drawn for each).
 * Above render/utf8.h and render/cpwidth.h; below render/width.h and
 * render/sanitize.h, which include it. Never include ncurses here.
 */
#ifndef PRECIS_RENDER_CLUSTER_H
#define PRECIS_RENDER_CLUSTER_H

#include <stddef.h>
#include <stdint.h>

enum rs_kind {
	RS_TEXT = 0,     /* a grapheme cluster drawn as itself */
	RS_SPACE,        /* one ASCII space: a break point, skipped at wrap */
	RS_TAB,          /* a tab: width decided by the column (see below) */
	RS_NEWLINE,      /* line end: width 0, nothing drawn */
	RS_CONTROL,      /* C0/DEL/C1 control shown as a placeholder */
	RS_ESCAPE,       /* a whole escape sequence shown as "^[" */
	RS_INVALID,      /* invalid UTF-8 run shown as U+FFFD */
	RS_DROPPED,      /* invisible format character: width 0, not drawn */
};

struct rs_cluster {
	size_t off;      /* first byte in the source text */
	size_t len;      /* bytes in the source (≥ 1) */
	int width;       /* cells (0 for RS_TAB: see rs_tab_width) */
	enum rs_kind kind;
	int32_t cp;      /* first code point (U+FFFD for invalid bytes) */
};

/* Reads the cluster starting at s[pos] (pos < len) into *c. Returns the
 * offset just past it (pos + c->len). */
size_t rs_next(const char *s, size_t len, size_t pos, struct rs_cluster *c);

/* Cells a tab takes at column col (next multiple of 8). */
static inline int rs_tab_width(int col) { return 8 - (col & 7); }

/* 1 when code point cp is drawn as part of a cluster (joiners, tags and
 * ordinary characters); 0 for controls, line and paragraph separators and
 * the format characters rs_glyph() leaves out. */
int rs_drawn_in_cluster(int32_t cp);

#endif
