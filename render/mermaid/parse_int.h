/* parse_int.h — helpers shared by render/mermaid/parse*.c only.
 * The public contract is render/mermaid/mermaid.h.
 */
#ifndef PRECIS_RENDER_MERMAID_PARSE_INT_H
#define PRECIS_RENDER_MERMAID_PARSE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "render/alloc.h"    /* fail-fast xrealloc, xstrndup, xgrow */
#include "render/buf.h"      /* the parser's byte buffer */
#include "render/mermaid/mermaid.h"
#include "render/width.h"

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

/* Applies "@{ shape: …, label: "…" }" data (inside the braces) to node k.
 * Returns 0; 1 when the shape has no glyph of its own in precis (drawn as
 * a rectangle), 2 when mermaid-js knows no such shape: then s[*bad,
 * *bad+*badlen) is its name. */
int mp_shape_data(struct mm_graph *g, int k, const char *s, size_t len, size_t *bad, size_t *badlen);

#define MAX_WARNINGS 1000

/* ---------- parser state ---------- */

/* string → int hash map; keys are owned elsewhere, the first insert wins */
struct map {
	const char **key;
	int *val;
	size_t cap, n;
};
int mp_map_get(const struct map *m, const char *k);
/* Lookup by the bytes k[0..len) (no NUL inside). */
int mp_map_getn(const struct map *m, const char *k, size_t len);
void mp_map_put(struct map *m, const char *k, int v);
void mp_map_free(struct map *m);

struct node_extra {
	bool explicit_shape;  /* given a shape or label somewhere */
	bool claimed;         /* membership decided by a closed subgraph */
	bool styled_fill, styled_color;
};

struct int_vec {
	int *v;
	size_t n, cap;
};

struct class_use {
	int node;
	char *name;
};

struct class_def {
	char *name;
	bool has_fill, has_color;
	uint32_t fill, color;
};

struct pst {
	const char *s;
	size_t n;             /* whole buffer */
	size_t i;             /* cursor */
	size_t end;           /* end of the region being parsed */
	size_t *lstart;       /* byte offset of each line start */
	size_t nlines;
	struct mm_graph *g;
	size_t ncap, ecap, scap, wcap;
	struct map nodes, sgs, edge_ids;   /* edge_ids: "e1" → edge index */
	struct node_extra *nx;
	size_t nxcap;
	struct int_vec stack;         /* open subgraphs */
	struct int_vec *mention;      /* per subgraph: mentioned node indices */
	bool *sg_gen;                 /* per subgraph: id to be generated at close */
	size_t mcap, gcap;
	int nclosed;
	struct class_use *uses;
	size_t nuses, ucap;
	struct class_def *defs;
	size_t ndefs, dcap;
	bool warned_cap;
	/* linkStyle lines mermaid-js rejects: one warning per reason, at the
	 * first such line, saying how many more there were */
	int ls_warn[4], ls_more[4], ls_last[4];
	/* failure caches that keep scans linear */
	size_t q_from, q_at;          /* next '"' at/after q_from is q_at (n: none) */
	size_t fail_to[3];            /* edge-text end search failed up to here */
	size_t fail_from[3];
	size_t brace_none;            /* no closing '}' at or after this */
	size_t rb_from, rb_at;        /* next ']' at/after rb_from is rb_at */
	size_t li_last;               /* line of the last position looked up */
	bool cc_ok;                   /* column cache for pos_of */
	size_t cc_line, cc_off;
	long cc_col;
};

/* ---------- positions, warnings, characters (mermaid_parse_util.c) ---------- */

/* 1-based line and column (code points) of byte off. */
void mp_pos_of(struct pst *p, size_t off, int *line, int *col);
/* 1-based line of byte off. */
int mp_pos_line(const struct pst *p, size_t off);
/* Offset of the end of the line holding i, within the region. */
size_t mp_eol(const struct pst *p, size_t i);
/* Records a warning at byte off; s[a..b) (if b > a) is quoted after it. */
void mp_warn(struct pst *p, size_t off, size_t a, size_t b, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* The same, as a note: a line only mermaid-js rejects, which precis reads
 * without a guess (struct mm_warning's note). */
void mp_note(struct pst *p, size_t off, size_t a, size_t b, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
bool mp_is_sp(char c);
/* Bytes of a Unicode space (U+00A0, U+3000) at i, or 0. */
size_t mp_uni_space(const struct pst *p, size_t i);
void mp_skip_sp(struct pst *p);
/* Does the literal lit start at i (inside the region)? */
bool mp_at(const struct pst *p, size_t i, const char *lit);
/* Bytes of the id character at i (0: not one); length of the id at i. */
size_t mp_id_char(const struct pst *p, size_t i, bool first);
size_t mp_id_len(const struct pst *p, size_t i);
/* Does a word (letter, digit, '_', non-ASCII) start at i? */
bool mp_word_start(const struct pst *p, size_t i);
/* Next '"' / ']' at or after i (p->end: none), cached. */
size_t mp_next_quote(struct pst *p, size_t i);
size_t mp_next_rbracket(struct pst *p, size_t i);
/* Characters the official parser rejects inside unquoted text. */
bool mp_is_risky(char c);

/* ---------- links (mermaid_parse_link.c) ---------- */

struct link {
	enum mm_head hf, ht;
	enum mm_stroke stroke;
	int length;
	char *label;          /* malloc'd or NULL */
};
/* Length of a complete link token at i ("-->", "-.-", "==>", "~~~"…), 0
 * when none; fills lk except the start head. */
size_t mp_link_token(const struct pst *p, size_t i, struct link *lk);
/* Family of a "-- text -->" start at i: 0 "--", 1 "==", 2 "-.", -1 none. */
int mp_text_start(const struct pst *p, size_t i, size_t *len);
/* Label text s[a..b): trimmed, unquoted, cleaned; NULL when empty. */
char *mp_link_label(struct pst *p, size_t a, size_t b, bool pipe);
/* Parses a link at the cursor (with its label); false leaves the cursor. */
bool mp_parse_link(struct pst *p, struct link *lk);

#endif
