/* test_text.c — the shared text base: render/utf8.h (decoder, encoder,
 * cuts), render/buf.h (byte buffer) and render/alloc.h (fail-fast
 * allocation), checked against utf8proc and by hand. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "render/alloc.h"
#include "render/buf.h"
#include "render/utf8.h"

static void test_decode_valid(void **state)
{
	int32_t cp;
	assert_int_equal(utf8_decode("A", 1, &cp), 1);
	assert_int_equal(cp, 'A');
	assert_int_equal(utf8_decode("\xC3\xA9", 2, &cp), 2);
	assert_int_equal(cp, 0xE9);
	assert_int_equal(utf8_decode("\xE7\xAE\x97", 3, &cp), 3);
	assert_int_equal(cp, 0x7B97);          /* 算 */
	assert_int_equal(utf8_decode("\xF0\x9F\x98\x80", 4, &cp), 4);
	assert_int_equal(cp, 0x1F600);
	assert_int_equal(utf8_decode("\xF4\x8F\xBF\xBF", 4, &cp), 4);
	assert_int_equal(cp, 0x10FFFF);
}

static void test_decode_invalid(void **state)
{
	static const struct { const char *s; size_t n; } bad[] = {
		{ "\x80", 1 },                  /* lone continuation */
		{ "\xC0\xAF", 2 },              /* overlong '/' */
		{ "\xE0\x80\xAF", 3 },          /* overlong */
		{ "\xED\xA0\x80", 3 },          /* surrogate U+D800 */
		{ "\xF4\x90\x80\x80", 4 },      /* above U+10FFFF */
		{ "\xE7\xAE", 2 },              /* cut sequence */
		{ "\xF5\x80\x80\x80", 4 },
		{ "\xFF", 1 },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int32_t cp = 0;
		assert_int_equal(utf8_decode(bad[i].s, bad[i].n, &cp), 0);
		assert_int_equal(cp, 0xFFFD);
		assert_int_equal(utf8_next(bad[i].s, bad[i].n, &cp), 1);
		assert_int_equal(cp, 0xFFFD);
	}
	/* the length given is respected: a valid sequence cut by len */
	int32_t cp;
	assert_int_equal(utf8_decode("\xE7\xAE\x97", 2, &cp), 0);
}

/* Every scalar value round-trips through utf8_encode/utf8_decode and
 * agrees with utf8proc byte for byte; the count proves none was skipped. */
static void test_round_trip_all(void **state)
{
	long checked = 0;
	for (int32_t cp = 0; cp <= 0x10FFFF; cp++) {
		if (cp >= 0xD800 && cp <= 0xDFFF)
			continue;
		char out[4];
		utf8proc_uint8_t ref[4];
		size_t n = utf8_encode(cp, out);
		assert_int_equal(n, (size_t)utf8proc_encode_char(cp, ref));
		assert_memory_equal(out, ref, n);
		int32_t back;
		assert_int_equal(utf8_decode(out, n, &back), n);
		assert_int_equal(back, cp);
		checked++;
	}
	assert_int_equal(checked, 0x110000 - 0x800);
	char out[4];
	assert_int_equal(utf8_encode(0xD800, out), 3);
	assert_memory_equal(out, "\xEF\xBF\xBD", 3);
	assert_int_equal(utf8_encode(-1, out), 3);
	assert_int_equal(utf8_encode(0x110000, out), 3);
}

/* The inline three-byte decoder of utf8_decode() agrees with utf8proc
 * (utf8_decode_slow) for every lead byte round it and every pair of
 * following bytes, cut at two and three bytes; the count proves none was
 * skipped. */
static void test_decode_inline_agrees(void **state)
{
	long checked = 0, inline_valid = 0;
	for (int lead = 0xDF; lead <= 0xF0; lead++)
		for (int b1 = 0; b1 < 256; b1++)
			for (int b2 = 0; b2 < 256; b2++) {
				const char s[4] = { (char)lead, (char)b1, (char)b2, '\x80' };
				for (size_t len = 2; len <= 4; len++) {
					int32_t a, b;
					size_t na = utf8_decode(s, len, &a), nb = utf8_decode_slow(s, len, &b);
					assert_int_equal(na, nb);
					assert_int_equal(a, b);
					checked++;
					inline_valid += len == 3 && na == 3;
				}
			}
	assert_int_equal(checked, 18L * 256 * 256 * 3);
	/* E0 A0-BF, E1-EC and EE-EF 80-BF, ED 80-9F: all valid three-byte forms */
	assert_int_equal(inline_valid, 0x10000 - 0x800 - 0x800);
}

/* buf_put() takes its inline path only when the bytes and the NUL fit:
 * at the exact fit the buffer does not move, one byte more grows it. */
static void test_buf_fit(void **state)
{
	struct buf b = { 0 };
	buf_reserve(&b, 16);
	size_t room = b.cap - b.len - 1;       /* bytes that fit besides the NUL */
	char *p = b.p;
	char fill[64];
	memset(fill, 'y', sizeof fill);
	assert_true(room < sizeof fill);
	buf_put(&b, fill, room);
	assert_ptr_equal(b.p, p);
	assert_int_equal(b.len, room);
	assert_int_equal(b.p[b.len], '\0');
	buf_put(&b, NULL, 0);                  /* nothing, no move */
	assert_ptr_equal(b.p, p);
	buf_put(&b, "z", 1);                   /* the NUL no longer fits */
	assert_true(b.cap > b.len);
	assert_int_equal(b.len, room + 1);
	assert_int_equal(b.p[room], 'z');
	assert_int_equal(b.p[b.len], '\0');
	for (size_t i = 0; i < room; i++)
		assert_int_equal(b.p[i], 'y');
	buf_free(&b);
}

static void test_walk(void **state)
{
	const char *s = "a\xC3\xA9\xE7\xAE\x97\xF0\x9F\x98\x80!";
	size_t n = strlen(s), i = 0;
	int32_t want[] = { 'a', 0xE9, 0x7B97, 0x1F600, '!' };
	size_t k = 0;
	while (i < n)
		assert_int_equal(utf8_at(s, n, &i), want[k++]);
	assert_int_equal(k, 5);
	/* backwards */
	assert_int_equal(utf8_prev(s, n), n - 1);
	assert_int_equal(utf8_prev(s, n - 1), n - 5);
	assert_int_equal(utf8_prev(s, n - 5), 3);
	assert_int_equal(utf8_prev(s, 3), 1);
	assert_int_equal(utf8_prev(s, 1), 0);
	/* cuts never split a character */
	assert_int_equal(utf8_cut(s, n, 2), 1);
	assert_int_equal(utf8_cut(s, n, 4), 3);
	assert_int_equal(utf8_cut(s, n, 5), 3);
	assert_int_equal(utf8_cut(s, n, 6), 6);
	assert_int_equal(utf8_cut(s, n, 9), 6);
	assert_int_equal(utf8_cut(s, n, n), n);
	assert_int_equal(utf8_cut(s, n, n + 5), n + 5);
}

static void test_buf(void **state)
{
	struct buf b = { 0 };
	char *t = buf_take(&b);
	assert_string_equal(t, "");
	free(t);
	buf_put(&b, NULL, 0);
	assert_non_null(b.p);
	assert_int_equal(b.len, 0);
	buf_puts(&b, "ab");
	buf_putc(&b, 'c');
	buf_put_cp(&b, 0x7B97);
	buf_put_cp(&b, 0);              /* never a NUL byte */
	buf_put_cp(&b, 0xDC00);
	buf_printf(&b, "%d-%s", 42, "x");
	assert_string_equal(b.p, "abc\xE7\xAE\x97\xEF\xBF\xBD\xEF\xBF\xBD" "42-x");
	assert_int_equal(b.len, strlen(b.p));
	/* growth keeps the bytes and the NUL */
	for (int i = 0; i < 10000; i++)
		buf_putc(&b, 'z');
	assert_int_equal(b.len, 16 + 10000);
	assert_int_equal(b.p[b.len], '\0');
	assert_true(b.cap > b.len);
	t = buf_take(&b);
	assert_null(b.p);
	assert_int_equal(b.len, 0);
	assert_int_equal(strlen(t), 16 + 10000);
	free(t);
	buf_puts(&b, "x");
	buf_free(&b);
	assert_null(b.p);
}

static void test_alloc(void **state)
{
	char *p = xstrndup("hello", 3);
	assert_string_equal(p, "hel");
	free(p);
	p = xstrndup(NULL, 0);
	assert_string_equal(p, "");
	free(p);
	p = xstrdup("abc");
	assert_string_equal(p, "abc");
	free(p);
	int *z = xcalloc(0, sizeof *z);   /* never NULL */
	assert_non_null(z);
	free(z);
	z = xcalloc(4, sizeof *z);
	for (int i = 0; i < 4; i++)
		assert_int_equal(z[i], 0);
	free(z);
	int *v = NULL;
	size_t cap = 0;
	for (int i = 0; i < 100; i++) {
		xgrow(&v, &cap, (size_t)i + 1, sizeof *v);
		v[i] = i;
	}
	assert_true(cap >= 100);
	assert_int_equal(cap & (cap - 1), 0);   /* doubled from 8 */
	for (int i = 0; i < 100; i++)
		assert_int_equal(v[i], i);
	free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_valid),
		cmocka_unit_test(test_decode_invalid),
		cmocka_unit_test(test_round_trip_all),
		cmocka_unit_test(test_decode_inline_agrees),
		cmocka_unit_test(test_walk),
		cmocka_unit_test(test_buf),
		cmocka_unit_test(test_buf_fit),
		cmocka_unit_test(test_alloc),
	};
	return cmocka_run_group_tests_name("text", tests, NULL, NULL);
}
