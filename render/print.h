/* print.h — documents laid out for a stream (the command line's `show`). */
#ifndef PRECIS_RENDER_PRINT_H
#define PRECIS_RENDER_PRINT_H

#include <stddef.h>
#include <stdio.h>

/* Writes text[0..len) to f, made safe for a terminal (no control or escape
 * sequence passes through). width > 0 wraps to that many cells; 0 leaves
 * lines unwrapped. markdown != 0 renders it as a summary (styled lines,
 * Mermaid block as a placeholder). color != 0 may use SGR attributes.
 * Returns 0, or -1 on a write error. */
int rp_print(FILE *f, const char *text, size_t len, int width, int markdown, int color);

#endif
