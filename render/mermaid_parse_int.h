/* mermaid_parse_int.h — helpers shared by render/mermaid_parse*.c only.
 * The public contract is render/mermaid.h.
 */
#ifndef PRECIS_RENDER_MERMAID_PARSE_INT_H
#define PRECIS_RENDER_MERMAID_PARSE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "render/mermaid.h"
#include "render/width.h"

/* Fail-fast allocation (abort on failure). */
void *mp_xrealloc(void *p, size_t n);
char *mp_xstrndup(const char *s, size_t n);
/* Grows *pp (elements of el bytes) to hold at least need; doubles. */
void mp_grow(void *pp, size_t *cap, size_t need, size_t el);

/* A growable byte buffer, NUL-terminated once anything was put. */
struct sb {
	char *p;
	size_t len, cap;
};
void sb_put(struct sb *b, const char *s, size_t n);
void sb_putc(struct sb *b, char c);
void sb_put_cp(struct sb *b, uint32_t cp);
char *sb_take(struct sb *b);

/* Returns the display label (malloc'd) for raw label text (quotes already
 * removed): Markdown-string markers stripped when md, <br> → '\n',
 * entities (#quot; #9829; &amp; &#x41;) decoded, simple formatting tags
 * removed, each line trimmed, blank first/last lines dropped, invalid
 * UTF-8 and control characters made visible as U+FFFD, bidi and other
 * display-corrupting code points dropped. */
char *mp_label(const char *raw, size_t len, bool md);

/* Returns a cleaned copy of an id used as a label (no entity decoding). */
char *mp_label_plain(const char *id, size_t len);

/* Fill and text colour from a style property list ("fill:#f9f,color:red"). */
struct mm_style {
	bool has_fill, has_color;
	uint32_t fill, color;
};
void mp_parse_style(const char *props, size_t len, struct mm_style *st);

/* Parses a colour ("#abc", "#aabbcc", "#aabbccdd", "rgb(1,2,3)", a CSS
 * name) into *rgb. Returns false when it is not one (or is "none"). */
bool mp_parse_color(const char *s, size_t len, uint32_t *rgb);

/* Applies "@{ shape: …, label: "…" }" data (inside the braces) to node k. */
void mp_shape_data(struct mm_graph *g, int k, const char *s, size_t len);

#endif
