/* test_parse_json.c — Whisper / WhisperX / whisper.cpp JSON and yt-dlp
 * .info.json (doc_parse, doc_apply_info_json). Runs with cwd = repo root. */
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

/* A file of the corpus; skips the running test when there is none. */
#define TR(name) t_corpus("transcripts/" name)
#define FIX "tests/fixtures/parse/"

/* doc_parse on a file; returns rc with err filled. */
static int parse_file(const char *path, struct doc *d, char *err, size_t errlen)
{
	size_t n;
	char *b = t_slurp(path, &n);
	int rc = doc_parse(b, n, path, d, err, errlen);
	free(b);
	return rc;
}

static void test_whisper_real(void **state)
{
	struct doc d;
	char err[256];
	assert_int_equal(parse_file(TR("026_japanese.mp3.words.json"), &d, err, sizeof err), 0);
	assert_int_equal(d.format, DOC_WHISPER_JSON);
	assert_string_equal(doc_format_name(d.format), "whisper-json");
	assert_string_equal(d.language, "ja");   /* from the "language" member */
	assert_string_equal(d.title, "japanese");
	assert_true(strncmp(d.text, "いきます 入室タブでの", strlen("いきます 入室タブでの")) == 0);
	assert_null(strstr(d.text, "tokens"));
	assert_true(d.npara >= 1);
	assert_true(d.paras[0].start_s > 0.07 && d.paras[0].start_s < 0.09);
	doc_free(&d);
}

static void test_whisperx_speakers(void **state)
{
	struct doc d;
	char err[256];
	assert_int_equal(parse_file(FIX "whisperx.json", &d, err, sizeof err), 0);
	assert_int_equal(d.format, DOC_WHISPER_JSON);
	assert_string_equal(d.text, "[SPEAKER_00]: Hello there. How are you?\n\n[SPEAKER_01]: Fine, thanks.");
	assert_int_equal(d.npara, 2);
	assert_true(d.paras[0].start_s == 0.5);
	assert_true(d.paras[1].start_s == 3.6);
	assert_int_equal(d.paras[1].offset, strlen("[SPEAKER_00]: Hello there. How are you?\n\n"));
	doc_free(&d);
}

static void test_whisper_cpp_and_variants(void **state)
{
	struct doc d;
	char err[256];
	assert_int_equal(parse_file(FIX "whisper_cpp.json", &d, err, sizeof err), 0);
	assert_string_equal(d.text, "Whisper dot cpp output. Second segment.");
	assert_string_equal(d.language, "en");
	doc_free(&d);
	/* a bare array of segments */
	static const char arr[] = "[{\"start\": 1.5, \"end\": 2, \"text\": \" one\"}, {\"start\": 2, \"end\": 3, \"text\": \"two \"}]";
	assert_int_equal(doc_parse(arr, sizeof arr - 1, "a.json", &d, err, sizeof err), 0);
	assert_string_equal(d.text, "one two");
	assert_true(d.paras[0].start_s == 1.5);
	doc_free(&d);
	/* {"text": …} alone (the Whisper API's json) */
	static const char txt[] = "{\"text\": \"Just the text.\\u0000\"}";
	assert_int_equal(doc_parse(txt, sizeof txt - 1, "b.json", &d, err, sizeof err), 0);
	assert_string_equal(d.text, "Just the text.");
	assert_int_equal(d.npara, 0);
	doc_free(&d);
	/* JSON recognised by content in a .txt file */
	assert_int_equal(doc_parse(arr, sizeof arr - 1, "c.txt", &d, err, sizeof err), 0);
	assert_int_equal(d.format, DOC_WHISPER_JSON);
	doc_free(&d);
}

static void test_json3(void **state)
{
	struct doc d;
	char err[256];
	assert_int_equal(parse_file(FIX "json3_sample.en.json3", &d, err, sizeof err), 0);
	assert_int_equal(d.format, DOC_JSON3);
	assert_string_equal(doc_format_name(d.format), "json3");
	assert_string_equal(d.title, "json3 sample");
	assert_string_equal(d.text, "hello world this is json3 & more");
	assert_true(d.paras[0].start_s == 0.5);
	doc_free(&d);
}

static void test_json_errors(void **state)
{
	struct doc d;
	char err[256];
	assert_int_equal(parse_file(FIX "unknown_shape.json", &d, err, sizeof err), -1);
	assert_string_equal(err, "JSON is not a known transcript shape");
	assert_int_equal(doc_parse("[]", 2, "e.json", &d, err, sizeof err), -1);
	assert_string_equal(err, "JSON is not a known transcript shape");
	assert_int_equal(doc_parse("{\"segments\": []}", 16, "e.json", &d, err, sizeof err), -1);
	assert_string_equal(err, "JSON is not a known transcript shape");
	assert_int_equal(parse_file(FIX "truncated.json", &d, err, sizeof err), -1);
	assert_true(strncmp(err, "invalid JSON", 12) == 0);
	assert_null(strchr(err, '\n'));
	/* a .json file is JSON even when it does not look like an object */
	assert_int_equal(doc_parse("[1, 2]", 6, "n.json", &d, err, sizeof err), -1);
	assert_string_equal(err, "JSON is not a known transcript shape");
	/* text that only starts like JSON, in a .txt file, is text */
	static const char t[] = "{curly} words in a plain transcript";
	assert_int_equal(doc_parse(t, sizeof t - 1, "x.txt", &d, err, sizeof err), 0);
	assert_int_equal(d.format, DOC_PLAIN);
	doc_free(&d);
}

static void test_info_json_alone(void **state)
{
	struct doc d;
	char err[256];
	/* a .info.json is metadata, not a transcript, under any name */
	size_t n;
	char *b = t_slurp(FIX "Talk [dQw4w9WgXcQ].info.json", &n);
	assert_int_equal(doc_parse(b, n, "Talk.info.json", &d, err, sizeof err), -1);
	assert_non_null(strstr(err, ".info.json"));
	assert_non_null(strstr(err, "metadata"));
	assert_int_equal(doc_parse(b, n, "meta.json", &d, err, sizeof err), -1);
	assert_non_null(strstr(err, "metadata"));
	free(b);
}

static void test_info_json_alone_real(void **state)
{
	struct doc d;
	char err[256];
	assert_int_equal(parse_file(TR("019_example.info.json"), &d, err, sizeof err), -1);
	assert_non_null(strstr(err, ".info.json"));
	assert_non_null(strstr(err, "metadata"));
}

static void test_apply_info_json_real(void **state)
{
	static const char vtt[] = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nhello\n";
	size_t n;
	char *b = t_slurp(TR("019_example.info.json"), &n);
	struct doc d;
	char err[256];
	assert_int_equal(doc_parse(vtt, sizeof vtt - 1, "x/Example [ABC123].en.vtt", &d, err, sizeof err), 0);
	assert_int_equal(doc_apply_info_json(&d, b, n, err, sizeof err), 0);
	free(b);
	assert_string_equal(d.title, "Pinchflat Example Video");
	assert_string_equal(d.url, "https://www.youtube.com/watch?v=ABC123");
	assert_string_equal(d.video_id, "ABC123");
	assert_string_equal(d.channel, "PinchflatTestChannel");
	assert_string_equal(d.recorded_at, "2021-07-20");
	assert_int_equal(d.duration_s, 582);
	assert_string_equal(d.text, "hello");   /* the transcript is untouched */
	doc_free(&d);
}

static void test_apply_info_json_pair(void **state)
{
	const char *vtt = FIX "Talk [dQw4w9WgXcQ].en.vtt";
	struct doc d;
	char err[256];
	assert_int_equal(parse_file(vtt, &d, err, sizeof err), 0);
	assert_string_equal(d.title, "Talk");
	char *ij = doc_info_json_path(vtt);
	assert_string_equal(ij, FIX "Talk [dQw4w9WgXcQ].info.json");
	size_t n;
	char *b = t_slurp(ij, &n);
	free(ij);
	assert_int_equal(doc_apply_info_json(&d, b, n, err, sizeof err), 0);
	free(b);
	assert_string_equal(d.title, "The Real Title");     /* metadata wins */
	assert_string_equal(d.channel, "Some Channel");     /* channel over uploader */
	assert_string_equal(d.recorded_at, "2009-10-25");
	assert_int_equal(d.duration_s, 213);                /* 212.6 rounded */
	assert_string_equal(d.video_id, "dQw4w9WgXcQ");
	doc_free(&d);
}

static void test_apply_info_json_bad(void **state)
{
	struct doc d;
	char err[256];
	assert_int_equal(doc_parse("hello", 5, "h.txt", &d, err, sizeof err), 0);
	assert_int_equal(doc_apply_info_json(&d, "", 0, err, sizeof err), -1);
	assert_int_equal(doc_apply_info_json(&d, "{oops", 5, err, sizeof err), -1);
	assert_true(strncmp(err, "invalid JSON", 12) == 0);
	assert_int_equal(doc_apply_info_json(&d, "[1]", 3, err, sizeof err), -1);
	assert_int_equal(doc_apply_info_json(&d, "{\"a\":1}", 7, err, sizeof err), -1);
	/* a failed apply leaves the doc as it was */
	assert_string_equal(d.title, "h");
	/* odd values are ignored, not trusted */
	static const char odd[] = "{\"id\": \"x1\", \"title\": \"\", \"duration\": -5, \"upload_date\": \"2021-99-99\"}";
	assert_int_equal(doc_apply_info_json(&d, odd, sizeof odd - 1, err, sizeof err), 0);
	assert_string_equal(d.title, "h");
	assert_int_equal(d.duration_s, -1);
	assert_null(d.recorded_at);
	assert_string_equal(d.video_id, "x1");
	doc_free(&d);
}


/* ---- timed JSON of other shapes (issue 9) ---- */

static void test_timed_triples(void **state)
{
	struct doc d;
	char err[256];
	/* word-level [text, start, end] with leading spaces, a word split in
	 * two ("wonder" "ful") and punctuation records */
	assert_int_equal(parse_file(FIX "triples_words.json", &d, err, sizeof err), 0);
	assert_int_equal(d.format, DOC_TIMED_JSON);
	assert_string_equal(doc_format_name(d.format), "timed-json");
	assert_string_equal(d.text, "The bread is rising. It smells wonderful. Wait for an hour!");
	assert_null(strstr(d.text, "  "));
	assert_string_equal(d.note, "read as timed JSON: [text, start, end] records");
	assert_true(d.paras[0].start_s == 0.0);
	assert_int_equal(d.duration_s, 6);
	doc_free(&d);
	/* sentence-level Chinese: no spaces between CJK pieces */
	assert_int_equal(parse_file(FIX "triples_zh.json", &d, err, sizeof err), 0);
	assert_string_equal(d.text, "大家好，今天我们做面包。先把面粉准备好然后加水");
	assert_string_equal(d.language, "zh");
	doc_free(&d);
	/* [start, end, text] is read too */
	static const char rev[] = "[[0.5, 1.0, \"first\"], [1.0, 2.0, \"second\"]]";
	assert_int_equal(doc_parse(rev, sizeof rev - 1, "r.json", &d, err, sizeof err), 0);
	assert_string_equal(d.text, "first second");
	assert_true(d.paras[0].start_s == 0.5);
	doc_free(&d);
}

static void test_timed_objects(void **state)
{
	struct doc d;
	char err[256];
	assert_int_equal(parse_file(FIX "sentences.json", &d, err, sizeof err), 0);
	assert_int_equal(d.format, DOC_TIMED_JSON);
	assert_string_equal(d.title, "Bread workshop");
	assert_string_equal(d.text, "Welcome to the workshop. Today we bake a simple loaf. You need flour, water and salt.");
	assert_string_equal(d.note, "read as timed JSON (the \"sentences\" array): text from \"sentence\", times from \"start\"/\"end\"");
	assert_true(d.paras[0].start_s == 0.5);
	doc_free(&d);
	/* transformers' chunks: "timestamp" pairs, words with leading spaces */
	assert_int_equal(parse_file(FIX "hf_chunks.json", &d, err, sizeof err), 0);
	assert_string_equal(d.text, "Hello there. Let us start.");
	assert_non_null(strstr(d.note, "\"timestamp\" pairs"));
	doc_free(&d);
	/* milliseconds and speakers (utterances) */
	assert_int_equal(parse_file(FIX "utterances_ms.json", &d, err, sizeof err), 0);
	assert_string_equal(d.text, "[A]: Thanks for having me on the show. It is good to be back.\n\n[B]: Glad you could make it.");
	assert_int_equal(d.npara, 2);
	assert_true(d.paras[0].start_s == 0.25);
	assert_true(d.paras[1].start_s == 5.6);
	assert_non_null(strstr(d.note, "(milliseconds)"));
	doc_free(&d);
	/* start + duration (youtube-transcript-api's list) */
	assert_int_equal(parse_file(FIX "start_duration.json", &d, err, sizeof err), 0);
	assert_string_equal(d.text, "hey there welcome back to the kitchen [Music]");
	assert_string_equal(d.note, "read as timed JSON: text from \"text\", times from \"start\" + \"duration\"");
	assert_int_equal(d.duration_s, 5);
	doc_free(&d);
	/* each of the text names the issue lists */
	static const char *const names[] = { "text", "sentence", "input", "translatedText", "content", "utterance" };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		char js[256];
		snprintf(js, sizeof js, "[{\"start\": 1, \"end\": 2, \"%s\": \"one\"}, {\"start\": 2, \"end\": 3, \"%s\": \" two \"}]",
		         names[i], names[i]);
		assert_int_equal(doc_parse(js, strlen(js), "n.json", &d, err, sizeof err), 0);
		assert_string_equal(d.text, "one two");
		if (strcmp(names[i], "text") != 0) {
			char want[64];
			snprintf(want, sizeof want, "text from \"%s\"", names[i]);
			assert_non_null(strstr(d.note, want));
		}
		doc_free(&d);
	}
	/* a record shape with no known name: its one text string */
	static const char odd[] = "{\"cues\": [{\"begin\": \"00:00:01,000\", \"words_said\": \"odd name\", \"speaker_id\": 3}]}";
	assert_int_equal(doc_parse(odd, sizeof odd - 1, "o.json", &d, err, sizeof err), 0);
	assert_string_equal(d.text, "odd name");
	assert_true(d.paras[0].start_s == 1.0);
	assert_non_null(strstr(d.note, "text from \"words_said\""));
	doc_free(&d);
}

/* An original and a translation: the original is the transcript, the
 * translation the second language; the setting swaps them. */
static void test_timed_two_languages(void **state)
{
	struct doc d;
	char err[256];
	assert_int_equal(parse_file(FIX "translated.json", &d, err, sizeof err), 0);
	assert_string_equal(d.text, "我们开始吧。先看一下材料。面粉要过筛。");
	assert_string_equal(d.second_text, "Let's begin. First, a look at the ingredients. Sift the flour.");
	assert_non_null(strstr(d.note, "text from \"input\""));
	assert_non_null(strstr(d.note, "second language from \"translatedText\""));
	assert_true(d.paras[0].start_s == 1.0);   /* "00:00:01.000" strings */
	doc_free(&d);
	size_t n;
	char *b = t_slurp(FIX "translated.json", &n);
	struct doc_opts o = { .lang = DOC_LANG_SECOND };
	assert_int_equal(doc_parse_opts(b, n, "t.json", &o, &d, err, sizeof err), 0);
	assert_string_equal(d.text, "Let's begin. First, a look at the ingredients. Sift the flour.");
	assert_string_equal(d.second_text, "我们开始吧。先看一下材料。面粉要过筛。");
	doc_free(&d);
	free(b);
	static const char tt[] = "[{\"start\": 0, \"end\": 1, \"translation\": \"Hello.\", \"text\": \"Hallo.\"}]";
	assert_int_equal(doc_parse(tt, sizeof tt - 1, "t.json", &d, err, sizeof err), 0);
	assert_string_equal(d.text, "Hallo.");
	assert_string_equal(d.second_text, "Hello.");
	doc_free(&d);
}

/* Objects that are not timed text stay refused; yt-dlp chapters inside
 * an .info.json are not a transcript. */
static void test_timed_not_fooled(void **state)
{
	struct doc d;
	char err[256];
	static const char a[] = "[{\"name\": \"x\", \"value\": 3}, {\"name\": \"y\", \"value\": 4}]";
	assert_int_equal(doc_parse(a, sizeof a - 1, "a.json", &d, err, sizeof err), -1);
	assert_string_equal(err, "JSON is not a known transcript shape");
	static const char b[] = "{\"id\": \"x\", \"extractor\": \"youtube\", \"chapters\": [{\"start_time\": 0, \"end_time\": 5, \"title\": \"Intro\"}]}";
	assert_int_equal(doc_parse(b, sizeof b - 1, "b.json", &d, err, sizeof err), -1);
	assert_non_null(strstr(err, "metadata"));
	static const char c[] = "[[\"a\", \"b\"], [\"c\", \"d\"]]";
	assert_int_equal(doc_parse(c, sizeof c - 1, "c.json", &d, err, sizeof err), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whisper_real),
		cmocka_unit_test(test_whisperx_speakers),
		cmocka_unit_test(test_whisper_cpp_and_variants),
		cmocka_unit_test(test_json3),
		cmocka_unit_test(test_json_errors),
		cmocka_unit_test(test_info_json_alone),
		cmocka_unit_test(test_info_json_alone_real),
		cmocka_unit_test(test_apply_info_json_real),
		cmocka_unit_test(test_apply_info_json_pair),
		cmocka_unit_test(test_apply_info_json_bad),
		cmocka_unit_test(test_timed_triples),
		cmocka_unit_test(test_timed_objects),
		cmocka_unit_test(test_timed_two_languages),
		cmocka_unit_test(test_timed_not_fooled),
	};
	return cmocka_run_group_tests_name("parse_json", tests, NULL, NULL);
}
