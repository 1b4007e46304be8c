/* print.c — text for a stream (`precis show`): wrapped documents from
 * render/layout.h, and unwrapped plain text streamed cluster by cluster. */
#include "tui/cli/print.h"
#include "render/alloc.h"
#include "render/layout.h"
#include "render/markdown.h"
#include "render/sanitize.h"
#include "render/width.h"

#include <stdlib.h>
#include <string.h>

/* The SGR sequence for a set of attributes into buf (≥ 32 bytes);
 * returns its length. */
static size_t sgr_seq(unsigned a, char *buf)
{
	size_t n = 0;
#define ADD(s) (memcpy(buf + n, s, sizeof s - 1), n += sizeof s - 1)
	ADD("\x1b[0");
	if (a & (RC_BOLD | RC_HEADING | RC_LIST))
		ADD(";1");
	if (a & (RC_DIM | RC_PLACEHOLDER))
		ADD(";2");
	if (a & RC_ITALIC)
		ADD(";3");
	if (a & (RC_LINK | RC_HEADING))
		ADD(";4");
	if (a & RC_HIGHLIGHT)
		ADD(";7");
	if (a & RC_CODE)
		ADD(";36");
	if (a & RC_DIAGRAM)
		ADD(";35");
	ADD("m");
#undef ADD
	return n;
}

/* Prints lines [0, n) of d's current layout. */
static void print_lines(FILE *f, struct rl_doc *d, size_t n, int color)
{
	size_t cap = 0, bcap = 0;
	struct rc_cell *cells = NULL;
	char *buf = NULL;             /* one line, written with one fwrite */
	for (size_t k = 0; k < n; k++) {
		const struct rl_line *l = rl_line(d, k);
		size_t need = (size_t)l->width + 1;
		if (need > cap) {
			cap = need * 2;
			free(cells);
			cells = xreallocarray(NULL, cap, sizeof *cells);
		}
		size_t nc = rl_cells(d, k, cells, cap, NULL, 0);
		/* Each cell: its glyph and perhaps an SGR sequence before it. */
		size_t most = nc * (RS_GLYPH_MAX + 40) + 8, o = 0;
		if (most > bcap) {
			bcap = most * 2;
			free(buf);
			buf = xmalloc(bcap);
		}
		unsigned cur = 0;
		for (size_t i = 0; i < nc; i++) {
			unsigned a = cells[i].attr & ~0u;
			if (color && a != cur) {
				o += sgr_seq(a, buf + o);
				cur = a;
			}
			memcpy(buf + o, cells[i].text, cells[i].len);
			o += cells[i].len;
		}
		if (color && cur) {
			memcpy(buf + o, "\x1b[0m", 4);
			o += 4;
		}
		buf[o++] = '\n';
		fwrite(buf, 1, o, f);
	}
	free(cells);
	free(buf);
}

/* Blocks laid out at once by cli_print_doc: the lines of the whole
 * document are never held (for a 20 MB summary they were 15 MB). */
#define PRINT_BLOCKS 1024

int cli_print_doc(FILE *f, struct rl_doc *d, int width, int color)
{
	size_t nb = rl_block_count(d);
	for (size_t b = 0; b < nb && !ferror(f); b += PRINT_BLOCKS)
		print_lines(f, d, rl_wrap_blocks(d, width, b, b + PRINT_BLOCKS), color);
	return ferror(f) ? -1 : 0;
}

/* ---- wrapped plain text, in windows ------------------------------------- *
 * A layout costs about three bytes per byte of text (a copy, its analysis,
 * the lines; ~15 before the analysis took a byte per byte). Paragraphs are independent in
 * the layout (tab stops, the CJK punctuation rules and every break are
 * decided within one), so the text is laid out a group of whole
 * paragraphs at a time, up to WRAP_WINDOW bytes. A longer paragraph is
 * laid out a window at a time: every line but the last two is printed,
 * and the next window starts where the second last began — a line start
 * of the whole layout, with more than a line of the window's text after it
 * to decide its breaks. Inside such a paragraph tab stops restart at each
 * window, and whether it reads as CJK (for “ ” ‘ ’) is judged per window. */
#define WRAP_WINDOW ((size_t)1 << 20)

/* 1 when p[0..3) is a CJK ideograph (U+3400–U+9FFF). */
static int ideograph(const unsigned char *p)
{
	return p[0] >= 0xE3 && p[0] <= 0xE9 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80 &&
	       (p[0] > 0xE3 || p[1] >= 0x90);
}

/* 1 when a window may start at text[off], a line start: the line broke
 * at a space or between two ideographs, where the line breaker needs no
 * context from before (after a forced break, or a U+2028 followed by
 * spaces, it may decide the next breaks otherwise than in the whole
 * paragraph). */
static int clean_start(const char *text, size_t off)
{
	const unsigned char *p = (const unsigned char *)text;
	if (off >= 1 && p[off - 1] == ' ' && p[off] != ' ')
		return off < 4 || memcmp(p + off - 4, "\xe2\x80", 2) != 0 ||
		       (p[off - 2] != 0xa8 && p[off - 2] != 0xa9);
	return off >= 3 && ideograph(p + off - 3) && ideograph(p + off);
}

/* Lays out text[0..n) at width and prints its lines; with keep_tail,
 * all but the last two, and nothing when there are fewer than three.
 * Returns the offset where printing stopped (n when every line was
 * printed, 0 when none). With keep_tail the stop is a clean_start(), the
 * latest before the last two lines. */
static size_t print_piece(FILE *f, const char *text, size_t n, int width, int color,
                          int keep_tail)
{
	struct rl_doc *d = rl_new(text, n, NULL, 0, NULL, 0);
	size_t lines = rl_wrap(d, width), stop = n;
	if (keep_tail) {
		lines = lines >= 3 ? lines - 2 : 0;
		while (lines > 0 && !clean_start(text, rl_line(d, lines)->off))
			lines--;
		stop = lines ? rl_line(d, lines)->off : 0;
	}
	print_lines(f, d, lines, color);
	rl_free(d);
	return stop;
}

int cli_print_wrapped(FILE *f, const char *text, size_t len, int width, int color, size_t window)
{
	if (window < 64)
		window = 64;
	size_t pos = 0;
	do {
		size_t rest = len - pos, w = window, step = 0;
		while (!step) {
			if (rest <= w) {
				print_piece(f, text + pos, rest, width, color, 0);
				step = rest;
				break;
			}
			/* Whole paragraphs, as many as fit the window; else a
			 * window of a longer paragraph, restarted at a line start
			 * (a window too small for three lines is doubled). */
			const char *nl = memrchr(text + pos, '\n', w);
			if (nl)
				step = print_piece(f, text + pos, (size_t)(nl - (text + pos)) + 1, width, color, 0);
			else if (!(step = print_piece(f, text + pos, w, width, color, 1)))
				w = w > SIZE_MAX / 2 ? SIZE_MAX : w * 2;
		}
		pos += step;
	} while (pos < len);
	return ferror(f) ? -1 : 0;
}

int cli_print_text(FILE *f, const char *text, size_t len, int width, int markdown, int color)
{
	if (!markdown && width <= 0) {
		struct cli_plain p;
		cli_plain_begin(&p, f, color);
		cli_plain_write(&p, text, len);
		return cli_plain_end(&p);
	}
	if (!markdown)
		return cli_print_wrapped(f, text, len, width, color, WRAP_WINDOW);
	struct rm_doc md;
	rm_render(text, len, &md);
	struct rl_doc *d = md.layout;
	md.layout = NULL;
	rm_free(&md);
	int rc = cli_print_doc(f, d, width, color);
	rl_free(d);
	return rc;
}

int cli_print_markdown_owned(FILE *f, char *text, size_t len, int width, int color)
{
	struct rm_doc md;
	rm_render(text, len, &md);
	free(text);                    /* the layout has what is shown */
	struct rl_doc *d = md.layout;
	md.layout = NULL;
	rm_free(&md);
	int rc = cli_print_doc(f, d, width, color);
	rl_free(d);
	return rc;
}

/* ---- unwrapped plain text, streamed ------------------------------------ */

/* A carried cluster longer than this is cut (only a run of thousands of
 * combining marks gets there: escape sequences end within 4 KB). */
#define CARRY_MAX 65536

#define OUT_CAP 65536

void cli_plain_begin(struct cli_plain *p, FILE *f, int color)
{
	memset(p, 0, sizeof *p);
	p->f = f;
	p->color = color;
	p->safe_mode = rw_terminal_safe_mode();
	p->out = xmalloc(OUT_CAP);
}

/* Output goes through p->out: one fwrite per 64 KB, not per cluster. */
static void plain_flush(struct cli_plain *p)
{
	if (p->nout)
		fwrite(p->out, 1, p->nout, p->f);
	p->nout = 0;
}

static inline void plain_put(struct cli_plain *p, const char *s, size_t n)
{
	if (p->nout + n > OUT_CAP)
		plain_flush(p);
	memcpy(p->out + p->nout, s, n);
	p->nout += n;
}

/* Switches the line's SGR state to attribute a (colour only). */
static void plain_attr(struct cli_plain *p, unsigned a)
{
	if (p->color && a != p->attr) {
		char buf[40];
		plain_put(p, buf, sgr_seq(a, buf));
		p->attr = a;
	}
}

static void plain_line_end(struct cli_plain *p)
{
	if (p->color && p->attr)
		plain_put(p, "\x1b[0m", 4);
	p->attr = 0;
	plain_put(p, "\n", 1);
	p->spaces = 0;
	p->open = 0;
}

/* Writes the held-back spaces: something visible follows them. */
static void plain_flush_spaces(struct cli_plain *p)
{
	static const char sp[16] = "                ";
	if (!p->spaces)
		return;
	plain_attr(p, 0);
	while (p->spaces) {
		size_t k = p->spaces < sizeof sp ? p->spaces : sizeof sp;
		plain_put(p, sp, k);
		p->spaces -= k;
	}
}

/* One cluster of s (as the layout sees it: render/layout.c's units). */
static void plain_cluster(struct cli_plain *p, const char *s, const struct rs_cluster *c)
{
	p->open = 1;
	if (c->kind == RS_NEWLINE) {
		plain_line_end(p);
		if (s[c->off + c->len - 1] == '\n')
			p->col = 0;           /* tab stops count from the last '\n' */
		return;
	}
	int w = c->kind == RS_TAB ? rs_tab_width((int)(p->col & 7)) : c->width;
	if (w > 0xFFFF)
		w = 0xFFFF;
	p->col += w;
	if (c->kind == RS_SPACE || c->kind == RS_TAB) {
		p->spaces += (size_t)w;   /* tab: w spaces; shown only if text follows */
		return;
	}
	plain_flush_spaces(p);
	if (w == 0)
		return;                   /* dropped characters: nothing drawn */
	/* Printable ASCII, and one wide character alone (rs_next's fast
	 * paths), are drawn as themselves: rs_glyph would copy them. (Three
	 * bytes two cells wide can also be a zero-width prepend mark with an
	 * ASCII character, drawn otherwise: hence the code point's size.) */
	if (c->kind == RS_TEXT &&
	    (c->len == 1 || (c->len == 3 && w == 2 && c->cp >= 0x800 && c->cp < 0x10000 && !p->safe_mode))) {
		plain_attr(p, 0);
		plain_put(p, s + c->off, c->len);
		return;
	}
	char g[RS_GLYPH_MAX];
	int ph = 0;
	size_t n = rs_glyph(s, c, g, &ph);
	plain_attr(p, ph ? RC_PLACEHOLDER : 0);
	plain_put(p, g, n);
}

/* Bytes rs_next() may look at past the end of a cluster to end it: a
 * whole code point (does it extend the cluster?), or ESC before '\\'. */
#define LOOKAHEAD 4

/* Runs the clusters of s[0..len); with more != 0 a cluster ending less
 * than LOOKAHEAD bytes before the end may come out otherwise once the next
 * chunk is there: returns where it starts (the bytes to carry), else len. */
static size_t plain_run(struct cli_plain *p, const char *s, size_t len, int more)
{
	size_t pos = 0;
	while (pos < len) {
		struct rs_cluster c;
		size_t next = rs_next(s, len, pos, &c);
		if (more && len - next < LOOKAHEAD && len - pos < CARRY_MAX)
			return pos;
		plain_cluster(p, s, &c);
		pos = next;
	}
	return len;
}

void cli_plain_write(struct cli_plain *p, const char *buf, size_t n)
{
	if (n == 0)
		return;
	p->any = 1;
	if (p->ncarry) {
		/* The carried cluster and the new bytes as one piece. */
		if (p->ncarry + n > p->capcarry) {
			p->capcarry = (p->ncarry + n) * 2;
			p->carry = xrealloc(p->carry, p->capcarry);
		}
		memcpy(p->carry + p->ncarry, buf, n);
		size_t len = p->ncarry + n;
		size_t done = plain_run(p, p->carry, len, 1);
		memmove(p->carry, p->carry + done, len - done);
		p->ncarry = len - done;
		return;
	}
	size_t done = plain_run(p, buf, n, 1);
	if (done < n) {
		if (n - done > p->capcarry) {
			p->capcarry = (n - done) * 2 + 64;
			p->carry = xrealloc(p->carry, p->capcarry);
		}
		memcpy(p->carry, buf + done, n - done);
		p->ncarry = n - done;
	}
}

int cli_plain_end(struct cli_plain *p)
{
	if (p->ncarry)
		plain_run(p, p->carry, p->ncarry, 0);
	p->ncarry = 0;
	if (!p->any || p->open)
		plain_line_end(p);
	plain_flush(p);
	free(p->carry);
	free(p->out);
	p->carry = p->out = NULL;
	p->capcarry = 0;
	return ferror(p->f) ? -1 : 0;
}
