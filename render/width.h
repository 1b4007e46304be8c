/* width.h — the one display-width function precis uses everywhere.
 *
 * Cells per grapheme cluster (utf8proc): East Asian Wide/Fullwidth = 2,
 * combining marks and ZWJ-joined parts = 0 (joined to their base), emoji
 * presentation = 2; ambiguous width = 1 unless rw_set_ambiguous_wide(1).
 * Invalid UTF-8 counts as U+FFFD (1 cell) per invalid byte run.
 * Never include ncurses here.
 */
#ifndef PRECIS_RENDER_WIDTH_H
#define PRECIS_RENDER_WIDTH_H

#include <stddef.h>
#include <stdint.h>

/* Display cells of the UTF-8 string s[0..len). Control characters count as
 * the width of the visible placeholder the renderer shows for them. */
int rw_width(const char *s, size_t len);

/* Width of a NUL-terminated string. */
int rw_swidth(const char *s);

/* Decode one code point at s[0..len): stores it in *cp (U+FFFD when the
 * bytes are invalid) and returns the bytes consumed (≥ 1 when len > 0). */
size_t rw_decode(const char *s, size_t len, int32_t *cp);

/* Treat East Asian Ambiguous characters as 2 cells (CJK terminals). */
void rw_set_ambiguous_wide(int on);
int rw_ambiguous_wide(void);

#endif
