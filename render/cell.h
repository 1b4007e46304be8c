/* cell.h — one drawn cluster of a laid-out line, and its attributes.
 *
 * render/ hands tui/ lines as arrays of cells: each cell is one grapheme
 * cluster (or placeholder, or indent space) already made safe, with the
 * column it starts at and how many columns it takes. tui/ draws each cell
 * at its column, so nothing it draws can shift the rest of the row.
 */
#ifndef PRECIS_RENDER_CELL_H
#define PRECIS_RENDER_CELL_H

#include <stddef.h>
#include <stdint.h>

#include "render/sanitize.h"

enum rc_attr {
	RC_BOLD        = 1u << 0,
	RC_ITALIC      = 1u << 1,
	RC_HEADING     = 1u << 2,   /* a heading (or bold-only paragraph) */
	RC_LIST        = 1u << 3,   /* list number or bullet */
	RC_CODE        = 1u << 4,   /* inline code or code block */
	RC_LINK        = 1u << 5,
	RC_PLACEHOLDER = 1u << 6,   /* stands in for a control, escape, invalid
	                               bytes or a glyph the terminal can't place */
	RC_DIM         = 1u << 7,   /* rules, quote bars, secondary text */
	RC_HIGHLIGHT   = 1u << 8,   /* a search hit */
	RC_DIAGRAM     = 1u << 9,   /* the Mermaid placeholder line */
	RC_QUOTE       = 1u << 10,  /* block quote text */
};

struct rc_cell {
	char text[RS_GLYPH_MAX];   /* NUL-terminated UTF-8, safe to draw */
	uint8_t len;               /* bytes in text */
	uint8_t width;             /* columns (1…8) */
	uint16_t attr;             /* enum rc_attr bits */
	int col;                   /* first column, indent included */
	size_t off;                /* byte offset of the cluster in the laid-out
	                              text (indent cells: the line's start) */
};

#endif
