/* test_parse_subs.c — WebVTT, SRT and SBV readers: real files from the
 * corpus ($SHARED/transcripts, skipped without it), hand-made edge cases
 * in tests/fixtures/parse, rolling-caption dedup and paragraphs. Runs with
 * cwd = repo root. */
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

#define FIX "tests/fixtures/parse/"
/* A file of the corpus; skips the running test when there is none. */
#define TR(name) t_corpus("transcripts/" name)
#define T001 TR("001_【Just Chatting】I'M FREE CELEBRATE [VMfR5nr8gic].en-orig.vtt")

static void parse_file(const char *path, struct doc *d)
{
	size_t n;
	char *b = t_slurp(path, &n);
	char err[256];
	if (doc_parse(b, n, path, d, err, sizeof err) != 0)
		fail_msg("%s: %s", path, err);
	free(b);
}

static void parse_str(const char *s, const char *path, struct doc *d)
{
	char err[256];
	if (doc_parse(s, strlen(s), path, d, err, sizeof err) != 0)
		fail_msg("%s: %s", path, err);
}

/* Occurrences of needle in hay. */
static size_t count(const char *hay, const char *needle)
{
	size_t c = 0, k = strlen(needle);
	for (const char *p = hay; (p = strstr(p, needle)); p += k)
		c++;
	return c;
}

static size_t words(const char *s)
{
	size_t w = 0;
	int in = 0;
	for (; *s; s++) {
		int sp = *s == ' ' || *s == '\n' || *s == '\t';
		if (!sp && !in)
			w++;
		in = !sp;
	}
	return w;
}

/* Paragraph offsets start paragraphs: at 0 or right after "\n\n", with
 * start times that never go back. */
static void check_paras(const struct doc *d)
{
	assert_true(d->npara > 0);
	assert_int_equal(d->paras[0].offset, 0);
	for (size_t i = 0; i < d->npara; i++) {
		size_t o = d->paras[i].offset;
		assert_true(o < d->text_len);
		if (i) {
			assert_true(o >= 2 && d->text[o - 1] == '\n' && d->text[o - 2] == '\n');
			assert_true(d->paras[i].start_s >= d->paras[i - 1].start_s);
		}
	}
	assert_int_equal(count(d->text, "\n\n") + 1, d->npara);
}

/* No two neighbouring sentences of 25+ bytes are the same. */
static void check_no_repeated_sentence(const char *t)
{
	const char *prev = NULL;
	size_t prevn = 0;
	const char *p = t;
	while (*p) {
		const char *e = p;
		while (*e && !((*e == '.' || *e == '?' || *e == '!') && (e[1] == ' ' || e[1] == '\n' || !e[1])))
			e++;
		size_t n = (size_t)(e - p) + (*e ? 1 : 0);
		if (n >= 25 && prev && n == prevn && memcmp(p, prev, n) == 0)
			fail_msg("repeated: %.*s", (int)n, p);
		prev = p;
		prevn = n;
		p += n;
		while (*p == ' ' || *p == '\n')
			p++;
	}
}

/* ---- real files ---- */

/* The hard case: YouTube auto-captions with rolling lines, 10 ms filler
 * cues and lines of one space. 22475 is the word count of the new line of
 * every non-filler cue (each cue's last line, tags stripped), counted by
 * an independent Python script; every sentence appears once. */
static void test_vtt_rolling_real(void **state)
{
	struct doc d;
	parse_file(T001, &d);
	assert_int_equal(d.format, DOC_VTT);
	assert_string_equal(d.title, "【Just Chatting】I'M FREE CELEBRATE");
	assert_string_equal(d.video_id, "VMfR5nr8gic");
	assert_string_equal(d.language, "en");
	assert_int_equal(words(d.text), 22475);
	assert_int_equal(count(d.text, "Oh my god, it's been forever."), 1);
	assert_int_equal(count(d.text, "I'm so happy to be here. Yay."), 1);
	assert_int_equal(count(d.text, "I hope you guys have been doing good."), 1);
	assert_true(t_starts_with(d.text, "Hello. Hello everyone. Oh my god, it's been forever. I'm so happy to be here. Yay. Yippee."));
	check_no_repeated_sentence(d.text);
	/* tags, entities and timings are gone; the profanity mask is kept */
	assert_null(strstr(d.text, "<c>"));
	assert_null(strstr(d.text, "&gt;"));
	assert_null(strstr(d.text, "&nbsp;"));
	assert_null(strstr(d.text, "-->"));
	assert_null(strstr(d.text, "align:start"));
	assert_non_null(strstr(d.text, "[ __ ]"));
	assert_non_null(strstr(d.text, ">> "));
	check_paras(&d);
	assert_true(d.paras[0].start_s > 274.5 && d.paras[0].start_s < 274.6);
	doc_free(&d);
}

static void test_vtt_manual_real(void **state)
{
	struct doc d;
	parse_file(TR("003_transcript.en.vtt"), &d);
	assert_int_equal(d.format, DOC_VTT);
	/* "transcript" says nothing: a guess from the distinctive words */
	assert_string_equal(d.title, "client · proposal · relevant · job");
	assert_true(t_starts_with(d.text, "(upbeat music)\n\n- Hi, everyone. Danny here from freelancetowin.com. And today"));
	assert_null(strstr(d.text, "Kind:"));
	assert_null(strstr(d.text, "Language:"));
	check_paras(&d);
	assert_true(d.npara > 10);
	doc_free(&d);
}

static void test_vtt_youtube_dl_real(void **state)
{
	struct doc d;
	parse_file(TR("004_youtube_dl.vtt"), &d);
	assert_int_equal(d.format, DOC_VTT);
	assert_string_equal(d.text, "yeah what this will happen is I'm telling");
	assert_int_equal(d.npara, 1);
	assert_true(d.paras[0].start_s > 286.0 && d.paras[0].start_s < 286.1);
	doc_free(&d);
}

static void test_vtt_whisperx_speakers_real(void **state)
{
	struct doc d;
	parse_file(TR("022_Prompt - DR - Fred Benenson - AI [1595724171].vtt"), &d);
	assert_int_equal(d.format, DOC_VTT);
	assert_string_equal(d.title, "Prompt - DR - Fred Benenson - AI");
	assert_string_equal(d.video_id, "1595724171");
	assert_true(t_starts_with(d.text, "[SPEAKER_01]: Do you want me over here? Yeah that's perfect."));
	check_paras(&d);
	/* every paragraph starts with its speaker's label, kept as text */
	for (size_t i = 0; i < d.npara; i++)
		assert_true(t_starts_with(d.text + d.paras[i].offset, "[SPEAKER_"));
	assert_true(count(d.text, "[SPEAKER_00]:") > 5);
	doc_free(&d);
}

static void test_srt_real(void **state)
{
	struct doc d;
	parse_file(TR("007_bitcoin_english_captions.srt"), &d);
	assert_int_equal(d.format, DOC_SRT);
	assert_string_equal(d.language, "en");
	assert_true(t_starts_with(d.text, "What does it mean to have a Bitcoin? Many people have heard of Bitcoin, that it's a fully digital currency with no government"));
	assert_null(strstr(d.text, "  "));
	assert_null(strstr(d.text, " \n"));
	assert_null(strstr(d.text, "-->"));
	check_paras(&d);
	assert_true(d.paras[0].start_s > 3.89 && d.paras[0].start_s < 3.91);
	check_no_repeated_sentence(d.text);
	doc_free(&d);

	parse_file(TR("008_bitcoin_chinese_china_community.srt"), &d);
	assert_int_equal(d.format, DOC_SRT);
	assert_string_equal(d.language, "zh");
	/* lines after CJK punctuation join without a space */
	assert_true(t_starts_with(d.text, "“拥有”一枚比特币究竟意味着什么？很多人都听说过比特币 它是"));
	doc_free(&d);

	parse_file(TR("010_bitcoin_japanese_community.srt"), &d);
	assert_string_equal(d.language, "ja");
	assert_non_null(strstr(d.text, "ビットコインを「持つ」とはどういうことか？"));
	doc_free(&d);
}

static void test_sbv_real(void **state)
{
	struct doc d;
	parse_file(TR("017_20190907-Wanggang_catch-fish.sbv"), &d);
	assert_int_equal(d.format, DOC_SBV);
	assert_string_equal(d.url, "https://www.youtube.com/watch?v=icqaw1r239Y");
	assert_string_equal(d.video_id, "icqaw1r239Y");
	assert_string_equal(d.language, "en");
	assert_true(t_starts_with(d.text, "Hi everyone! Today our buddy Wang Gang came to visit us. We'll take him"));
	assert_null(strchr(d.text, '#'));     /* comment lines dropped */
	assert_null(strchr(d.text, '\r'));
	assert_null(strstr(d.text, "大家好"));
	check_paras(&d);
	doc_free(&d);
}

/* ---- hand-made fixtures ---- */

static void test_vtt_features(void **state)
{
	struct doc d;
	parse_file(FIX "vtt_features.vtt", &d);
	assert_int_equal(d.format, DOC_VTT);
	assert_string_equal(d.language, "en");
	assert_string_equal(d.text,
		"Roger Bingham: We are in New York City Tom & Jerry say >> hello there "
		"'quoted' text straight after a timing line with word times\n\n"
		"After a repeated header.\n\n"
		"A line after a long pause.");
	check_paras(&d);
	assert_int_equal(d.npara, 3);
	assert_true(d.paras[0].start_s == 1.0);
	assert_true(d.paras[1].start_s == 9.5);
	assert_true(d.paras[2].start_s == 70.0);
	assert_int_equal(d.duration_s, 72);   /* no stated length: the last cue's end */
	doc_free(&d);
}

static void test_vtt_no_header(void **state)
{
	struct doc d;
	parse_file(FIX "vtt_no_header.vtt", &d);
	assert_int_equal(d.format, DOC_VTT);
	assert_string_equal(d.text, "No WEBVTT line and no hours. Second cue.");
	assert_true(d.paras[0].start_s == 1.0);
	doc_free(&d);
}

static void test_srt_variations(void **state)
{
	struct doc d;
	parse_file(FIX "srt_variations.srt", &d);
	assert_int_equal(d.format, DOC_SRT);
	assert_string_equal(d.text, "First cue Second cue Third cue, line one line two after a stray blank Fourth cue");
	doc_free(&d);
}

/* Chinese and Japanese subtitles: a line after CJK punctuation joins the
 * next without a space, other line ends become one space; the language
 * comes from the script. */
static void test_srt_cjk(void **state)
{
	struct doc d;
	parse_file(FIX "srt_zh.srt", &d);
	assert_int_equal(d.format, DOC_SRT);
	assert_string_equal(d.language, "zh");
	assert_string_equal(d.text, "“拥有”一枚加密货币 究竟意味着什么？很多人都听说过它 它是一种数字货币。");
	check_paras(&d);
	doc_free(&d);
	parse_file(FIX "srt_ja.srt", &d);
	assert_string_equal(d.language, "ja");
	assert_string_equal(d.text, "ビットコインを「持つ」とは どういうことか？今日はその仕組みを説明します。");
	doc_free(&d);
}

static void test_content_beats_extension(void **state)
{
	struct doc d;
	parse_file(FIX "srt_named.txt", &d);
	assert_int_equal(d.format, DOC_SRT);
	assert_string_equal(d.text, "An SRT file named .txt is still read as SRT.");
	assert_true(d.paras[0].start_s == 0.5);
	doc_free(&d);
	parse_file(FIX "sbv_named.txt", &d);
	assert_int_equal(d.format, DOC_SBV);
	assert_string_equal(d.text, "An SBV file named .txt with CRLF line ends.");
	assert_string_equal(d.video_id, "abcDEF12345");
	doc_free(&d);
	/* no blank line between the header (or a NOTE) and the first cue */
	parse_str("WEBVTT\n00:00:01.000 --> 00:00:02.000\nRight after the header\n\n"
	          "NOTE a note\n00:00:02.000 --> 00:00:03.000\nand after a note\n", "h.vtt", &d);
	assert_string_equal(d.text, "Right after the header and after a note");
	doc_free(&d);
	/* WebVTT content in a file called .srt */
	parse_str("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nvtt inside\n", "x.srt", &d);
	assert_int_equal(d.format, DOC_VTT);
	doc_free(&d);
}

/* ---- dedup and paragraph rules on small inputs ---- */

static void test_rolling_lines(void **state)
{
	struct doc d;
	parse_str("WEBVTT\n\n"
	          "00:00:01.000 --> 00:00:02.000\n \nthe first line\n\n"
	          "00:00:02.000 --> 00:00:02.010\nthe first line\n \n\n"
	          "00:00:02.010 --> 00:00:03.000\nthe first line\nthe second line\n\n"
	          "00:00:03.000 --> 00:00:04.000\nthe second line\nthe third line\n\n"
	          "00:00:04.000 --> 00:00:05.000\n \nthe third line\n",   /* said again */
	          "r.vtt", &d);
	assert_string_equal(d.text, "the first line the second line the third line the third line");
	doc_free(&d);
	/* a line growing word by word */
	parse_str("WEBVTT\n\n00:01.000 --> 00:02.000\nHello\n\n"
	          "00:02.000 --> 00:03.000\nHello everyone\n\n"
	          "00:03.000 --> 00:04.000\nHello everyone out there\n", "g.vtt", &d);
	assert_string_equal(d.text, "Hello everyone out there");
	doc_free(&d);
	/* identical back-to-back cues of a file that does not roll stay
	 * (vtt.js's file-layout/cue-spacing.vtt: three cues saying "Text") */
	parse_str("1\n00:00:01,000 --> 00:00:02,000\nSame words\n\n"
	          "2\n00:00:02,000 --> 00:00:03,000\nSame words\n\n"
	          "3\n00:00:03,000 --> 00:00:04,000\nNew words\n", "s.srt", &d);
	assert_string_equal(d.text, "Same words Same words New words");
	doc_free(&d);
	parse_str("WEBVTT\n\n00:00.000 --> 00:02.000\nText\n00:02.000 --> 00:04.000\nText\n\n"
	          "00:06.000 --> 00:08.000\nText\n", "t.vtt", &d);
	assert_string_equal(d.text, "Text Text Text");
	doc_free(&d);
	/* … while in a rolling file a window shown twice is one window */
	parse_str("WEBVTT\n\n00:01.000 --> 00:02.000\nHello\n\n"
	          "00:02.000 --> 00:03.000\nHello everyone\n\n"
	          "00:03.000 --> 00:04.000\nHello everyone\n\n"
	          "00:04.000 --> 00:05.000\nHello everyone out there\n", "g2.vtt", &d);
	assert_string_equal(d.text, "Hello everyone out there");
	doc_free(&d);
}

static void test_paragraph_rules(void **state)
{
	struct doc d;
	/* a pause of 2 s ends a paragraph once it holds 60 bytes */
	parse_str("WEBVTT\n\n"
	          "00:00:01.000 --> 00:00:02.000\nShort.\n\n"
	          "00:00:04.500 --> 00:00:05.000\nStill the same paragraph, because it was short before the pause.\n\n"
	          "00:00:08.000 --> 00:00:09.000\nA new paragraph after the second pause.\n",
	          "p.vtt", &d);
	assert_int_equal(d.npara, 2);
	assert_true(d.paras[1].start_s == 8.0);
	assert_string_equal(d.text + d.paras[1].offset, "A new paragraph after the second pause.");
	doc_free(&d);
	/* long speech without pauses is cut at a sentence end after 500 bytes */
	struct buf b = { 0 };
	buf_puts(&b, "WEBVTT\n\n");
	for (int i = 0; i < 60; i++) {
		char cue[160];
		snprintf(cue, sizeof cue, "00:%02d:%02d.000 --> 00:%02d:%02d.900\nSentence number %d is here%s\n\n",
		         i / 60, i % 60, i / 60, i % 60, i, i % 3 == 2 ? "." : "");
		buf_puts(&b, cue);
	}
	parse_str(b.p, "long.vtt", &d);
	buf_free(&b);
	check_paras(&d);
	assert_true(d.npara >= 2);
	for (size_t i = 1; i < d.npara; i++) {
		size_t end = d.paras[i].offset - 2;
		assert_int_equal(d.text[end - 1], '.');
		assert_true(end - d.paras[i - 1].offset >= 500);
	}
	doc_free(&d);
	/* a speaker change starts a paragraph; ">>" too */
	parse_str("WEBVTT\n\n00:01.000 --> 00:02.000\n[SPEAKER_00]: One.\n\n"
	          "00:02.000 --> 00:03.000\n[SPEAKER_00]: Two.\n\n"
	          "00:03.000 --> 00:04.000\n[SPEAKER_01]: Three.\n\n"
	          "00:04.000 --> 00:05.000\n&gt;&gt; Four.\n", "sp.vtt", &d);
	assert_string_equal(d.text, "[SPEAKER_00]: One. Two.\n\n[SPEAKER_01]: Three.\n\n>> Four.");
	assert_int_equal(d.npara, 3);
	doc_free(&d);
}

/* A generated 20 MB auto-caption file: rolling dedup stays correct at
 * size (time is the benchmark's business). */
static void test_large_rolling_vtt(void **state)
{
	struct buf b = { 0 };
	buf_puts(&b, "WEBVTT\nKind: captions\nLanguage: en\n\n");
	char prev[64] = " ";
	int i = 0;
	while (b.len < (20u << 20)) {
		char line[64], cue[512];
		snprintf(line, sizeof line, "line<00:00:00.100><c> number</c> %d", i);
		int h = i / 3600, m = (i / 60) % 60, s = i % 60;
		snprintf(cue, sizeof cue,
		         "%02d:%02d:%02d.000 --> %02d:%02d:%02d.990 align:start position:0%%\n%s\n%s\n\n"
		         "%02d:%02d:%02d.990 --> %02d:%02d:%02d.999 align:start position:0%%\nline number %d\n \n\n",
		         h, m, s, h, m, s, prev, line, h, m, s, h, m, s, i);
		buf_puts(&b, cue);
		snprintf(prev, sizeof prev, "line number %d", i);
		i++;
	}
	struct doc d;
	char err[128];
	assert_int_equal(doc_parse(b.p, b.len, "big.vtt", &d, err, sizeof err), 0);
	buf_free(&b);
	/* every line exactly once: "line number 0 line number 1 …" */
	assert_int_equal(words(d.text), (size_t)i * 3);
	assert_int_equal(count(d.text, "line number 12345 "), 1);
	check_paras(&d);
	doc_free(&d);
}


/* ---- variants from issue 9 (hand-made in the shapes of real files) ---- */

/* Live-stream roll-up captions whose scraper dropped the WEBVTT line: the
 * bottom row grows word by word, then scrolls up. Same text with a
 * header, and with the <c> word timings removed; "Thank you." is said
 * twice and stays twice. */
static void test_live_rollup_no_header(void **state)
{
	static const char want[] =
		"THE MEETING WILL COME TO ORDER. And there will be no roll call at this time. "
		"Please be seated. Thank you. Thank you. The first item is the budget.";
	struct doc d;
	size_t n;
	char *raw = t_slurp(FIX "live_rollup_noheader.vtt", &n);
	parse_str(raw, "live.vtt", &d);
	assert_int_equal(d.format, DOC_VTT);
	assert_string_equal(d.text, want);
	assert_true(d.paras[0].start_s > 116.43 && d.paras[0].start_s < 116.44);
	doc_free(&d);
	/* with the header */
	struct buf b = { 0 };
	buf_puts(&b, "WEBVTT\nKind: captions\nLanguage: en\n\n");
	buf_puts(&b, raw);
	parse_str(b.p, "live.vtt", &d);
	assert_string_equal(d.text, want);
	doc_free(&d);
	/* without the inline word timings */
	b.len = 0;
	for (size_t i = 0; i < n; i++) {
		if (raw[i] == '<') {
			const char *gt = memchr(raw + i, '>', n - i);
			if (gt) {
				i = (size_t)(gt - raw);
				continue;
			}
		}
		buf_putc(&b, raw[i]);
	}
	assert_null(strstr(b.p, "<c>"));
	parse_str(b.p, "live.srt", &d);
	assert_string_equal(d.text, want);
	doc_free(&d);
	buf_free(&b);
	free(raw);
}

/* Three-line roll-up (broadcast captions converted to SRT): windows of
 * three rows; a sentence said twice in a row survives. */
static void test_rollup_three_lines(void **state)
{
	struct doc d;
	parse_file(FIX "rollup_three_lines.srt", &d);
	assert_int_equal(d.format, DOC_SRT);
	assert_string_equal(d.text,
		"GOOD EVENING, AND WELCOME TO THE LATE NEWS. OUR TOP STORY TONIGHT IS THE "
		"FLOOD ON THE RIVER ROAD.\n\n"
		">> THE WATER IS STILL RISING. THE WATER IS STILL RISING. WE WILL STAY WITH IT.");
	assert_int_equal(d.npara, 2);
	doc_free(&d);
}

/* YouTube auto-captions converted to SRT (no tags, no rows of one space):
 * filler cues and a line said twice. */
static void test_asr_converted(void **state)
{
	struct doc d;
	parse_file(FIX "asr_converted.srt", &d);
	assert_string_equal(d.text,
		"so today we are going to talk about bread and why it rises it rises because "
		"of yeast it rises because of yeast");
	doc_free(&d);
}

/* A tool that flattened each window into one line: the words a cue
 * repeats from the cue before are dropped (3 or more words). */
static void test_rolling_flattened(void **state)
{
	struct doc d;
	parse_file(FIX "rolling_flat.srt", &d);
	assert_string_equal(d.text,
		"what would you say is the one thing the audience should take away from today "
		"and why does it matter");
	doc_free(&d);
}

/* An ordinary subtitle file (no rolling) keeps a line said twice; the
 * collapse only runs when the file rolls. */
static void test_repeat_survives_plain_subtitles(void **state)
{
	struct doc d;
	struct buf b = { 0 };
	for (int i = 0; i < 12; i++)
		buf_printf(&b, "%d\n00:00:%02d,000 --> 00:00:%02d,900\n%s\n\n", i + 1, i, i,
		           i == 5 || i == 6 ? "No." : i % 2 ? "Line two of the pair" : "A line of its own");
	parse_str(b.p, "plain.srt", &d);
	assert_int_equal(count(d.text, "No. No."), 1);
	doc_free(&d);
	buf_free(&b);
}

/* A hand-made bilingual SRT: a long block of '#' comments on top (URL,
 * title heading, description), a '#' line in each cue (the original
 * language), an empty cue, a cue with only comments, a comment after the
 * last cue. */
static void test_srt_comments(void **state)
{
	struct doc d;
	size_t n;
	char *raw = t_slurp(FIX "bilingual_comments.srt", &n);
	char err[256];
	assert_int_equal(doc_parse(raw, n, FIX "bilingual_comments.srt", &d, err, sizeof err), 0);
	assert_int_equal(d.format, DOC_SRT);
	assert_string_equal(d.title, "【老茶馆】一壶好茶的三个秘诀");
	assert_string_equal(d.url, "https://youtu.be/Xq3Tea0Demo");
	assert_string_equal(d.video_id, "Xq3Tea0Demo");
	assert_string_equal(d.text,
		"Hello everyone, welcome to the Old Teahouse Today we are making a pot of "
		"oolong tea Do not let the water boil too hard About ninety degrees is right "
		"What a lovely smell");
	assert_string_equal(d.second_text,
		"大家好，欢迎来到老茶馆 今天我们泡一壶乌龙茶 水不要烧得太开 先闻一闻 Smell it first 好香啊");
	assert_int_equal(d.second_len, strlen(d.second_text));
	assert_string_equal(d.language, "en");
	doc_free(&d);
	/* the setting puts the comments into the transcript instead */
	struct doc_opts o = { .lang = DOC_LANG_SECOND };
	assert_int_equal(doc_parse_opts(raw, n, "b.srt", &o, &d, err, sizeof err), 0);
	assert_string_equal(d.text,
		"大家好，欢迎来到老茶馆 今天我们泡一壶乌龙茶 水不要烧得太开 先闻一闻 Smell it first 好香啊");
	assert_true(t_starts_with(d.second_text, "Hello everyone, welcome"));
	assert_string_equal(d.language, "zh");
	doc_free(&d);
	o.lang = DOC_LANG_BOTH;
	assert_int_equal(doc_parse_opts(raw, n, "b.srt", &o, &d, err, sizeof err), 0);
	assert_true(t_starts_with(d.text, "Hello everyone, welcome to the Old Teahouse 大家好，欢迎来到老茶馆 Today"));
	assert_null(d.second_text);
	doc_free(&d);
	free(raw);
	/* the names of the setting */
	enum doc_lang_pick p;
	assert_int_equal(doc_lang_pick_parse("second", &p), 0);
	assert_int_equal(p, DOC_LANG_SECOND);
	assert_int_equal(doc_lang_pick_parse("chinese", &p), -1);
	assert_string_equal(doc_lang_pick_name(DOC_LANG_BOTH), "both");
}

/* SBV's '#' lines are the same kind of second language (a corpus file). */
static void test_sbv_second_language_real(void **state)
{
	size_t n;
	char *sbv = t_slurp(TR("017_20190907-Wanggang_catch-fish.sbv"), &n);
	struct doc d;
	char err[256];
	assert_int_equal(doc_parse(sbv, n, "x.sbv", &d, err, sizeof err), 0);
	assert_true(t_starts_with(d.second_text, "大家好"));
	assert_null(strstr(d.text, "大家好"));
	doc_free(&d);
	free(sbv);
}

/* ---- what the reference libraries read (issue 18) ---- */

/* Markup the readers of the formats hide: an end tag with a space
 * ("</ i>", pysrt's capability tester), unknown tags with or without
 * parameters, WebVTT timestamps with stray spaces, an end or known start
 * tag never closed (vtt.js's tag-format tests). What is not markup
 * stays: 2<3,5>1,4<6, a < b > c. */
static void test_markup_left_in_text(void **state)
{
	struct doc d;
	parse_file(FIX "markup_left.srt", &d);
	assert_string_equal(d.text, "Closed with a space: still italic text. It would be a good thing to "
	                            "hide invalid tags that are closed and with parameters Show not opened "
	                            "tags Maths stays: 2<3,5>1,4<6 and a < b > c");
	doc_free(&d);
	parse_file(FIX "markup_left.vtt", &d);
	assert_string_equal(d.text, "Spaces in timestamps work An unknown tag goes, a class too This is "
	                            "Joe: A voice stays a speaker");
	doc_free(&d);
	/* in SRT a start tag never closed is text ("<i love you" is no tag) */
	parse_str("1\n00:00:01,000 --> 00:00:02,000\n<i love you, </c and more\n", "x.srt", &d);
	assert_string_equal(d.text, "<i love you,");
	doc_free(&d);
}

/* A line before the first cue (a title) no longer makes the file plain
 * text with its "-->" lines and cue numbers: it is skipped, and said. */
static void test_title_line_before_first_cue(void **state)
{
	struct doc d;
	parse_file(FIX "title_before_cue.srt", &d);
	assert_int_equal(d.format, DOC_SRT);
	assert_string_equal(d.text, "First cue after a title line Second cue");
	assert_non_null(d.note);
	assert_string_equal(d.note, "1 line before the first cue skipped (\"The Movie Title (2019)\")");
	doc_free(&d);
	parse_file(FIX "title_before_cue.vtt", &d);
	assert_int_equal(d.format, DOC_VTT);
	assert_string_equal(d.text, "A WebVTT file without its header line but a title instead");
	assert_true(d.paras[0].start_s == 1.0);
	doc_free(&d);
	/* several such lines need a second timing line to follow */
	parse_str("a title\nand a subtitle\nand a date\n\n00:01.000 --> 00:02.000\nx\n\n"
	          "00:02.000 --> 00:03.000\ny\n", "t.txt", &d);
	assert_int_equal(d.format, DOC_VTT);
	assert_string_equal(d.text, "x y");
	doc_free(&d);
	/* … so a text that mentions one time range stays text */
	parse_str("Notes from the talk\nsee the slide\nat the end\n\n00:01 --> 00:02 was the intro\n",
	          "n.txt", &d);
	assert_int_equal(d.format, DOC_PLAIN);
	doc_free(&d);
}

/* An SRT cue whose timing line is broken or missing: neither the line nor
 * the next cue's number gets into the text; the cues around it are read,
 * its own text too, and doc.note says so. */
static void test_broken_and_missing_timing(void **state)
{
	struct doc d;
	parse_file(FIX "broken_timing.srt", &d);
	assert_int_equal(d.format, DOC_SRT);
	assert_null(strstr(d.text, "->"));
	assert_null(strstr(d.text, "00:00"));
	assert_null(strstr(d.text, " 2 "));
	assert_null(strstr(d.text, " 4 "));
	assert_string_equal(d.text, "Caption one Caption two, arrow broken Caption three Caption four, "
	                            "no timing line\n\nCaption five");
	assert_string_equal(d.note, "2 cues without a readable timing line (\"00:00:07,500 -> 00:00:09,000\"): "
	                            "read with the time of the cue before");
	check_paras(&d);
	doc_free(&d);
	/* a long broken line is quoted whole characters only (found by
	 * tests/fuzz/fuzz_parse.c: 60 three-byte characters cut at 63 bytes) */
	struct buf b = { 0 };
	buf_puts(&b, "1\n00:00:01,000 --> 00:00:02,000\nfirst\n\n2\n");
	for (int i = 0; i < 60; i++)
		buf_puts(&b, "的");
	buf_puts(&b, " 00:00:03,439 --> 00:00:05,749\nsecond\n");
	char err[128];
	assert_int_equal(doc_parse(b.p, b.len, "long.srt", &d, err, sizeof err), 0);
	assert_non_null(d.note);
	assert_true(t_starts_with(d.note, "1 cue without a readable timing line (\"的的"));
	assert_non_null(strstr(d.note, "…\"): read with the time of the cue before"));
	size_t i = 0, n = strlen(d.note);
	while (i < n) {
		int32_t cp;
		size_t k = utf8_decode(d.note + i, n - i, &cp);
		assert_true(k > 0);
		i += k;
	}
	doc_free(&d);
	buf_free(&b);
	/* arrows without a time are cue text */
	parse_str("1\n00:00:01,000 --> 00:00:02,000\n1 -> 2\n<-->\n", "arrows.srt", &d);
	assert_string_equal(d.text, "1 -> 2 <-->");
	assert_null(d.note);
	doc_free(&d);
	/* … but in WebVTT a line with "-->" is never cue text (vtt.js's
	 * integration/arrows.vtt) */
	parse_str("WEBVTT\n\n00:00.000 --> 00:01.000\nbefore\n\n00:01.000 --> 00:02.000\n-->\n", "a.vtt", &d);
	assert_string_equal(d.text, "before");
	doc_free(&d);
	/* webvtt-py's own sample (tests/fixtures/samples/SOURCES.tsv) */
	parse_file("tests/fixtures/samples/webvtt-py_missing_timeframe.srt", &d);
	assert_string_equal(d.text, "Caption text #1 Caption text #2 Caption text #3 Caption text #4 "
	                            "Caption text #5");
	assert_string_equal(d.note, "1 cue without a readable timing line (cue 2 has none): read with "
	                            "the time of the cue before");
	doc_free(&d);
}

/* Cue settings right after the time, without a space (vtt.js's
 * file-layout tests): was "no subtitle cues found". */
static void test_settings_glued_to_timing(void **state)
{
	struct doc d;
	parse_file(FIX "settings_glued.vtt", &d);
	assert_string_equal(d.text, "Settings glued to the time second cue");
	assert_true(d.paras[0].start_s == 0.0);
	doc_free(&d);
}

/* A Windows-1252 SRT: ÉVÉNEMENTS, not �V�NEMENTS; the encoding named. */
static void test_windows_1252_subtitles(void **state)
{
	struct doc d;
	parse_file(FIX "windows1252.srt", &d);
	assert_int_equal(d.format, DOC_SRT);
	assert_string_equal(d.charset, "WINDOWS-1252");
	assert_true(d.charset_detected);
	assert_int_equal(d.invalid_utf8, 0);
	assert_true(t_starts_with(d.text, "CE FILM RELATE DES ÉVÉNEMENTS QUI ONT EXISTÉ. Les noms, lieux et "
	                                  "événements ont été modifiés."));
	assert_non_null(strstr(d.text, "où le présentateur local régnait en maître."));
	doc_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vtt_rolling_real),
		cmocka_unit_test(test_vtt_manual_real),
		cmocka_unit_test(test_vtt_youtube_dl_real),
		cmocka_unit_test(test_vtt_whisperx_speakers_real),
		cmocka_unit_test(test_srt_real),
		cmocka_unit_test(test_sbv_real),
		cmocka_unit_test(test_vtt_features),
		cmocka_unit_test(test_markup_left_in_text),
		cmocka_unit_test(test_title_line_before_first_cue),
		cmocka_unit_test(test_broken_and_missing_timing),
		cmocka_unit_test(test_settings_glued_to_timing),
		cmocka_unit_test(test_windows_1252_subtitles),
		cmocka_unit_test(test_vtt_no_header),
		cmocka_unit_test(test_srt_variations),
		cmocka_unit_test(test_srt_cjk),
		cmocka_unit_test(test_content_beats_extension),
		cmocka_unit_test(test_rolling_lines),
		cmocka_unit_test(test_paragraph_rules),
		cmocka_unit_test(test_large_rolling_vtt),
		cmocka_unit_test(test_live_rollup_no_header),
		cmocka_unit_test(test_rollup_three_lines),
		cmocka_unit_test(test_asr_converted),
		cmocka_unit_test(test_rolling_flattened),
		cmocka_unit_test(test_repeat_survives_plain_subtitles),
		cmocka_unit_test(test_srt_comments),
		cmocka_unit_test(test_sbv_second_language_real),
	};
	return cmocka_run_group_tests_name("parse_subs", tests, NULL, NULL);
}
