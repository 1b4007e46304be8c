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

#define TR "../shared/transcripts/"
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
	assert_int_equal(parse_file(TR "026_japanese.mp3.words.json", &d, err, sizeof err), 0);
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
	assert_int_equal(parse_file(TR "019_example.info.json", &d, err, sizeof err), -1);
	assert_non_null(strstr(err, ".info.json"));
	assert_non_null(strstr(err, "metadata"));
	/* same content under another name: still metadata, not a transcript */
	size_t n;
	char *b = t_slurp(FIX "Talk [dQw4w9WgXcQ].info.json", &n);
	assert_int_equal(doc_parse(b, n, "meta.json", &d, err, sizeof err), -1);
	assert_non_null(strstr(err, "metadata"));
	free(b);
}

static void test_apply_info_json_real(void **state)
{
	static const char vtt[] = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nhello\n";
	struct doc d;
	char err[256];
	assert_int_equal(doc_parse(vtt, sizeof vtt - 1, "x/Example [ABC123].en.vtt", &d, err, sizeof err), 0);
	size_t n;
	char *b = t_slurp(TR "019_example.info.json", &n);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whisper_real),
		cmocka_unit_test(test_whisperx_speakers),
		cmocka_unit_test(test_whisper_cpp_and_variants),
		cmocka_unit_test(test_json3),
		cmocka_unit_test(test_json_errors),
		cmocka_unit_test(test_info_json_alone),
		cmocka_unit_test(test_apply_info_json_real),
		cmocka_unit_test(test_apply_info_json_pair),
		cmocka_unit_test(test_apply_info_json_bad),
	};
	return cmocka_run_group_tests_name("parse_json", tests, NULL, NULL);
}
