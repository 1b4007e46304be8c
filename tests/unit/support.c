/* support.c — helpers shared by the unit tests. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tests/unit/support.h"

char *t_read(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *b = malloc(n > 0 ? (size_t)n + 1 : 1);
	assert_non_null(b);
	size_t got = n > 0 ? fread(b, 1, (size_t)n, f) : 0;
	assert_int_equal(got, n > 0 ? (size_t)n : 0);
	fclose(f);
	b[got] = '\0';
	*len = got;
	return b;
}

char *t_slurp(const char *path, size_t *len)
{
	char *b = t_read(path, len);
	if (!b)
		fail_msg("cannot open %s", path);
	return b;
}

int t_starts_with(const char *s, const char *prefix)
{
	return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Pieces a hostile string is made of: escape sequences (CSI, OSC 52, OSC 8,
 * DCS, C1 CSI), C0 and C1 controls, DEL, bidi controls, line and paragraph
 * separators, BOM, invalid and cut UTF-8, and ordinary text around them. */
static const char *const hostile_parts[] = {
	"a", "Z", " ", "  ", "\t", "\n", "\r\n", "\r", "precis: forged line", "/tmp/x.txt",
	"算", "。", "「", "e\xcc\x81", "\xcc\x81", "👨‍👩‍👧", "🇺🇸", "❤️",
	"\x1b[2J", "\x1b[31m", "\x1b]52;c;aGk=\x07", "\x1b]8;;http://x\x1b\\", "\x1bP1$r\x1b\\",
	"\x1b]0;title", "\x1b", "\x1b\\", "\xc2\x9b" "2J", "\xc2\x9d" "0;t\xc2\x9c", "\xc2\x85",
	"\xc2\x80", "\xc2\x9f", "\x7f", "\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1a",
	"\xe2\x80\xaa", "\xe2\x80\xab", "\xe2\x80\xac", "\xe2\x80\xad", "\xe2\x80\xae",
	"\xe2\x81\xa6", "\xe2\x81\xa7", "\xe2\x81\xa8", "\xe2\x81\xa9", "\xe2\x80\x8e",
	"\xe2\x80\x8f", "\xd8\x9c", "\xe2\x80\xa8", "\xe2\x80\xa9", "\xef\xbb\xbf",
	"\xc2\xad", "\xe2\x80\x8b", "\xff", "\xfe", "\xc3", "\xe2\x80", "\xf0\x9f\x98",
	"\x80", "\xbf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xc0\x80", "\"", "\\", "%s",
	"\xd8\x81", "\xd8\x81;", "\xe0\xa5\x8d",   /* prepend mark (+ ASCII), virama */
};

size_t t_hostile(unsigned *seed, char *buf, size_t cap)
{
	size_t n = 0, nparts = sizeof hostile_parts / sizeof hostile_parts[0];
	*seed = *seed * 1103515245 + 12345;
	int count = 1 + (int)((*seed >> 16) % 40);
	for (int i = 0; i < count; i++) {
		*seed = *seed * 1103515245 + 12345;
		const char *x = hostile_parts[(*seed >> 16) % nparts];
		size_t xl = strlen(x);
		if (n + xl + 1 > cap)
			break;
		memcpy(buf + n, x, xl);
		n += xl;
	}
	buf[n] = '\0';
	return n;
}

long t_unsafe_at(const char *s, size_t n, const char *allowed)
{
	size_t i = 0;
	while (i < n) {
		unsigned char b = (unsigned char)s[i];
		if (b < 0x80) {
			if ((b < 0x20 && !(b && strchr(allowed, b))) || b == 0x7F)
				return (long)i;
			i++;
			continue;
		}
		/* Decode one UTF-8 sequence by hand (no library in the judge). */
		size_t len = b >= 0xF0 && b <= 0xF4 ? 4 : b >= 0xE0 && b < 0xF0 ? 3 : b >= 0xC2 && b < 0xE0 ? 2 : 0;
		if (len == 0 || i + len > n)
			return (long)i;
		uint32_t cp = b & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07);
		for (size_t k = 1; k < len; k++) {
			unsigned char c = (unsigned char)s[i + k];
			if ((c & 0xC0) != 0x80)
				return (long)i;
			cp = cp << 6 | (c & 0x3F);
		}
		if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return (long)i;
		if ((cp >= 0x80 && cp <= 0x9F) || cp == 0x061C || cp == 0x200E || cp == 0x200F ||
		    (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF)
			return (long)i;
		i += len;
	}
	return -1;
}

static int corpus_skipped;

const char *t_shared(void)
{
	const char *s = getenv("SHARED");
	return s && *s ? s : "../shared";
}

int t_have_corpus(void)
{
	struct stat st;
	return stat(t_shared(), &st) == 0 && S_ISDIR(st.st_mode);
}

const char *t_corpus(const char *rel)
{
	static char path[4096];
	if (!t_have_corpus()) {
		corpus_skipped++;
		skip();
	}
	if (snprintf(path, sizeof path, "%s/%s", t_shared(), rel) >= (int)sizeof path)
		fail_msg("corpus path too long: %s", rel);
	return path;
}

/* One line for the whole program, after cmocka's own output. */
__attribute__((destructor)) static void corpus_report(void)
{
	if (corpus_skipped) {
		printf("# corpus not found at %s: %d checks skipped\n", t_shared(), corpus_skipped);
		fflush(stdout);
	}
}
