/* test_chunk.c — token estimates and transcript splitting (net/chunk.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "net/chunk.h"
#include "tests/unit/support.h"

static void test_estimate(void **state)
{
	/* 10 CJK characters: 6 tokens, +10 % -> 7 (rounded up) */
	assert_int_equal(est_tokens("一二三四五六七八九十", 30), 7);
	/* 100 ASCII characters: 30 tokens, +10 % = 33 */
	char a[101];
	memset(a, 'a', 100);
	a[100] = 0;
	assert_int_equal(est_tokens(a, 100), 33);
	assert_int_equal(est_tokens("", 0), 0);
	/* invalid bytes count, never crash */
	assert_true(est_tokens("\xff\xfe\x80", 3) > 0);
	/* the seed: about 31,000 characters, mostly CJK */
	size_t n;
	char path[512];
	snprintf(path, sizeof path, "data/samples/002_72c3af4b86c673dc.txt");   /* the seed */
	char *s = t_slurp(path, &n);
	long t = est_tokens(s, n);
	assert_true(t > 17000 && t < 22000);
	free(s);
}

/* Checks the invariants of a split: in order, covering everything, each
 * piece within the limit (or one grapheme), starting on a grapheme
 * boundary, overlapping its predecessor by less than half. Returns the
 * count of cuts of each kind in kinds[]. */
static void check_split(const char *s, size_t n, long max, long overlap, int kinds[7], size_t *count)
{
	struct chunk *c;
	size_t k = chunk_split(s, n, max, overlap, &c);
	*count = k;
	memset(kinds, 0, 7 * sizeof *kinds);
	assert_true(k >= 1);
	assert_int_equal(c[0].off, 0);
	assert_int_equal(c[k - 1].off + c[k - 1].len, n);
	assert_int_equal(c[k - 1].cut, CUT_END);
	for (size_t i = 0; i < k; i++) {
		kinds[c[i].cut]++;
		assert_true(c[i].len > 0);
		if (c[i].tokens > max) {
			/* only a single grapheme may exceed the limit */
			utf8proc_int32_t cp;
			utf8proc_ssize_t l = utf8proc_iterate((const utf8proc_uint8_t *)s + c[i].off,
			                                      (utf8proc_ssize_t)c[i].len, &cp);
			assert_true(l > 0 && (size_t)l <= c[i].len);
			assert_true(max < 3);
		}
		/* starts and ends on a UTF-8 lead byte */
		assert_true(((unsigned char)s[c[i].off] & 0xC0) != 0x80);
		if (c[i].off + c[i].len < n)
			assert_true(((unsigned char)s[c[i].off + c[i].len] & 0xC0) != 0x80);
		if (i > 0) {
			size_t prev_end = c[i - 1].off + c[i - 1].len;
			assert_true(c[i].off > c[i - 1].off);
			assert_true(c[i].off <= prev_end);   /* no gap */
			assert_true(prev_end - c[i].off <= c[i - 1].len / 2 + 4);
		}
	}
	free(c);
}

static void test_fits_in_one(void **state)
{
	struct chunk *c;
	const char *s = "短短的一句话。";
	assert_int_equal(chunk_split(s, strlen(s), 100, 10, &c), 1);
	assert_int_equal(c[0].len, strlen(s));
	free(c);
	assert_int_equal(chunk_split("", 0, 100, 10, &c), 0);
	free(c);
}

static void test_boundary_preference(void **state)
{
	int kinds[7];
	size_t k;
	/* paragraphs: cuts at blank lines */
	char buf[8192] = "";
	for (int i = 0; i < 40; i++)
		strcat(buf, "This is a sentence, with a clause. And another one here.\n\n");
	check_split(buf, strlen(buf), 120, 10, kinds, &k);
	assert_true(k > 3);
	assert_int_equal(kinds[CUT_BLANK_LINE], (int)k - 1);
	/* one line of CJK with sentence ends: cuts after 。 */
	buf[0] = 0;
	for (int i = 0; i < 60; i++)
		strcat(buf, "我们今天聊一聊算力，还有模型的未来。");
	check_split(buf, strlen(buf), 100, 10, kinds, &k);
	assert_true(k > 3);
	assert_int_equal(kinds[CUT_SENTENCE], (int)k - 1);
	/* only commas: clause cuts */
	buf[0] = 0;
	for (int i = 0; i < 80; i++)
		strcat(buf, "算力和模型，");
	check_split(buf, strlen(buf), 50, 5, kinds, &k);
	assert_int_equal(kinds[CUT_CLAUSE], (int)k - 1);
	/* ASR pauses: spaces between CJK runs */
	buf[0] = 0;
	for (int i = 0; i < 80; i++)
		strcat(buf, "就是说我觉得 然后 ");
	check_split(buf, strlen(buf), 50, 5, kinds, &k);
	assert_int_equal(kinds[CUT_SPACE], (int)k - 1);
	/* a decimal point is not a sentence end */
	buf[0] = 0;
	for (int i = 0; i < 200; i++)
		strcat(buf, "3.14");
	check_split(buf, strlen(buf), 40, 0, kinds, &k);
	assert_int_equal(kinds[CUT_SENTENCE], 0);
	assert_int_equal(kinds[CUT_GRAPHEME], (int)k - 1);
}

static void test_hard_cut_keeps_graphemes(void **state)
{
	/* family emoji (ZWJ sequence) and e + combining acute, no boundary */
	char buf[16384] = "";
	for (int i = 0; i < 300; i++)
		strcat(buf, i % 2 ? "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7"
		                  : "e\xCC\x81");
	size_t n = strlen(buf);
	struct chunk *c;
	size_t k = chunk_split(buf, n, 30, 5, &c);
	assert_true(k > 5);
	for (size_t i = 0; i < k; i++) {
		/* a piece never starts on a combining mark or after a ZWJ */
		const unsigned char *p = (const unsigned char *)buf + c[i].off;
		assert_false(p[0] == 0xCC && p[1] == 0x81);
		if (c[i].off >= 3)
			assert_false(!memcmp(buf + c[i].off - 3, "\xE2\x80\x8D", 3));
		assert_false(p[0] == 0xE2 && p[1] == 0x80 && p[2] == 0x8D);
	}
	free(c);
	/* a limit smaller than one cluster still makes progress */
	int kinds[7];
	check_split(buf, n, 1, 0, kinds, &k);
	assert_true(k >= 300);
}

static void test_seed_at_4000_tokens(void **state)
{
	size_t n;
	char path[512];
	snprintf(path, sizeof path, "data/samples/002_72c3af4b86c673dc.txt");   /* the seed */
	char *s = t_slurp(path, &n);
	int kinds[7];
	size_t k;
	check_split(s, n, 2000, 100, kinds, &k);
	assert_true(k >= 9 && k <= 14);
	/* the seed has a 。 every few dozen characters: every cut is one */
	assert_int_equal(kinds[CUT_SENTENCE], (int)k - 1);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_estimate),
		cmocka_unit_test(test_fits_in_one),
		cmocka_unit_test(test_boundary_preference),
		cmocka_unit_test(test_hard_cut_keeps_graphemes),
		cmocka_unit_test(test_seed_at_4000_tokens),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
