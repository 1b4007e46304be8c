/* cpwidth.h — cells of one code point, and the two display settings.
 *
 * The leaf of the width functions: render/cluster.h (clusters and their
 * widths), render/width.h (strings) and render/sanitize.h (glyphs) are
 * built on it. Widths are utf8proc 2.8's (Unicode 15): East Asian
 * Wide/Fullwidth = 2, combining marks = 0, ambiguous width = 1 unless
 * rw_set_ambiguous_wide(1) (table generated from EastAsianWidth.txt by
 * render/gen/gen_eaw.py). Never include ncurses here.
 */
#ifndef PRECIS_RENDER_CPWIDTH_H
#define PRECIS_RENDER_CPWIDTH_H

#include <stdint.h>

/* Treat East Asian Ambiguous characters as 2 cells (CJK terminals). */
void rw_set_ambiguous_wide(int on);
int rw_ambiguous_wide(void);

/* 1 when cp is East Asian Ambiguous (whatever the setting). */
int rw_is_ambiguous(int32_t cp);

/* Cells of one code point on its own (0, 1 or 2), honouring the
 * ambiguous setting; controls count 0 here (the sanitizer decides). */
int rw_cp_width(int32_t cp);

/* Terminal-safe mode (see render/width.h): the sanitizer then draws a
 * stand-in of the same width for every cluster libc and the terminal may
 * place differently. Off by default. */
void rw_set_terminal_safe(int on);
int rw_terminal_safe_mode(void);

#endif
