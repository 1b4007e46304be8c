/* test_width.c — display width (render/width.h) and agreement with libc. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <locale.h>
#include <string.h>
#include <wchar.h>
#include <utf8proc.h>

#include "render/sanitize.h"
#include "render/width.h"

static void test_ascii_and_cjk(void **state)
{
	assert_int_equal(rw_swidth("abc"), 3);
	assert_int_equal(rw_swidth("算力"), 4);
	assert_int_equal(rw_swidth("a算b"), 4);
	assert_int_equal(rw_swidth("ＡＢ"), 4);          /* full-width Latin */
	assert_int_equal(rw_swidth("ｶﾀｶﾅ"), 4);          /* half-width kana */
	assert_int_equal(rw_swidth("한국어"), 6);
}

static void test_combining_joins_base(void **state)
{
	assert_int_equal(rw_swidth("e\xcc\x81"), 1);          /* e + U+0301 */
	assert_int_equal(rw_swidth("e\xcc\x81\xcc\xa3\xcc\x84"), 1);
	assert_int_equal(rw_swidth("\xf0\x9f\x91\x8d"), 2);   /* 👍 */
	assert_int_equal(rw_swidth("\xe1\x84\x80\xe1\x85\xa1\xe1\x86\xa8"), 2); /* jamo L V T */
	assert_int_equal(rw_swidth("\xcc\x81"), 1);           /* mark alone: on a space */
}

static void test_emoji_sequences(void **state)
{
	assert_int_equal(rw_swidth("👨‍👩‍👧"), 2);                /* ZWJ sequence */
	assert_int_equal(rw_swidth("👍🏻"), 2);                   /* skin tone */
	assert_int_equal(rw_swidth("🇺🇸"), 2);                   /* flag */
	assert_int_equal(rw_swidth("🇺"), 1);                    /* lone RI */
	assert_int_equal(rw_swidth("#\xef\xb8\x8f\xe2\x83\xa3"), 2);  /* keycap #️⃣ */
	assert_int_equal(rw_swidth("\xe2\x9d\xa4"), 1);       /* ❤ text style */
	assert_int_equal(rw_swidth("\xe2\x9d\xa4\xef\xb8\x8f"), 2);   /* ❤️ VS16 */
	assert_int_equal(rw_swidth("\xe2\x9d\xa4\xef\xb8\x8e"), 1);   /* ❤︎ VS15 */
	assert_int_equal(rw_swidth("😀\xef\xb8\x8e"), 2);      /* wide stays wide */
	assert_int_equal(rw_swidth("🏴󠁧󠁢󠁳󠁣󠁴󠁿"), 2);          /* tag sequence */
	assert_int_equal(rw_swidth("a👨‍👩‍👧b"), 4);
}

static void test_ambiguous_setting(void **state)
{
	const char *amb = "\xe2\x80\x9c\xe2\x80\xa6\xe2\x80\x94\xce\xb1"; /* “…—α */
	assert_int_equal(rw_swidth(amb), 4);
	assert_true(rw_is_ambiguous(0x201C));
	assert_false(rw_is_ambiguous(0x4E00));
	assert_false(rw_is_ambiguous('a'));
	rw_set_ambiguous_wide(1);
	assert_int_equal(rw_swidth(amb), 8);
	assert_int_equal(rw_swidth("e\xcc\x81"), 1);   /* U+0301 is "A" but a mark */
	assert_int_equal(rw_swidth("算"), 2);
	rw_set_ambiguous_wide(0);
	assert_int_equal(rw_swidth(amb), 4);
}

static void test_invalid_bytes(void **state)
{
	assert_int_equal(rw_width("\xff", 1), 1);
	assert_int_equal(rw_width("\xff\xfe\xfd", 3), 1);    /* one U+FFFD a run */
	assert_int_equal(rw_width("a\xc3", 2), 2);           /* truncated */
	assert_int_equal(rw_width("\xed\xa0\x80", 3), 1);    /* surrogate */
	int32_t cp;
	assert_int_equal(rw_decode("\xc3", 1, &cp), 1);
	assert_int_equal(cp, 0xFFFD);
	assert_int_equal(rw_decode("\xe7\xae\x97", 3, &cp), 3);
	assert_int_equal(cp, 0x7B97);
}

static void test_controls_count_as_placeholders(void **state)
{
	assert_int_equal(rw_width("a\0b", 3), 4);            /* ^@ */
	assert_int_equal(rw_swidth("\x1b[2J"), 2);           /* one ^[ */
	assert_int_equal(rw_swidth("\x7f"), 2);              /* ^? */
	assert_int_equal(rw_swidth("\xc2\x9b" "31m"), 4);     /* C1 CSI: <9b> */
	assert_int_equal(rw_swidth("a\xe2\x80\xae" "b"), 2);  /* RLO dropped */
	assert_int_equal(rw_swidth("a\tb"), 9);              /* tab to column 8 */
	assert_int_equal(rw_swidth("abcdefgh\tb"), 17);
}

/* tig b50824be: combining characters stay with their base at a cut. */
static void test_fit_keeps_clusters(void **state)
{
	int used;
	size_t n = rw_fit("e\xcc\x81" "e\xcc\x81", 5, 1, &used);
	assert_int_equal(n, 3);
	assert_int_equal(used, 1);
	n = rw_fit("算力abc", strlen("算力abc"), 3, &used);
	assert_int_equal(n, 3);                               /* 算 only */
	assert_int_equal(used, 2);
	n = rw_fit("👨‍👩‍👧x", strlen("👨‍👩‍👧x"), 2, &used);
	assert_int_equal(n, strlen("👨‍👩‍👧"));
	assert_int_equal(rw_fit("算", 3, 1, &used), 0);
}

/* 1 when rs_next() takes a fast path for cp followed by ASCII: printable
 * ASCII, CJK punctuation U+3000–U+303E but U+302A–U+302F, ideographs
 * U+4000–U+9FFF but the hexagrams U+4DC0–U+4DFF, full-width forms
 * U+FF01–U+FF60 (render/sanitize.c). */
static int in_fast_set(int32_t cp)
{
	return (cp > 0x20 && cp < 0x7F) ||
	       (cp >= 0x3000 && cp <= 0x303E && !(cp >= 0x302A && cp <= 0x302F)) ||
	       (cp >= 0x4000 && cp <= 0x9FFF && !(cp >= 0x4DC0 && cp <= 0x4DFF)) ||
	       (cp >= 0xFF01 && cp <= 0xFF60);
}

/* The fast paths of rs_next() agree with the general path: a code point
 * followed by ASCII (fast) has the width it has followed by a combining
 * mark (general: the mark adds 0). Every code point of the fast paths is
 * compared, in both ambiguous settings, and the counts prove it. */
static void test_fast_paths_agree(void **state)
{
	long compared = 0, fast = 0;
	for (int amb = 0; amb <= 1; amb++) {
		rw_set_ambiguous_wide(amb);
		for (int32_t cp = 0x20; cp <= 0xFFFD; cp++) {
			if (cp >= 0xD800 && cp <= 0xDFFF)
				continue;
			char buf[16];
			size_t n = (size_t)utf8proc_encode_char(cp, (utf8proc_uint8_t *)buf);
			struct rs_cluster fst, slow;
			memcpy(buf + n, "a", 1);
			rs_next(buf, n + 1, 0, &fst);
			memcpy(buf + n, "\xcc\x81", 2);
			rs_next(buf, n + 2, 0, &slow);
			if (fst.kind != RS_TEXT || fst.len != n || slow.len != n + 2) {
				/* controls, dropped characters, marks, prepended
				 * marks that join the 'a': no fast path */
				if (in_fast_set(cp))
					fail_msg("U+%04X of a fast path was not compared", (unsigned)cp);
				continue;
			}
			if (fst.width != slow.width || fst.cp != cp) {
				print_message("U+%04X: fast %d slow %d\n", (unsigned)cp, fst.width, slow.width);
				fail();
			}
			compared++;
			fast += in_fast_set(cp);
		}
	}
	rw_set_ambiguous_wide(0);
	assert_int_equal(fast, 2 * (94 + 57 + 24512 + 96));
	assert_true(compared > fast);   /* the rest of the BMP above U+0020 too */
}

static const char *const sequences[] = {
	"👨‍👩‍👧", "👍🏻", "❤️", "☺️", "#️⃣", "🇺🇸", "🏴󠁧󠁢󠁳󠁣󠁴󠁿", "e\xcc\x81", "क\xe0\xa4\xbf",
	"\xe2\x80\x9c", "\xe2\x80\xa6", "\xe2\x80\x94", "\xef\xbf\xbd", "ｶ", "\xf0\x9f\xab\xa8", /* U+1FAE8 (Unicode 15) */
	"\xe4\xb7\x80", /* U+4DC0 hexagram */
};

/* Safe mode: whatever the code point or sequence, the glyph drawn has the
 * width libc (ncursesw) will advance by, equal to the width the layer uses;
 * so nothing after it on the row can move. Scans every code point. */
static void check_all_safe(void)
{
	long substituted = 0;
	for (int32_t cp = 0xA0; cp <= 0x10FFFF; cp++) {
		if (cp >= 0xD800 && cp <= 0xDFFF)
			continue;
		utf8proc_uint8_t b[8];
		size_t n = (size_t)utf8proc_encode_char(cp, b);
		struct rs_cluster c;
		rs_next((const char *)b, n, 0, &c);
		char g[RS_GLYPH_MAX];
		int ph;
		size_t gl = rs_glyph((const char *)b, &c, g, &ph);
		if (gl == 0)
			continue;
		if (rw_libc_width(g, gl) != c.width) {
			print_message("U+%04X: width %d, libc %d\n", (unsigned)cp, c.width,
			              rw_libc_width(g, gl));
			fail();
		}
		substituted += ph;
	}
	assert_true(substituted > 0);   /* glibc 2.36 is behind Unicode 15 */
	for (size_t i = 0; i < sizeof sequences / sizeof sequences[0]; i++) {
		const char *s = sequences[i];
		struct rs_cluster c;
		rs_next(s, strlen(s), 0, &c);
		assert_int_equal(c.len, strlen(s));
		char g[RS_GLYPH_MAX];
		size_t gl = rs_glyph(s, &c, g, NULL);
		assert_int_equal(rw_libc_width(g, gl), c.width);
		assert_int_equal(rw_width(g, gl), c.width);
	}
}

static void test_terminal_safe_mode(void **state)
{
	assert_non_null(setlocale(LC_CTYPE, "C.UTF-8"));
	/* Where this machine's libc and utf8proc disagree. */
	assert_int_equal(rw_libc_width("👨‍👩‍👧", strlen("👨‍👩‍👧")), 6);
	assert_false(rw_terminal_safe("👨‍👩‍👧", strlen("👨‍👩‍👧")));
	assert_false(rw_terminal_safe("❤️", strlen("❤️")));
	assert_true(rw_terminal_safe("abc算", strlen("abc算")));
	assert_true(rw_terminal_safe("\xe2\x80\x9c", 3));
	rw_set_ambiguous_wide(1);
	assert_false(rw_terminal_safe("\xe2\x80\x9c", 3));   /* “ in wide mode */
	rw_set_ambiguous_wide(0);

	rw_set_terminal_safe(1);
	struct rs_cluster c;
	char g[RS_GLYPH_MAX];
	int ph;
	const char *fam = "👨‍👩‍👧";
	rs_next(fam, strlen(fam), 0, &c);
	rs_glyph(fam, &c, g, &ph);
	assert_string_equal(g, "👨");                          /* base alone */
	assert_int_equal(ph, 1);
	const char *heart = "❤️";
	rs_next(heart, strlen(heart), 0, &c);
	rs_glyph(heart, &c, g, &ph);
	assert_string_equal(g, "\xe2\x9d\xa4 ");               /* ❤ + pad */
	check_all_safe();
	rw_set_ambiguous_wide(1);
	const char *q = "\xe2\x80\x9c";
	rs_next(q, 3, 0, &c);
	assert_int_equal(c.width, 2);
	rs_glyph(q, &c, g, &ph);
	assert_string_equal(g, "\" ");                         /* ASCII + pad */
	check_all_safe();
	rw_set_ambiguous_wide(0);
	rw_set_terminal_safe(0);
	rs_next(fam, strlen(fam), 0, &c);
	rs_glyph(fam, &c, g, &ph);
	assert_string_equal(g, fam);                           /* off: as is */
	assert_int_equal(ph, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ascii_and_cjk),
		cmocka_unit_test(test_combining_joins_base),
		cmocka_unit_test(test_emoji_sequences),
		cmocka_unit_test(test_ambiguous_setting),
		cmocka_unit_test(test_invalid_bytes),
		cmocka_unit_test(test_controls_count_as_placeholders),
		cmocka_unit_test(test_fit_keeps_clusters),
		cmocka_unit_test(test_fast_paths_agree),
		cmocka_unit_test(test_terminal_safe_mode),
	};
	return cmocka_run_group_tests_name("width", tests, NULL, NULL);
}
