/* test_parse.c — doc_parse(): records, plain text, Markdown, input hygiene,
 * errors, titles and the small helpers (db/formats/doc.h, db/formats/formats_int.h).
 * Runs with cwd = repo root. The sample records (data/samples/, the same
 * bytes as the corpus seeds) and tests/fixtures/ are always there; checks
 * on the real files of the corpus ($SHARED, ../shared) skip without it. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "tests/unit/support.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/formats/doc.h"
#include "db/formats/formats_int.h"
#include "render/width.h"

#define SEED0 "data/samples/000_bc66265cf390ae6e.txt"
#define SEED2 "data/samples/002_72c3af4b86c673dc.txt"
#define FIX "tests/fixtures/parse/"

/* Parses a file; fails the test on an error. */
static void parse_file(const char *path, struct doc *d)
{
	size_t n;
	char *b = t_slurp(path, &n);
	char err[256];
	int rc = doc_parse(b, n, path, d, err, sizeof err);
	if (rc != 0)
		fail_msg("%s: %s", path, err);
	free(b);
}

/* doc_parse on a literal; returns rc, err filled. */
static int parse_mem(const char *s, size_t n, const char *path, struct doc *d,
                     char *err, size_t errlen)
{
	return doc_parse(s, n, path, d, err, errlen);
}

/* 1 when s[0..n) is valid UTF-8 without NUL bytes. */
static int valid_utf8(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		if (s[i] == '\0')
			return 0;
		size_t at = i;
		int32_t cp = utf8_at(s, n, &i);
		if (cp == 0xFFFD && !(i - at == 3 && memcmp(s + at, "\xef\xbf\xbd", 3) == 0))
			return 0;
	}
	return 1;
}

/* Display cells of a NUL-terminated string, as render/ draws it. */
static int cells(const char *s)
{
	return rw_swidth(s);
}

/* Every invariant doc.h promises of a parsed doc. */
static void check_doc(const struct doc *d)
{
	assert_non_null(d->title);
	assert_true(d->title[0] != '\0');
	assert_true(valid_utf8(d->title, strlen(d->title)));
	assert_non_null(d->text);
	assert_int_equal(strlen(d->text), d->text_len);
	assert_true(valid_utf8(d->text, d->text_len));
	for (size_t i = 0; i < d->npara; i++) {
		assert_true(d->paras[i].offset <= d->text_len);
		if (i)
			assert_true(d->paras[i].offset > d->paras[i - 1].offset);
	}
	if (d->summary)
		assert_true(valid_utf8(d->summary, strlen(d->summary)));
}

/* ---- the two sample records ---- */

static void test_seed_record(void **state)
{
	struct doc d;
	parse_file(SEED0, &d);
	check_doc(&d);
	assert_int_equal(d.format, DOC_RECORD);
	assert_string_equal(d.title, "深度解读Grok4 发布会 | Grok4 能撑起马斯克的野心吗？");
	assert_string_equal(d.url, "https://youtube.com/watch?v=EfWnRTBfcfc&si=LKH7ZmqQEou_wn3w");
	assert_string_equal(d.video_id, "EfWnRTBfcfc");
	assert_string_equal(d.status, "success");
	assert_string_equal(d.recorded_at, "2025-07-11T11:59:49");
	assert_int_equal(d.duration_s, 3364);
	assert_string_equal(d.language, "zh");
	assert_null(d.paras);
	/* summary: the Description section, verbatim, without "Content:" */
	assert_non_null(d.summary);
	assert_true(t_starts_with(d.summary, "好的，以下是对文本的总结和分析："));
	assert_non_null(strstr(d.summary, "<Mermaid_Diagram>"));
	assert_non_null(strstr(d.summary, "</Mermaid_Diagram>"));
	assert_null(strstr(d.summary, "\nContent:"));
	/* transcript: everything after Content: */
	assert_true(t_starts_with(d.text, "我并不觉得 他是真正拿 Grok4"));
	assert_null(strstr(d.text, "Description:"));
	/* the Mermaid map, byte for byte as the corpus has it */
	size_t mn;
	char *m = t_slurp("tests/fixtures/mermaid/seed_grok4.mmd", &mn);
	assert_non_null(d.mermaid);
	assert_int_equal(strlen(d.mermaid), mn);
	assert_memory_equal(d.mermaid, m, mn);
	free(m);
	doc_free(&d);
}

static void test_seed_bare(void **state)
{
	struct doc d;
	size_t n;
	char *raw = t_slurp(SEED2, &n);
	parse_file(SEED2, &d);
	check_doc(&d);
	assert_int_equal(d.format, DOC_PLAIN);
	assert_null(d.summary);
	assert_null(d.mermaid);
	assert_null(d.url);
	assert_int_equal(d.duration_s, -1);
	assert_string_equal(d.language, "zh");
	/* the name is an id: the title is a guess from the most distinctive
	 * words of the whole text, no longer its opening words ("就没打开啊，开了") */
	assert_string_equal(d.title, "模型 · AI · 数据 · 公司");
	assert_true(cells(d.title) <= 41);
	/* the text is the file (one line, no trailing newline) */
	assert_int_equal(d.text_len, n);
	assert_memory_equal(d.text, raw, n);
	free(raw);
	doc_free(&d);
}

/* The samples shipped in data/samples/ and the map fixture are the
 * corpus seeds byte for byte (the tests above stand in for the corpus). */
static void test_samples_match_seeds(void **state)
{
	static const char *const pairs[][2] = {
		{ SEED0, "seeds/000_bc66265cf390ae6e.txt" },
		{ SEED2, "seeds/002_72c3af4b86c673dc.txt" },
		{ "tests/fixtures/mermaid/seed_grok4.mmd", "mermaid/000_seed_grok4.mmd" },
	};
	for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		size_t an, bn;
		char *b = t_slurp(t_corpus(pairs[i][1]), &bn);
		char *a = t_slurp(pairs[i][0], &an);
		assert_int_equal(an, bn);
		assert_memory_equal(a, b, an);
		free(a);
		free(b);
	}
}

/* A record with BOM, CRLF and a ```mermaid fence. */
static void test_record_fence_crlf_bom(void **state)
{
	struct doc d;
	parse_file(FIX "record_fence.txt", &d);
	check_doc(&d);
	assert_int_equal(d.format, DOC_RECORD);
	assert_string_equal(d.title, "Fenced Record");
	assert_string_equal(d.video_id, "ShOrTs12345");
	assert_string_equal(d.recorded_at, "2024-05-06T07:08:09");
	assert_int_equal(d.duration_s, 3723);
	assert_string_equal(d.mermaid, "graph LR\n  A --> B\n");
	assert_true(t_starts_with(d.summary, "A summary.\n"));
	assert_null(strchr(d.summary, '\r'));
	assert_string_equal(d.text, "The transcript of the fenced record.");
	doc_free(&d);
}

static void test_record_minimal(void **state)
{
	static const char rec[] =
		"Title: Only content\nDuration: 42\n\nContent:\nHello world.\n";
	struct doc d;
	char err[128];
	assert_int_equal(parse_mem(rec, sizeof rec - 1, "x.txt", &d, err, sizeof err), 0);
	assert_int_equal(d.format, DOC_RECORD);
	assert_string_equal(d.title, "Only content");
	assert_int_equal(d.duration_s, 42);
	assert_null(d.summary);
	assert_string_equal(d.text, "Hello world.");
	doc_free(&d);
	/* unknown header keys after known ones keep it a record */
	static const char rec3[] = "Title: With extras\nViews: 12\nLike count: 3\n\nContent:\nBody.\n";
	assert_int_equal(parse_mem(rec3, sizeof rec3 - 1, "x.txt", &d, err, sizeof err), 0);
	assert_int_equal(d.format, DOC_RECORD);
	assert_string_equal(d.title, "With extras");
	assert_string_equal(d.text, "Body.");
	doc_free(&d);
	/* "Content: text" on the same line; a Content: line inside a fence
	 * of the summary does not end it */
	static const char rec2[] =
		"Title: T\nDescription:\n```\nContent:\n```\nmore summary\nContent: same line\nnext\n";
	assert_int_equal(parse_mem(rec2, sizeof rec2 - 1, NULL, &d, err, sizeof err), 0);
	assert_string_equal(d.summary, "```\nContent:\n```\nmore summary");
	assert_string_equal(d.text, "same line\nnext");
	assert_null(d.mermaid);
	doc_free(&d);
}

/* ---- plain text and Markdown ---- */

static void test_plain_header(void **state)
{
	struct doc d;
	parse_file(FIX "header.txt", &d);
	check_doc(&d);
	assert_int_equal(d.format, DOC_PLAIN);
	assert_string_equal(d.title, "Header Title");
	assert_string_equal(d.video_id, "XyZ_123-abc");
	assert_string_equal(d.recorded_at, "2023-01-02");
	assert_int_equal(d.duration_s, 754);
	assert_string_equal(d.text, "The transcript starts here: with a colon in its first line.");
	doc_free(&d);
}

static void test_plain_colon_line_kept(void **state)
{
	struct doc d;
	parse_file(FIX "colon_first_line.txt", &d);
	assert_int_equal(d.format, DOC_PLAIN);
	assert_true(t_starts_with(d.text, "Note: this first line"));
	assert_string_equal(d.title, "colon first line");
	doc_free(&d);
	/* a known key on a first line that runs on is transcript too */
	static const char t[] = "Title: of the talk was long\nand the speaker went on.\n";
	char err[64];
	assert_int_equal(parse_mem(t, sizeof t - 1, "a.txt", &d, err, sizeof err), 0);
	assert_true(t_starts_with(d.text, "Title: of the talk"));
	doc_free(&d);
}

static void test_plain_real_files(void **state)
{
	struct doc d;
	const char *p013 = t_corpus("transcripts/013_bitcoin_english_transcript.txt");
	parse_file(p013, &d);
	check_doc(&d);
	assert_int_equal(d.format, DOC_PLAIN);
	assert_string_equal(d.language, "en");
	assert_string_equal(d.title, "bitcoin english transcript");
	assert_null(strstr(d.text, " \n"));   /* trailing spaces dropped */
	assert_true(t_starts_with(d.text, "What does it mean to have a Bitcoin?\nMany"));
	doc_free(&d);
	parse_file(t_corpus("transcripts/025_podcast-sum_transcript_zh.txt"), &d);
	check_doc(&d);
	assert_string_equal(d.language, "zh");
	assert_true(t_starts_with(d.text, "歡迎收聽"));
	doc_free(&d);
}

/* Lines that start with timestamps become timed paragraphs. */
static void test_plain_timed_lines(void **state)
{
	struct doc d;
	parse_file(FIX "timed_lines.txt", &d);
	check_doc(&d);
	assert_int_equal(d.format, DOC_PLAIN);
	assert_string_equal(d.title, "Copied From YouTube");
	assert_string_equal(d.text, "Welcome back to the channel. Today we talk about subtitles. "
	                            "A bracketed stamp. A parenthesised stamp with a dash.");
	assert_int_equal(d.npara, 1);
	assert_true(d.paras[0].start_s == 0.0);
	assert_int_equal(d.duration_s, 3730);
	doc_free(&d);
	/* a few times of day in a plain transcript are just text */
	static const char t[] = "We met at\n10:30 in the morning and talked.\nThen we left.\n"
	                        "It was late.\nNobody knew.\n";
	char err[64];
	assert_int_equal(doc_parse(t, sizeof t - 1, "m.txt", &d, err, sizeof err), 0);
	assert_int_equal(d.npara, 0);
	assert_non_null(strstr(d.text, "10:30 in the morning"));
	doc_free(&d);
}

static void test_markdown_front_matter(void **state)
{
	struct doc d;
	parse_file(FIX "front_matter.md", &d);
	check_doc(&d);
	assert_int_equal(d.format, DOC_MARKDOWN);
	assert_string_equal(d.title, "Front Matter Title");
	assert_string_equal(d.recorded_at, "2024-03-05");
	assert_string_equal(d.url, "https://www.youtube.com/watch?v=AbCdEfGhIjK");
	assert_string_equal(d.video_id, "AbCdEfGhIjK");
	assert_string_equal(d.channel, "A Channel");
	assert_int_equal(d.duration_s, 3723);
	assert_string_equal(d.text, "# Heading in the body\n\nBody paragraph one.");
	doc_free(&d);
	/* no front matter: the first heading is the title */
	static const char md[] = "Intro line\n\n## The Heading\n\ntext\n";
	char err[64];
	assert_int_equal(parse_mem(md, sizeof md - 1, "notes.md", &d, err, sizeof err), 0);
	assert_int_equal(d.format, DOC_MARKDOWN);
	assert_string_equal(d.title, "notes");
	doc_free(&d);
	assert_int_equal(parse_mem(md, sizeof md - 1, "0f3a9c2d.md", &d, err, sizeof err), 0);
	assert_string_equal(d.title, "Intro line");
	doc_free(&d);
	/* a level-1 heading wins over the file name */
	static const char md1[] = "# Real Title\n\ntext\n";
	assert_int_equal(parse_mem(md1, sizeof md1 - 1, "notes.md", &d, err, sizeof err), 0);
	assert_string_equal(d.title, "Real Title");
	doc_free(&d);
}

/* ---- input hygiene ---- */

static void test_bom_crlf_cr(void **state)
{
	static const char t[] = "\xef\xbb\xbfline one\r\nline two\rline three\r";
	struct doc d;
	char err[64];
	assert_int_equal(parse_mem(t, sizeof t - 1, "a.txt", &d, err, sizeof err), 0);
	assert_string_equal(d.text, "line one\nline two\nline three");
	assert_int_equal(d.invalid_utf8, 0);
	doc_free(&d);
}

static void test_invalid_utf8_and_nul(void **state)
{
	/* \xff alone, an overlong "\xc0\xaf", a surrogate "\xed\xa0\x80", a cut
	 * sequence at the end; NUL bytes in between */
	static const char t[] = "ok \xff here\0 and \xc0\xaf there \xed\xa0\x80 end \xe4\xb8";
	struct doc d;
	char err[64];
	assert_int_equal(parse_mem(t, sizeof t - 1, "a.txt", &d, err, sizeof err), 0);
	check_doc(&d);
	assert_int_equal(d.nul_bytes, 1);
	assert_int_equal(d.invalid_utf8, 4);
	assert_string_equal(d.text, "ok \xef\xbf\xbd here and \xef\xbf\xbd there \xef\xbf\xbd end \xef\xbf\xbd");
	doc_free(&d);
	/* a short text with a stray NUL or two is still text */
	assert_int_equal(parse_mem("he\0llo", 6, "a.txt", &d, err, sizeof err), 0);
	assert_string_equal(d.text, "hello");
	assert_int_equal(d.nul_bytes, 1);
	doc_free(&d);
	assert_int_equal(parse_mem("a\0\0b\n", 5, "a.txt", &d, err, sizeof err), 0);
	assert_string_equal(d.text, "ab");
	assert_int_equal(d.nul_bytes, 2);
	doc_free(&d);
}

static void test_utf16(void **state)
{
	/* "Hi 你\n" in UTF-16LE with BOM, and BOM-less UTF-16BE */
	static const char le[] = "\xff\xfeH\0i\0 \0\x60\x4f\n\0";
	struct doc d;
	char err[64];
	assert_int_equal(parse_mem(le, sizeof le - 1, "a.txt", &d, err, sizeof err), 0);
	assert_string_equal(d.text, "Hi 你");
	doc_free(&d);
	static const char be[] = "\0H\0e\0l\0l\0o\0 \0w\0o\0r\0l\0d";
	assert_int_equal(parse_mem(be, sizeof be - 1, "a.txt", &d, err, sizeof err), 0);
	assert_string_equal(d.text, "Hello world");
	doc_free(&d);
}

/* Legacy 8-bit encodings are detected (ICU's detector) and converted,
 * and the encoding is named; UTF-32 with a BOM is read. */
static void test_detected_encodings(void **state)
{
	struct doc d;
	char err[128];
	/* Windows-1252, short and long: ÉVÉNEMENTS, not �V�NEMENTS */
	const char *fr = "1\n00:00:27,074 --> 00:00:30,566\nCE FILM RELATE DES \xc9V\xc9NEMENTS\n"
	                 "QUI ONT EXIST\xc9.\n\n2\n00:00:30,610 --> 00:00:34,102\n"
	                 "Il fut un temps, avant l'existence du c\xe2" "ble, o\xf9 le pr\xe9" "sentateur "
	                 "local r\xe9gnait en ma\xee" "tre.\n";
	assert_int_equal(doc_parse(fr, strlen(fr), "fr.srt", &d, err, sizeof err), 0);
	assert_int_equal(d.format, DOC_SRT);
	assert_string_equal(d.charset, "WINDOWS-1252");
	assert_true(d.charset_detected);
	assert_int_equal(d.invalid_utf8, 0);
	assert_string_equal(d.text, "CE FILM RELATE DES ÉVÉNEMENTS QUI ONT EXISTÉ. Il fut un temps, "
	                            "avant l'existence du câble, où le présentateur local régnait en maître.");
	doc_free(&d);
	const char *es = "Un caf\xe9, por favor. \xbfQu\xe9 tal?\n";
	assert_int_equal(doc_parse(es, strlen(es), "es.txt", &d, err, sizeof err), 0);
	assert_string_equal(d.charset, "WINDOWS-1252");
	assert_string_equal(d.text, "Un café, por favor. ¿Qué tal?");
	doc_free(&d);
	/* the accents may come after 64 KiB of ASCII */
	struct buf lb = { 0 };
	for (int i = 0; i < 2000; i++)
		buf_printf(&lb, "%d\n00:00:%02d,000 --> 00:00:%02d,500\nplain words here, line %d\n\n", i + 1,
		           i % 60, i % 60, i);
	buf_puts(&lb, "2001\n00:01:00,000 --> 00:01:01,000\nUn caf\xe9 cr\xe8me \xe0 la fin.\n");
	assert_int_equal(doc_parse(lb.p, lb.len, "late.srt", &d, err, sizeof err), 0);
	assert_string_equal(d.charset, "WINDOWS-1252");
	assert_non_null(strstr(d.text, "Un café crème à la fin."));
	doc_free(&d);
	buf_free(&lb);
	/* Windows-1251 */
	const char *ru = "\xcf\xf0\xe8\xe2\xe5\xf2, \xea\xe0\xea \xe4\xe5\xeb\xe0? "
	                 "\xdd\xf2\xee \xf2\xe5\xf1\xf2 \xf1\xf3\xe1\xf2\xe8\xf2\xf0\xee\xe2.\n";
	assert_int_equal(doc_parse(ru, strlen(ru), "ru.txt", &d, err, sizeof err), 0);
	assert_string_equal(d.charset, "WINDOWS-1251");
	assert_string_equal(d.text, "Привет, как дела? Это тест субтитров.");
	assert_string_equal(d.language, "ru");
	doc_free(&d);
	/* UTF-32 with a BOM, both byte orders (was "binary file") */
	const char *src = "1\n00:00:01,000 --> 00:00:02,000\nUTF-32 text: ÉVÉNEMENTS 🚀\n";
	for (int be = 0; be < 2; be++) {
		struct buf b = { 0 };
		buf_put(&b, be ? "\0\0\xfe\xff" : "\xff\xfe\0\0", 4);
		size_t i = 0, n = strlen(src);
		while (i < n) {
			int32_t cp = utf8_at(src, n, &i);
			unsigned char q[4] = { (unsigned char)(cp >> 24), (unsigned char)(cp >> 16),
			                       (unsigned char)(cp >> 8), (unsigned char)cp };
			if (!be) {
				unsigned char r[4] = { q[3], q[2], q[1], q[0] };
				memcpy(q, r, 4);
			}
			buf_put(&b, (const char *)q, 4);
		}
		assert_int_equal(doc_parse(b.p, b.len, "u32.srt", &d, err, sizeof err), 0);
		assert_int_equal(d.format, DOC_SRT);
		assert_string_equal(d.charset, be ? "UTF-32BE" : "UTF-32LE");
		assert_false(d.charset_detected);
		assert_string_equal(d.text, "UTF-32 text: ÉVÉNEMENTS 🚀");
		doc_free(&d);
		buf_free(&b);
	}
	/* UTF-16 with a BOM is stated, without one detected */
	const char u16[] = "\xff\xfeH\0i\0 \0t\0h\0e\0r\0e\0\n\0";
	assert_int_equal(doc_parse(u16, sizeof u16 - 1, "a.txt", &d, err, sizeof err), 0);
	assert_string_equal(d.charset, "UTF-16");
	assert_false(d.charset_detected);
	assert_string_equal(d.text, "Hi there");
	doc_free(&d);
}

/* Legacy CJK encodings are converted; UTF-8 with broken bytes is not. */
static void test_legacy_encodings(void **state)
{
	struct doc d;
	parse_file(FIX "gbk.srt", &d);
	check_doc(&d);
	assert_int_equal(d.format, DOC_SRT);
	assert_string_equal(d.charset, "GB18030");
	assert_string_equal(d.text, "很多人都听说过比特币，它是一种数字货币。我们今天来讲一讲这个问题的答案。");
	assert_int_equal(d.invalid_utf8, 0);
	doc_free(&d);
	parse_file(FIX "big5.txt", &d);
	assert_string_equal(d.charset, "BIG5");
	assert_true(t_starts_with(d.text, "歡迎收聽我們的節目"));
	assert_string_equal(d.language, "zh");
	doc_free(&d);
	parse_file(FIX "shift_jis.txt", &d);
	assert_string_equal(d.charset, "SHIFT_JIS");
	assert_true(t_starts_with(d.text, "ビットコインを「持つ」"));
	assert_string_equal(d.language, "ja");
	doc_free(&d);
	parse_file(FIX "euc_kr.txt", &d);
	assert_string_equal(d.charset, "EUC-KR");
	assert_true(d.charset_detected);
	assert_true(t_starts_with(d.text, "안녕하세요. 오늘은"));
	assert_string_equal(d.language, "ko");
	doc_free(&d);
	/* UTF-8 with a few broken bytes stays UTF-8: they become U+FFFD */
	struct buf b = { 0 };
	for (int i = 0; i < 20; i++)
		buf_puts(&b, "línea \xff con un byte roto, ¿sí?\n");
	char err[64];
	assert_int_equal(doc_parse(b.p, b.len, "x.txt", &d, err, sizeof err), 0);
	assert_null(d.charset);
	assert_int_equal(d.invalid_utf8, 20);
	doc_free(&d);
	buf_free(&b);
	/* UTF-8 is UTF-8 */
	parse_file(SEED2, &d);
	assert_null(d.charset);
	doc_free(&d);
}

static void test_empty_and_blank(void **state)
{
	struct doc d;
	char err[64];
	assert_int_equal(parse_mem("", 0, "e.txt", &d, err, sizeof err), -1);
	assert_string_equal(err, "empty file");
	assert_int_equal(parse_mem(" \n\r\n\t ", 6, "e.txt", &d, err, sizeof err), -1);
	assert_string_equal(err, "empty file");
	assert_int_equal(parse_mem("\xef\xbb\xbf", 3, "e.txt", &d, err, sizeof err), -1);
	assert_string_equal(err, "empty file");
	/* a subtitle file without cues */
	assert_int_equal(parse_mem("WEBVTT\n\n", 8, "e.vtt", &d, err, sizeof err), -1);
	assert_non_null(strstr(err, "no subtitle cues"));
}

static void test_binary(void **state)
{
	struct doc d;
	char err[128];
	static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10";
	assert_int_equal(parse_mem(png, sizeof png - 1, "a.txt", &d, err, sizeof err), -1);
	assert_true(t_starts_with(err, "binary file, not a transcript"));
	static const char elf[] = "\x7f" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0";
	assert_int_equal(parse_mem(elf, sizeof elf - 1, "a.vtt", &d, err, sizeof err), -1);
	assert_true(t_starts_with(err, "binary file, not a transcript"));
	static const char zip[] = "PK\x03\x04\x14\0\0\0\x08\0";
	assert_int_equal(parse_mem(zip, sizeof zip - 1, "a.srt", &d, err, sizeof err), -1);
	assert_true(t_starts_with(err, "binary file"));
	/* no magic, but mostly NUL and control bytes */
	char junk[4096];
	uint32_t x = 12345;
	for (size_t i = 0; i < sizeof junk; i++) {
		x = x * 1103515245u + 12345u;
		junk[i] = (char)((x >> 16) & 0xFF);
	}
	assert_int_equal(parse_mem(junk, sizeof junk, "r.txt", &d, err, sizeof err), -1);
	assert_true(t_starts_with(err, "binary file"));
	char nuls[1000];
	memset(nuls, 0, sizeof nuls);
	memcpy(nuls, "text", 4);
	assert_int_equal(parse_mem(nuls, sizeof nuls, "n.txt", &d, err, sizeof err), -1);
	assert_true(t_starts_with(err, "binary file"));
}

/* Random bytes and mutated real files: never a crash, and every success
 * keeps the doc.h invariants. */
static void test_never_crash(void **state)
{
	size_t n0;
	char *seed = t_slurp(FIX "vtt_features.vtt", &n0);
	uint32_t x = 777;
	char err[256];
	for (int round = 0; round < 3000; round++) {
		size_t n = n0;
		char *b = malloc(n0);
		memcpy(b, seed, n0);
		int flips = round % 20;
		for (int f = 0; f < flips; f++) {
			x = x * 1103515245u + 12345u;
			size_t at = (x >> 8) % n0;
			x = x * 1103515245u + 12345u;
			b[at] = (char)(x >> 16);
		}
		x = x * 1103515245u + 12345u;
		n = (x >> 8) % (n0 + 1);
		struct doc d;
		if (doc_parse(b, n, round & 1 ? "f.vtt" : "f.txt", &d, err, sizeof err) == 0) {
			check_doc(&d);
			doc_free(&d);
		} else {
			assert_true(err[0] != '\0');
			assert_null(strchr(err, '\n'));
		}
		free(b);
	}
	free(seed);
}

/* A generated 20 MB transcript: read whole and correct (time is measured
 * by the benchmark, not here). */
static void test_large_inputs(void **state)
{
	const size_t target = 20u << 20;
	struct buf b = { 0 };
	size_t lines = 0;
	while (b.len < target) {
		buf_puts(&b, "这是第一句话，and an English clause with ümlauts.");
		buf_putc(&b, ++lines % 8 == 0 ? '\n' : ' ');
	}
	struct doc d;
	char err[128];
	assert_int_equal(doc_parse(b.p, b.len, "9f8e7d6c5b4a.txt", &d, err, sizeof err), 0);
	assert_int_equal(d.format, DOC_PLAIN);
	assert_int_equal(d.text_len, b.len - 1);   /* all but the final separator */
	assert_memory_equal(d.text, b.p, b.len - 1);
	assert_string_equal(d.title, "句话 · English · clause · ümlauts");
	doc_free(&d);
	/* one 20 MB line */
	for (size_t i = 0; i < b.len; i++)
		if (b.p[i] == '\n')
			b.p[i] = ' ';
	assert_int_equal(doc_parse(b.p, b.len, "0123abcd.txt", &d, err, sizeof err), 0);
	assert_null(strchr(d.text, '\n'));
	assert_true(cells(d.title) <= 41);
	doc_free(&d);
	buf_free(&b);
}

/* ---- titles ---- */

static void test_title_from_text(void **state)
{
	char *t;
	t = pt_title_from_text("Hello there. This is more.", 26);
	assert_string_equal(t, "Hello there");
	free(t);
	t = pt_title_from_text("Hi. This is more. And more.", 27);
	assert_string_equal(t, "Hi. This is more");
	free(t);
	t = pt_title_from_text("Why not? Because.", 17);
	assert_string_equal(t, "Why not? Because");
	free(t);
	t = pt_title_from_text("(upbeat music)\n\n- Hi, everyone. Danny here.", 43);
	assert_string_equal(t, "Hi, everyone");
	free(t);
	/* no punctuation: cut at 40 cells, at a character boundary */
	const char *cjk = "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十";
	t = pt_title_from_text(cjk, strlen(cjk));
	assert_true(cells(t) <= 41);
	assert_true(valid_utf8(t, strlen(t)));
	assert_non_null(strstr(t, "…"));
	free(t);
	/* 4-byte characters are never split */
	const char *emo = "😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀";
	t = pt_title_from_text(emo, strlen(emo));
	assert_true(valid_utf8(t, strlen(t)));
	assert_true(cells(t) <= 41);
	free(t);
	/* a long English run-on cuts at a word */
	const char *en = "the quick brown fox jumps over the lazy dog and keeps on running far away";
	t = pt_title_from_text(en, strlen(en));
	assert_string_equal(t, "the quick brown fox jumps over the lazy…");
	free(t);
}

/* Titles from the distinctive words of a text (used when neither the
 * file nor its name says one). */
static void test_title_guess(void **state)
{
	struct buf b = { 0 };
	for (int i = 0; i < 8; i++)
		buf_puts(&b, "So the ledger records every transaction, and you know, the Bitcoin "
		             "ledger is public. Miners check each transaction. Really, that is the thing. ");
	char *t = pt_title_guess(b.p, b.len);
	assert_string_equal(t, "ledger · transaction · records · Bitcoin");
	free(t);
	buf_free(&b);
	/* Chinese: n-grams, a longer term standing for its parts, stop words out */
	static const char *const zh[] = {
		"我们今天聊一下自动驾驶。", "其实自动驾驶最难的是传感器。", "激光雷达也是一种传感器，",
		"有人觉得激光雷达太贵了。", "自动驾驶公司都在做激光雷达。", "大家觉得摄像头够不够？",
		"摄像头便宜，", "但是摄像头看不清楚。",
	};
	for (int i = 0; i < 4; i++)
		for (size_t k = 0; k < sizeof zh / sizeof zh[0]; k++)
			buf_puts(&b, zh[(k * 3 + (size_t)i) % (sizeof zh / sizeof zh[0])]);
	t = pt_title_guess(b.p, b.len);
	assert_string_equal(t, "自动驾驶 · 激光雷达 · 摄像头 · 传感器");
	free(t);
	buf_free(&b);
	/* traditional characters meet the same stop words */
	for (int i = 0; i < 10; i++)
		buf_puts(&b, "因為這個市場其實很大，因為半導體的市場還在成長，這個半導體真的很重要。");
	t = pt_title_guess(b.p, b.len);
	assert_non_null(t);
	assert_null(strstr(t, "因為"));
	assert_null(strstr(t, "這個"));
	assert_true(t_starts_with(t, "半導體 · 市場"));
	free(t);
	buf_free(&b);
	/* too short, or nothing repeated: no guess (the opening words then) */
	assert_null(pt_title_guess("A short note about bread.", 25));
	buf_puts(&b, "Every word here appears once: alpha beta gamma delta epsilon zeta eta theta "
	             "iota kappa lambda mu nu xi omicron pi rho sigma tau upsilon phi chi psi omega "
	             "one more line of different words so the text is long enough to be looked at, "
	             "with many other distinct tokens following along until four hundred bytes are "
	             "reached by this sentence which keeps going a while longer without repeating.");
	assert_null(pt_title_guess(b.p, b.len));
	buf_free(&b);
}

static void test_title_from_path(void **state)
{
	char *id, *t;
	t = pt_title_from_path("/x/【Just Chatting】I'M FREE [VMfR5nr8gic].en-orig.vtt", &id);
	assert_string_equal(t, "【Just Chatting】I'M FREE");
	assert_string_equal(id, "VMfR5nr8gic");
	free(t);
	free(id);
	t = pt_title_from_path("002_72c3af4b86c673dc.txt", &id);
	assert_null(t);
	assert_null(id);
	t = pt_title_from_path("dir/transcript.en.vtt", &id);
	assert_null(t);
	t = pt_title_from_path("007_bitcoin_english_captions.srt", &id);
	assert_string_equal(t, "bitcoin english captions");
	free(t);
	t = pt_title_from_path("My Talk.zh-Hans.srt", &id);
	assert_string_equal(t, "My Talk");
	free(t);
	t = pt_title_from_path("japanese.mp3.words.json", &id);
	assert_string_equal(t, "japanese");
	free(t);
}

/* ---- helpers ---- */

static void test_duration(void **state)
{
	assert_int_equal(pt_parse_duration("56:04", 5), 3364);
	assert_int_equal(pt_parse_duration("1:02:03", 7), 3723);
	assert_int_equal(pt_parse_duration("3364", 4), 3364);
	assert_int_equal(pt_parse_duration("3364.6", 6), 3365);
	assert_int_equal(pt_parse_duration(" 00:56:04.5 ", 12), 3364);
	assert_int_equal(pt_parse_duration("PT1H2M3S", 8), 3723);
	assert_int_equal(pt_parse_duration("1h 2m 3s", 8), 3723);
	assert_int_equal(pt_parse_duration("soon", 4), -1);
	assert_int_equal(pt_parse_duration("1:2:3:4", 7), -1);
	assert_int_equal(pt_parse_duration("", 0), -1);
}

static void test_dates(void **state)
{
	char *t;
	t = pt_parse_date("20210720", 8);
	assert_string_equal(t, "2021-07-20");
	free(t);
	t = pt_parse_date("2025-07-11T11:59:49.489670", 26);
	assert_string_equal(t, "2025-07-11T11:59:49");
	free(t);
	t = pt_parse_date("2025-07-11 11:59", 16);
	assert_string_equal(t, "2025-07-11T11:59:00");
	free(t);
	assert_null(pt_parse_date("20211320", 8));
	assert_null(pt_parse_date("yesterday", 9));
}

static void test_video_ids(void **state)
{
	static const struct {
		const char *url, *id;
	} cases[] = {
		{ "https://www.youtube.com/watch?v=EfWnRTBfcfc&si=x", "EfWnRTBfcfc" },
		{ "https://youtube.com/watch?feature=share&v=EfWnRTBfcfc", "EfWnRTBfcfc" },
		{ "https://youtu.be/bBC-nXj3Ng4?t=10", "bBC-nXj3Ng4" },
		{ "https://www.youtube.com/shorts/ShOrTs12345", "ShOrTs12345" },
		{ "https://www.youtube.com/embed/EmBeD_12345", "EmBeD_12345" },
		{ "https://www.youtube.com/live/LiVe1234567", "LiVe1234567" },
		{ "https://vimeo.com/123456", NULL },
		{ "https://www.youtube.com/@channel", NULL },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *id = pt_video_id_from_url(cases[i].url, strlen(cases[i].url));
		if (cases[i].id)
			assert_string_equal(id, cases[i].id);
		else
			assert_null(id);
		free(id);
	}
}

static void test_language_guess(void **state)
{
	static const char *ja = "これは日本語の文章です。漢字も使います。";
	static const char *ko = "이것은 한국어 문장입니다";
	static const char *zh = "这是中文的句子，算力很重要。";
	static const char *en = "This is an English sentence.";
	static const char *ru = "Это русский текст";
	assert_string_equal(pt_guess_language(ja, strlen(ja)), "ja");
	assert_string_equal(pt_guess_language(ko, strlen(ko)), "ko");
	assert_string_equal(pt_guess_language(zh, strlen(zh)), "zh");
	assert_string_equal(pt_guess_language(en, strlen(en)), "en");
	assert_string_equal(pt_guess_language(ru, strlen(ru)), "ru");
	assert_null(pt_guess_language("123 456", 7));
}

static void test_entities(void **state)
{
	static const char in[] = "&gt;&gt; Tom &amp; Jerry&nbsp;&#39;x&#x27; &bogus; &#0; &lrm;a & b";
	struct buf b = { 0 };
	pt_put_decoded(&b, in, sizeof in - 1);
	assert_string_equal(b.p, ">> Tom & Jerry 'x' &bogus; \xef\xbf\xbd a & b");
	buf_free(&b);
}

static void test_info_json_path(void **state)
{
	char *p;
	p = doc_info_json_path("dir/Talk [dQw4w9WgXcQ].en.vtt");
	assert_string_equal(p, "dir/Talk [dQw4w9WgXcQ].info.json");
	free(p);
	p = doc_info_json_path("/a/b/【Just Chatting】I'M FREE [VMfR5nr8gic].en-orig.vtt");
	assert_string_equal(p, "/a/b/【Just Chatting】I'M FREE [VMfR5nr8gic].info.json");
	free(p);
	p = doc_info_json_path("dir.v2/file.zh-Hans.srt");
	assert_string_equal(p, "dir.v2/file.info.json");
	free(p);
	p = doc_info_json_path("notes.txt");
	assert_string_equal(p, "notes.info.json");
	free(p);
	p = doc_info_json_path("audio.mp3.words.json");
	assert_string_equal(p, "audio.info.json");
	free(p);
	assert_null(doc_info_json_path("x [id].info.json"));
	assert_null(doc_info_json_path("README"));
	assert_null(doc_info_json_path(NULL));
	assert_int_equal(doc_is_info_json("a/b.info.json"), 1);
	assert_int_equal(doc_is_info_json("a/b.json"), 0);
}

static void test_format_names(void **state)
{
	assert_string_equal(doc_format_name(DOC_RECORD), "record");
	assert_string_equal(doc_format_name(DOC_VTT), "vtt");
	assert_string_equal(doc_format_name(DOC_SRT), "srt");
	assert_string_equal(doc_format_name(DOC_SBV), "sbv");
	assert_string_equal(doc_format_name(DOC_WHISPER_JSON), "whisper-json");
	assert_string_equal(doc_format_name(DOC_UNKNOWN), "unknown");
	/* doc_free on a zeroed doc and twice is safe */
	struct doc d;
	memset(&d, 0, sizeof d);
	doc_free(&d);
	doc_free(&d);
	assert_int_equal(d.duration_s, -1);
}

/* A title is cut with the cluster widths render/ draws: a family emoji
 * (three people joined by ZWJ) is 2 cells, a base with a combining accent
 * 1, whatever their code points add up to. */
static void test_title_cut_matches_render(void **state)
{
	const char *fam = "\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7";
	char s[512] = "";
	for (int i = 0; i < 10; i++)
		strcat(s, fam);
	char *t = pt_clean_title(s, strlen(s), 9);
	assert_non_null(t);
	assert_int_equal(strlen(t), 4 * strlen(fam) + 3);   /* 4 clusters + … */
	assert_int_equal(rw_width(t, 4 * strlen(fam)), 8);
	assert_memory_equal(t + 4 * strlen(fam), "\xE2\x80\xA6", 3);
	free(t);
	t = pt_clean_title(s, strlen(s), 20);                /* fits exactly */
	assert_string_equal(t, s);
	free(t);

	char e[256] = "";
	for (int i = 0; i < 12; i++)
		strcat(e, "e\xCC\x81");                         /* e + U+0301 */
	t = pt_clean_title(e, strlen(e), 10);
	assert_non_null(t);
	assert_int_equal(strlen(t), 10 * 3 + 3);
	assert_int_equal(rw_swidth(t), 11);                 /* 10 + the … */
	free(t);
	/* a cut never separates a base from its mark */
	t = pt_clean_title("ab\xCC\x81" "c", 5, 2);
	assert_string_equal(t, "ab\xCC\x81\xE2\x80\xA6");
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_record),
		cmocka_unit_test(test_seed_bare),
		cmocka_unit_test(test_samples_match_seeds),
		cmocka_unit_test(test_record_fence_crlf_bom),
		cmocka_unit_test(test_record_minimal),
		cmocka_unit_test(test_plain_header),
		cmocka_unit_test(test_plain_colon_line_kept),
		cmocka_unit_test(test_plain_real_files),
		cmocka_unit_test(test_plain_timed_lines),
		cmocka_unit_test(test_markdown_front_matter),
		cmocka_unit_test(test_bom_crlf_cr),
		cmocka_unit_test(test_invalid_utf8_and_nul),
		cmocka_unit_test(test_utf16),
		cmocka_unit_test(test_legacy_encodings),
		cmocka_unit_test(test_detected_encodings),
		cmocka_unit_test(test_empty_and_blank),
		cmocka_unit_test(test_binary),
		cmocka_unit_test(test_never_crash),
		cmocka_unit_test(test_large_inputs),
		cmocka_unit_test(test_title_from_text),
		cmocka_unit_test(test_title_guess),
		cmocka_unit_test(test_title_from_path),
		cmocka_unit_test(test_duration),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_video_ids),
		cmocka_unit_test(test_language_guess),
		cmocka_unit_test(test_entities),
		cmocka_unit_test(test_info_json_path),
		cmocka_unit_test(test_format_names),
		cmocka_unit_test(test_title_cut_matches_render),
	};
	return cmocka_run_group_tests_name("parse", tests, NULL, NULL);
}
