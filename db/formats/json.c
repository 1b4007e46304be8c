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

int parse_json(const char *s, size_t n, struct doc *d, char *err, size_t errlen)
{
	d->format = DOC_WHISPER_JSON;
	json_error_t je;
	json_t *root = json_loadb(s, n, JSON_ALLOW_NUL, &je);
	if (!root) {
		pt_err(err, errlen, "invalid JSON: %s (line %d)", je.text, je.line);
		return -2;
	}
	int rc = 0;
	json_t *segs = json_is_array(root) ? root : json_object_get(root, "segments");
	json_t *wcpp = json_object_get(root, "transcription");
	json_t *text = json_object_get(root, "text");
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
