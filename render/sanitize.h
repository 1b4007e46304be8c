/* sanitize.h — the one choke point that makes text safe for a terminal.
 *
 * Every byte precis shows passes through rs_next() (where the clusters and
 * their widths are) and rs_glyph() (what is drawn for them):
 *  - C0 controls except tab and newline, and DEL, become ^@ … ^_ and ^?;
 *  - ESC and whole escape sequences (CSI, OSC including OSC 8 and OSC 52,
 *    DCS, SOS, PM, APC, two- and three-byte ESC sequences) collapse into
 *    one "^[" placeholder; C1 controls (U+0080–U+009F) show as "<9b>" and a
 *    C1 CSI/OSC/DCS swallows its sequence the same way;
 *  - bidi embeddings, overrides and isolates, LRM/RLM/ALM, soft hyphen,
 *    zero-width space, word joiner, BOM and other invisible format
 *    characters are dropped (width 0, nothing drawn);
 *  - each run of invalid UTF-8 bytes becomes one U+FFFD;
 *  - "\r\n", "\n", U+2028 and U+2029 are line ends; a lone CR is ^M;
 *  - a combining mark with no base is drawn on a space.
 * The output of rs_glyph() never contains a byte below 0x20, DEL, a C1
 * control or a format character, whatever the input.
 */
#ifndef PRECIS_RENDER_SANITIZE_H
#define PRECIS_RENDER_SANITIZE_H

#include <stddef.h>
#include <stdint.h>

/* The clusters: enum rs_kind, struct rs_cluster, rs_next(), rs_tab_width(). */
#include "render/cluster.h"

/* Longest glyph rs_glyph() writes, plus a NUL. */
#define RS_GLYPH_MAX 40

/* Writes what the terminal should draw for cluster c of text s into out
 * (NUL-terminated, at most RS_GLYPH_MAX bytes with the NUL) and returns its
 * length in bytes. Its width is c->width (tabs: write spaces yourself;
 * newlines and dropped characters: empty). *placeholder is set to 1 when
 * the glyph stands in for something else (control, escape, invalid bytes,
 * terminal-unsafe cluster). A cluster longer than the buffer keeps its
 * base and the combining marks that fit. */
size_t rs_glyph(const char *s, const struct rs_cluster *c, char *out,
                int *placeholder);

/* A cleaned copy of s[0..len) as one line (for titles, list rows, status
 * text): glyphs as above, tabs and line ends become one space each.
 * NUL-terminated, malloc'd (never NULL); its length goes to *outlen when
 * outlen != NULL. */
char *rs_clean_line(const char *s, size_t len, size_t *outlen);

/* A cleaned copy of s[0..len) for a message line (errors, warnings, file
 * names on stderr): like rs_clean_line, but tabs and line ends are shown
 * too, so a name holding "\nprecis: …" cannot start a line of its own:
 * tab ^I, LF ^J, CR LF ^M^J, U+2028 <2028>, U+2029 <2029>. The result is
 * one line with no control, escape, C1 or bidi character. NUL-terminated,
 * malloc'd (never NULL); its length goes to *outlen when outlen != NULL. */
char *rs_clean_msg(const char *s, size_t len, size_t *outlen);

/* What rs_clean_copy() left out, by kind. */
struct rs_removed {
	size_t escapes;    /* whole escape sequences (ESC or C1 introduced) */
	size_t controls;   /* C0 controls but tab and newline, DEL, C1, lone CR */
	size_t format;     /* bidi controls and other invisible format characters */
	size_t invalid;    /* runs of invalid UTF-8 (each became one U+FFFD) */
};

/* The text a reader sees of s[0..len), for the clipboard and anything
 * else that leaves precis as text to be pasted: printable characters,
 * tabs and newlines only (the screen's rule). Escape sequences, controls
 * (a lone CR too) and format characters are removed, CR LF, U+2028 and
 * U+2029 become "\n", each invalid run one U+FFFD. The result holds no
 * byte below 0x20 but tab and newline, no DEL, C1 control, ESC or format
 * character, whatever the input. NUL-terminated, malloc'd (never NULL);
 * its length goes to *outlen, what was removed to *rm (both may be NULL). */
char *rs_clean_copy(const char *s, size_t len, size_t *outlen,
                    struct rs_removed *rm);

#endif
