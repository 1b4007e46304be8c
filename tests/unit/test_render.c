/* test_render.c — sanitizer, layout, Markdown, find and the stream printer (tui/cli/print.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "tests/unit/support.h"
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/buf.h"
#include "render/find.h"
#include "render/layout.h"
#include "render/markdown.h"
#include "tui/cli/print.h"
#include "render/sanitize.h"
#include "render/width.h"

static const int widths[] = { 1, 2, 3, 40, 80, 200 };

/* A sample record (data/samples/, the corpus seeds) by its name's prefix;
 * a missing one fails the test. Runs with cwd = repo root. */
static char *seed(const char *prefix, size_t *len)
{
	const char *dir = "data/samples";
	DIR *d = opendir(dir);
	assert_non_null(d);
	struct dirent *e;
	char *b = NULL;
	while ((e = readdir(d)))
		if (strncmp(e->d_name, prefix, strlen(prefix)) == 0) {
			char p[1024];
			snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
			b = t_read(p, len);
			break;
		}
	closedir(d);
	if (!b)
		fail_msg("no sample %s* in %s", prefix, dir);
	return b;
}

/* The Description: of a record (the seed summary). */
static char *summary_of(const char *rec, size_t *len)
{
	const char *a = strstr(rec, "Description:\n");
	const char *b = strstr(rec, "\nContent:");
	assert_non_null(a);
	assert_non_null(b);
	a += strlen("Description:\n");
	*len = (size_t)(b - a);
	char *s = malloc(*len + 1);
	memcpy(s, a, *len);
	s[*len] = '\0';
	return s;
}

/* The property: at this width every line is ≤ width, its cells add up to
 * the width it claims, columns run on without gaps, each cell's glyph has
 * the cell's width by the same width function, and nothing drawn is a
 * control. Also: every visible cluster of the text is on exactly one line,
 * in order, and rl_line_at() finds every line. Returns the line count. */
static size_t check_layout(struct rl_doc *d, int width)
{
	size_t n = rl_wrap(d, width);
	size_t len;
	const char *text = rl_text(d, &len);
	struct rc_cell *cells = malloc(sizeof *cells * (size_t)(width > 0 ? width + 1 : 1));
	size_t cap = width > 0 ? (size_t)width + 1 : 1;
	size_t prev_end = 0;
	for (size_t k = 0; k < n; k++) {
		const struct rl_line *l = rl_line(d, k);
		if (width > 0)
			assert_true(l->width <= width);
		assert_true(l->off >= prev_end);          /* in order, no overlap */
		assert_true(l->end >= l->off && l->end <= len);
		prev_end = l->end;
		assert_int_equal(rl_line(d, rl_line_at(d, l->off))->off, l->off);
		if ((size_t)l->width + 1 > cap) {
			cap = (size_t)l->width + 1;
			cells = realloc(cells, sizeof *cells * cap);
		}
		size_t nc = rl_cells(d, k, cells, cap, NULL, 0);
		int col = 0;
		for (size_t i = 0; i < nc; i++) {
			assert_int_equal(cells[i].col, col);
			assert_true(cells[i].width >= 1);
			assert_int_equal(strlen(cells[i].text), cells[i].len);
			assert_int_equal(rw_width(cells[i].text, cells[i].len), cells[i].width);
			for (size_t j = 0; j < cells[i].len; j++) {
				unsigned char b = (unsigned char)cells[i].text[j];
				assert_true(b >= 0x20 && b != 0x7f);
			}
			col += cells[i].width;
		}
		assert_int_equal(col, l->width);
	}
	free(cells);
	/* every visible cluster lies inside some line */
	size_t pos = 0;
	while (pos < len) {
		struct rs_cluster c;
		pos = rs_next(text, len, pos, &c);
		if (c.width == 0 || c.kind == RS_SPACE || c.kind == RS_TAB)
			continue;
		const struct rl_line *l = rl_line(d, rl_line_at(d, c.off));
		assert_true(c.off >= l->off && c.off < l->end);
	}
	return n;
}

static void check_text_all_widths(const char *t, size_t len)
{
	struct rl_doc *d = rl_new(t, len, NULL, 0, NULL, 0);
	for (size_t i = 0; i < sizeof widths / sizeof widths[0]; i++)
		check_layout(d, widths[i]);
	check_layout(d, 37);
	check_layout(d, 0);
	rl_free(d);
}

static void test_property_seeds(void **state)
{
	size_t len;
	char *s0 = seed("000_", &len);
	assert_non_null(s0);
	check_text_all_widths(s0, len);
	size_t slen;
	char *sum = summary_of(s0, &slen);
	struct rm_doc md;
	assert_int_equal(rm_render(sum, slen, &md), 0);
	for (size_t i = 0; i < sizeof widths / sizeof widths[0]; i++)
		check_layout(md.layout, widths[i]);
	rm_free(&md);
	free(sum);
	free(s0);
	char *s2 = seed("002_", &len);
	assert_non_null(s2);
	check_text_all_widths(s2, len);
	free(s2);
}

static void test_property_transcripts(void **state)
{
	char dir[512];
	snprintf(dir, sizeof dir, "%s", t_corpus("transcripts"));
	DIR *d = opendir(dir);
	assert_non_null(d);
	struct dirent *e;
	int files = 0;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char p[1024];
		snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
		size_t len;
		char *t = t_read(p, &len);
		if (!t)
			continue;
		if (len > 300000)
			len = 300000;         /* keep the sanitizer build quick */
		struct rl_doc *doc = rl_new(t, len, NULL, 0, NULL, 0);
		check_layout(doc, 1);
		check_layout(doc, 40);
		check_layout(doc, 80);
		rl_free(doc);
		free(t);
		files++;
	}
	closedir(d);
	assert_true(files >= 10);
}

/* Random strings from a hostile alphabet. */
static void test_property_generated(void **state)
{
	static const char *const parts[] = {
		"a", "Z", " ", "  ", "\t", "\n", "\r\n", "算", "。", "，", "（", "）", "「", "」",
		"e\xcc\x81", "\xcc\x81", "👨‍👩‍👧", "👍🏻", "🇺🇸", "🇺", "❤️", "#️⃣", "\xe2\x80\x9c",
		"\xe2\x80\xa6", "\x1b[31m", "\x1b]52;c;aGk=\x07", "\x1b]8;;http://x\x1b\\", "\x1bP1$r\x1b\\",
		("\xc2\x9b" "2J"), "\xc2\x85", "\x7f", "\x01", "\xff", "\xc3", "\xe2\x80\xae", "\xc2\xad",
		"\xef\xbb\xbf", "\xe2\x80\x8b", "https://example.com/a/b?c=d&e=f", "ｶ", "ＡＢ",
		"\xef\xbf\xbf", "\xf4\x90\x80\x80", "\xed\xa0\x80", "\xe1\x84\x80\xe1\x85\xa1",
	};
	unsigned seedv = 12345;
	char buf[4096];
	for (int iter = 0; iter < 300; iter++) {
		size_t n = 0;
		int parts_n = 1 + (int)((seedv = seedv * 1103515245 + 12345) >> 16) % 120;
		for (int p = 0; p < parts_n; p++) {
			seedv = seedv * 1103515245 + 12345;
			const char *x = parts[(seedv >> 16) % (sizeof parts / sizeof parts[0])];
			size_t xl = strlen(x);
			if (n + xl >= sizeof buf)
				break;
			memcpy(buf + n, x, xl);
			n += xl;
		}
		rw_set_ambiguous_wide(iter & 1);
		check_text_all_widths(buf, n);
	}
	rw_set_ambiguous_wide(0);
}

static char *clean(const char *s, size_t n)
{
	return rs_clean_line(s, n, NULL);
}

/* A transcript crafted to clear the screen, set the title or write the
 * clipboard does nothing: each sequence is one visible ^[ placeholder. */
static void test_escape_sequences_collapse(void **state)
{
	const char *s = "a\x1b]52;c;aGVsbG8=\x07" "b\x1b[2J" "c\x1b]0;pwned\x1b\\" "d"
	                "\x1b]8;;http://evil/\x1b\\link\x1b]8;;\x1b\\" "e\x1b" "cf\x1bP+q544e\x1b\\g";
	char *c = clean(s, strlen(s));
	assert_string_equal(c, "a^[b^[c^[d^[link^[e^[f^[g");
	free(c);
	/* C1 CSI / OSC (UTF-8 encoded), DEL, NUL, other C0 */
	const char t[] = "x\xc2\x9b" "2Jy\xc2\x9d" "0;t\xc2\x9cz\x7f\x00\x07\x08.";
	c = clean(t, sizeof t - 1);
	assert_string_equal(c, "x<9b>y<9d>z^?^@^G^H.");
	free(c);
	/* unterminated OSC stops at the line end, not at the end of the text */
	const char *u = "p\x1b]2;never ends\nnext line";
	c = clean(u, strlen(u));
	assert_string_equal(c, "p^[ next line");
	free(c);
}

static void test_invisible_and_bidi_dropped(void **state)
{
	const char *s = "\xef\xbb\xbf" "ab\xe2\x80\xae" "cd\xe2\x80\xac" "e\xe2\x81\xa6" "f\xe2\x81\xa9"
	                "g\xc2\xad" "h\xe2\x80\x8b" "i\xe2\x80\x8e" "j\xe2\x80\x8f" "k\xd8\x9c" "l";
	char *c = clean(s, strlen(s));
	assert_string_equal(c, "abcdefghijkl");
	free(c);
	assert_int_equal(rw_width(s, strlen(s)), 12);
}

static void test_invalid_utf8_and_nul(void **state)
{
	const char s[] = "a\xff\xfe" "b\xc3" "c\xe4\xb8" "\x00" "d";
	char *c = clean(s, sizeof s - 1);
	assert_string_equal(c, "a\xef\xbf\xbd" "b\xef\xbf\xbd" "c\xef\xbf\xbd^@d");
	free(c);
	struct rl_doc *d = rl_new(s, sizeof s - 1, NULL, 0, NULL, 0);
	assert_true(check_layout(d, 3) >= 3);              /* 9 cells */
	rl_free(d);
}

/* No byte of cleaned copy text is a control (but tab and newline), DEL,
 * ESC, C1 or an invisible format character; 1 when it is clean. */
static int copy_is_clean(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char b = (unsigned char)s[i];
		if ((b < 0x20 && b != '\t' && b != '\n') || b == 0x7f)
			return 0;
		if (b == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] >= 0x80 &&
		    (unsigned char)s[i + 1] < 0xa0)
			return 0;   /* C1 */
		if (b == 0xe2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
		    ((unsigned char)s[i + 2] == 0x8b || (unsigned char)s[i + 2] == 0x8e ||
		     (unsigned char)s[i + 2] == 0x8f ||
		     ((unsigned char)s[i + 2] >= 0xaa && (unsigned char)s[i + 2] <= 0xae)))
			return 0;   /* ZWSP, LRM, RLM, bidi embeddings and overrides
			             * (ZWJ and ZWNJ join a cluster's characters) */
		if (b == 0xe2 && i + 2 < n && (unsigned char)s[i + 1] == 0x81 &&
		    (unsigned char)s[i + 2] >= 0xa6 && (unsigned char)s[i + 2] <= 0xa9)
			return 0;   /* bidi isolates */
	}
	return 1;
}

/* The clipboard's text (y): what a reader sees, and what was left out. */
static void test_clean_copy(void **state)
{
	const char s[] = "a\tb\x1b[201~rm -rf ~\r\nc\x1b]52;c;aGk=\x07" "d\xc2\x9b" "31me\xe2\x80\xae" "f"
	                 "\x07g\rh\x7f\x00i\xff" "j\xe2\x80\xa8k\xe2\x81\xa6l\xe2\x81\xa9 \xe7\xae\x97";
	struct rs_removed rm;
	size_t n;
	char *c = rs_clean_copy(s, sizeof s - 1, &n, &rm);
	assert_string_equal(c, "a\tbrm -rf ~\ncdefghi\xef\xbf\xbdj\nkl \xe7\xae\x97");
	assert_int_equal(n, strlen(c));
	assert_int_equal(rm.escapes, 3);     /* CSI, OSC 52, C1 CSI */
	assert_int_equal(rm.controls, 4);    /* BEL, lone CR, DEL, NUL */
	assert_int_equal(rm.format, 3);      /* RLO, LRI, PDI */
	assert_int_equal(rm.invalid, 1);
	free(c);
	/* the hostile alphabet in every mix: never a byte that acts */
	static const char *const parts[] = {
		"a", " ", "\t", "\n", "\r\n", "\r", "算", "\x1b[201~", "\x1b]52;c;aGk=\x07",
		"\x1b]8;;http://x\x1b\\", "\x1bP1$r\x1b\\", "\xc2\x9b" "2J", "\xc2\x85", "\x7f",
		"\x01", "\xff", "\xc3", "\xe2\x80\xae", "\xe2\x81\xa6", "\xef\xbb\xbf", "\xe2\x80\x8b",
		"e\xcc\x81", "\xcc\x81", "👨‍👩‍👧", "\x1b", "\xc2", "\x00",
	};
	unsigned seedv = 4242;
	char buf[2048];
	for (int iter = 0; iter < 500; iter++) {
		size_t k = 0;
		int parts_n = 1 + (int)((seedv = seedv * 1103515245 + 12345) >> 16) % 80;
		for (int p = 0; p < parts_n; p++) {
			seedv = seedv * 1103515245 + 12345;
			const char *x = parts[(seedv >> 16) % (sizeof parts / sizeof parts[0])];
			size_t xl = strlen(x) ? strlen(x) : 1;   /* "\x00" is one NUL */
			if (k + xl >= sizeof buf)
				break;
			memcpy(buf + k, x, xl);
			k += xl;
		}
		c = rs_clean_copy(buf, k, &n, NULL);
		assert_true(copy_is_clean(c, n));
		free(c);
	}
}

static void test_tabs_expand(void **state)
{
	struct rl_doc *d = rl_new("a\tb", 3, NULL, 0, NULL, 0);
	rl_wrap(d, 80);
	struct rc_cell cells[81];
	size_t n = rl_cells(d, 0, cells, 81, NULL, 0);
	assert_int_equal(n, 3);
	assert_string_equal(cells[1].text, "       ");
	assert_int_equal(cells[1].width, 7);
	assert_int_equal(cells[2].col, 8);
	rl_free(d);
}

/* Text of line k as displayed (cells joined). */
static void line_text(struct rl_doc *d, size_t k, char *out, size_t outsz)
{
	struct rc_cell cells[256];
	size_t n = rl_cells(d, k, cells, 256, NULL, 0);
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		assert_true(o + cells[i].len < outsz);
		memcpy(out + o, cells[i].text, cells[i].len);
		o += cells[i].len;
	}
	out[o] = '\0';
}

static void test_latin_breaks_at_spaces(void **state)
{
	const char *s = "the quick brown fox jumps over the lazy dog";
	struct rl_doc *d = rl_new(s, strlen(s), NULL, 0, NULL, 0);
	assert_int_equal(rl_wrap(d, 10), 5);
	char t[256];
	line_text(d, 0, t, sizeof t);
	assert_string_equal(t, "the quick");
	line_text(d, 1, t, sizeof t);
	assert_string_equal(t, "brown fox");
	line_text(d, 4, t, sizeof t);
	assert_string_equal(t, "dog");
	rl_free(d);
}

/* UAX #14: closing punctuation never starts a line, opening brackets never
 * end one; checked on a crafted line and on the whole seed summary. */
static void test_cjk_punctuation_rules(void **state)
{
	const char *s = "一二三四。五六七（八九）十";
	struct rl_doc *d = rl_new(s, strlen(s), NULL, 0, NULL, 0);
	rl_wrap(d, 8);
	char t[256];
	line_text(d, 0, t, sizeof t);
	assert_string_equal(t, "一二三");           /* 。 may not open line 2 */
	line_text(d, 1, t, sizeof t);
	assert_string_equal(t, "四。五六");
	line_text(d, 2, t, sizeof t);
	assert_string_equal(t, "七（八");           /* ） may not open a line */
	line_text(d, 3, t, sizeof t);
	assert_string_equal(t, "九）十");
	rl_wrap(d, 4);
	line_text(d, 2, t, sizeof t);
	assert_string_equal(t, "四。");
	line_text(d, 3, t, sizeof t);
	assert_string_equal(t, "五六");
	line_text(d, 4, t, sizeof t);
	assert_string_equal(t, "七");               /* （ may not end a line */
	line_text(d, 5, t, sizeof t);
	assert_string_equal(t, "（八");
	rl_free(d);

	static const char *const closers[] = { "。", "，", "、", "！", "？", "）", "」", "：", "；" };
	static const char *const openers[] = { "（", "「", "“" };
	size_t len;
	char *s0 = seed("000_", &len);
	d = rl_new(s0, len, NULL, 0, NULL, 0);
	int checked = 0;
	for (int w = 6; w <= 80; w += 1) {
		size_t n = rl_wrap(d, w);
		for (size_t k = 0; k < n; k++) {
			const struct rl_line *l = rl_line(d, k);
			if (l->end == l->off)
				continue;
			const char *txt = rl_text(d, NULL);
			int soft = k + 1 < n && rl_line(d, k + 1)->off > l->end &&
			           !memchr(txt + l->end, '\n', rl_line(d, k + 1)->off - l->end);
			int cont = k > 0 && !memchr(txt + rl_line(d, k - 1)->end, '\n',
			                            l->off - rl_line(d, k - 1)->end);
			for (size_t i = 0; cont && i < sizeof closers / sizeof closers[0]; i++)
				if (strncmp(txt + l->off, closers[i], strlen(closers[i])) == 0) {
					print_message("width %d line %zu starts with %s\n", w, k, closers[i]);
					fail();
				}
			for (size_t i = 0; soft && i < sizeof openers / sizeof openers[0]; i++) {
				size_t ol = strlen(openers[i]);
				if (l->end - l->off >= ol && memcmp(txt + l->end - ol, openers[i], ol) == 0) {
					print_message("width %d line %zu ends with %s\n", w, k, openers[i]);
					fail();
				}
			}
			checked++;
		}
	}
	assert_true(checked > 1000);
	rl_free(d);
	free(s0);
}

static void test_long_unpunctuated_and_url(void **state)
{
	/* 30,000 CJK characters on one line, no punctuation at all */
	size_t n = 30000 * 3;
	char *s = malloc(n);
	for (size_t i = 0; i < n; i += 3)
		memcpy(s + i, "我", 3);
	struct rl_doc *d = rl_new(s, n, NULL, 0, NULL, 0);
	assert_int_equal(rl_wrap(d, 80), 750);
	for (size_t k = 0; k < 750; k++)
		assert_int_equal(rl_line(d, k)->width, 80);
	assert_int_equal(rl_wrap(d, 79), 30000 / 39 + 1);   /* odd width: 78 used */
	assert_int_equal(rl_line(d, 0)->width, 78);
	rl_free(d);
	free(s);
	/* a 2,000-character URL is hard-broken */
	char url[2100] = "https://example.com/";
	size_t ul = strlen(url);
	for (; ul < 2000; ul++)
		url[ul] = (char)('a' + ul % 26);
	d = rl_new(url, ul, NULL, 0, NULL, 0);
	/* UAX #14 allows a break after the host's "/": then hard breaks */
	assert_int_equal(rl_wrap(d, 80), 26);
	assert_string_equal(rl_text(d, NULL) + rl_line(d, 1)->off - 1, url + 19);
	for (size_t k = 1; k < 25; k++)
		assert_int_equal(rl_line(d, k)->width, 80);
	assert_int_equal(rl_line(d, 25)->end, ul);
	rl_free(d);
}

/* A wide character at width 1 still makes progress (never a loop). */
static void test_wide_char_at_width_one(void **state)
{
	const char *s = "算力👨‍👩‍👧a";
	struct rl_doc *d = rl_new(s, strlen(s), NULL, 0, NULL, 0);
	assert_int_equal(rl_wrap(d, 1), 4);
	struct rc_cell c[4];
	assert_int_equal(rl_cells(d, 0, c, 4, NULL, 0), 1);
	assert_int_equal(c[0].width, 1);
	assert_true(c[0].attr & RC_PLACEHOLDER);
	assert_true(rl_line(d, 0)->clipped);
	assert_int_equal(rl_wrap(d, 2), 4);             /* 算 / 力 / 👨‍👩‍👧 / a */
	assert_int_equal(rl_wrap(d, 3), 3);             /* 算 / 力 / 👨‍👩‍👧a */
	rl_free(d);
	/* a 4-cell placeholder at width 3 */
	d = rl_new("\xc2\x9b", 2, NULL, 0, NULL, 0);
	check_layout(d, 3);
	check_layout(d, 1);
	rl_free(d);
}

/* The reader keeps its place across a resize; layouts are cached. */
static void test_cache_and_resize(void **state)
{
	size_t len;
	char *s2 = seed("002_", &len);
	struct rl_doc *d = rl_new(s2, len, NULL, 0, NULL, 0);
	size_t n80 = rl_wrap(d, 80);
	const struct rl_line *first = rl_line(d, 0);
	assert_int_equal(rl_wrap(d, 80), n80);           /* cached: same lines */
	assert_ptr_equal(rl_line(d, 0), first);
	size_t off = rl_line(d, 300)->off;
	size_t n37 = rl_wrap(d, 37);
	assert_true(n37 > n80);
	const struct rl_line *l = rl_line(d, rl_line_at(d, off));
	assert_true(l->off <= off && off < l->end);
	assert_int_equal(rl_width(d), 37);
	/* byte offsets → cell columns (tig 0bba7c5d: not byte columns) */
	size_t k = rl_line_at(d, off);
	int col = rl_col_at(d, k, off);
	assert_true(col >= 0 && col <= 37);
	rl_free(d);
	free(s2);
	d = rl_new("算力abc", strlen("算力abc"), NULL, 0, NULL, 0);
	rl_wrap(d, 80);
	assert_int_equal(rl_col_at(d, 0, 3), 2);
	assert_int_equal(rl_col_at(d, 0, 6), 4);
	assert_int_equal(rl_col_at(d, 0, 7), 5);
	rl_free(d);
}

static void test_blocks_indent_and_spans(void **state)
{
	const char *s = "1. alpha beta gamma delta";
	struct rl_block b = { 0, strlen(s), 2, 5, 0 };
	struct rl_span sp = { 0, 3, RC_LIST };
	struct rl_doc *d = rl_new(s, strlen(s), &b, 1, &sp, 1);
	assert_int_equal(rl_wrap(d, 16), 2);            /* "1. alpha beta" */
	assert_int_equal(rl_line(d, 1)->width, 5 + 11);   /* "gamma delta" */
	assert_int_equal(rl_line(d, 0)->indent, 2);
	assert_int_equal(rl_line(d, 1)->indent, 5);
	struct rc_cell c[20];
	size_t n = rl_cells(d, 0, c, 20, NULL, 0);
	assert_true(n > 3);
	assert_true(c[2].attr & RC_LIST);               /* '1' after 2 indent */
	assert_false(c[6].attr & RC_LIST);
	/* highlight ranges */
	struct rl_range hl = { 3, 8 };                  /* "alpha" */
	n = rl_cells(d, 0, c, 20, &hl, 1);
	assert_true(c[5].attr & RC_HIGHLIGHT);
	assert_false(c[4].attr & RC_HIGHLIGHT);
	check_layout(d, 1);
	check_layout(d, 3);
	rl_free(d);
}

static struct rm_doc render_seed_summary(char **sum_out)
{
	size_t len, slen;
	char *s0 = seed("000_", &len);
	char *sum = summary_of(s0, &slen);
	free(s0);
	struct rm_doc md;
	assert_int_equal(rm_render(sum, slen, &md), 0);
	*sum_out = sum;
	return md;
}

static void test_markdown_seed_summary(void **state)
{
	char *sum;
	struct rm_doc md = render_seed_summary(&sum);
	size_t len;
	const char *t = rl_text(md.layout, &len);
	assert_null(strstr(t, "**"));
	assert_null(strstr(t, "Mermaid_Diagram"));
	assert_null(strstr(t, "graph TD"));
	assert_non_null(strstr(t, "1. Grok4 发布会回顾:"));
	assert_non_null(strstr(t, "\xe2\x8a\x9e concept map \xe2\x8b\x85 16 nodes \xe2\x8b\x85 press m"));
	/* the diagram's source, handed out whole */
	assert_int_equal(md.ndiagrams, 1);
	assert_int_equal(md.diagrams[0].nodes, 16);
	assert_non_null(strstr(md.diagrams[0].source, "graph TD"));
	assert_non_null(strstr(md.diagrams[0].source, "linkStyle 26 stroke:#555;"));
	/* section index: the four places a reader jumps to */
	const char *want[] = { "核心观点总结 (Structured Outline)", "核心主旨 (Core Point)",
	                       "总体框架 (Overarching Framework)",
	                       "Mermaid 概念图 (Mermaid Conceptual Map)", "Mermaid diagram" };
	assert_int_equal(md.nsections, 5);
	size_t w = 50;
	rl_wrap(md.layout, (int)w);
	size_t prev = 0;
	for (size_t i = 0; i < 5; i++) {
		assert_string_equal(md.sections[i].title, want[i]);
		size_t line = rm_section_line(&md, i);
		assert_true(i == 0 || line > prev);
		prev = line;
		struct rc_cell c[64];
		size_t n = rl_cells(md.layout, line, c, 64, NULL, 0);
		assert_true(n > 0);
		assert_true(c[0].attr & (i == 4 ? RC_DIAGRAM : RC_HEADING));
		assert_int_equal(rm_section_of_line(&md, line), (long)i);
	}
	assert_true(md.sections[4].is_diagram);
	rl_wrap(md.layout, 200);                        /* still right after a resize */
	assert_true(rm_section_line(&md, 4) > rm_section_line(&md, 3));
	rm_free(&md);
	free(sum);
}

/* Hanging indents survive wrapping; the list markers are marked. */
static void test_markdown_lists_hang(void **state)
{
	const char *md_src =
		"Intro paragraph.\n\n"
		"1.  **First point:**\n"
		"    *   a bullet that is long enough to wrap at a narrow width\n"
		"        *   a nested bullet that also wraps around the edge\n"
		"2.  **Second point:**\n"
		"    *   short\n";
	struct rm_doc md;
	assert_int_equal(rm_render(md_src, strlen(md_src), &md), 0);
	size_t n = rl_wrap(md.layout, 24);
	const char *t = rl_text(md.layout, NULL);
	int saw_nested_cont = 0, saw_cont = 0;
	for (size_t k = 0; k < n; k++) {
		const struct rl_line *l = rl_line(md.layout, k);
		if (strncmp(t + l->off, "1. ", 3) == 0 || strncmp(t + l->off, "2. ", 3) == 0) {
			assert_int_equal(l->indent, 0);
			struct rc_cell c[30];
			rl_cells(md.layout, k, c, 30, NULL, 0);
			assert_true(c[0].attr & RC_LIST);
			assert_true(c[3].attr & RC_BOLD);
		} else if (strncmp(t + l->off, "\xe2\x97\xa6 ", 4) == 0) {
			assert_int_equal(l->indent, 3);        /* under the text of "1. " */
		} else if (strncmp(t + l->off, "\xe2\x81\x83 ", 4) == 0) {
			assert_int_equal(l->indent, 5);
		} else if (l->off != l->end && strncmp(t + l->off, "Intro", 5) != 0) {
			/* continuation lines hang under their item's text */
			assert_true(l->indent == 5 || l->indent == 7);
			saw_cont += l->indent == 5;
			saw_nested_cont += l->indent == 7;
		}
	}
	assert_true(saw_cont > 0);
	assert_true(saw_nested_cont > 0);
	/* blank line after the intro paragraph, none inside the tight list */
	assert_int_equal(rl_line(md.layout, 1)->off, rl_line(md.layout, 1)->end);
	rm_free(&md);
}

static void test_markdown_mermaid_fence_and_headings(void **state)
{
	const char *src = "# Title\n\nText with `code` and *em*.\n\n"
	                  "```mermaid\nflowchart LR\n  A-->B\n  B-->C\n```\n\n"
	                  "## Next\n\n<Mermaid_Diagram>\ngraph TD\nX-->Y\n\n  style X fill:#fff\n"
	                  "</Mermaid_Diagram>\n\nafter\x1b[2J\n\n| a | b |\n|---|---|\n| 1 | 2 |\n";
	struct rm_doc md;
	assert_int_equal(rm_render(src, strlen(src), &md), 0);
	assert_int_equal(md.ndiagrams, 2);
	assert_int_equal(md.diagrams[0].nodes, 3);
	assert_int_equal(md.diagrams[1].nodes, 2);
	assert_non_null(strstr(md.diagrams[1].source, "style X fill:#fff"));
	const char *t = rl_text(md.layout, NULL);
	assert_null(strstr(t, "style X"));             /* not spilled as text */
	assert_null(strstr(t, "```"));
	assert_non_null(strstr(t, "a | b\n1 | 2\n"));   /* table rows */
	assert_int_equal(md.nsections, 4);
	assert_string_equal(md.sections[0].title, "Title");
	assert_int_equal(md.sections[0].level, 1);
	assert_string_equal(md.sections[2].title, "Next");
	/* printing it stays free of escapes */
	char *out = NULL;
	size_t outlen = 0;
	FILE *f = open_memstream(&out, &outlen);
	assert_int_equal(cli_print_text(f, src, strlen(src), 30, 1, 0), 0);
	fclose(f);
	assert_null(memchr(out, 0x1b, outlen));
	assert_non_null(strstr(out, "after^["));
	free(out);
	rm_free(&md);
}

/* Lists nested past the renderer's depth limit keep a sane indent and
 * leave the levels above them intact. */
/* Laid out a few blocks at a time (how the command line prints a long
 * summary), the lines are those of the whole layout. */
static void test_wrap_blocks_pieces(void **state)
{
	struct buf md = { 0 };
	for (int i = 0; i < 300; i++)
		buf_printf(&md, "## Part %d\n\n1. **point** 算力决定了模型的上限 and the users of it %d\n"
		           "    * nested\titem with `code` and a long tail of words to wrap %d\n\n", i, i, i);
	struct rm_doc d;
	rm_render(md.p, md.len, &d);
	size_t nb = rl_block_count(d.layout);
	assert_true(nb > 600);
	for (int w = 0; w <= 40; w += 13) {
		size_t n = rl_wrap(d.layout, w);
		struct rl_line *whole = malloc(n * sizeof *whole);
		for (size_t k = 0; k < n; k++)
			whole[k] = *rl_line(d.layout, k);
		size_t at = 0;
		for (size_t b = 0; b < nb; b += 7) {
			size_t m = rl_wrap_blocks(d.layout, w, b, b + 7);
			for (size_t k = 0; k < m; k++, at++) {
				assert_true(at < n);
				const struct rl_line *l = rl_line(d.layout, k);
				assert_int_equal(l->off, whole[at].off);
				assert_int_equal(l->end, whole[at].end);
				assert_int_equal(l->width, whole[at].width);
				assert_int_equal(l->block, whole[at].block);
			}
		}
		assert_int_equal(at, n);
		assert_int_equal(rl_wrap(d.layout, w), n);   /* whole again */
		free(whole);
	}
	rm_free(&d);
	buf_free(&md);
}

static void test_markdown_deep_nesting(void **state)
{
	char src[40000];
	size_t n = 0;
	for (int d = 0; d < 100; d++) {
		for (int k = 0; k < d * 2; k++)
			src[n++] = ' ';
		n += (size_t)sprintf(src + n, "- level %d\n", d);
	}
	n += (size_t)sprintf(src + n, "\nafter\n");
	struct rm_doc md;
	assert_int_equal(rm_render(src, n, &md), 0);
	size_t lines = check_layout(md.layout, 80);
	const struct rl_line *last = rl_line(md.layout, lines - 1);
	const char *t = rl_text(md.layout, NULL);
	assert_int_equal(strncmp(t + last->off, "after", 5), 0);
	assert_int_equal(last->indent, 0);
	check_layout(md.layout, 3);
	rm_free(&md);
}

static void test_find_folds(void **state)
{
	const char *s = "Grok4 与 ＧＲＯＫ４ and grok; café cafe\xcc\x81 ｶﾀｶﾅ カタカナ e\xcc\x81 soft\xc2\xadhy";
	struct rf_index *ix = rf_index_new(s, strlen(s));
	struct rl_range *h;
	size_t n = rf_find(ix, "grok4", 5, &h);
	assert_int_equal(n, 2);
	assert_int_equal(h[0].off, 0);
	assert_int_equal(h[0].end, 5);
	assert_int_equal(strncmp(s + h[1].off, "ＧＲＯＫ４", h[1].end - h[1].off), 0);
	free(h);
	n = rf_find(ix, "GROK", 4, &h);
	assert_int_equal(n, 3);
	free(h);
	n = rf_find(ix, "café", strlen("café"), &h);  /* precomposed and not */
	assert_int_equal(n, 2);
	free(h);
	n = rf_find(ix, "cafe", 4, &h);                 /* e must not eat é */
	assert_int_equal(n, 0);
	free(h);
	n = rf_find(ix, "カタカナ", strlen("カタカナ"), &h);
	assert_int_equal(n, 2);                        /* half-width too */
	free(h);
	n = rf_find(ix, "softhy", 6, &h);               /* soft hyphen ignored */
	assert_int_equal(n, 1);
	free(h);
	n = rf_find(ix, "", 0, &h);
	assert_int_equal(n, 0);
	assert_null(h);
	rf_index_free(ix);
}

/* Hits map to wrapped lines and cell columns; highlighting survives a
 * resize (tig #515: a highlight at a line's end). */
static void test_find_maps_to_layout(void **state)
{
	size_t len;
	char *s0 = seed("000_", &len);
	struct rf_index *ix = rf_index_new(s0, len);
	struct rl_range *h;
	size_t n = rf_find(ix, "XAI", 3, &h);
	assert_true(n > 20);
	struct rl_doc *d = rl_new(s0, len, NULL, 0, NULL, 0);
	for (int w = 1; w <= 81; w += 40) {
		rl_wrap(d, w);
		struct rc_cell *cells = malloc(sizeof *cells * (size_t)(w + 1));
		for (size_t i = 0; i < n; i++) {
			size_t k = rl_line_at(d, h[i].off);
			const struct rl_line *l = rl_line(d, k);
			assert_true(h[i].off >= l->off && h[i].off < l->end);
			int col = rl_col_at(d, k, h[i].off);
			size_t nc = rl_cells(d, k, cells, (size_t)w + 1, h, n);
			int found = 0;
			for (size_t c = 0; c < nc; c++)
				if (cells[c].col == col) {
					assert_true(cells[c].attr & RC_HIGHLIGHT);
					assert_int_equal(cells[c].off, h[i].off);
					found = 1;
				}
			assert_true(found);
		}
		free(cells);
	}
	assert_int_equal(h[rf_next_hit(h, n, h[3].off + 1)].off, h[4].off);
	assert_int_equal(rf_next_hit(h, n, len), 0);    /* wraps around */
	free(h);
	rl_free(d);
	rf_index_free(ix);
	free(s0);
}

/* tig 00a5a53b: a cell holds a whole cluster, however many bytes. */
static void test_cells_hold_long_clusters(void **state)
{
	const char *s = "👨‍👩‍👧🏴󠁧󠁢󠁳󠁣󠁴󠁿x";
	struct rl_doc *d = rl_new(s, strlen(s), NULL, 0, NULL, 0);
	rl_wrap(d, 80);
	struct rc_cell c[8];
	assert_int_equal(rl_cells(d, 0, c, 8, NULL, 0), 3);
	assert_string_equal(c[0].text, "👨‍👩‍👧");
	assert_string_equal(c[1].text, "🏴󠁧󠁢󠁳󠁣󠁴󠁿");
	assert_int_equal(c[2].col, 4);
	rl_free(d);
	/* a cluster of 200 combining marks keeps its base and fits the cell */
	char z[1 + 400];
	z[0] = 'Z';
	for (int i = 0; i < 200; i++)
		memcpy(z + 1 + 2 * i, "\xcc\x81", 2);
	d = rl_new(z, sizeof z, NULL, 0, NULL, 0);
	assert_int_equal(check_layout(d, 1), 1);
	rl_wrap(d, 5);
	assert_int_equal(rl_cells(d, 0, c, 8, NULL, 0), 1);
	assert_int_equal(c[0].text[0], 'Z');
	assert_true(c[0].len < RS_GLYPH_MAX);
	rl_free(d);
}

static void test_print_widths_and_plain(void **state)
{
	size_t len;
	char *s0 = seed("000_", &len);
	for (size_t i = 0; i < sizeof widths / sizeof widths[0]; i++) {
		for (int md = 0; md <= 1; md++) {
			char *out = NULL;
			size_t outlen = 0;
			FILE *f = open_memstream(&out, &outlen);
			assert_int_equal(cli_print_text(f, s0, len, widths[i], md, 0), 0);
			fclose(f);
			assert_null(memchr(out, 0x1b, outlen));
			char *line = out;
			int lines = 0;
			while (line < out + outlen) {
				char *nl = memchr(line, '\n', (size_t)(out + outlen - line));
				assert_non_null(nl);
				assert_true(rw_width(line, (size_t)(nl - line)) <= widths[i]);
				line = nl + 1;
				lines++;
			}
			assert_true(lines > 0);
			free(out);
		}
	}
	/* width 0: unwrapped, still sanitised; colour: SGR only */
	const char *evil = "x\x1b]52;c;aGk=\x07y\n**bold**";
	char *out = NULL;
	size_t outlen = 0;
	FILE *f = open_memstream(&out, &outlen);
	assert_int_equal(cli_print_text(f, evil, strlen(evil), 0, 0, 0), 0);
	fclose(f);
	assert_string_equal(out, "x^[y\n**bold**\n");
	free(out);
	f = open_memstream(&out, &outlen);
	assert_int_equal(cli_print_text(f, evil, strlen(evil), 0, 1, 1), 0);
	fclose(f);
	assert_non_null(strstr(out, "\x1b[0;1mbold\x1b[0m"));
	assert_null(strstr(out, "\x1b]"));
	free(out);
	free(s0);
}

/* An empty document may come with a NULL text (UBSan: no memcpy from
 * NULL); it lays out as nothing at every width. */
static void test_empty_null_text(void **state)
{
	struct rl_doc *d = rl_new(NULL, 0, NULL, 0, NULL, 0);
	assert_non_null(d);
	size_t len = 1;
	const char *t = rl_text(d, &len);
	assert_int_equal(len, 0);
	assert_string_equal(t, "");
	assert_true(rl_wrap(d, 80) <= 1);
	assert_true(rl_wrap(d, 1) <= 1);
	rl_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_null_text),
		cmocka_unit_test(test_escape_sequences_collapse),
		cmocka_unit_test(test_invisible_and_bidi_dropped),
		cmocka_unit_test(test_invalid_utf8_and_nul),
		cmocka_unit_test(test_clean_copy),
		cmocka_unit_test(test_tabs_expand),
		cmocka_unit_test(test_latin_breaks_at_spaces),
		cmocka_unit_test(test_cjk_punctuation_rules),
		cmocka_unit_test(test_long_unpunctuated_and_url),
		cmocka_unit_test(test_wide_char_at_width_one),
		cmocka_unit_test(test_cache_and_resize),
		cmocka_unit_test(test_blocks_indent_and_spans),
		cmocka_unit_test(test_markdown_seed_summary),
		cmocka_unit_test(test_markdown_lists_hang),
		cmocka_unit_test(test_markdown_mermaid_fence_and_headings),
		cmocka_unit_test(test_markdown_deep_nesting),
		cmocka_unit_test(test_wrap_blocks_pieces),
		cmocka_unit_test(test_find_folds),
		cmocka_unit_test(test_find_maps_to_layout),
		cmocka_unit_test(test_cells_hold_long_clusters),
		cmocka_unit_test(test_print_widths_and_plain),
		cmocka_unit_test(test_property_seeds),
		cmocka_unit_test(test_property_transcripts),
		cmocka_unit_test(test_property_generated),
	};
	return cmocka_run_group_tests_name("render", tests, NULL, NULL);
}
