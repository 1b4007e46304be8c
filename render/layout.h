/* layout.h — wrapping text into terminal lines, with a cached line index.
 *
 * A document is a text (UTF-8, any bytes) cut into blocks (paragraphs with
 * a first-line and a hanging indent and a block attribute) and attribute
 * spans. rl_new() analyses it once, width-independently: grapheme clusters
 * and their widths (render/sanitize.h) and the UAX #14 break opportunities
 * (libunibreak). rl_wrap() then lays it out at a width in one linear pass,
 * and keeps that layout until asked for another width. Queries on a layout
 * are O(1) (line k) or O(log n) (line of a byte offset).
 *
 * Wrapping: breaks at UAX #14 opportunities (spaces in Latin text, between
 * CJK characters, never before closing punctuation such as 。，、！？）」 nor
 * after opening brackets), never inside a grapheme cluster; a run with no
 * opportunity that does not fit (a long URL, unpunctuated text) is broken
 * at the last cluster that fits. Spaces at a soft break are not shown.
 * A cluster wider than the room left (a wide character at width 1) gets a
 * line of its own and is shown as a placeholder of the room's width. Every
 * line is at most the width; width ≤ 0 means unwrapped (line ends only).
 *
 * Memory: the text, one byte of analysis per byte of text (where each
 * cluster starts, its width, break flags), the blocks and spans given,
 * and 24 bytes per line of the current layout: about three times the text
 * (a 12-byte unit per cluster and 40-byte lines made it ~15 times, 13–19
 * for summaries with their Markdown). Re-wrapping reads the analysis
 * bytes: about 1.4 times the instructions of the unit array.
 *
 * Widths are taken when rl_new() runs: after rw_set_ambiguous_wide()
 * changes, make the document again (terminal-safe mode changes no width).
 * A document is not safe to share between threads while rl_wrap() runs.
 */
#ifndef PRECIS_RENDER_LAYOUT_H
#define PRECIS_RENDER_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#include "render/cell.h"

/* Offsets are 32-bit: a document's text is cut at 4 GB. */
struct rl_block {
	uint32_t off, end;        /* text[off..end): may hold '\n' (hard breaks) */
	int indent_first;         /* cells before the first line */
	int indent_rest;          /* cells before every following line */
	unsigned attr;            /* enum rc_attr bits for the whole block */
};

struct rl_span {
	uint32_t off, end;        /* sorted, non-overlapping */
	unsigned attr;
};

struct rl_line {
	uint32_t off;             /* first byte shown */
	uint32_t end;             /* just past the last byte shown (trailing
	                             spaces and the line end are not shown) */
	uint32_t block;           /* index of its block */
	int width;                /* cells, indent included: ≤ the wrap width */
	int indent;               /* indent cells at the start */
	int clipped;              /* 1: its one cluster did not fit (placeholder) */
};

/* A highlighted byte range (search hits), sorted by off. */
struct rl_range {
	size_t off, end;
};

struct rl_doc;

/* Analyses text[0..len) (copied). blocks == NULL: one block for the whole
 * text, no indent. Blocks must be sorted and not overlap; spans may be
 * NULL. Never returns NULL (allocation failure aborts). */
struct rl_doc *rl_new(const char *text, size_t len,
                      const struct rl_block *blocks, size_t nblocks,
                      const struct rl_span *spans, size_t nspans);
/* Like rl_new, but takes text, blocks and spans over (each malloc'd or
 * NULL; text holds len bytes, its capacity may be larger) instead of
 * copying them: the document owns and frees them from now on. */
struct rl_doc *rl_new_owned(char *text, size_t len,
                            struct rl_block *blocks, size_t nblocks,
                            struct rl_span *spans, size_t nspans);
void rl_free(struct rl_doc *d);

/* The document's text (NUL-terminated copy). */
const char *rl_text(const struct rl_doc *d, size_t *len);

/* Lays the document out at width cells (≤ 0: unwrapped) unless it already
 * is; returns the number of lines. */
size_t rl_wrap(struct rl_doc *d, int width);

/* Lays out blocks [b0, b1) alone at width cells: the lines are only
 * theirs (to print a document a piece at a time, holding the lines of
 * one piece); the next rl_wrap() lays the whole document out again.
 * Returns the number of lines. */
size_t rl_wrap_blocks(struct rl_doc *d, int width, size_t b0, size_t b1);

/* Number of blocks (1 when rl_new was given none). */
size_t rl_block_count(const struct rl_doc *d);

/* The width of the current layout (0 when unwrapped). */
int rl_width(const struct rl_doc *d);

/* Lines of the current layout. */
size_t rl_count(const struct rl_doc *d);

/* Line k of the current layout, or NULL when k ≥ rl_count(). */
const struct rl_line *rl_line(const struct rl_doc *d, size_t k);

/* The line that shows byte offset off (the last line starting at or before
 * it; offsets in skipped spaces belong to the line before). 0 when empty. */
size_t rl_line_at(const struct rl_doc *d, size_t off);

/* Column of byte offset off within line k (indent included): the column of
 * the cluster holding off, or the line's width when off is past its end. */
int rl_col_at(const struct rl_doc *d, size_t k, size_t off);

/* Fills cells[0..max) with line k: indent cells (one space each), then one
 * cell per cluster with its safe glyph, column and attributes; cells that
 * overlap hl[0..nhl) get RC_HIGHLIGHT. Returns the number of cells (at most
 * rl_line(d,k)->width, so max ≥ the wrap width is enough; unwrapped lines
 * can be longer: size by the line's width). */
size_t rl_cells(const struct rl_doc *d, size_t k, struct rc_cell *cells,
                size_t max, const struct rl_range *hl, size_t nhl);

/* Number of grapheme clusters analysed (for tests and benches). */
size_t rl_cluster_count(const struct rl_doc *d);

#endif
