/* fuzz_cli_output.c — libFuzzer target for what the command line writes
 * (tui/cli/): the message path, the --json filter and streamed JSON
 * string values, and the streaming printer of unwrapped text.
 *
 * Byte 0 picks the chunk sizes the writers are fed in (1…16); the rest is
 * the hostile text. Checks: a message is one line with no C0 (but its
 * final '\n'), DEL, C1, bidi control, separator, BOM or invalid UTF-8; the
 * filtered JSON of the text (when it is UTF-8) parses back to the same
 * document and holds none of those raw; a streamed string value of any
 * bytes is valid JSON, equal to the text when the text is UTF-8; the
 * streamed printer writes what the layout writes at width 0; wrapped in
 * windows, the glyphs are one layout's. */
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "render/layout.h"
#include "render/sanitize.h"
#include "tui/cli/cli.h"
#include "tui/cli/json_out.h"
#include "tui/cli/print.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setlocale(LC_CTYPE, "C.UTF-8");
	return 0;
}

/* 1 when s[0..n) holds something a terminal acts on (allowed: the C0
 * bytes in allowed). */
static int unsafe(const char *s, size_t n, const char *allowed)
{
	size_t i = 0;
	while (i < n) {
		unsigned char b = (unsigned char)s[i];
		if (b < 0x80) {
			if ((b < 0x20 && !(b && strchr(allowed, b))) || b == 0x7F)
				return 1;
			i++;
			continue;
		}
		size_t len = b >= 0xF0 && b <= 0xF4 ? 4 : b >= 0xE0 && b < 0xF0 ? 3 : b >= 0xC2 && b < 0xE0 ? 2 : 0;
		if (len == 0 || i + len > n)
			return 1;
		uint32_t cp = b & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07);
		for (size_t k = 1; k < len; k++) {
			unsigned char c = (unsigned char)s[i + k];
			if ((c & 0xC0) != 0x80)
				return 1;
			cp = cp << 6 | (c & 0x3F);
		}
		if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return 1;
		if ((cp >= 0x80 && cp <= 0x9F) || cp == 0x061C || cp == 0x200E || cp == 0x200F ||
		    (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF)
			return 1;
		i += len;
	}
	return 0;
}

static void check_messages(const char *s, size_t n)
{
	size_t len;
	char *c = rs_clean_msg(s, n, &len);
	if (unsafe(c, len, "") || strlen(c) != len)
		abort();
	free(c);
	char *out = NULL;
	size_t outlen = 0;
	FILE *f = open_memstream(&out, &outlen);
	cli_line(f, "%.*s: %s", (int)n, s, "reason");
	fclose(f);
	if (!outlen || out[outlen - 1] != '\n' || memchr(out, '\n', outlen - 1) || unsafe(out, outlen, "\n"))
		abort();
	free(out);
}

static void check_json(const char *s, size_t n, size_t step)
{
	json_t *v = json_stringn(s, n);
	if (!v)
		return;                        /* not UTF-8: jansson refuses it */
	json_t *o = json_pack("{s:o, s:[s]}", "text", v, "x", "\xc2\x85\xe2\x80\xae");
	char *doc = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	char *out = NULL;
	size_t outlen = 0;
	FILE *f = open_memstream(&out, &outlen);
	struct cli_json_out st;
	cli_json_out_begin(&st, f);
	size_t dl = strlen(doc);
	for (size_t i = 0; i < dl; i += step)
		cli_json_out_write(&st, doc + i, dl - i < step ? dl - i : step);
	if (cli_json_out_end(&st) != 0)
		abort();
	fclose(f);
	json_t *back = json_loadb(out, outlen, JSON_ALLOW_NUL, NULL);
	if (!back || !json_equal(back, o) || unsafe(out, outlen, "\n"))
		abort();
	json_decref(back);
	json_decref(o);
	free(doc);
	free(out);
}

static void check_streamed_string(const char *s, size_t n, size_t step)
{
	char *out = NULL;
	size_t outlen = 0;
	FILE *f = open_memstream(&out, &outlen);
	struct cli_json_out st;
	cli_json_out_begin(&st, f);
	cli_json_out_write(&st, "[\"", 2);
	for (size_t i = 0; i < n; i += step)
		cli_json_str_write(&st, s + i, n - i < step ? n - i : step);
	cli_json_str_write(&st, "", 0);
	cli_json_out_write(&st, "\"]", 2);
	if (cli_json_out_end(&st) != 0)
		abort();
	fclose(f);
	json_t *back = json_loadb(out, outlen, JSON_ALLOW_NUL, NULL);
	if (!back || unsafe(out, outlen, ""))
		abort();
	json_t *want = json_stringn(s, n);
	if (want && !json_equal(json_array_get(back, 0), want))
		abort();
	json_decref(want);
	json_decref(back);
	free(out);
}

static void check_plain(const char *s, size_t n, size_t step)
{
	char *a = NULL, *b = NULL;
	size_t al = 0, bl = 0;
	FILE *f = open_memstream(&a, &al);
	struct rl_doc *d = rl_new(s, n, NULL, 0, NULL, 0);
	cli_print_doc(f, d, 0, step & 1);
	rl_free(d);
	fclose(f);
	f = open_memstream(&b, &bl);
	struct cli_plain p;
	cli_plain_begin(&p, f, step & 1);
	for (size_t i = 0; i < n; i += step)
		cli_plain_write(&p, s + i, n - i < step ? n - i : step);
	if (cli_plain_end(&p) != 0)
		abort();
	fclose(f);
	if (al != bl || memcmp(a, b, al) != 0)
		abort();
	if (!(step & 1) && unsafe(b, bl, "\n"))
		abort();
	free(a);
	free(b);
}

/* s[0..n) without its spaces and newlines, into a malloc'd buffer. */
static char *squeeze(const char *s, size_t n, size_t *len)
{
	char *o = malloc(n + 1);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\n')
			o[k++] = s[i];
	*len = k;
	return o;
}

/* Wrapped in small windows: nothing unsafe, every line ended, and the
 * same glyphs as one layout of the whole text in the same order (only
 * where lines break and the spaces may differ: tab stops and CJK quote
 * rules are judged per window inside a long paragraph, tui/cli/print.h;
 * test_cli_output checks the lines are equal where they must be). */
static void check_wrapped(const char *s, size_t n, int width)
{
	char *out = NULL, *ref = NULL;
	size_t outlen = 0, reflen = 0;
	FILE *f = open_memstream(&out, &outlen);
	if (cli_print_wrapped(f, s, n, width, 0, 64) != 0)
		abort();
	fclose(f);
	if (unsafe(out, outlen, "\n") || !outlen || out[outlen - 1] != '\n')
		abort();
	f = open_memstream(&ref, &reflen);
	struct rl_doc *d = rl_new(s, n, NULL, 0, NULL, 0);
	cli_print_doc(f, d, width, 0);
	rl_free(d);
	fclose(f);
	size_t a, b;
	char *x = squeeze(out, outlen, &a), *y = squeeze(ref, reflen, &b);
	if (a != b || memcmp(x, y, a) != 0)
		abort();
	free(x);
	free(y);
	free(out);
	free(ref);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 65536)
		return 0;
	size_t step = 1 + data[0] % 16;
	const char *s = (const char *)data + 1;
	size_t n = size - 1;
	check_messages(s, n);
	check_json(s, n, step);
	check_streamed_string(s, n, step);
	check_plain(s, n, step);
	check_wrapped(s, n, 1 + data[0] % 60);
	return 0;
}
