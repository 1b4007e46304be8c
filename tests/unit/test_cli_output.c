/* test_cli_output.c — what the command line writes (tui/cli/): the message
 * path (rs_clean_msg, cli_line), the --json filter and streamed string
 * values (json_out.c), and the streaming printer of unwrapped text
 * (print.c), each over generated hostile strings. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "render/layout.h"
#include "render/sanitize.h"
#include "render/width.h"
#include "tests/unit/support.h"
#include "tui/cli/cli.h"
#include "tui/cli/json_out.h"
#include "tui/cli/print.h"

#define ROUNDS 3000

/* A message naming a hostile path is one line, with nothing a terminal
 * acts on and nothing that can pass for a line of its own. */
static void test_messages_hostile(void **state)
{
	unsigned seed = 7;
	char name[2048];
	for (int r = 0; r < ROUNDS; r++) {
		size_t n = t_hostile(&seed, name, sizeof name);
		size_t len;
		char *c = rs_clean_msg(name, n, &len);
		assert_int_equal(strlen(c), len);
		long bad = t_unsafe_at(c, len, "");
		if (bad >= 0)
			fail_msg("round %d: unsafe byte at %ld of %s", r, bad, c);
		free(c);
		/* The whole message path: one line, ending in the only '\n'. */
		char *out = NULL;
		size_t outlen = 0;
		FILE *f = open_memstream(&out, &outlen);
		cli_line(f, "%s: %s", name, name);
		fclose(f);
		assert_true(outlen > 0);
		assert_int_equal(out[outlen - 1], '\n');
		assert_null(memchr(out, '\n', outlen - 1));
		assert_int_equal(t_unsafe_at(out, outlen, "\n"), -1);
		free(out);
	}
	/* Line ends and tabs are shown, not obeyed. */
	size_t len;
	char *c = rs_clean_msg("a\nprecis: forged\r\nb\tc\xe2\x80\xa8" "d\x1b[2Je", 30, &len);
	assert_string_equal(c, "a^Jprecis: forged^M^Jb^Ic<2028>d^[e");
	free(c);
}

/* Feeds s to the JSON filter in pieces of random size. */
static char *filter(const char *s, size_t n, unsigned *seed, size_t *outlen)
{
	char *out = NULL;
	FILE *f = open_memstream(&out, outlen);
	struct cli_json_out st;
	cli_json_out_begin(&st, f);
	size_t i = 0;
	while (i < n) {
		*seed = *seed * 1103515245 + 12345;
		size_t k = 1 + (*seed >> 16) % 7;
		if (k > n - i)
			k = n - i;
		cli_json_out_write(&st, s + i, k);
		i += k;
	}
	assert_int_equal(cli_json_out_end(&st), 0);
	fclose(f);
	return out;
}

/* Every --json document: the same data as jansson's, and nothing in it a
 * terminal acts on (control characters only as \uXXXX escapes). */
static void test_json_filter_hostile(void **state)
{
	unsigned seed = 11, cut = 3;
	char s[2048];
	for (int r = 0; r < ROUNDS; r++) {
		size_t n = t_hostile(&seed, s, sizeof s);
		json_t *v = json_stringn(s, n);
		if (!v)
			v = json_string("");   /* not UTF-8: jansson refuses (cli_jstr cleans) */
		json_t *o = json_pack("{s:o, s:[s, i]}", "k\xc2\x85", v, "list", "\xe2\x80\xae", r);
		assert_non_null(o);
		char *doc = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		size_t outlen;
		char *out = filter(doc, strlen(doc), &cut, &outlen);
		long bad = t_unsafe_at(out, outlen, "\n");
		if (bad >= 0)
			fail_msg("round %d: unsafe byte at %ld of %s", r, bad, out);
		json_error_t e;
		json_t *back = json_loadb(out, outlen, JSON_ALLOW_NUL, &e);
		if (!back)
			fail_msg("round %d: not JSON (%s): %s", r, e.text, out);
		assert_true(json_equal(o, back));
		json_decref(back);
		json_decref(o);
		free(doc);
		free(out);
	}
}

/* A string value written in pieces decodes to the text (invalid UTF-8 as
 * U+FFFD, as jansson's cleaned fallback would), with nothing unsafe raw. */
static void test_json_streamed_string(void **state)
{
	unsigned seed = 13, cut = 5;
	char s[2048];
	for (int r = 0; r < ROUNDS; r++) {
		size_t n = t_hostile(&seed, s, sizeof s);
		char *out = NULL;
		size_t outlen = 0;
		FILE *f = open_memstream(&out, &outlen);
		struct cli_json_out st;
		cli_json_out_begin(&st, f);
		cli_json_out_write(&st, "[\"", 2);
		size_t i = 0;
		while (i < n) {
			cut = cut * 1103515245 + 12345;
			size_t k = 1 + (cut >> 16) % 5;
			if (k > n - i)
				k = n - i;
			cli_json_str_write(&st, s + i, k);
			i += k;
		}
		cli_json_str_write(&st, "", 0);
		cli_json_out_write(&st, "\"]", 2);
		assert_int_equal(cli_json_out_end(&st), 0);
		fclose(f);
		assert_int_equal(t_unsafe_at(out, outlen, ""), -1);
		json_error_t e;
		json_t *back = json_loadb(out, outlen, JSON_ALLOW_NUL, &e);
		if (!back)
			fail_msg("round %d: not JSON (%s): %s", r, e.text, out);
		json_t *want = json_stringn(s, n);
		if (want) {   /* valid UTF-8: the same string exactly */
			assert_true(json_equal(json_array_get(back, 0), want));
			json_decref(want);
		}
		json_decref(back);
		free(out);
	}
}

/* What the layout prints for text at width 0 (the reference). */
static char *via_layout(const char *s, size_t n, int color, size_t *len)
{
	char *out = NULL;
	FILE *f = open_memstream(&out, len);
	struct rl_doc *d = rl_new(s, n, NULL, 0, NULL, 0);
	assert_int_equal(cli_print_doc(f, d, 0, color), 0);
	rl_free(d);
	fclose(f);
	return out;
}

/* What the streaming printer writes for s fed in pieces of size step
 * (0: random sizes from *seed). */
static char *via_stream(const char *s, size_t n, int color, size_t step, unsigned *seed, size_t *len)
{
	char *out = NULL;
	FILE *f = open_memstream(&out, len);
	struct cli_plain p;
	cli_plain_begin(&p, f, color);
	size_t i = 0;
	while (i < n) {
		size_t k = step;
		if (!k) {
			*seed = *seed * 1103515245 + 12345;
			k = 1 + (*seed >> 16) % 9;
		}
		if (k > n - i)
			k = n - i;
		cli_plain_write(&p, s + i, k);
		i += k;
	}
	assert_int_equal(cli_plain_end(&p), 0);
	fclose(f);
	return out;
}

/* The streaming printer writes byte for byte what the layout writes at
 * width 0, however the text is cut into pieces, and nothing unsafe. */
static void test_plain_stream_matches_layout(void **state)
{
	unsigned seed = 17, cut = 19;
	char s[2048];
	for (int r = 0; r < ROUNDS; r++) {
		size_t n = t_hostile(&seed, s, sizeof s);
		int color = r & 1;
		rw_set_terminal_safe((r & 2) != 0);   /* stand-ins for unsure glyphs */
		size_t wl, gl;
		char *want = via_layout(s, n, color, &wl);
		size_t steps[] = { n ? n : 1, 1, 0 };
		for (size_t k = 0; k < sizeof steps / sizeof steps[0]; k++) {
			char *got = via_stream(s, n, color, steps[k], &cut, &gl);
			if (gl != wl || memcmp(got, want, wl) != 0)
				fail_msg("round %d, step %zu: stream and layout differ\n%s\n---\n%s",
				         r, steps[k], got, want);
			if (!color)
				assert_int_equal(t_unsafe_at(got, gl, "\n"), -1);
			free(got);
		}
		free(want);
	}
	rw_set_terminal_safe(0);
	/* Empty text: one empty line, as the layout has. */
	size_t gl;
	char *got = via_stream("", 0, 0, 1, &cut, &gl);
	assert_int_equal(gl, 1);
	assert_int_equal(got[0], '\n');
	free(got);
}

/* A long run of combining marks (longer than any carry) still comes out
 * whole, in bounded pieces, without controls. */
static void test_plain_stream_long_cluster(void **state)
{
	size_t n = 1 + 2 * 100000;
	char *z = malloc(n);
	z[0] = 'Z';
	for (size_t i = 0; i < 100000; i++)
		memcpy(z + 1 + 2 * i, "\xcc\x81", 2);
	unsigned cut = 1;
	size_t gl;
	char *got = via_stream(z, n, 0, 4096, &cut, &gl);
	assert_int_equal(got[0], 'Z');
	assert_int_equal(got[gl - 1], '\n');
	assert_int_equal(t_unsafe_at(got, gl, "\n"), -1);
	free(got);
	free(z);
}

/* Wrapping in windows gives the lines one layout of the whole text gives
 * (text without tabs or curly quotes: their handling is per window inside
 * a paragraph longer than the window, see tui/cli/print.h). Windows of
 * 64–400 bytes make many of them over paragraphs of up to 6 KB. */
static void test_wrapped_windows_match_layout(void **state)
{
	static const char *const parts[] = {
		"a", "word", "the", "quick", " ", "  ", "算", "力", "。", "，", "「", "」", "（", "）",
		"e\xcc\x81", "👨‍👩‍👧", "🇺🇸", "https://example.com/a/b?c=d", "\x1b[2J", "\x1b]52;c;aGk=\x07",
		"\xc2\x85", "\x7f", "\xe2\x80\xae", "\xff", "-", "—", "\n", "\r\n", "\xe2\x80\xa8",
		"supercalifragilisticexpialidocious", "１２３", "ｶﾅ", "\xc2\xad", "\xe2\x80\x8b",
	};
	unsigned seed = 23;
	char *s = malloc(8192);
	for (int r = 0; r < 400; r++) {
		size_t n = 0;
		seed = seed * 1103515245 + 12345;
		size_t count = 1 + (seed >> 16) % 1500;
		for (size_t i = 0; i < count; i++) {
			seed = seed * 1103515245 + 12345;
			unsigned k = (seed >> 16) % (sizeof parts / sizeof parts[0]);
			if (!strcmp(parts[k], "\n") && (seed >> 8) % 8)
				continue;                      /* long paragraphs */
			size_t pl = strlen(parts[k]);
			if (n + pl >= 8192)
				break;
			memcpy(s + n, parts[k], pl);
			n += pl;
		}
		int width = 1 + (int)((seed >> 4) % 90);
		size_t window = 64 + (seed >> 12) % 340;
		char *want = NULL, *got = NULL;
		size_t wl = 0, gl = 0;
		FILE *f = open_memstream(&want, &wl);
		struct rl_doc *d = rl_new(s, n, NULL, 0, NULL, 0);
		assert_int_equal(cli_print_doc(f, d, width, r & 1), 0);
		rl_free(d);
		fclose(f);
		f = open_memstream(&got, &gl);
		assert_int_equal(cli_print_wrapped(f, s, n, width, r & 1, window), 0);
		fclose(f);
		if (gl != wl || memcmp(got, want, wl) != 0) {
			/* The first line that differs (the whole texts are long). */
			size_t i = 0, ls = 0;
			while (i < gl && i < wl && got[i] == want[i])
				if (got[i++] == '\n')
					ls = i;
			fail_msg("round %d (width %d, window %zu): windows and layout differ at byte %zu\n"
			         "windows: %.200s\nlayout:  %.200s", r, width, window, i, got + ls, want + ls);
		}
		free(want);
		free(got);
	}
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_messages_hostile),
		cmocka_unit_test(test_json_filter_hostile),
		cmocka_unit_test(test_json_streamed_string),
		cmocka_unit_test(test_plain_stream_matches_layout),
		cmocka_unit_test(test_plain_stream_long_cluster),
		cmocka_unit_test(test_wrapped_windows_match_layout),
	};
	return cmocka_run_group_tests_name("cli_output", tests, NULL, NULL);
}
