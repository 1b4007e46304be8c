/* json.c — JSON readers: Whisper / WhisperX / whisper.cpp
 * transcripts, and yt-dlp .info.json metadata (doc_apply_info_json). */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/formats/formats_int.h"

/* Appends a JSON string's text to b with NUL bytes and CRs dropped and
 * white space runs collapsed to one space, trimmed. */
static void put_json_text(struct buf *b, const json_t *v)
{
	const char *s = json_string_value(v);
	size_t n = json_string_length(v);
	if (!s)
		return;
	size_t start_len = b->len;
	int sp = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '\0')
			continue;
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') {
			sp = b->len > start_len;
			continue;
		}
		if (sp) {
			buf_putc(b, ' ');
			sp = 0;
		}
		buf_putc(b, c);
	}
}

/* A number member as seconds, or -1. */
static double num(const json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	if (json_is_number(v)) {
		double x = json_number_value(v);
		return isfinite(x) && x >= 0 ? x : -1;
	}
	return -1;
}

/* 1 when arr is an array whose first object has a text and a start. */
static int segment_array(const json_t *arr)
{
	if (!json_is_array(arr) || json_array_size(arr) == 0)
		return 0;
	json_t *first = json_array_get(arr, 0);
	return json_is_object(first) && json_is_string(json_object_get(first, "text")) &&
	       json_is_number(json_object_get(first, "start"));
}

/* Reads Whisper/WhisperX segments into d through a cue sink. A WhisperX
 * "speaker" becomes a "[SPEAKER_00]: " label. */
static void read_segments(const json_t *arr, struct doc *d)
{
	struct cue_sink k;
	sink_init(&k, 0);
	struct buf t = { 0 };
	size_t i;
	json_t *seg;
	json_array_foreach(arr, i, seg) {
		if (!json_is_object(seg))
			continue;
		t.len = 0;
		json_t *spk = json_object_get(seg, "speaker");
		if (json_is_string(spk) && json_string_length(spk) > 0 &&
		    json_string_length(spk) < 40) {
			buf_putc(&t, '[');
			put_json_text(&t, spk);
			buf_puts(&t, "]: ");
		}
		size_t before = t.len;
		put_json_text(&t, json_object_get(seg, "text"));
		if (t.len == before)
			continue;
		sink_add(&k, num(seg, "start"), num(seg, "end"), t.p, t.len);
	}
	buf_free(&t);
	sink_finish(&k, d);
}

/* whisper.cpp -oj: {"transcription":[{"offsets":{"from":ms,"to":ms},"text":…}]} */
static int read_whisper_cpp(const json_t *arr, struct doc *d)
{
	json_t *first = json_array_get(arr, 0);
	if (!json_is_object(first) || !json_is_string(json_object_get(first, "text")))
		return 0;
	struct cue_sink k;
	sink_init(&k, 0);
	struct buf t = { 0 };
	size_t i;
	json_t *seg;
	json_array_foreach(arr, i, seg) {
		t.len = 0;
		put_json_text(&t, json_object_get(seg, "text"));
		if (!t.len)
			continue;
		json_t *off = json_object_get(seg, "offsets");
		double a = num(off, "from"), b = num(off, "to");
		sink_add(&k, a < 0 ? -1 : a / 1000, b < 0 ? -1 : b / 1000, t.p, t.len);
	}
	buf_free(&t);
	sink_finish(&k, d);
	return 1;
}

/* YouTube timed text (json3): {"events":[{"tStartMs":…,"dDurationMs":…,
 * "segs":[{"utf8":"…"}]}]}. Returns 0 when events hold no segments. */
static int read_json3(const json_t *events, struct doc *d)
{
	struct cue_sink k;
	sink_init(&k, 1);
	struct buf raw = { 0 }, t = { 0 };
	size_t i, j;
	json_t *ev, *seg;
	int any = 0;
	json_array_foreach(events, i, ev) {
		json_t *segs = json_object_get(ev, "segs");
		if (!json_is_array(segs))
			continue;
		raw.len = 0;
		json_array_foreach(segs, j, seg) {
			json_t *u = json_object_get(seg, "utf8");
			const char *us = json_string_value(u);
			if (us)
				buf_put(&raw, us, json_string_length(u));
		}
		if (!raw.len)
			continue;
		any = 1;
		/* lines kept (rolling dedup works on them), each collapsed */
		t.len = 0;
		size_t pos = 0, nl = 0;
		const char *line;
		size_t ln;
		while (pt_next_line(raw.p, raw.len, &pos, &line, &ln)) {
			if (nl++)
				buf_putc(&t, '\n');
			int sp = 0;
			size_t start_len = t.len;
			for (size_t c = 0; c < ln; c++) {
				char ch = line[c];
				if (ch == '\0' || ch == '\r')
					continue;
				if (ch == ' ' || ch == '\t') {
					sp = t.len > start_len;
					continue;
				}
				if (sp) {
					buf_putc(&t, ' ');
					sp = 0;
				}
				buf_putc(&t, ch);
			}
		}
		double a = num(ev, "tStartMs"), dur = num(ev, "dDurationMs");
		sink_add(&k, a < 0 ? -1 : a / 1000, a < 0 || dur < 0 ? -1 : (a + dur) / 1000,
		         t.p ? t.p : "", t.len);
	}
	buf_free(&raw);
	buf_free(&t);
	sink_finish(&k, d);
	return any;
}

/* ---- timed-segment arrays of other shapes ----
 *
 * Word- and sentence-level timing files from many tools: arrays of
 * [text, start, end] triples, or of objects with a start time and a text
 * member under one of many names (transformers' "chunks" with a
 * "timestamp" pair, AssemblyAI/Deepgram-style utterances, translation
 * exports with an original and a translated text, …). The shape is
 * learned from the first records; see docs/formats.md. */

#define TJ_SAMPLE 64   /* records looked at to learn the shape */

/* Member names, in order of preference. */
static const char *const tj_text_keys[] = {
	"text", "sentence", "input", "content", "utterance", "transcript", "word",
	"caption", "line", "value", "original", "source", "subtitle", "src", NULL,
};
static const char *const tj_trans_keys[] = {
	"translatedText", "translated_text", "translation", "translated", "target",
	"text_translated", "translatedContent", "trans", "tgt", NULL,
};
static const char *const tj_start_keys[] = {
	"start", "start_time", "startTime", "begin", "from", "offset", "start_s",
	"start_sec", "start_seconds", "startSeconds", "word_start", "t0", "ts", "time", NULL,
};
static const char *const tj_start_ms_keys[] = {
	"start_ms", "startMs", "startTimeMs", "start_time_ms", "begin_ms", NULL,
};
static const char *const tj_end_keys[] = {
	"end", "end_time", "endTime", "to", "stop", "end_s", "end_sec",
	"end_seconds", "endSeconds", "word_end", "t1", NULL,
};
static const char *const tj_end_ms_keys[] = {
	"end_ms", "endMs", "endTimeMs", "end_time_ms", "stop_ms", NULL,
};
static const char *const tj_dur_keys[] = { "duration", "dur", "length", NULL };
/* Members that are strings but never the spoken text. */
static const char *const tj_not_text[] = {
	"speaker", "speaker_label", "spk", "id", "uuid", "language", "lang",
	"type", "style", "color", "channel", "name", "role", NULL,
};
/* Where a timed array may hang off an object, in order of preference. */
static const char *const tj_array_keys[] = {
	"segments", "chunks", "utterances", "sentences", "results", "captions",
	"subtitles", "transcript", "transcription", "cues", "lines", "items",
	"entries", "data", "words", NULL,
};

struct tj_shape {
	int triple;              /* records are [text, start, end] arrays */
	const char *text_key;    /* objects: the text member */
	const char *second_key;  /* objects: the translation, or NULL */
	const char *start_key, *end_key, *dur_key;
	int pair;                /* "timestamp": [start, end] */
	double scale;            /* units of the times per second (1000: ms) */
	int lead_space;          /* words carry their leading space (" world") */
};

/* A time value: a number, or a string "H:MM:SS.mmm"/"SS.mmm". -1 if none. */
static double tj_time(const json_t *v)
{
	if (json_is_number(v)) {
		double x = json_number_value(v);
		return isfinite(x) && x >= 0 && x < 1e12 ? x : -1;
	}
	const char *s = json_string_value(v);
	if (!s)
		return -1;
	size_t n = json_string_length(v), i = 0;
	double t = subs_parse_time(s, n, &i);
	if (t >= 0 && i == n)
		return t;
	char *end;
	double x = strtod(s, &end);
	return end != s && *end == '\0' && isfinite(x) && x >= 0 ? x : -1;
}

/* The first key of keys whose member in o satisfies ok(). */
static const char *tj_key(const json_t *o, const char *const *keys, int want_string)
{
	for (size_t i = 0; keys[i]; i++) {
		json_t *v = json_object_get(o, keys[i]);
		if (want_string ? json_is_string(v) : tj_time(v) >= 0)
			return keys[i];
	}
	return NULL;
}

static int in_list(const char *const *keys, const char *k)
{
	for (size_t i = 0; keys[i]; i++)
		if (!strcmp(keys[i], k))
			return 1;
	return 0;
}

/* The only string member of o that could be text, or NULL. */
static const char *tj_sole_string(const json_t *o)
{
	const char *found = NULL, *k;
	json_t *v;
	json_object_foreach((json_t *)o, k, v) {
		if (!json_is_string(v) || in_list(tj_not_text, k) || tj_time(v) >= 0)
			continue;
		if (found)
			return NULL;
		found = k;
	}
	return found;
}

/* A triple record: one string and one or two numbers, any order. Sets
 * the text and times; returns 1 when it is one. */
static int tj_triple(const json_t *r, const json_t **text, double *a, double *b)
{
	size_t n = json_array_size(r);
	if (!json_is_array(r) || n < 2 || n > 4)
		return 0;
	*text = NULL;
	*a = *b = -1;
	for (size_t i = 0; i < n; i++) {
		json_t *v = json_array_get(r, i);
		if (json_is_string(v)) {
			if (*text)
				return 0;
			*text = v;
		} else if (json_is_number(v)) {
			double x = tj_time(v);
			if (*a < 0)
				*a = x;
			else if (*b < 0)
				*b = x;
		} else if (!json_is_null(v)) {
			return 0;
		}
	}
	return *text && *a >= 0;
}

/* 1 when the key names milliseconds. */
static int ms_key(const char *k)
{
	return k && (in_list(tj_start_ms_keys, k) || in_list(tj_end_ms_keys, k));
}

/* Learns the shape of arr from its first records. Returns 1 when most
 * of them are timed records with a text. */
static int tj_learn(const json_t *arr, struct tj_shape *sh)
{
	memset(sh, 0, sizeof *sh);
	size_t n = json_array_size(arr), look = n < TJ_SAMPLE ? n : TJ_SAMPLE;
	if (!json_is_array(arr) || n == 0)
		return 0;
	size_t triples = 0, objects = 0;
	for (size_t i = 0; i < look; i++) {
		json_t *r = json_array_get(arr, i);
		const json_t *t;
		double a, b;
		triples += tj_triple(r, &t, &a, &b);
		objects += json_is_object(r);
	}
	sh->scale = 1;
	double durs = 0;
	int all_int = 1;
	size_t good = 0, lead = 0, texts = 0;
	if (triples * 5 >= look * 3) {
		sh->triple = 1;
		for (size_t i = 0; i < look; i++) {
			const json_t *t;
			double a, b;
			if (!tj_triple(json_array_get(arr, i), &t, &a, &b))
				continue;
			good++;
			all_int &= a == floor(a) && (b < 0 || b == floor(b));
			durs += b > a ? b - a : 0;
			const char *ts = json_string_value(t);
			if (i > 0 && ts[0]) {
				texts++;
				lead += ts[0] == ' ';
			}
		}
	} else if (objects * 5 >= look * 3) {
		/* the keys most of the sampled records have */
		json_t *first = NULL;
		for (size_t i = 0; i < look && !first; i++)
			if (json_is_object(json_array_get(arr, i)))
				first = json_array_get(arr, i);
		json_t *ts = json_object_get(first, "timestamp");
		if (json_is_array(ts) && json_array_size(ts) == 2 && tj_time(json_array_get(ts, 0)) >= 0) {
			sh->pair = 1;
		} else {
			sh->start_key = tj_key(first, tj_start_keys, 0);
			if (!sh->start_key && (sh->start_key = tj_key(first, tj_start_ms_keys, 0)))
				sh->scale = 1000;
			if (!sh->start_key && json_is_number(ts))
				sh->start_key = "timestamp";
			sh->end_key = tj_key(first, tj_end_keys, 0);
			if (!sh->end_key)
				sh->end_key = tj_key(first, tj_end_ms_keys, 0);
			if (!sh->end_key)
				sh->dur_key = tj_key(first, tj_dur_keys, 0);
			if (!sh->start_key)
				return 0;
		}
		sh->text_key = tj_key(first, tj_text_keys, 1);
		sh->second_key = tj_key(first, tj_trans_keys, 1);
		if (!sh->text_key) {
			sh->text_key = sh->second_key;   /* only a translation: take it */
			sh->second_key = NULL;
		}
		if (!sh->text_key)
			sh->text_key = tj_sole_string(first);
		if (!sh->text_key)
			return 0;
		for (size_t i = 0; i < look; i++) {
			json_t *r = json_array_get(arr, i);
			json_t *t = json_object_get(r, sh->text_key);
			double a, b;
			if (sh->pair) {
				json_t *p = json_object_get(r, "timestamp");
				a = tj_time(json_array_get(p, 0));
				b = tj_time(json_array_get(p, 1));
			} else {
				a = tj_time(json_object_get(r, sh->start_key));
				b = sh->end_key ? tj_time(json_object_get(r, sh->end_key)) : -1;
				double du = sh->dur_key ? tj_time(json_object_get(r, sh->dur_key)) : -1;
				if (b < 0 && du >= 0 && a >= 0)
					b = a + du;
			}
			if (!json_is_string(t) || a < 0)
				continue;
			good++;
			all_int &= a == floor(a) && (b < 0 || b == floor(b));
			durs += b > a ? b - a : 0;
			const char *s = json_string_value(t);
			if (i > 0 && s[0]) {
				texts++;
				lead += s[0] == ' ';
			}
		}
	} else {
		return 0;
	}
	if (good * 5 < look * 3)
		return 0;
	/* Whole numbers with records lasting over a minute on average are
	 * milliseconds (AssemblyAI's "start": 250). */
	if (sh->scale == 1 && all_int && (ms_key(sh->start_key) || ms_key(sh->end_key) ||
	                                  (good && durs / (double)good > 60)))
		sh->scale = 1000;
	sh->lead_space = texts && lead * 2 >= texts;
	return 1;
}

/* Finds the timed array of root: root itself, a member with a known name,
 * else any array member. Sets *key to the member's name (NULL for root). */
static json_t *tj_find(json_t *root, struct tj_shape *sh, const char **key)
{
	*key = NULL;
	if (json_is_array(root))
		return tj_learn(root, sh) ? root : NULL;
	if (!json_is_object(root))
		return NULL;
	for (size_t i = 0; tj_array_keys[i]; i++) {
		json_t *v = json_object_get(root, tj_array_keys[i]);
		if (json_is_array(v) && tj_learn(v, sh)) {
			*key = tj_array_keys[i];
			return v;
		}
	}
	const char *k;
	json_t *v;
	json_object_foreach(root, k, v) {
		if (json_is_array(v) && tj_learn(v, sh)) {
			*key = k;
			return v;
		}
	}
	return NULL;
}

/* CJK ideographs, kana and hangul: written without spaces between words. */
static int tj_cjk(int32_t c)
{
	return (c >= 0x2E80 && c <= 0x9FFF) || (c >= 0xAC00 && c <= 0xD7AF) ||
	       (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFF00 && c <= 0xFFEF) ||
	       (c >= 0x20000 && c <= 0x3134F);
}

static int32_t tj_last_cp(const struct buf *b)
{
	if (!b->len)
		return 0;
	size_t j = utf8_prev(b->p, b->len);
	return utf8_at(b->p, b->len, &j);
}

/* Appends a record's text to cue b, joined the way the file writes words:
 * a leading or trailing space in the record is one space; with the
 * leading-space convention a record without one continues the word
 * ("Hel" "lo"); CJK next to CJK takes no space; else one space. Never
 * two spaces. Returns 1 when something was added. */
static int tj_append(struct buf *b, const json_t *v, int lead_space, int *trail)
{
	const char *s = json_string_value(v);
	size_t n = json_string_length(v);
	if (!s)
		return 0;
	struct buf t = { 0 };
	put_json_text(&t, v);
	if (!t.len) {
		*trail = *trail || n;   /* a lone space still separates */
		buf_free(&t);
		return 0;
	}
	int lead = n && (s[0] == ' ' || s[0] == '\t' || s[0] == '\n');
	if (b->len) {
		size_t i = 0;
		int32_t a = tj_last_cp(b), c = utf8_at(t.p, t.len, &i);
		int space;
		if (lead || *trail)
			space = 1;
		else if (lead_space)
			space = 0;
		else
			space = !(sink_glued(a, c) || (tj_cjk(a) && tj_cjk(c)));
		if (space)
			buf_putc(b, ' ');
	}
	buf_put(b, t.p, t.len);
	*trail = n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n');
	buf_free(&t);
	return 1;
}

static int tj_sentence_end(int32_t c)
{
	return c == '.' || c == '!' || c == '?' || c == 0x3002 || c == 0xFF01 ||
	       c == 0xFF1F || c == 0x2026;
}

/* Hands a finished cue to the sinks (main and second language as the
 * options say) and empties the cue buffers. */
static void put_cue_text(struct cue_sink *k, struct cue_sink *k2, const struct doc_opts *o,
                         double cs, double ce, struct buf *cue, struct buf *alt,
                         struct buf *both)
{
	if (o->lang == DOC_LANG_BOTH && alt->len) {
		both->len = 0;
		buf_put(both, cue->p, cue->len);
		buf_putc(both, '\n');
		buf_put(both, alt->p, alt->len);
		sink_add(k, cs, ce, both->p, both->len);
	} else {
		sink_add(k, cs, ce, cue->p ? cue->p : "", cue->len);
		if (alt->len)
			sink_add(k2, cs, ce, alt->p, alt->len);
	}
	cue->len = 0;
	alt->len = 0;
}

#define TJ_GAP_S 1.0     /* a pause this long ends a cue */
#define TJ_CUE_MAX 300   /* bytes after which a cue ends at the next record */

/* Reads the records of arr (shape sh) into d through a cue sink; words
 * are grouped into cues at sentence ends, pauses and TJ_CUE_MAX bytes. */
static void tj_read(const json_t *arr, const struct tj_shape *sh,
                    const struct doc_opts *o, struct doc *d)
{
	struct cue_sink k, k2;
	sink_init(&k, 0);
	sink_init(&k2, 0);
	struct buf cue = { 0 }, alt = { 0 }, both = { 0 };
	double cs = -1, ce = -1;
	int trail = 0, trail2 = 0;
	char speaker[48] = "";
	size_t i;
	json_t *r;
	json_array_foreach(arr, i, r) {
		const json_t *t = NULL, *t2 = NULL;
		double a = -1, b = -1;
		const char *spk = NULL;
		if (sh->triple) {
			if (!tj_triple(r, &t, &a, &b))
				continue;
		} else {
			if (!json_is_object(r))
				continue;
			t = json_object_get(r, sh->text_key);
			t2 = sh->second_key ? json_object_get(r, sh->second_key) : NULL;
			if (sh->pair) {
				json_t *p = json_object_get(r, "timestamp");
				a = tj_time(json_array_get(p, 0));
				b = tj_time(json_array_get(p, 1));
			} else {
				a = tj_time(json_object_get(r, sh->start_key));
				b = sh->end_key ? tj_time(json_object_get(r, sh->end_key)) : -1;
				double du = sh->dur_key ? tj_time(json_object_get(r, sh->dur_key)) : -1;
				if (b < 0 && du >= 0 && a >= 0)
					b = a + du;
			}
			json_t *sv = json_object_get(r, "speaker");
			if (json_is_string(sv) && json_string_length(sv) > 0 && json_string_length(sv) < 40)
				spk = json_string_value(sv);
		}
		if (!json_is_string(t))
			continue;
		if (o->lang == DOC_LANG_SECOND && json_is_string(t2)) {
			const json_t *x = t;
			t = t2;
			t2 = x;
		}
		a = a >= 0 ? a / sh->scale : -1;   /* a division: 5600 ms is 5.6 exactly */
		b = b >= 0 ? b / sh->scale : -1;
		int new_speaker = spk && strcmp(spk, speaker) != 0;
		if (cue.len && (new_speaker || (a >= 0 && ce >= 0 && a - ce >= TJ_GAP_S))) {
			put_cue_text(&k, &k2, o, cs, ce, &cue, &alt, &both);
			trail = trail2 = 0;
		}
		if (!cue.len)
			cs = a;
		if (new_speaker) {
			snprintf(speaker, sizeof speaker, "%s", spk);
			buf_putc(&cue, '[');
			buf_puts(&cue, speaker);
			buf_puts(&cue, "]:");
			trail = 1;
		}
		if (cs < 0)
			cs = a;
		if (tj_append(&cue, t, sh->lead_space, &trail)) {
			if (b >= 0)
				ce = b;
			else if (a >= 0)
				ce = a;
		}
		if (json_is_string(t2))
			tj_append(&alt, t2, sh->lead_space, &trail2);
		if (cue.len && (tj_sentence_end(tj_last_cp(&cue)) || cue.len >= TJ_CUE_MAX)) {
			put_cue_text(&k, &k2, o, cs, ce, &cue, &alt, &both);
			trail = trail2 = 0;
		}
	}
	if (cue.len)
		put_cue_text(&k, &k2, o, cs, ce, &cue, &alt, &both);
	buf_free(&cue);
	buf_free(&alt);
	buf_free(&both);
	sink_finish(&k, d);
	d->second_text = sink_take_text(&k2, &d->second_len);
}

/* 1 when the object is yt-dlp metadata. */
static int is_info_json(const json_t *o)
{
	return json_is_object(o) &&
	       (json_object_get(o, "extractor") || json_object_get(o, "extractor_key") ||
	        json_object_get(o, "formats") || json_object_get(o, "webpage_url") ||
	        (json_object_get(o, "_type") && json_object_get(o, "id")));
}

/* Sets *field from a non-empty JSON string member; returns 1 when it
 * did. */
static int str_field(char **field, const json_t *o, const char *key, int title)
{
	json_t *v = json_object_get(o, key);
	if (!json_is_string(v) || json_string_length(v) == 0)
		return 0;
	struct buf b = { 0 };
	int set = 0;
	put_json_text(&b, v);
	if (b.len) {
		char *t = title ? pt_clean_title(b.p, b.len, 300) : xstrndup(b.p, b.len);
		if (t) {
			free(*field);
			*field = t;
			set = 1;
		}
	}
	buf_free(&b);
	return set;
}

/* Appends a member name from the file, quoted, for the note: at most 40
 * bytes (cut at a character), control characters shown as '?'. */
static void tj_put_key(struct buf *b, const char *k)
{
	size_t n = strlen(k), cut = utf8_cut(k, n, n < 40 ? n : 40);
	buf_putc(b, '"');
	size_t i = 0;
	while (i < cut) {
		size_t at = i;
		int32_t cp = utf8_at(k, cut, &i);
		if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0))
			buf_putc(b, '?');
		else
			buf_put(b, k + at, i - at);
	}
	if (cut < n)
		buf_puts(b, "\xe2\x80\xa6");
	buf_putc(b, '"');
}

/* The note for a shape read by tj_read: which members were taken. */
static char *tj_note(const struct tj_shape *sh, const char *key)
{
	struct buf b = { 0 };
	buf_puts(&b, "read as timed JSON");
	if (key) {
		buf_puts(&b, " (the ");
		tj_put_key(&b, key);
		buf_puts(&b, " array)");
	}
	if (sh->triple) {
		buf_puts(&b, ": [text, start, end] records");
	} else {
		buf_puts(&b, ": text from ");
		tj_put_key(&b, sh->text_key);
		buf_puts(&b, ", times from ");
		if (sh->pair) {
			buf_puts(&b, "\"timestamp\" pairs");
		} else {
			tj_put_key(&b, sh->start_key);
			if (sh->end_key || sh->dur_key) {
				buf_puts(&b, sh->end_key ? "/" : " + ");
				tj_put_key(&b, sh->end_key ? sh->end_key : sh->dur_key);
			}
		}
		if (sh->second_key) {
			buf_puts(&b, ", second language from ");
			tj_put_key(&b, sh->second_key);
		}
	}
	if (sh->scale != 1)
		buf_puts(&b, " (milliseconds)");
	return buf_take(&b);
}

int parse_json(const char *s, size_t n, const struct doc_opts *o, struct doc *d,
               char *err, size_t errlen)
{
	d->format = DOC_WHISPER_JSON;
	json_error_t je;
	json_t *root = json_loadb(s, n, JSON_ALLOW_NUL, &je);
	if (!root) {
		pt_err(err, errlen, "invalid JSON: %s (line %d)", je.text, je.line);
		return -2;
	}
	int rc = 0;
	json_t *segs = json_object_get(root, "segments");
	json_t *wcpp = json_object_get(root, "transcription");
	json_t *text = json_object_get(root, "text");
	struct tj_shape sh;
	const char *key = NULL;
	json_t *timed = NULL;
	if (segment_array(segs)) {
		read_segments(segs, d);
	} else if (json_is_array(wcpp) && json_array_size(wcpp) && read_whisper_cpp(wcpp, d)) {
		json_t *res = json_object_get(root, "result");
		json_t *lang = json_object_get(res, "language");
		if (json_is_string(lang))
			d->language = pt_language_tag(json_string_value(lang), json_string_length(lang));
	} else if (json_is_array(json_object_get(root, "events")) &&
	           read_json3(json_object_get(root, "events"), d)) {
		d->format = DOC_JSON3;
	} else if (!is_info_json(root) && (timed = tj_find(root, &sh, &key)) &&
	           !(json_is_string(text) && key && !strcmp(key, "words"))) {
		/* A bare array of Whisper segments keeps its name; any other
		 * shape says what was taken. */
		int whisper = !key && !sh.triple && !strcmp(sh.text_key, "text") &&
		              sh.start_key && !strcmp(sh.start_key, "start") && sh.end_key &&
		              !strcmp(sh.end_key, "end") && sh.scale == 1 && !sh.second_key;
		d->format = whisper ? DOC_WHISPER_JSON : DOC_TIMED_JSON;
		if (!whisper)
			d->note = tj_note(&sh, key);
		tj_read(timed, &sh, o, d);
	} else if (json_is_object(root) && json_is_string(text) && !is_info_json(root) &&
	           (json_array_size(segs) == 0)) {
		/* {"text": "…"} alone (Whisper API json) */
		struct buf b = { 0 };
		put_json_text(&b, text);
		d->text_len = b.len;
		d->text = buf_take(&b);
	} else if (is_info_json(root)) {
		pt_err(err, errlen, "yt-dlp .info.json without a transcript (metadata only)");
		rc = -1;
	} else {
		pt_err(err, errlen, "JSON is not a known transcript shape");
		rc = -1;
	}
	if (rc == 0 && json_is_object(root)) {
		json_t *lang = json_object_get(root, "language");
		if (json_is_string(lang) && !d->language)
			d->language = pt_language_tag(json_string_value(lang), json_string_length(lang));
		str_field(&d->title, root, "title", 1);
	}
	json_decref(root);
	return rc;
}

int doc_apply_info_json(struct doc *d, const char *buf, size_t len,
                        char *err, size_t errlen)
{
	if (err && errlen)
		err[0] = '\0';
	if (!buf || len == 0) {
		pt_err(err, errlen, "empty .info.json");
		return -1;
	}
	size_t n = 0, invalid = 0, nuls = 0;
	char *s = pt_clean(buf, len, &n, &invalid, &nuls);
	json_error_t je;
	json_t *root = json_loadb(s, n, JSON_ALLOW_NUL, &je);
	free(s);
	if (!root) {
		pt_err(err, errlen, "invalid JSON in .info.json: %s (line %d)", je.text, je.line);
		return -1;
	}
	if (!json_is_object(root) ||
	    !(json_is_string(json_object_get(root, "id")) || json_is_string(json_object_get(root, "title")))) {
		pt_err(err, errlen, "not a yt-dlp .info.json (no id or title)");
		json_decref(root);
		return -1;
	}
	int titled = str_field(&d->title, root, "fulltitle", 1);
	titled |= str_field(&d->title, root, "title", 1);
	if (titled)
		d->title_source = DOC_TITLE_INFO_JSON;
	str_field(&d->url, root, "original_url", 0);
	str_field(&d->url, root, "webpage_url", 0);
	json_t *id = json_object_get(root, "id");
	if (json_is_string(id) && json_string_length(id) > 0 && json_string_length(id) <= 64)
		str_field(&d->video_id, root, "id", 0);
	else if (d->url && !d->video_id)
		d->video_id = pt_video_id_from_url(d->url, strlen(d->url));
	str_field(&d->channel, root, "uploader", 1);
	str_field(&d->channel, root, "channel", 1);
	/* upload_date "20210720", else release/upload timestamps */
	json_t *ud = json_object_get(root, "upload_date");
	char *date = NULL;
	if (json_is_string(ud))
		date = pt_parse_date(json_string_value(ud), json_string_length(ud));
	if (!date) {
		double ts = num(root, "timestamp");
		if (ts < 0)
			ts = num(root, "release_timestamp");
		if (ts >= 0 && ts < 253402300800.0) {
			time_t t = (time_t)ts;
			struct tm tm;
			char out[32];
			if (gmtime_r(&t, &tm) && strftime(out, sizeof out, "%Y-%m-%dT%H:%M:%S", &tm))
				date = xstrdup(out);
		}
	}
	if (date) {
		free(d->recorded_at);
		d->recorded_at = date;
	}
	double dur = num(root, "duration");
	if (dur >= 0 && dur < 1e9)
		d->duration_s = lround(dur);
	json_t *lang = json_object_get(root, "language");
	if (json_is_string(lang)) {
		char *l = pt_language_tag(json_string_value(lang), json_string_length(lang));
		if (l) {
			free(d->language);
			d->language = l;
		}
	}
	json_decref(root);
	return 0;
}

int doc_is_info_json(const char *path)
{
	if (!path)
		return 0;
	size_t n = strlen(path);
	return n >= 10 && pt_ieq(path + n - 10, 10, ".info.json");
}

char *doc_info_json_path(const char *path)
{
	if (!path || !*path || doc_is_info_json(path))
		return NULL;
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t bn = strlen(base);
	size_t keep = pt_strip_extensions(base, bn);
	if (keep == 0 || keep == bn)
		return NULL;   /* no extension: nothing to pair with */
	size_t dir = (size_t)(base - path);
	char *out = xmalloc(dir + keep + sizeof ".info.json");
	memcpy(out, path, dir + keep);
	memcpy(out + dir + keep, ".info.json", sizeof ".info.json");
	return out;
}
