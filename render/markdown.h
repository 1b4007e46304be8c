/* markdown.h — summaries (LLM-written Markdown) as styled terminal lines.
 *
 * md4c parses the Markdown; the result is a layout document
 * (render/layout.h) whose text is what the reader sees: headings and bold
 * emphasised (RC_HEADING/RC_BOLD), numbered lists and nested bullets with
 * hanging indents that survive wrapping, one blank line between blocks.
 * A paragraph made only of bold text at the top level (the "**Core Point**"
 * lines LLM summaries use) counts as a heading.
 *
 * Mermaid blocks — <Mermaid_Diagram>…</Mermaid_Diagram> (cut out before
 * md4c, which would see raw HTML) and ```mermaid fences — become one
 * placeholder line, e.g. "⊞ concept map ⋅ 16 nodes ⋅ press m", and their
 * source is handed out verbatim in diagrams[]. All glyphs used are East
 * Asian Neutral, so their width never depends on the ambiguous setting.
 */
#ifndef PRECIS_RENDER_MARKDOWN_H
#define PRECIS_RENDER_MARKDOWN_H

#include <stddef.h>

struct rl_doc;

struct rm_section {
	char *title;        /* one line, already safe to draw */
	int level;          /* 1–6 for headings, 2 for bold paragraphs, 0 map */
	int is_diagram;     /* 1: the Mermaid placeholder line */
	size_t off;         /* byte offset in the layout text: rl_line_at() */
};

struct rm_diagram {
	char *source;       /* Mermaid source, NUL-terminated, as written */
	size_t len;
	size_t off;         /* its placeholder line in the layout text */
	int nodes;          /* node count (mm_parse), -1 when it did not parse */
	int problems;       /* the parser's warnings (it guessed or skipped) */
};

struct rm_doc {
	struct rl_doc *layout;            /* ready for rl_wrap() */
	struct rm_section *sections;
	size_t nsections;
	struct rm_diagram *diagrams;
	size_t ndiagrams;
};

/* Renders md[0..len). Always fills *out (on a parser failure, with the
 * text as plain paragraphs) and returns 0, or -1 when md4c failed. */
int rm_render(const char *md, size_t len, struct rm_doc *out);

/* Line of section i in the layout's current wrap. */
size_t rm_section_line(const struct rm_doc *d, size_t i);

/* Index of the section holding line k (the last one starting at or before
 * it), or -1 when k is before the first section. */
long rm_section_of_line(const struct rm_doc *d, size_t k);

void rm_free(struct rm_doc *d);

#endif
