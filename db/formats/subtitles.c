/* subtitles.c — subtitle readers (WebVTT, SRT, SBV) and the cue sink
 * that turns timed cues into paragraphs, collapsing the rolling repeated
 * lines of YouTube auto-captions. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "db/formats/formats_int.h"

/* ---- cue sink: paragraphs and rolling-caption dedup ---- */

#define PARA_GAP_S      2.0    /* a pause this long ends a paragraph … */
#define PARA_GAP_MIN    60     /* … once it holds this many bytes */
#define PARA_LONG_GAP_S 5.0    /* a pause this long always ends one */
#define PARA_SOFT_MAX   500    /* past this, end at a sentence end */
#define PARA_HARD_MAX   1200   /* past this, end at the next cue */
#define DEDUP_MAX_LINES 8      /* rolling overlap looked for, in lines */

void sink_init(struct cue_sink *k, int dedup)
{
	memset(k, 0, sizeof *k);
	k->dedup = dedup;
	k->last_end = -1;
}

/* Last code point of s[0..n) (valid UTF-8), 0 when empty. */
static int32_t last_cp(const char *s, size_t n)
{
	if (n == 0)
		return 0;
	size_t j = utf8_prev(s, n);
	return utf8_at(s, n, &j);
}

static int32_t first_cp(const char *s, size_t n)
{
	size_t i = 0;
	return n ? utf8_at(s, n, &i) : 0;
}

/* CJK punctuation after which no space is written. */
static int cjk_punct(int32_t cp)
{
	return (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFF01 && cp <= 0xFF0F) ||
	       (cp >= 0xFF1A && cp <= 0xFF20) || cp == 0xFF5E || cp == 0x2026 ||
	       cp == 0x201C || cp == 0x201D || cp == 0x2018 || cp == 0x2019;
}

static int sentence_end(int32_t cp)
{
	return cp == '.' || cp == '!' || cp == '?' || cp == 0x3002 || cp == 0xFF01 ||
	       cp == 0xFF1F || cp == 0x2026 || cp == '"' || cp == 0x201D ||
	       cp == 0x300D;
}

/* Length of a leading speaker label "[NAME]:" (with the space after it),
 * 0 when there is none. */
static size_t speaker_label(const char *s, size_t n)
{
	if (n < 4 || s[0] != '[')
		return 0;
	for (size_t i = 1; i < n && i < 48; i++) {
		if (s[i] == ']') {
			if (i + 1 < n && s[i + 1] == ':') {
				size_t e = i + 2;
				while (e < n && s[e] == ' ')
					e++;
				return e;
			}
			return 0;
		}
		if (s[i] == '[' || s[i] == '\n')
			return 0;
	}
	return 0;
}

/* Appends one piece of text to the open paragraph with the joining space
 * the scripts call for. */
static void sink_put(struct cue_sink *k, const char *s, size_t n)
{
	if (n == 0)
		return;
	if (k->para_len) {
		int32_t a = last_cp(k->text.p, k->text.len), b = first_cp(s, n);
		if (!(cjk_punct(a) || (cjk_punct(b) && b != 0x201C && b != 0x2018)))
			buf_putc(&k->text, ' ');
	}
	buf_put(&k->text, s, n);
	k->para_len += n;
	k->ends_sentence = sentence_end(last_cp(s, n));
}

static void sink_new_para(struct cue_sink *k, double start)
{
	if (k->text.len)
		buf_put(&k->text, "\n\n", 2);
	if (k->npara == k->cap) {
		k->cap = k->cap ? k->cap * 2 : 64;
		k->paras = xrealloc(k->paras, k->cap * sizeof *k->paras);
	}
	k->paras[k->npara].offset = k->text.len;
	k->paras[k->npara].start_s = start < 0 ? 0 : start;
	k->npara++;
	k->para_len = 0;
	k->speaker[0] = '\0';
}

/* 1 when line a[0..an) equals b[0..bn). */
static int same(const char *a, size_t an, const char *b, size_t bn)
{
	return an == bn && memcmp(a, b, an) == 0;
}

/* Splits s[0..n) at '\n' into at most max spans; returns how many. */
static size_t split_lines(const char *s, size_t n, const char **ls, size_t *ln, size_t max)
{
	size_t c = 0, pos = 0;
	const char *line;
	size_t len;
	while (c < max && pt_next_line(s, n, &pos, &line, &len)) {
		ls[c] = line;
		ln[c] = len;
		c++;
	}
	return c;
}

/* Bytes of the leading lines of cue[0..n) that repeat the last lines of
 * the previous cue (rolling captions), 0 when none do. */
static size_t rolling_overlap(const struct cue_sink *k, const char *s, size_t n)
{
	const char *cl[DEDUP_MAX_LINES], *pl[DEDUP_MAX_LINES + 1];
	size_t cn[DEDUP_MAX_LINES], pn[DEDUP_MAX_LINES + 1];
	size_t nc = split_lines(s, n, cl, cn, DEDUP_MAX_LINES);
	/* the last DEDUP_MAX_LINES lines of the previous cue */
	const char *p = k->prev.p;
	size_t plen = k->prev.len, start = plen, count = 0;
	if (!p || !plen)
		return 0;
	while (start > 0 && count < DEDUP_MAX_LINES) {
		while (start > 0 && p[start - 1] != '\n')
			start--;
		count++;
		if (start == 0)
			break;
		if (count < DEDUP_MAX_LINES)
			start--;   /* step over the '\n' */
	}
	size_t np = split_lines(p + start, plen - start, pl, pn, DEDUP_MAX_LINES + 1);
	size_t maxj = nc < np ? nc : np;
	for (size_t j = maxj; j > 0; j--) {
		int ok = 1;
		for (size_t i = 0; i < j && ok; i++)
			ok = same(cl[i], cn[i], pl[np - j + i], pn[np - j + i]);
		if (ok) {
			size_t bytes = (size_t)(cl[j - 1] - s) + cn[j - 1];
			return bytes < n ? bytes + 1 : n;
		}
	}
	/* A line growing word by word: "Hello" then "Hello everyone". */
	const char *last = pl[np - 1];
	size_t lastn = pn[np - 1];
	if (nc && lastn >= 2 && cn[0] > lastn && memcmp(cl[0], last, lastn) == 0 &&
	    cl[0][lastn] == ' ')
		return lastn + 1;
	return 0;
}

void sink_add(struct cue_sink *k, double start, double end, const char *s, size_t n)
{
	size_t skip = k->dedup ? rolling_overlap(k, s, n) : 0;
	if (k->dedup) {
		k->prev.len = 0;
		buf_put(&k->prev, s, n);
	}
	const char *t = s + skip;
	size_t tn = n - skip;
	while (tn && (*t == '\n' || *t == ' ')) {   /* empty lines: markers only */
		t++;
		tn--;
	}
	if (tn == 0) {
		if (end > k->last_end)
			k->last_end = end;
		return;
	}
	/* Paragraph breaks: first cue, speaker change, pause, length. */
	size_t lab = speaker_label(t, tn);
	int speaker_change = 0;
	if (lab) {
		size_t ln = lab;
		while (ln > 0 && t[ln - 1] == ' ')
			ln--;
		speaker_change = !(strlen(k->speaker) == ln && memcmp(k->speaker, t, ln) == 0);
	} else if ((tn >= 2 && t[0] == '>' && t[1] == '>') || (tn >= 2 && t[0] == '-' && t[1] == ' ')) {
		speaker_change = 1;
	}
	double gap = (k->last_end >= 0 && start >= 0) ? start - k->last_end : 0;
	int brk = k->npara == 0 ||
	          (speaker_change && k->para_len > 0) ||
	          (gap >= PARA_GAP_S && k->para_len >= PARA_GAP_MIN) ||
	          (gap >= PARA_LONG_GAP_S && k->para_len > 0) ||
	          (k->para_len >= PARA_SOFT_MAX && k->ends_sentence) ||
	          k->para_len >= PARA_HARD_MAX;
	if (brk)
		sink_new_para(k, start);
	if (lab) {
		size_t ln = lab;
		while (ln > 0 && t[ln - 1] == ' ')
			ln--;
		if (k->para_len > 0 && strlen(k->speaker) == ln && memcmp(k->speaker, t, ln) == 0) {
			t += lab;   /* same speaker inside a paragraph: label once */
			tn -= lab;
		} else if (ln < sizeof k->speaker) {
			memcpy(k->speaker, t, ln);
			k->speaker[ln] = '\0';
		}
	}
	/* the cue's lines joined like cues */
	size_t pos = 0;
	const char *line;
	size_t len;
	while (pt_next_line(t, tn, &pos, &line, &len))
		if (len)
			sink_put(k, line, len);
	if (end > k->last_end)
		k->last_end = end;
	else if (start > k->last_end)
		k->last_end = start;
}

void sink_finish(struct cue_sink *k, struct doc *d)
{
	/* no stated duration: the end of the last cue is a fair estimate */
	if (d->duration_s < 0 && k->last_end > 0 && k->last_end < 1e9)
		d->duration_s = (long)(k->last_end + 0.5);
	d->text_len = k->text.len;
	d->text = buf_take(&k->text);
	if (k->npara) {
		d->paras = k->paras;
		d->npara = k->npara;
	} else {
		free(k->paras);
	}
	k->paras = NULL;
	buf_free(&k->prev);
}

/* ---- timings ---- */

double subs_parse_time(const char *s, size_t n, size_t *i)
{
	double parts[3];
	int np = 0;
	size_t p = *i;
	for (;;) {
		if (p >= n || !isdigit((unsigned char)s[p]) || np == 3)
			return -1;
		double v = 0;
		int digits = 0;
		while (p < n && isdigit((unsigned char)s[p])) {
			if (digits++ < 9)
				v = v * 10 + (s[p] - '0');
			p++;
		}
		parts[np++] = v;
		if (p < n && s[p] == ':')
			p++;
		else
			break;
	}
	if (np < 2)
		return -1;
	double t = np == 3 ? parts[0] * 3600 + parts[1] * 60 + parts[2]
	                   : parts[0] * 60 + parts[1];
	if (p < n && (s[p] == '.' || s[p] == ',') && p + 1 < n && isdigit((unsigned char)s[p + 1])) {
		p++;
		double scale = 0.1;
		while (p < n && isdigit((unsigned char)s[p])) {
			t += (s[p] - '0') * scale;
			scale /= 10;
			p++;
		}
	}
	*i = p;
	return t;
}

/* "START --> END [settings]" (WebVTT/SRT); 1 with the times, else 0.
 * *comma is set when the fraction separator is a comma (SRT). */
static int arrow_timing(const char *s, size_t n, double *a, double *b, int *comma)
{
	if (n < 10 || n > 400)
		return 0;
	size_t i = 0;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	size_t t0 = i;
	*a = subs_parse_time(s, n, &i);
	if (*a < 0)
		return 0;
	if (comma)
		*comma = memchr(s + t0, ',', i - t0) != NULL;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (n - i < 3 || memcmp(s + i, "-->", 3) != 0)
		return 0;
	i += 3;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	*b = subs_parse_time(s, n, &i);
	if (*b < 0)
		return 0;
	return i == n || s[i] == ' ' || s[i] == '\t';
}

/* "H:MM:SS.mmm,H:MM:SS.mmm" (SBV); 1 with the times, else 0. */
static int sbv_timing(const char *s, size_t n, double *a, double *b)
{
	if (n < 9 || n > 64)
		return 0;
	size_t i = 0;
	*a = subs_parse_time(s, n, &i);
	if (*a < 0 || i >= n || s[i] != ',')
		return 0;
	i++;
	*b = subs_parse_time(s, n, &i);
	if (*b < 0)
		return 0;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i == n;
}

static int all_digits(const char *s, size_t n)
{
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

/* 1 when the trimmed line is a "Key: value" header line (Kind:, Language:). */
static int header_kv(const char *s, size_t n)
{
	const char *c = memchr(s, ':', n < 20 ? n : 20);
	if (!c || c == s)
		return 0;
	for (const char *p = s; p < c; p++)
		if (!isalpha((unsigned char)*p) && *p != '-' && *p != '_')
			return 0;
	return 1;
}

/* 0: no cues at the top; 1: SRT-like; 2: VTT-like (dot fractions). Looks
 * at the first 12 non-blank lines: cue numbers, '#' comments and header
 * lines may come before the first "-->" timing line. */
static int probe_arrow(const char *s, size_t n)
{
	size_t pos = 0;
	const char *line;
	size_t ln;
	int seen = 0, id = 0;
	while (seen < 12 && pt_next_line(s, n, &pos, &line, &ln)) {
		pt_trim(&line, &ln);
		if (ln == 0)
			continue;
		seen++;
		double a, b;
		int comma = 0;
		if (arrow_timing(line, ln, &a, &b, &comma))
			return comma || id ? 1 : 2;
		if (all_digits(line, ln))
			id = 1;
		else if (line[0] != '#' && !header_kv(line, ln))
			return 0;
	}
	return 0;
}

int subs_looks_srt(const char *s, size_t n)
{
	return probe_arrow(s, n) == 1;
}

int subs_looks_vtt(const char *s, size_t n)
{
	return probe_arrow(s, n) == 2;
}

int subs_looks_sbv(const char *s, size_t n)
{
	size_t pos = 0;
	const char *line;
	size_t ln;
	while (pt_next_line(s, n, &pos, &line, &ln)) {
		pt_trim(&line, &ln);
		if (ln == 0 || line[0] == '#')
			continue;
		double a, b;   /* the first line that says anything decides */
		return sbv_timing(line, ln, &a, &b);
	}
	return 0;
}

/* ---- cue text ---- */

/* Known inline tag names (WebVTT and the HTML-ish tags of SRT). */
static int known_tag(const char *s, size_t n)
{
	static const char *names[] = {
		"c", "i", "b", "u", "v", "s", "lang", "ruby", "rt", "font", "span",
		"br", "em", "strong", "small", "big", "sup", "sub", "p", "div",
	};
	size_t k = 0;
	while (k < n && isalpha((unsigned char)s[k]))
		k++;
	if (k == 0)
		return 0;
	if (k < n && s[k] != '.' && s[k] != ' ' && s[k] != '/' && s[k] != '=')
		return 0;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (pt_ieq(s, k, names[i]))
			return 1;
	return 0;
}

/* Appends one cue line to b after a '\n' when it is not the cue's first
 * (*lines counts them), cleaned: inline tags and {\ass} overrides removed,
 * entities decoded, white space runs collapsed, trimmed. A voice tag
 * <v Name> becomes "Name: ". An empty line stays as an empty line: it
 * tells the rolling-caption dedup that nothing was carried over. */
static void put_cue_line(struct buf *b, const char *s, size_t n, int *lines)
{
	if ((*lines)++)
		buf_putc(b, '\n');
	struct buf raw = { 0 };
	size_t i = 0, run = 0;
	/* Where the next '>' and '}' are, found once per stretch so a line of
	 * many '<' stays linear. */
	const char *next_gt = NULL, *next_cb = NULL;
	int gt_known = 0, cb_known = 0;
	while (i < n) {
		if (s[i] == '<') {
			if (!gt_known || (next_gt && next_gt < s + i)) {
				next_gt = memchr(s + i, '>', n - i);
				gt_known = 1;
			}
			const char *gt = next_gt && next_gt - (s + i) < 256 ? next_gt : NULL;
			if (gt) {
				const char *in = s + i + 1;
				size_t inn = (size_t)(gt - in);
				int strip = 0;
				if (inn && in[0] == '/')
					strip = known_tag(in + 1, inn - 1) || inn == 1;
				else if (inn && isdigit((unsigned char)in[0])) {
					strip = 1;
					for (size_t k = 0; k < inn && strip; k++)
						strip = isdigit((unsigned char)in[k]) || in[k] == ':' || in[k] == '.';
				} else
					strip = known_tag(in, inn);
				if (strip) {
					buf_put(&raw, s + run, i - run);
					const char *vsp = inn >= 2 && in[0] == 'v' && (in[1] == ' ' || in[1] == '.')
					                  ? memchr(in, ' ', inn) : NULL;
					if (vsp) {   /* <v Name>, <v.class Name> */
						const char *nm = vsp + 1;
						size_t nn = inn - (size_t)(nm - in);
						pt_trim(&nm, &nn);
						if (nn) {
							buf_put(&raw, nm, nn);
							buf_put(&raw, ": ", 2);
						}
					} else if (inn >= 2 && pt_ieq(in, 2, "br")) {
						buf_putc(&raw, ' ');
					}
					i = (size_t)(gt - s) + 1;
					run = i;
					continue;
				}
			}
		} else if (s[i] == '{' && i + 1 < n && s[i + 1] == '\\') {
			if (!cb_known || (next_cb && next_cb < s + i)) {
				next_cb = memchr(s + i, '}', n - i);
				cb_known = 1;
			}
			const char *cb = next_cb && next_cb - (s + i) < 256 ? next_cb : NULL;
			if (cb) {
				buf_put(&raw, s + run, i - run);
				i = (size_t)(cb - s) + 1;
				run = i;
				continue;
			}
		}
		i++;
	}
	buf_put(&raw, s + run, n - run);
	struct buf dec = { 0 };
	pt_put_decoded(&dec, raw.p ? raw.p : "", raw.len);
	buf_free(&raw);
	/* collapse white space */
	const char *t = dec.p ? dec.p : "";
	size_t tn = dec.len;
	pt_trim(&t, &tn);
	if (tn) {
		int sp = 0;
		size_t start = 0;
		for (size_t k = 0; k < tn; k++) {
			char c = t[k];
			int ws = c == ' ' || c == '\t' || c == '\v' || c == '\f';
			if (ws) {
				if (!sp)
					buf_put(b, t + start, k - start);
				sp = 1;
				continue;
			}
			if (sp) {
				buf_putc(b, ' ');
				start = k;
				sp = 0;
			}
		}
		if (!sp)
			buf_put(b, t + start, tn - start);
	}
	buf_free(&dec);
}

/* ---- the cue reader ---- */

enum cue_mode { MODE_VTT, MODE_SRT, MODE_SBV };

/* 1 when the line starts a WebVTT block to skip (NOTE, STYLE, REGION). */
static int skip_block_start(const char *s, size_t n)
{
	static const char *words[] = { "NOTE", "STYLE", "REGION" };
	for (size_t i = 0; i < 3; i++) {
		size_t k = strlen(words[i]);
		if (n >= k && memcmp(s, words[i], k) == 0 && (n == k || s[k] == ' ' || s[k] == '\t'))
			return 1;
	}
	return 0;
}

static int is_timing(enum cue_mode m, const char *s, size_t n, double *a, double *b)
{
	if (m == MODE_SBV)
		return sbv_timing(s, n, a, b);
	return arrow_timing(s, n, a, b, NULL);
}

/* Reads cues of any of the three formats into d. */
static int read_cues(const char *s, size_t n, struct doc *d, enum cue_mode m,
                     char *err, size_t errlen)
{
	struct cue_sink k;
	sink_init(&k, 1);
	struct buf cue = { 0 };
	double cs = -1, ce = -1;
	int in_cue = 0, after_blank = 1, skipping = 0, ncues = 0, cue_lines = 0;
	int cue_closed = 0;   /* a truly empty line ended the cue's own lines */
	size_t pos = 0;
	const char *line;
	size_t ln;
	while (pt_next_line(s, n, &pos, &line, &ln)) {
		const char *t = line;
		size_t tn = ln;
		pt_trim(&t, &tn);
		if (tn == 0) {
			/* " " inside a cue is an empty cue line (a dedup marker) */
			if (ln > 0 && in_cue && !cue_closed && !skipping)
				put_cue_line(&cue, t, 0, &cue_lines);
			if (ln == 0)
				cue_closed = 1;
			after_blank = 1;
			skipping = 0;
			continue;
		}
		double a, b;
		int timing = is_timing(m, t, tn, &a, &b);
		if (skipping && !timing) {   /* a timing line ends any block */
			if (!d->language && tn > 9 && pt_ieq(t, 9, "language:"))
				d->language = pt_language_tag(t + 9, tn - 9);
			continue;
		}
		skipping = 0;
		if (timing) {
			if (in_cue)
				sink_add(&k, cs, ce, cue.p ? cue.p : "", cue.len);
			cue.len = 0;
			cue_lines = 0;
			cue_closed = 0;
			cs = a;
			ce = b;
			in_cue = 1;
			ncues++;
			after_blank = 0;
			continue;
		}
		if (m != MODE_SBV && tn >= 6 && memcmp(t, "WEBVTT", 6) == 0 &&
		    (tn == 6 || t[6] == ' ' || t[6] == '\t') && (after_blank || !in_cue)) {
			skipping = 1;   /* a (repeated) header block */
			continue;
		}
		if (m == MODE_VTT && after_blank && skip_block_start(t, tn)) {
			skipping = 1;
			continue;
		}
		if (m != MODE_VTT && t[0] == '#') {
			after_blank = 0;
			continue;   /* SRT/SBV comment */
		}
		/* A cue identifier: the line right before a timing line. */
		size_t peek = pos;
		const char *nx;
		size_t nn;
		if (m != MODE_SBV && pt_next_line(s, n, &peek, &nx, &nn)) {
			pt_trim(&nx, &nn);
			double x, y;
			if ((after_blank || all_digits(t, tn) || !in_cue) &&
			    arrow_timing(nx, nn, &x, &y, NULL)) {
				after_blank = 0;
				continue;
			}
		}
		after_blank = 0;
		if (!in_cue) {
			if (!d->language && tn > 9 && pt_ieq(t, 9, "language:"))
				d->language = pt_language_tag(t + 9, tn - 9);
			continue;   /* header text before the first cue */
		}
		put_cue_line(&cue, t, tn, &cue_lines);
	}
	if (in_cue)
		sink_add(&k, cs, ce, cue.p ? cue.p : "", cue.len);
	buf_free(&cue);
	sink_finish(&k, d);
	if (ncues == 0) {
		pt_err(err, errlen, "no subtitle cues found");
		return -1;
	}
	return 0;
}

int parse_vtt(const char *s, size_t n, struct doc *d, char *err, size_t errlen)
{
	d->format = DOC_VTT;
	return read_cues(s, n, d, MODE_VTT, err, errlen);
}

int parse_srt(const char *s, size_t n, struct doc *d, char *err, size_t errlen)
{
	d->format = DOC_SRT;
	return read_cues(s, n, d, MODE_SRT, err, errlen);
}

int parse_sbv(const char *s, size_t n, struct doc *d, char *err, size_t errlen)
{
	d->format = DOC_SBV;
	/* "#https://…" at the top of YouTube's SBV names the video */
	size_t pos = 0;
	const char *line;
	size_t ln;
	while (pt_next_line(s, n, &pos, &line, &ln)) {
		pt_trim(&line, &ln);
		if (ln == 0)
			continue;
		if (line[0] == '#' && ln > 9 && (memcmp(line + 1, "http://", 7) == 0 ||
		                                 memcmp(line + 1, "https://", 8) == 0)) {
			pt_set_field(&d->url, line + 1, ln - 1);
			d->video_id = pt_video_id_from_url(line + 1, ln - 1);
		}
		break;
	}
	return read_cues(s, n, d, MODE_SBV, err, errlen);
}
