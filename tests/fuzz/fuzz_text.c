/* fuzz_text.c — libFuzzer target for the text layer (render/).
 *
 * Byte 0 picks the width (0 = unwrapped, else 1…200), byte 1 the modes
 * (ambiguous wide, terminal-safe, Markdown); the rest is the text, and its
 * first few bytes also serve as a search query. Checks the layer's
 * promises: every line ≤ the width, cell widths add up to the line's
 * width, columns increase, drawn bytes are valid UTF-8 with no C0/C1
 * control, DEL or bidi control, rl_line_at() finds each line's start, and
 * search hits are sorted byte ranges inside the text. */
#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "render/find.h"
#include "render/layout.h"
#include "render/markdown.h"
#include "render/sanitize.h"
#include "render/width.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setlocale(LC_CTYPE, "C.UTF-8");
	return 0;
}

static void check_glyph(const char *t, size_t n)
{
	size_t i = 0;
	while (i < n) {
		utf8proc_int32_t c;
		utf8proc_ssize_t m = utf8proc_iterate((const utf8proc_uint8_t *)t + i,
		                                      (utf8proc_ssize_t)(n - i), &c);
		if (m <= 0)
			abort();                    /* invalid UTF-8 drawn */
		if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0))
			abort();                    /* a control reached the terminal */
		if ((c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) ||
		    c == 0x200E || c == 0x200F || c == 0x061C)
			abort();                    /* a bidi control reached it */
		i += (size_t)m;
	}
}

static void check_doc(struct rl_doc *d, int width)
{
	size_t n = rl_wrap(d, width);
	size_t len;
	rl_text(d, &len);
	struct rc_cell *cells = NULL;
	size_t cap = 0;
	for (size_t k = 0; k < n; k++) {
		const struct rl_line *l = rl_line(d, k);
		if (width > 0 && l->width > width)
			abort();
		if (l->off > l->end || l->end > len)
			abort();
		size_t at = rl_line_at(d, l->off);
		if (rl_line(d, at)->off != l->off)
			abort();
		if ((size_t)l->width + 1 > cap) {
			cap = (size_t)l->width + 1;
			cells = realloc(cells, cap * sizeof *cells);
			if (!cells)
				abort();
		}
		size_t nc = rl_cells(d, k, cells, cap, NULL, 0);
		int col = 0;
		for (size_t i = 0; i < nc; i++) {
			if (cells[i].col != col || cells[i].width < 1)
				abort();
			col += cells[i].width;
			check_glyph(cells[i].text, cells[i].len);
			if (strlen(cells[i].text) != cells[i].len)
				abort();
		}
		if (col != l->width)
			abort();
		(void)rl_col_at(d, k, l->off);
	}
	free(cells);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	int width = data[0] % 201;
	int mode = data[1];
	const char *text = (const char *)data + 2;
	size_t len = size - 2;
	rw_set_ambiguous_wide(mode & 1);
	rw_set_terminal_safe(mode & 2);

	(void)rw_width(text, len);
	size_t cl;
	char *clean = rs_clean_line(text, len, &cl);
	check_glyph(clean, cl);
	free(clean);

	if (mode & 4) {
		struct rm_doc md;
		rm_render(text, len, &md);
		check_doc(md.layout, width);
		for (size_t i = 0; i < md.nsections; i++) {
			check_glyph(md.sections[i].title, strlen(md.sections[i].title));
			(void)rm_section_line(&md, i);
		}
		rm_free(&md);
	} else {
		struct rl_doc *d = rl_new(text, len, NULL, 0, NULL, 0);
		check_doc(d, width);
		check_doc(d, width / 2 + 1);    /* a re-wrap after a "resize" */
		struct rf_index *ix = rf_index_new(text, len);
		struct rl_range *hits;
		size_t qlen = len < 3 ? len : 1 + (mode >> 4) % 3;
		size_t nh = rf_find(ix, text, qlen, &hits);
		for (size_t i = 0; i < nh; i++) {
			if (hits[i].off >= hits[i].end || hits[i].end > len)
				abort();
			if (i && hits[i].off < hits[i - 1].off)
				abort();
		}
		if (len && nh == 0 && qlen)
			; /* a query that folds to nothing (ignorables) finds nothing */
		free(hits);
		rf_index_free(ix);
		rl_free(d);
	}
	rw_set_ambiguous_wide(0);
	rw_set_terminal_safe(0);
	return 0;
}
