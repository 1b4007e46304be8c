/* print.h — text and documents written to a stream for the command line
 * (`precis show`): made safe for a terminal by render/sanitize.h, laid
 * out by render/layout.h when wrapped, SGR attributes only when asked. */
#ifndef PRECIS_TUI_CLI_PRINT_H
#define PRECIS_TUI_CLI_PRINT_H

#include <stddef.h>
#include <stdio.h>

struct rl_doc;

/* Writes text[0..len) to f, made safe for a terminal (no control or escape
 * sequence passes through: render/sanitize.h). width > 0 wraps to that many
 * cells (every line ≤ width); 0 leaves lines unwrapped. markdown != 0
 * renders it as a summary (styled lines, Mermaid block as a placeholder).
 * color != 0 may use SGR attributes (bold, underline, dim, reverse);
 * otherwise the output holds no escape code at all. Unwrapped plain text
 * goes through the streaming printer below (no layout is made).
 * Returns 0, or -1 on a write error. */
int cli_print_text(FILE *f, const char *text, size_t len, int width, int markdown, int color);

/* cli_print_text(f, text, len, width, 1, color) for a malloc'd text that
 * is freed as soon as it is rendered (before the printing): a summary's
 * peak memory is then its layout, not its layout and its text. */
int cli_print_markdown_owned(FILE *f, char *text, size_t len, int width, int color);

/* Plain text wrapped at width > 0 without laying it out whole: whole
 * paragraphs up to window bytes at a time (the same lines as one layout),
 * a longer paragraph a window at a time, restarted at a line start (tab
 * stops restart there, and whether it reads as CJK is judged per window).
 * Memory: a few bytes per byte of window, whatever the text's size.
 * cli_print_text uses 1 MB windows. Returns 0 or -1 on a write error. */
int cli_print_wrapped(FILE *f, const char *text, size_t len, int width, int color, size_t window);

/* The same for a document already analysed (render/layout.h), laid out
 * and printed 1,024 blocks at a time (the lines of the whole document are
 * never held; its layout is left to be made again). */
int cli_print_doc(FILE *f, struct rl_doc *d, int width, int color);

/* Unwrapped plain text, streamed: the bytes may come in chunks of any
 * size, cut anywhere; memory stays bounded whatever the text (no line is
 * held). The output is byte for byte what cli_print_text(f, text, len, 0,
 * 0, color) writes for the whole text: each cluster's safe glyph, tabs as
 * spaces, trailing spaces of a line dropped, every line ended by '\n'
 * (one "\n" for an empty text); with color, placeholders are dim. */
struct cli_plain {
	FILE *f;
	int color;
	long col;              /* column for tabs, since the last '\n' */
	size_t spaces;         /* spaces held back (dropped at a line end) */
	unsigned attr;         /* SGR state of the current line */
	int open;              /* the current line has units */
	int any;               /* some bytes were written */
	int safe_mode;         /* rw_terminal_safe_mode() at the start */
	char *carry;           /* a cluster cut at the end of a chunk */
	size_t ncarry, capcarry;
	char *out;             /* output gathered for one fwrite */
	size_t nout;
};
void cli_plain_begin(struct cli_plain *p, FILE *f, int color);
void cli_plain_write(struct cli_plain *p, const char *buf, size_t n);
/* Ends the text (the last line, its '\n'); returns 0, or -1 when f had a
 * write error. Frees what p holds. */
int cli_plain_end(struct cli_plain *p);

#endif
