/* print.h — documents laid out for a stream (the command line's `show`). */
#ifndef PRECIS_RENDER_PRINT_H
#define PRECIS_RENDER_PRINT_H

#include <stddef.h>
#include <stdio.h>

struct rl_doc;

/* Writes text[0..len) to f, made safe for a terminal (no control or escape
 * sequence passes through: render/sanitize.h). width > 0 wraps to that many
 * cells (every line ≤ width); 0 leaves lines unwrapped. markdown != 0
 * renders it as a summary (styled lines, Mermaid block as a placeholder).
 * color != 0 may use SGR attributes (bold, underline, dim, reverse);
 * otherwise the output holds no escape code at all.
 * Returns 0, or -1 on a write error. */
int rp_print(FILE *f, const char *text, size_t len, int width, int markdown, int color);

/* The same for a document already analysed (render/layout.h). */
int rp_print_doc(FILE *f, struct rl_doc *d, int width, int color);

#endif
