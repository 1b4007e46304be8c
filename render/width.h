/* width.h — the one display-width function precis uses everywhere.
 *
 * Cells per grapheme cluster (utf8proc 2.8, Unicode 15): East Asian
 * Wide/Fullwidth = 2, combining marks and ZWJ-joined parts = 0 (joined to
 * their base), emoji presentation, emoji + VS16, ZWJ sequences, modifier
 * sequences and flags = 2; ambiguous width = 1 unless
 * rw_set_ambiguous_wide(1) (table generated from EastAsianWidth.txt by
 * render/gen/gen_eaw.py). Invalid UTF-8 counts as one U+FFFD per run of
 * invalid bytes. Control characters and escape sequences count as the
 * visible placeholder the sanitizer (render/sanitize.h) shows for them.
 * Never include ncurses here.
 */
#ifndef PRECIS_RENDER_WIDTH_H
#define PRECIS_RENDER_WIDTH_H

#include <stddef.h>
#include <stdint.h>

/* Cells of one code point and the ambiguous and terminal-safe settings:
 * rw_cp_width(), rw_is_ambiguous(), rw_set_ambiguous_wide(), … */
#include "render/cpwidth.h"

/* Display cells of the UTF-8 string s[0..len). Tabs advance to the next
 * multiple of 8 counted from the start of s; '\n' counts 0. */
int rw_width(const char *s, size_t len);

/* Width of a NUL-terminated string. */
int rw_swidth(const char *s);

/* Decode one code point at s[0..len): stores it in *cp (U+FFFD when the
 * bytes are invalid) and returns the bytes consumed (≥ 1 when len > 0).
 * The same decoder as render/utf8.h's utf8_next(). */
size_t rw_decode(const char *s, size_t len, int32_t *cp);

/* Bytes of the longest prefix of s[0..len) made of whole clusters that
 * fits in max_cells; its width goes to *used when used != NULL. */
size_t rw_fit(const char *s, size_t len, int max_cells, int *used);

/* --- Agreement with the C library (what ncursesw uses) -------------------
 * ncursesw advances its cursor by libc wcwidth() per code point, which can
 * disagree with the cells above (ZWJ sequences, emoji + VS16, skin tones,
 * ambiguous characters in wide mode, code points newer than glibc's tables).
 * The caller must have called setlocale(LC_CTYPE, "") with a UTF-8 locale. */

/* Cells ncursesw would give s[0..len): the sum of wcwidth() over its code
 * points, or -1 when one of them is unprintable for libc. */
int rw_libc_width(const char *s, size_t len);

/* 1 when s[0..len) (one or more clusters, no controls) is placed by libc
 * wcwidth at exactly rw_width() cells, cluster by cluster, and nothing in
 * it is ambiguous while ambiguous-wide is on; 0 otherwise. */
int rw_terminal_safe(const char *s, size_t len);

/* Terminal-safe mode (rw_set_terminal_safe() in render/cpwidth.h; tui
 * turns it on after setlocale): the sanitizer then replaces every cluster
 * for which rw_terminal_safe() is 0 by a stand-in of exactly the same
 * width that libc, ncurses and the terminal all agree on (the base
 * character alone padded with spaces, an ASCII fallback, or U+3013 〓 /
 * '?'), marked as a placeholder. Widths never change, so a layout made
 * before or after switching stays valid. Off by default. */

#endif
