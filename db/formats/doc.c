/* doc.c — doc_parse(): input hygiene, format recognition by content,
 * and the text readers (record, plain text, Markdown). Subtitles live in
 * subtitles.c, JSON in json.c, shared helpers in hygiene.c. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "db/formats/formats_int.h"

static const char *const title_source_names[] = {
	"header", "info_json", "file_name", "guessed",
};

const char *doc_title_source_name(enum doc_title_source s)
{
	return (unsigned)s <= DOC_TITLE_GUESSED ? title_source_names[s] : "header";
}

const char *doc_format_name(enum doc_format f)
{
	switch (f) {
	case DOC_RECORD: return "record";
	case DOC_PLAIN: return "text";
	case DOC_MARKDOWN: return "markdown";
	case DOC_VTT: return "vtt";
	case DOC_SRT: return "srt";
	case DOC_SBV: return "sbv";
	case DOC_WHISPER_JSON: return "whisper-json";
	case DOC_JSON3: return "json3";
	case DOC_TIMED_JSON: return "timed-json";
	case DOC_UNKNOWN: break;
	}
	return "unknown";
}

void doc_free(struct doc *d)
{
	if (!d)
		return;
	free(d->title);
	free(d->url);
	free(d->video_id);
	free(d->channel);
	free(d->recorded_at);
	free(d->status);
	free(d->language);
	free(d->text);
	free(d->paras);
	free(d->summary);
	free(d->mermaid);
	free(d->second_text);
	free(d->note);
	memset(d, 0, sizeof *d);
	d->duration_s = -1;
}

static const char *const lang_pick_names[] = { "main", "second", "both" };

const char *doc_lang_pick_name(enum doc_lang_pick p)
{
	return (unsigned)p <= DOC_LANG_BOTH ? lang_pick_names[p] : "main";
}

int doc_lang_pick_parse(const char *name, enum doc_lang_pick *out)
{
	for (int i = 0; i <= DOC_LANG_BOTH; i++)
		if (name && !strcmp(name, lang_pick_names[i])) {
			*out = (enum doc_lang_pick)i;
			return 0;
		}
	return -1;
}

/* ---- "Key: value" headers (record and plain text) ---- */

enum hkey {
	HK_NONE, HK_TITLE, HK_URL, HK_DATE, HK_STATUS, HK_DURATION, HK_CHANNEL,
	HK_LANGUAGE, HK_ID, HK_DESCRIPTION, HK_CONTENT,
	HK_OTHER,   /* an unknown "Key: value" line (records only) */
};

static const struct {
	const char *name;
	enum hkey key;
} header_keys[] = {
	{ "title", HK_TITLE }, { "url", HK_URL }, { "link", HK_URL },
	{ "source", HK_URL }, { "webpage_url", HK_URL }, { "video url", HK_URL },
	{ "timestamp", HK_DATE }, { "date", HK_DATE }, { "recorded", HK_DATE },
	{ "recorded_at", HK_DATE }, { "published", HK_DATE },
	{ "upload_date", HK_DATE }, { "uploaded", HK_DATE },
	{ "status", HK_STATUS }, { "duration", HK_DURATION },
	{ "length", HK_DURATION }, { "channel", HK_CHANNEL },
	{ "uploader", HK_CHANNEL }, { "author", HK_CHANNEL },
	{ "podcast", HK_CHANNEL }, { "language", HK_LANGUAGE },
	{ "lang", HK_LANGUAGE }, { "video_id", HK_ID }, { "video id", HK_ID },
	{ "description", HK_DESCRIPTION }, { "content", HK_CONTENT },
	{ "transcript", HK_CONTENT },
};

/* Key of a header line "Key: value" (the value goes to v, vn), else HK_NONE. */
static enum hkey header_line(const char *s, size_t n, const char **v, size_t *vn)
{
	if (n > 2000)
		return HK_NONE;
	const char *colon = memchr(s, ':', n < 24 ? n : 24);
	if (!colon)
		return HK_NONE;
	const char *k = s;
	size_t kn = (size_t)(colon - s);
	pt_trim(&k, &kn);
	if (k != s)   /* indented: not a header */
		return HK_NONE;
	for (size_t i = 0; i < sizeof header_keys / sizeof header_keys[0]; i++)
		if (pt_ieq(k, kn, header_keys[i].name)) {
			*v = colon + 1;
			*vn = n - kn - 1;
			pt_trim(v, vn);
			return header_keys[i].key;
		}
	return HK_NONE;
}

/* 1 when the line is some "Key: value" with a short word key ("Views: 12"). */
static int generic_header(const char *s, size_t n)
{
	const char *colon = memchr(s, ':', n < 24 ? n : 24);
	if (!colon || colon == s || n > 2000)
		return 0;
	for (const char *p = s; p < colon; p++)
		if (!isalpha((unsigned char)*p) && *p != ' ' && *p != '_' && *p != '-')
			return 0;
	return isalpha((unsigned char)s[0]);
}

/* Stores one header value in d. */
static void header_apply(struct doc *d, enum hkey key, const char *v, size_t vn)
{
	if (vn == 0)
		return;
	switch (key) {
	case HK_TITLE: {
		char *t = pt_clean_title(v, vn, 300);
		if (t) {
			free(d->title);
			d->title = t;
		}
		break;
	}
	case HK_URL:
		if (vn > 4 && (memchr(v, '/', vn) || memchr(v, '.', vn)) && !memchr(v, ' ', vn)) {
			pt_set_field(&d->url, v, vn);
			char *id = pt_video_id_from_url(v, vn);
			if (id) {
				free(d->video_id);
				d->video_id = id;
			}
		}
		break;
	case HK_DATE: {
		char *t = pt_parse_date(v, vn);
		if (t) {
			free(d->recorded_at);
			d->recorded_at = t;
		}
		break;
	}
	case HK_STATUS:
		pt_set_field(&d->status, v, vn > 200 ? 200 : vn);
		break;
	case HK_DURATION: {
		long s = pt_parse_duration(v, vn);
		if (s >= 0)
			d->duration_s = s;
		break;
	}
	case HK_CHANNEL: {
		char *t = pt_clean_title(v, vn, 200);
		if (t) {
			free(d->channel);
			d->channel = t;
		}
		break;
	}
	case HK_LANGUAGE: {
		char *t = pt_language_tag(v, vn);
		if (t) {
			free(d->language);
			d->language = t;
		}
		break;
	}
	case HK_ID:
		if (vn <= 64)
			pt_set_field(&d->video_id, v, vn);
		break;
	default:
		break;
	}
}

/* ---- record format ---- */

/* 1 when s[0..n) starts with a record: "Key: value" header lines followed
 * (after blank lines) by a "Description:" or "Content:" line. */
static int looks_record(const char *s, size_t n)
{
	size_t pos = 0, headers = 0;
	const char *line, *v;
	size_t ln, vn;
	int lines = 0;
	while (pt_next_line(s, n, &pos, &line, &ln) && lines++ < 40) {
		if (pt_is_blank(line, ln))
			continue;
		enum hkey k = header_line(line, ln, &v, &vn);
		if (k == HK_DESCRIPTION || k == HK_CONTENT)
			return headers > 0 || lines == 1;
		if (k == HK_NONE) {
			/* unknown keys may follow known ones ("Views: 12") */
			if (headers == 0 || !generic_header(line, ln))
				return 0;
			continue;
		}
		headers++;
	}
	return 0;
}

/* Copies s[0..n) without leading and trailing blank lines (the first
 * line's indentation kept) and with exactly one final newline when
 * nl is set. Returns NULL when nothing is left. */
static char *trim_blank_lines(const char *s, size_t n, int nl)
{
	size_t a = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			a = i + 1;
		else if (!isspace((unsigned char)s[i]))
			break;
	}
	size_t b = n;
	while (b > a && isspace((unsigned char)s[b - 1]))
		b--;
	if (b <= a)
		return NULL;
	char *out = xmalloc(b - a + 2);
	memcpy(out, s + a, b - a);
	size_t k = b - a;
	if (nl)
		out[k++] = '\n';
	out[k] = '\0';
	return out;
}

/* Mermaid source of a Markdown summary: the inside of the first
 * <Mermaid_Diagram>…</Mermaid_Diagram> or ```mermaid fence, without the
 * blank lines around it, ending in one newline; NULL when there is none. */
char *doc_extract_mermaid(const char *s, size_t n)
{
	static const char open_tag[] = "<Mermaid_Diagram>";
	static const char close_tag[] = "</Mermaid_Diagram>";
	const char *tag = NULL, *fence = NULL;
	size_t pos = 0;
	const char *line;
	size_t ln;
	/* the first of the two forms wins */
	while (pt_next_line(s, n, &pos, &line, &ln)) {
		const char *t = line;
		size_t tn = ln;
		pt_trim(&t, &tn);
		const char *hit = NULL;
		for (size_t i = 0; i + sizeof open_tag - 1 <= ln; i++)
			if (line[i] == '<' && memcmp(line + i, open_tag, sizeof open_tag - 1) == 0) {
				hit = line + i;
				break;
			}
		if (hit) {
			tag = hit;
			break;
		}
		if (tn >= 10 && (memcmp(t, "```", 3) == 0 || memcmp(t, "~~~", 3) == 0)) {
			const char *w = t + 3;
			size_t wn = tn - 3;
			while (wn && (*w == '`' || *w == '~' || *w == ' ')) {
				w++;
				wn--;
			}
			if (wn >= 7 && pt_ieq(w, 7, "mermaid") && (wn == 7 || w[7] == ' ' || w[7] == '{')) {
				fence = line;
				break;
			}
		}
	}
	if (tag) {
		const char *in = tag + sizeof open_tag - 1;
		size_t rest = n - (size_t)(in - s);
		const char *end = NULL;
		for (size_t i = 0; i + sizeof close_tag - 1 <= rest; i++)
			if (in[i] == '<' && memcmp(in + i, close_tag, sizeof close_tag - 1) == 0) {
				end = in + i;
				break;
			}
		if (!end)
			end = in + rest;
		return trim_blank_lines(in, (size_t)(end - in), 1);
	}
	if (fence) {
		const char *t = fence;
		while (*t == ' ' || *t == '\t')
			t++;
		char mark = *t;
		size_t marks = 0;
		while (t[marks] == mark)
			marks++;
		/* the body starts on the next line */
		size_t p = (size_t)(fence - s);
		const char *nl = memchr(s + p, '\n', n - p);
		if (!nl)
			return NULL;
		size_t body = (size_t)(nl - s) + 1, end = n;
		pos = body;
		while (pt_next_line(s, n, &pos, &line, &ln)) {
			const char *c = line;
			size_t cn = ln;
			pt_trim(&c, &cn);
			size_t m = 0;
			while (m < cn && c[m] == mark)
				m++;
			if (m >= marks && m == cn) {
				end = (size_t)(line - s);
				break;
			}
		}
		return trim_blank_lines(s + body, end - body, 1);
	}
	return NULL;
}

/* Position of the "Content:" line that ends the summary starting at from,
 * outside code fences and Mermaid blocks; n when there is none. */
static size_t find_content_line(const char *s, size_t n, size_t from)
{
	size_t pos = from;
	const char *line, *v;
	size_t ln, vn;
	int in_fence = 0, in_tag = 0;
	while (pt_next_line(s, n, &pos, &line, &ln)) {
		const char *t = line;
		size_t tn = ln;
		pt_trim(&t, &tn);
		if (tn >= 3 && (memcmp(t, "```", 3) == 0 || memcmp(t, "~~~", 3) == 0)) {
			in_fence = !in_fence;
			continue;
		}
		if (tn >= 17 && memcmp(t, "<Mermaid_Diagram>", 17) == 0)
			in_tag = 1;
		if (in_tag) {
			if (tn >= 18 && memmem(t, tn, "</Mermaid_Diagram>", 18))
				in_tag = 0;
			continue;
		}
		if (!in_fence && header_line(line, ln, &v, &vn) == HK_CONTENT)
			return (size_t)(line - s);
	}
	return n;
}

/* Text of the remainder of a "Key: value…" line plus what follows it. */
static size_t after_colon(const char *s, size_t n, size_t at)
{
	const char *colon = memchr(s + at, ':', n - at);
	size_t p = colon ? (size_t)(colon - s) + 1 : n;
	while (p < n && (s[p] == ' ' || s[p] == '\t'))
		p++;
	return p;
}

/* Plain-text body: trailing white space of each line dropped, blank lines
 * at both ends dropped. Returns a malloc'd string (maybe ""). */
static char *plain_body(const char *s, size_t n, size_t *outlen)
{
	struct buf b = { 0 };
	size_t pos = 0;
	const char *line;
	size_t ln;
	size_t blank_run = 0;
	buf_put(&b, "", 0);
	while (pt_next_line(s, n, &pos, &line, &ln)) {
		size_t k = ln;
		while (k && (line[k - 1] == ' ' || line[k - 1] == '\t'))
			k--;
		if (k == 0) {
			blank_run++;
			continue;
		}
		if (b.len) {
			buf_putc(&b, '\n');
			for (size_t i = 0; i < blank_run; i++)
				buf_putc(&b, '\n');
		}
		blank_run = 0;
		buf_put(&b, line, k);
	}
	*outlen = b.len;
	return buf_take(&b);
}

/* The record format of the pipeline (formats_int.h says what a reader
 * does and returns). */
static int parse_record(const char *s, size_t n, struct doc *d, char *err, size_t errlen)
{
	size_t pos = 0;
	const char *line, *v;
	size_t ln, vn;
	d->format = DOC_RECORD;
	size_t content_at = n;
	while (pt_next_line(s, n, &pos, &line, &ln)) {
		if (pt_is_blank(line, ln))
			continue;
		enum hkey k = header_line(line, ln, &v, &vn);
		if (k == HK_DESCRIPTION) {
			size_t from = after_colon(s, n, (size_t)(line - s));
			content_at = find_content_line(s, n, pos);
			d->summary = trim_blank_lines(s + from, content_at - from, 0);
			if (d->summary)
				d->mermaid = doc_extract_mermaid(d->summary, strlen(d->summary));
			break;
		}
		if (k == HK_CONTENT) {
			content_at = (size_t)(line - s);
			break;
		}
		header_apply(d, k, v, vn);
	}
	if (content_at < n) {
		size_t from = after_colon(s, n, content_at);
		d->text = plain_body(s + from, n - from, &d->text_len);
	}
	(void)err;
	(void)errlen;
	return 0;
}

/* ---- plain text ---- */

/* Reads a short "Key: value" header at the very top: only recognised
 * keys, and only when it is followed by a blank line or has 2+ lines (so
 * the first line of a transcript is never eaten). Returns the position
 * where the body starts (0 when there is no header). */
static size_t plain_header(const char *s, size_t n, struct doc *d)
{
	size_t pos = 0, body = 0;
	const char *line, *v;
	size_t ln, vn;
	int count = 0, ended = 0;   /* ended: a blank line or the end follows */
	for (;;) {
		if (!pt_next_line(s, n, &pos, &line, &ln)) {
			ended = 1;
			break;
		}
		if (pt_is_blank(line, ln)) {
			ended = 1;
			if (count)
				body = pos;
			break;
		}
		enum hkey k = header_line(line, ln, &v, &vn);
		if (k == HK_NONE || k == HK_DESCRIPTION || k == HK_CONTENT || vn == 0 ||
		    count == 12)
			break;
		count++;
		body = pos;
	}
	if (!(count >= 2 || (count == 1 && ended)))
		return 0;
	/* apply the lines now that the header is accepted */
	size_t p = 0;
	while (pt_next_line(s, body, &p, &line, &ln)) {
		enum hkey k = header_line(line, ln, &v, &vn);
		if (k != HK_NONE)
			header_apply(d, k, v, vn);
	}
	return body;
}

/* A timestamp at the start of a line: "[1:02:03]", "(12:34)", "12:34.5"
 * followed by the end of the line, white space, '-' or ':'. Returns the
 * seconds and sets *after to where the text starts, or -1. */
static double line_stamp(const char *s, size_t n, size_t *after)
{
	size_t i = 0;
	char close = 0;
	if (n && (s[0] == '[' || s[0] == '(')) {
		close = s[0] == '[' ? ']' : ')';
		i = 1;
	}
	double t = subs_parse_time(s, n, &i);
	if (t < 0)
		return -1;
	if (close) {
		if (i >= n || s[i] != close)
			return -1;
		i++;
	}
	if (i < n && s[i] != ' ' && s[i] != '\t' && s[i] != '-' && s[i] != ':' &&
	    s[i] != ']' && s[i] != '|')
		return -1;
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '-' || s[i] == ':' || s[i] == '|'))
		i++;
	*after = i;
	return t;
}

/* 1 when most of the first 30 non-blank lines start with a timestamp
 * (transcripts copied from YouTube's "Show transcript", or "[00:01:02]
 * text" exports). */
static int looks_timed(const char *s, size_t n)
{
	size_t pos = 0, after;
	const char *line;
	size_t ln;
	int lines = 0, stamped = 0;
	while (lines < 30 && pt_next_line(s, n, &pos, &line, &ln)) {
		pt_trim(&line, &ln);
		if (ln == 0)
			continue;
		lines++;
		if (line_stamp(line, ln, &after) >= 0)
			stamped++;
	}
	return stamped >= 3 && stamped * 5 >= lines * 2;
}

/* Reads a timestamped transcript: each stamp starts a cue that runs to the
 * next one (text on the stamp's line and the lines after it). */
static void plain_timed(const char *s, size_t n, struct doc *d)
{
	struct cue_sink k;
	sink_init(&k, 0);
	struct buf cue = { 0 };
	double start = -1;
	int have = 0;
	size_t pos = 0, after;
	const char *line;
	size_t ln;
	while (pt_next_line(s, n, &pos, &line, &ln)) {
		pt_trim(&line, &ln);
		if (ln == 0)
			continue;
		double t = line_stamp(line, ln, &after);
		if (t >= 0) {
			if (have)
				sink_add(&k, start, t, cue.p ? cue.p : "", cue.len);
			cue.len = 0;
			start = t;
			have = 1;
			line += after;
			ln -= after;
			if (ln == 0)
				continue;
		}
		if (cue.len)
			buf_putc(&cue, '\n');
		buf_put(&cue, line, ln);
		have = 1;
	}
	if (have)
		sink_add(&k, start, -1, cue.p ? cue.p : "", cue.len);
	buf_free(&cue);
	sink_finish(&k, d);
}

/* Bare text (formats_int.h says what a reader does and returns). */
static int parse_plain(const char *s, size_t n, struct doc *d, char *err, size_t errlen)
{
	d->format = DOC_PLAIN;
	size_t body = plain_header(s, n, d);
	if (looks_timed(s + body, n - body)) {
		plain_timed(s + body, n - body, d);
		return 0;
	}
	d->text = plain_body(s + body, n - body, &d->text_len);
	(void)err;
	(void)errlen;
	return 0;
}

/* ---- Markdown ---- */

/* End of a YAML front-matter block starting at s (after "---\n"): sets
 * *yaml_end to the closing line's start and returns the body start, or 0
 * when the block is not closed within 200 lines. */
static size_t front_matter_end(const char *s, size_t n, size_t from, size_t *yaml_end)
{
	size_t pos = from;
	const char *line;
	size_t ln;
	int lines = 0;
	while (pt_next_line(s, n, &pos, &line, &ln) && lines++ < 200) {
		const char *t = line;
		size_t tn = ln;
		pt_trim(&t, &tn);
		if ((tn == 3 && (memcmp(t, "---", 3) == 0 || memcmp(t, "...", 3) == 0)) && t == line) {
			*yaml_end = (size_t)(line - s);
			return pos;
		}
	}
	return 0;
}

static int starts_front_matter(const char *s, size_t n)
{
	if (n < 4 || memcmp(s, "---", 3) != 0)
		return 0;
	size_t i = 3;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i < n && s[i] != '\n')
		return 0;
	size_t ye;
	return front_matter_end(s, n, i + 1 < n ? i + 1 : n, &ye) != 0;
}

/* Strips YAML quotes around a scalar. */
static void yaml_unquote(const char **v, size_t *vn)
{
	pt_trim(v, vn);
	if (*vn >= 2 && ((*v)[0] == '"' || (*v)[0] == '\'') && (*v)[*vn - 1] == (*v)[0]) {
		(*v)++;
		*vn -= 2;
	}
}

/* Markdown (formats_int.h says what a reader does and returns). */
static int parse_markdown(const char *s, size_t n, struct doc *d, char *err, size_t errlen)
{
	d->format = DOC_MARKDOWN;
	size_t body = 0;
	if (starts_front_matter(s, n)) {
		const char *nl = memchr(s, '\n', n);
		size_t from = (size_t)(nl - s) + 1, yaml_end = 0;
		body = front_matter_end(s, n, from, &yaml_end);
		size_t pos = from;
		const char *line;
		size_t ln;
		while (pos < yaml_end && pt_next_line(s, yaml_end, &pos, &line, &ln)) {
			const char *colon = memchr(line, ':', ln);
			if (!colon || line[0] == ' ' || line[0] == '-' || line[0] == '#')
				continue;
			const char *k = line, *v = colon + 1;
			size_t kn = (size_t)(colon - line), vn = ln - kn - 1;
			pt_trim(&k, &kn);
			yaml_unquote(&v, &vn);
			if (vn == 0 || v[0] == '[' || v[0] == '{' || v[0] == '|' || v[0] == '>')
				continue;
			for (size_t i = 0; i < sizeof header_keys / sizeof header_keys[0]; i++)
				if (pt_ieq(k, kn, header_keys[i].name)) {
					header_apply(d, header_keys[i].key, v, vn);
					break;
				}
		}
	}
	d->text = trim_blank_lines(s + body, n - body, 0);
	if (!d->text)
		d->text = xstrdup("");
	d->text_len = strlen(d->text);
	if (!d->title) {
		/* a level-1 ATX heading in the first 50 lines names the document */
		size_t pos = 0;
		const char *line;
		size_t ln;
		int lines = 0;
		while (pt_next_line(d->text, d->text_len, &pos, &line, &ln) && lines++ < 50) {
			if (ln > 2 && line[0] == '#') {
				size_t h = 0;
				while (h < ln && line[h] == '#')
					h++;
				if (h == 1 && line[h] == ' ') {
					d->title = pt_clean_title(line + h, ln - h, 200);
					break;
				}
			}
		}
	}
	(void)err;
	(void)errlen;
	return 0;
}

/* ---- dispatch ---- */

/* Lowercase extension of path ("vtt"), or "" */
static void path_ext(const char *path, char *ext, size_t cap)
{
	ext[0] = '\0';
	if (!path)
		return;
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	const char *dot = strrchr(base, '.');
	if (!dot || dot == base || strlen(dot + 1) >= cap)
		return;
	size_t i = 0;
	for (const char *p = dot + 1; *p; p++)
		ext[i++] = (char)tolower((unsigned char)*p);
	ext[i] = '\0';
}

static int ends_with(const char *s, const char *suffix)
{
	if (!s)
		return 0;
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && pt_ieq(s + a - b, b, suffix);
}

/* 1 when the text starts like JSON: '{', or '[' then '{' or ']'. */
static int looks_json(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && isspace((unsigned char)s[i]))
		i++;
	if (i == n)
		return 0;
	if (s[i] == '{')
		return 1;
	if (s[i] != '[')
		return 0;
	for (i++; i < n && isspace((unsigned char)s[i]); i++)
		;
	return i < n && (s[i] == '{' || s[i] == ']');
}

/* The format of cleaned text s[0..n), by content first, then extension. */
static enum doc_format detect(const char *s, size_t n, const char *ext, int *json)
{
	*json = 0;
	size_t i = 0;
	while (i < n && isspace((unsigned char)s[i]))
		i++;
	if (n - i >= 6 && memcmp(s + i, "WEBVTT", 6) == 0 &&
	    (n - i == 6 || isspace((unsigned char)s[i + 6])))
		return DOC_VTT;
	if (looks_json(s, n) || (!strcmp(ext, "json") && i < n && (s[i] == '{' || s[i] == '['))) {
		*json = 1;
		return DOC_WHISPER_JSON;
	}
	if (looks_record(s, n))
		return DOC_RECORD;
	if (subs_looks_sbv(s, n))
		return DOC_SBV;
	if (subs_looks_srt(s, n))
		return DOC_SRT;
	if (subs_looks_vtt(s, n))
		return DOC_VTT;
	if (starts_front_matter(s, n) || !strcmp(ext, "md") || !strcmp(ext, "markdown"))
		return DOC_MARKDOWN;
	return DOC_PLAIN;
}

/* Fills what the readers left empty: title, video id, language. */
static void finish(struct doc *d, const char *path)
{
	char *vid = NULL;
	char *from_path = pt_title_from_path(path, &vid);
	if (!d->video_id)
		d->video_id = vid;
	else
		free(vid);
	d->title_source = DOC_TITLE_HEADER;
	if (!d->title) {
		d->title = from_path;
		d->title_source = DOC_TITLE_FILE_NAME;
	} else {
		free(from_path);
	}
	if (!d->title) {
		/* a guess: distinctive words, else the opening words */
		d->title_source = DOC_TITLE_GUESSED;
		d->title = pt_title_guess(d->text, d->text_len);
	}
	if (!d->title)
		d->title = pt_title_from_text(d->text, d->text_len);
	if (!d->title && d->summary)
		d->title = pt_title_from_text(d->summary, strlen(d->summary));
	if (!d->title)
		d->title = xstrdup("Untitled");
	if (!d->language) {
		const char *l = pt_guess_language(d->text, d->text_len);
		if (l)
			d->language = xstrdup(l);
	}
	if (!d->video_id && d->url)
		d->video_id = pt_video_id_from_url(d->url, strlen(d->url));
}

int doc_parse(const char *buf, size_t len, const char *path,
              struct doc *out, char *err, size_t errlen)
{
	return doc_parse_opts(buf, len, path, NULL, out, err, errlen);
}

int doc_parse_opts(const char *buf, size_t len, const char *path,
                   const struct doc_opts *opts, struct doc *out,
                   char *err, size_t errlen)
{
	static const struct doc_opts defaults;
	const struct doc_opts *o = opts ? opts : &defaults;
	memset(out, 0, sizeof *out);
	out->duration_s = -1;
	if (err && errlen)
		err[0] = '\0';
	if (!buf || len == 0) {
		pt_err(err, errlen, "empty file");
		return -1;
	}
	size_t u16len = 0, invalid = 0, nuls = 0;
	const char *charset = NULL;
	int detected = 0;
	/* UTF-32 with a BOM, else UTF-16 (with a BOM, or guessed) */
	char *u16 = pt_decode_utf32(buf, len, &u16len, &charset, &invalid);
	if (!u16) {
		const unsigned char *ub = (const unsigned char *)buf;
		int bom = len >= 2 && ((ub[0] == 0xFF && ub[1] == 0xFE) || (ub[0] == 0xFE && ub[1] == 0xFF));
		u16 = pt_utf16_to_utf8(buf, len, &u16len, &invalid);
		if (u16) {
			charset = "UTF-16";
			detected = !bom;
		}
	}
	if (u16) {
		buf = u16;
		len = u16len;
	}
	const char *kind = pt_binary_kind(buf, len);
	char *legacy = NULL;
	if (!u16 && (!kind || !strcmp(kind, "binary data")) && pt_not_utf8(buf, len)) {
		/* Windows-1252, GBK, Big5, Shift_JIS … text is not binary:
		 * ICU's detector names the encoding, else the CJK fallback */
		size_t llen = 0;
		legacy = pt_detect_legacy(buf, len, &llen, &charset, &invalid);
		if (!legacy)
			legacy = pt_decode_legacy(buf, len, &llen, &charset);
		if (legacy) {
			buf = legacy;
			len = llen;
			kind = NULL;
			detected = 1;
		}
	}
	if (kind) {
		pt_err(err, errlen, "binary file, not a transcript (%s)", kind);
		free(u16);
		return -1;
	}
	size_t n = 0;
	char *s = pt_clean(buf, len, &n, &invalid, &nuls);
	free(u16);
	free(legacy);
	out->invalid_utf8 = invalid;
	out->nul_bytes = nuls;
	if (pt_is_blank(s, n)) {
		pt_err(err, errlen, "empty file");
		free(s);
		return -1;
	}
	char ext[16];
	path_ext(path, ext, sizeof ext);
	if (ends_with(path, ".info.json") && looks_json(s, n)) {
		pt_err(err, errlen, "yt-dlp .info.json without a transcript (metadata only)");
		free(s);
		return -1;
	}
	int json;
	enum doc_format f = detect(s, n, ext, &json);
	int rc;
	if (json) {
		rc = parse_json(s, n, o, out, err, errlen);
		if (rc == -2) {
			/* not JSON after all: a .json file is an error, else text */
			if (!strcmp(ext, "json")) {
				rc = -1;
			} else {
				doc_free(out);
				out->invalid_utf8 = invalid;
				out->nul_bytes = nuls;
				rc = parse_plain(s, n, out, err, errlen);
			}
		}
	} else {
		switch (f) {
		case DOC_RECORD: rc = parse_record(s, n, out, err, errlen); break;
		case DOC_VTT: rc = parse_vtt(s, n, o, out, err, errlen); break;
		case DOC_SRT: rc = parse_srt(s, n, o, out, err, errlen); break;
		case DOC_SBV: rc = parse_sbv(s, n, o, out, err, errlen); break;
		case DOC_MARKDOWN: rc = parse_markdown(s, n, out, err, errlen); break;
		default: rc = parse_plain(s, n, out, err, errlen); break;
		}
	}
	free(s);
	if (rc == 0 && !out->text) {
		out->text = xstrdup("");
		out->text_len = 0;
	}
	if (rc == 0 && out->text_len == 0 && !out->summary) {
		pt_err(err, errlen, "no transcript text in this %s file",
		       doc_format_name(out->format));
		rc = -1;
	}
	if (rc != 0) {
		if (err && errlen && !err[0])
			pt_err(err, errlen, "unreadable %s file", doc_format_name(out->format));
		doc_free(out);
		return -1;
	}
	finish(out, path);
	out->charset = charset;
	out->charset_detected = detected;
	return 0;
}
