/* fuzz_parse.c — libFuzzer entry point for the format readers.
 *
 * Feeds the bytes to doc_parse() under several file names (so the
 * extension hints are exercised too) and, when the input parses, as a
 * yt-dlp .info.json onto the result. Checks the doc.h promises: valid
 * UTF-8 text without NUL bytes, text_len == strlen(text), paragraph
 * offsets inside the text and increasing, a one-line error otherwise.
 * Build: clang -fsanitize=fuzzer,address,undefined -I. … (tests/fuzz/Makefile).
 * Seed corpus: tests/fixtures/parse/ and ../shared/transcripts/. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "db/formats/doc.h"

/* 1 when s[0..n) is valid UTF-8 with no NUL byte. */
static int valid_utf8(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned c = s[i];
		size_t k;
		if (c == 0)
			return 0;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF)
			k = 2;
		else if (c >= 0xE0 && c <= 0xEF)
			k = 3;
		else if (c >= 0xF0 && c <= 0xF4)
			k = 4;
		else
			return 0;
		if (i + k > n)
			return 0;
		for (size_t j = 1; j < k; j++)
			if ((s[i + j] & 0xC0) != 0x80)
				return 0;
		if (c == 0xE0 && s[i + 1] < 0xA0)
			return 0;
		if (c == 0xED && s[i + 1] >= 0xA0)
			return 0;
		if (c == 0xF0 && s[i + 1] < 0x90)
			return 0;
		if (c == 0xF4 && s[i + 1] >= 0x90)
			return 0;
		i += k;
	}
	return 1;
}

static void check(const struct doc *d)
{
	if (!d->title || !d->title[0] || !d->text)
		abort();
	if (strlen(d->text) != d->text_len)
		abort();
	if (!valid_utf8((const unsigned char *)d->text, d->text_len) ||
	    !valid_utf8((const unsigned char *)d->title, strlen(d->title)))
		abort();
	for (size_t i = 0; i < d->npara; i++) {
		if (d->paras[i].offset > d->text_len)
			abort();
		if (i && d->paras[i].offset <= d->paras[i - 1].offset)
			abort();
	}
	if (d->summary && !valid_utf8((const unsigned char *)d->summary, strlen(d->summary)))
		abort();
	if (d->mermaid && !valid_utf8((const unsigned char *)d->mermaid, strlen(d->mermaid)))
		abort();
	if (d->second_text && (strlen(d->second_text) != d->second_len ||
	                       !valid_utf8((const unsigned char *)d->second_text, d->second_len)))
		abort();
	if (d->note && (strchr(d->note, '\n') || !valid_utf8((const unsigned char *)d->note, strlen(d->note))))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *names[] = { "f.txt", "f.vtt", "f.srt", "f.json", "f.md", NULL };
	const char *name = names[size % (sizeof names / sizeof names[0])];
	struct doc d;
	char err[256];
	/* the language setting by size too, so every reader path is fed */
	struct doc_opts o = { .lang = (enum doc_lang_pick)((size / 7) % 3) };
	if (doc_parse_opts((const char *)data, size, name, &o, &d, err, sizeof err) == 0) {
		check(&d);
		/* the same bytes as metadata must never break a good doc */
		char err2[256];
		doc_apply_info_json(&d, (const char *)data, size, err2, sizeof err2);
		check(&d);
		doc_free(&d);
	} else {
		if (!err[0] || strchr(err, '\n'))
			abort();
	}
	return 0;
}
