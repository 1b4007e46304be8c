/* subtitles.c — subtitle readers (WebVTT, SRT, SBV) and the cue sink
 * that turns timed cues into paragraphs, collapsing the rolling repeated
 * lines of YouTube auto-captions. */
#include <ctype.h>
#include <stdio.h>
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

int sink_glued(int32_t a, int32_t b)
{
	return cjk_punct(a) || (cjk_punct(b) && b != 0x201C && b != 0x2018);
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
	if (k->para_len && !sink_glued(last_cp(k->text.p, k->text.len), first_cp(s, n)))
		buf_putc(&k->text, ' ');
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

/* ---- rolling captions ---- */

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

static int ascii_alnum(int32_t c)
{
	return c < 0x80 && isalnum((unsigned char)c);
}

/* 1 when line p[0..pn) is the start of line c[0..cn) ending at a word:
 * "Hello" of "Hello everyone", "大家好" of "大家好我是"; never inside a
 * Latin word ("cat" of "category"). */
static int grows_into(const char *p, size_t pn, const char *c, size_t cn)
{
	if (pn < 2 || cn <= pn || memcmp(p, c, pn) != 0)
		return 0;
	if (c[pn] == ' ')
		return 1;
	return !(ascii_alnum(last_cp(p, pn)) && ascii_alnum(first_cp(c + pn, cn - pn)));
}

enum { OVL_NONE, OVL_LINES, OVL_WORDS };

#define OVL_WORDS_MAX 64   /* words compared at a cue boundary */
#define OVL_WORDS_MIN 3    /* shortest word overlap taken (rolling files only) */

/* The words (runs without white space) of s[0..n): the first max when
 * from_end is 0, else the last max. Returns how many. */
static size_t split_words(const char *s, size_t n, int from_end,
                          const char **ws, size_t *wn, size_t max)
{
	size_t c = 0;
	if (!from_end) {
		size_t i = 0;
		while (c < max) {
			while (i < n && (s[i] == ' ' || s[i] == '\n'))
				i++;
			if (i == n)
				break;
			size_t j = i;
			while (j < n && s[j] != ' ' && s[j] != '\n')
				j++;
			ws[c] = s + i;
			wn[c++] = j - i;
			i = j;
		}
		return c;
	}
	const char *rs[OVL_WORDS_MAX];
	size_t rn[OVL_WORDS_MAX];
	size_t i = n;
	while (c < max && c < OVL_WORDS_MAX) {
		while (i > 0 && (s[i - 1] == ' ' || s[i - 1] == '\n'))
			i--;
		if (i == 0)
			break;
		size_t j = i;
		while (j > 0 && s[j - 1] != ' ' && s[j - 1] != '\n')
			j--;
		rs[c] = s + j;
		rn[c++] = i - j;
		i = j;
	}
	for (size_t k = 0; k < c; k++) {
		ws[k] = rs[c - 1 - k];
		wn[k] = rn[c - 1 - k];
	}
	return c;
}

/* 1 when two words are equal ignoring ASCII case. */
static int same_word(const char *a, size_t an, const char *b, size_t bn)
{
	if (an != bn)
		return 0;
	for (size_t i = 0; i < an; i++)
		if (tolower((unsigned char)a[i]) != tolower((unsigned char)b[i]))
			return 0;
	return 1;
}

/* How much of cue s[0..n) repeats the end of the cue before, p[0..pn).
 * Returns the bytes to skip and sets *kind:
 *  OVL_LINES: the cue's leading lines equal the previous cue's last lines,
 *    the last of them possibly grown ("A" / "B part" → "A" / "B part
 *    more": only "more" is new), for windows of any number of lines;
 *  OVL_WORDS: no line matched, the cue starts with a line of text, and its
 *    first words (3 or more) equal the previous cue's last words (tools
 *    that flatten the window into one line);
 *  OVL_NONE: nothing repeats. A leading empty line means the row was
 *    cleared: nothing is carried over then, so a sentence said again
 *    survives. */
static size_t cue_overlap(const char *p, size_t pn, const char *s, size_t n, int *kind)
{
	const char *cl[DEDUP_MAX_LINES], *pl[DEDUP_MAX_LINES + 1];
	size_t cn[DEDUP_MAX_LINES], pln[DEDUP_MAX_LINES + 1];
	*kind = OVL_NONE;
	if (!p || !pn || !n)
		return 0;
	size_t nc = split_lines(s, n, cl, cn, DEDUP_MAX_LINES);
	/* the last DEDUP_MAX_LINES lines of the previous cue */
	size_t start = pn, count = 0;
	while (start > 0 && count < DEDUP_MAX_LINES) {
		while (start > 0 && p[start - 1] != '\n')
			start--;
		count++;
		if (start == 0)
			break;
		if (count < DEDUP_MAX_LINES)
			start--;   /* step over the '\n' */
	}
	size_t np = split_lines(p + start, pn - start, pl, pln, DEDUP_MAX_LINES + 1);
	if (np == 0 || nc == 0)
		return 0;
	size_t maxj = nc < np ? nc : np;
	for (size_t j = maxj; j > 0; j--) {
		int ok = 1;
		for (size_t i = 0; i + 1 < j && ok; i++)
			ok = same(cl[i], cn[i], pl[np - j + i], pln[np - j + i]);
		if (!ok)
			continue;
		const char *last = pl[np - 1], *c = cl[j - 1];
		size_t lastn = pln[np - 1], cnn = cn[j - 1];
		size_t line_start = (size_t)(c - s);
		if (same(c, cnn, last, lastn)) {
			/* an empty line matching an empty line carries nothing */
			int text = lastn > 0;
			for (size_t i = 0; i + 1 < j && !text; i++)
				text = cn[i] > 0;
			if (!text)
				continue;
			*kind = OVL_LINES;
			size_t bytes = line_start + cnn;
			return bytes < n ? bytes + 1 : n;
		}
		if (grows_into(last, lastn, c, cnn)) {
			*kind = OVL_LINES;
			size_t bytes = line_start + lastn;
			while (bytes < n && s[bytes] == ' ')
				bytes++;
			return bytes;
		}
	}
	if (cn[0] == 0)
		return 0;   /* the row was cleared: nothing carried over */
	const char *pw[OVL_WORDS_MAX], *cw[OVL_WORDS_MAX];
	size_t pwn[OVL_WORDS_MAX], cwn[OVL_WORDS_MAX];
	size_t npw = split_words(p, pn, 1, pw, pwn, OVL_WORDS_MAX);
	size_t ncw = split_words(s, n, 0, cw, cwn, OVL_WORDS_MAX);
	for (size_t L = npw < ncw ? npw : ncw; L >= OVL_WORDS_MIN; L--) {
		int ok = 1;
		for (size_t i = 0; i < L && ok; i++)
			ok = same_word(cw[i], cwn[i], pw[npw - L + i], pwn[npw - L + i]);
		if (ok) {
			*kind = OVL_WORDS;
			size_t bytes = (size_t)(cw[L - 1] - s) + cwn[L - 1];
			while (bytes < n && (s[bytes] == ' ' || s[bytes] == '\n'))
				bytes++;
			return bytes;
		}
	}
	return 0;
}

/* Adds one cue's new text s[0..n) to the text: paragraph breaks first. */
static void sink_emit(struct cue_sink *k, double start, double end, const char *s, size_t n)
{
	const char *t = s;
	size_t tn = n;
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

void sink_add(struct cue_sink *k, double start, double end, const char *s, size_t n)
{
	if (!k->dedup) {
		sink_emit(k, start, end, s, n);
		return;
	}
	if (k->nrec == k->caprec) {
		k->caprec = k->caprec ? k->caprec * 2 : 256;
		k->recs = xrealloc(k->recs, k->caprec * sizeof *k->recs);
	}
	k->recs[k->nrec++] = (struct cue_rec){ k->held.len, n, start, end };
	buf_put(&k->held, s, n);
}

/* Emits the held cues: with the repetitions of a rolling file removed
 * when at least a fifth of the cues carry lines over from the cue before
 * without being the same cue again (so an ordinary subtitle file keeps a
 * line that is said twice, or three cues that each say "Text"). */
static void sink_flush_held(struct cue_sink *k)
{
	if (!k->nrec)
		return;
	size_t *skip = xmalloc(k->nrec * sizeof *skip);
	size_t carried = 0;
	const char *h = k->held.p;
	skip[0] = 0;
	int *kinds = xmalloc(k->nrec * sizeof *kinds);
	kinds[0] = OVL_NONE;
	for (size_t i = 1; i < k->nrec; i++) {
		const struct cue_rec *a = &k->recs[i - 1], *b = &k->recs[i];
		skip[i] = cue_overlap(h + a->off, a->len, h + b->off, b->len, &kinds[i]);
		/* A cue that repeats the one before whole is no sign of a
		 * rolling window: an ordinary file says "Text" three times. */
		carried += kinds[i] != OVL_NONE && !same(h + a->off, a->len, h + b->off, b->len);
	}
	int rolling = carried > 0 && carried * 5 >= k->nrec - 1;
	for (size_t i = 0; i < k->nrec; i++) {
		const struct cue_rec *r = &k->recs[i];
		size_t sk = rolling ? skip[i] : 0;
		sink_emit(k, r->start, r->end, h + r->off + sk, r->len - sk);
	}
	free(skip);
	free(kinds);
}

static void sink_release(struct cue_sink *k)
{
	buf_free(&k->held);
	free(k->recs);
	k->recs = NULL;
	k->nrec = k->caprec = 0;
}

void sink_finish(struct cue_sink *k, struct doc *d)
{
	sink_flush_held(k);
	sink_release(k);
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
}

char *sink_take_text(struct cue_sink *k, size_t *len)
{
	sink_flush_held(k);
	sink_release(k);
	free(k->paras);
	k->paras = NULL;
	*len = k->text.len;
	if (!k->text.len) {
		buf_free(&k->text);
		return NULL;
	}
	return buf_take(&k->text);
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
	/* cue settings may follow without a space ("00:01.000line:40%") */
	return i == n || s[i] == ' ' || s[i] == '\t' || isalpha((unsigned char)s[i]);
}

/* 1 when a line that is not a timing line looks like a broken one: no
 * letters, and an arrow with a time, or two times with a dash between
 * ("00:00:07,500 -> 00:00:09,000", "00:01 - 00:04"); in WebVTT also any
 * line with "-->", which the format never lets cue text hold. Such a line
 * is never cue text. */
static int timing_like(const char *s, size_t n, int vtt)
{
	if (n > 400)
		return 0;
	if (vtt && memmem(s, n, "-->", 3))
		return 1;   /* WebVTT: cue text never holds "-->" */
	for (size_t i = 0; i < n; i++)
		if (isalpha((unsigned char)s[i]))
			return 0;   /* words: cue text */
	int arrow = memmem(s, n, "->", 2) != NULL, times = 0, dash = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '-' && times)
			dash = 1;
		if (!isdigit(c) || (i && (isdigit((unsigned char)s[i - 1]) || s[i - 1] == ':' ||
		                          s[i - 1] == '.' || s[i - 1] == ',')))
			continue;
		size_t j = i;
		while (j < n && isdigit((unsigned char)s[j]))
			j++;
		if (j + 1 < n && s[j] == ':' && isdigit((unsigned char)s[j + 1]))
			times++;
	}
	/* an arrow and a time ("00.00.000 --> 00:02.000"), or two times with
	 * a dash between; "1 -> 2" or "<-->" in a cue is text */
	return (arrow && times >= 1) || (times >= 2 && dash);
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
 * at the first 12 non-blank lines other than '#' comments: cue numbers,
 * comments and header lines may come before the first "-->" timing line,
 * and so may up to PROBE_UNKNOWN other lines (a title, a "Downloaded
 * from" line) when another timing line follows within PROBE_MORE lines
 * (one alone is enough after a single such line). A leading block of
 * comment lines (a hand-made SRT's URL, bilingual title and description)
 * may be long: up to 400 lines of it are passed. */
#define PROBE_UNKNOWN 3
#define PROBE_MORE 40
static int probe_arrow(const char *s, size_t n)
{
	size_t pos = 0;
	const char *line;
	size_t ln;
	int seen = 0, id = 0, comments = 0, unknown = 0;
	while (seen < 12 && comments < 400 && pt_next_line(s, n, &pos, &line, &ln)) {
		pt_trim(&line, &ln);
		if (ln == 0)
			continue;
		if (line[0] == '#') {
			comments++;
			continue;
		}
		seen++;
		double a, b;
		int comma = 0;
		if (arrow_timing(line, ln, &a, &b, &comma)) {
			int kind = comma || id || comments ? 1 : 2;
			if (unknown <= 1)
				return kind;
			/* several unknown lines: a second timing line must follow */
			for (int k = 0; k < PROBE_MORE && pt_next_line(s, n, &pos, &line, &ln); k++) {
				pt_trim(&line, &ln);
				if (arrow_timing(line, ln, &a, &b, NULL))
					return kind;
			}
			return 0;
		}
		if (all_digits(line, ln))
			id = 1;
		else if (!header_kv(line, ln) && ++unknown > PROBE_UNKNOWN)
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

/* Length of the markup at s[0..n) (s[0] == '<') that a reader drops, or
 * 0 when the '<' is text ("a < b", "2<3,5>1"). *vname and *vlen get the name
 * of a voice tag (<v Name>, <v.class Name>), *br is set for <br>. Markup:
 *  - a tag of a known name (c, i, b, u, v, lang, ruby, font, …) or of any
 *    other name that starts with a letter right after the '<' (the
 *    unknown tags <invalid_tag>…</invalid_tag> that readers hide), with
 *    classes and an annotation, up to its '>';
 *  - an end tag with spaces after the slash ("</ i>"), and "</>";
 *  - a timestamp, spaces allowed around it ("<00:01.000>", "< 00:01.000>",
 *    "<00:01.000 >");
 *  - in WebVTT, an end tag or a known start tag that is never closed
 *    ("</c awesome!"): up to the end of the line, as the WebVTT tokenizer
 *    reads it (in SRT only the end tag). */
static size_t markup_len(const char *s, size_t n, int vtt, const char **vname, size_t *vlen,
                         int *br)
{
	*vname = NULL;
	*vlen = 0;
	*br = 0;
	size_t lim = n < 256 ? n : 256, j = 1;
	int closing = j < lim && s[j] == '/';
	if (closing)
		j++;
	size_t sp = j;
	while (j < lim && s[j] == ' ')
		j++;
	sp = j - sp;
	if (closing && j < lim && s[j] == '>' && sp == 0)
		return j + 1;   /* "</>" */
	if (j < lim && isdigit((unsigned char)s[j])) {   /* a timestamp */
		if (closing)
			return 0;
		size_t d = j;
		while (j < lim && (isdigit((unsigned char)s[j]) || s[j] == ':' || s[j] == '.'))
			j++;
		if (!memchr(s + d, ':', j - d))
			return 0;
		while (j < lim && s[j] == ' ')
			j++;
		return j < lim && s[j] == '>' ? j + 1 : 0;
	}
	if (j >= lim || !isalpha((unsigned char)s[j]))
		return 0;
	size_t name = j;
	while (j < lim && (isalnum((unsigned char)s[j]) || s[j] == '_' || s[j] == '-' ||
	                   s[j] == '.' || s[j] == ':'))
		j++;
	int known = known_tag(s + name, j - name);
	if (sp && !(closing && known))
		return 0;   /* "< b >": text */
	if (j < lim && s[j] != '>' && s[j] != ' ' && s[j] != '\t' && s[j] != '/' && s[j] != '=')
		return 0;   /* "<name" followed by something no tag has */
	/* up to the '>'; in WebVTT a known tag's annotation runs over a '<'
	 * too ("<c.first That's awesome!</c>" is all one tag there) */
	size_t end = j;
	while (end < lim && s[end] != '>' && (s[end] != '<' || (vtt && known)))
		end++;
	if (end < lim && s[end] == '>') {
		if (!closing && j - name == 1 && s[name] == 'v') {
			/* <v Name>: the annotation is the speaker */
			const char *nm = s + j;
			size_t nn = end - j;
			pt_trim(&nm, &nn);
			*vname = nm;
			*vlen = nn;
		} else if (!closing && j - name >= 2 && s[name] == 'v' && s[name + 1] == '.') {
			const char *sp1 = memchr(s + name, ' ', end - name);
			if (sp1) {
				const char *nm = sp1 + 1;
				size_t nn = (size_t)(s + end - nm);
				pt_trim(&nm, &nn);
				*vname = nm;
				*vlen = nn;
			}
		} else if (!closing && j - name == 2 && pt_ieq(s + name, 2, "br")) {
			*br = 1;
		}
		return end + 1;
	}
	/* never closed on this line */
	if (end >= n && (closing ? known || vtt : vtt && known))
		return n;
	return 0;
}

/* Appends one cue line to b after a '\n' when it is not the cue's first
 * (*lines counts them), cleaned: markup (markup_len) and {\ass} overrides
 * removed, entities decoded, white space runs collapsed, trimmed. A voice
 * tag <v Name> becomes "Name: ". An empty line stays as an empty line: it
 * tells the rolling-caption dedup that nothing was carried over. */
static void put_cue_line(struct buf *b, const char *s, size_t n, int *lines, int vtt)
{
	if ((*lines)++)
		buf_putc(b, '\n');
	struct buf raw = { 0 };
	size_t i = 0, run = 0;
	/* Where the next '}' is, found once per stretch so a line of many
	 * '{\' stays linear; a tag is at most 256 bytes, so a line of many
	 * '<' is too. */
	const char *next_cb = NULL;
	int cb_known = 0;
	while (i < n) {
		if (s[i] == '<') {
			const char *vn;
			size_t vl;
			int br;
			size_t k = markup_len(s + i, n - i, vtt, &vn, &vl, &br);
			if (k) {
				buf_put(&raw, s + run, i - run);
				if (vl) {
					buf_put(&raw, vn, vl);
					buf_put(&raw, ": ", 2);
				} else if (br) {
					buf_putc(&raw, ' ');
				}
				i += k;
				run = i;
				continue;
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

/* A '#' comment line's text: the '#' and the spaces after it dropped. */
static void comment_text(const char **t, size_t *tn)
{
	(*t)++;
	(*tn)--;
	pt_trim(t, tn);
}

/* Reads the block of '#' comment lines at the top of an SRT or SBV file
 * (hand-made bilingual subtitles): the first URL names the video; the
 * title is a "# Title: …"/"# 标题：…" line, or the line after a "# Title"
 * / "# 标题" heading line. */
static void leading_comments(const char *s, size_t n, struct doc *d)
{
	static const char *const title_words[] = {
		"title", "标题", "標題", "题目", "題目", "视频标题", "視頻標題", "タイトル", "제목",
	};
	size_t pos = 0;
	const char *line;
	size_t ln;
	int want_title = 0;
	char *title = NULL;
	while (pt_next_line(s, n, &pos, &line, &ln)) {
		pt_trim(&line, &ln);
		if (ln == 0)
			continue;
		if (line[0] != '#')
			break;
		const char *t = line;
		size_t tn = ln;
		comment_text(&t, &tn);
		if (tn == 0)
			continue;
		if (!d->url && tn > 8 && (memcmp(t, "http://", 7) == 0 || memcmp(t, "https://", 8) == 0) &&
		    !memchr(t, ' ', tn)) {
			pt_set_field(&d->url, t, tn);
			d->video_id = pt_video_id_from_url(t, tn);
			continue;
		}
		if (title)
			continue;
		if (want_title) {
			title = pt_clean_title(t, tn, 300);
			continue;
		}
		for (size_t w = 0; w < sizeof title_words / sizeof title_words[0]; w++) {
			size_t k = strlen(title_words[w]);
			if (tn < k || !(pt_ieq(t, k, title_words[w]) || memcmp(t, title_words[w], k) == 0))
				continue;
			const char *v = t + k;
			size_t vn = tn - k;
			pt_trim(&v, &vn);
			if (vn == 0) {
				want_title = 1;   /* a heading: the title is on the next line */
			} else if (v[0] == ':' || v[0] == '=' || (vn >= 3 && memcmp(v, "\xef\xbc\x9a", 3) == 0)) {
				size_t skip = v[0] == ':' || v[0] == '=' ? 1 : 3;
				v += skip;
				vn -= skip;
				pt_trim(&v, &vn);
				title = pt_clean_title(v, vn, 300);
			}
			break;
		}
	}
	if (title) {
		free(d->title);
		d->title = title;
	}
}

/* Hands one cue to the sinks: the main text, the second language ('#'
 * comment lines inside the cue) or both go into the transcript, as the
 * options say; the other one into the second sink. */
static void put_cue(struct cue_sink *k, struct cue_sink *k2, const struct doc_opts *o,
                    double start, double end, const struct buf *cue, const struct buf *alt)
{
	const char *m = cue->p ? cue->p : "", *c = alt->p ? alt->p : "";
	if (!alt->len) {
		sink_add(k, start, end, m, cue->len);
		return;
	}
	switch (o->lang) {
	case DOC_LANG_SECOND:
		sink_add(k, start, end, c, alt->len);
		sink_add(k2, start, end, m, cue->len);
		break;
	case DOC_LANG_BOTH: {
		struct buf both = { 0 };
		buf_put(&both, m, cue->len);
		if (cue->len)
			buf_putc(&both, '\n');
		buf_put(&both, c, alt->len);
		sink_add(k, start, end, both.p, both.len);
		buf_free(&both);
		break;
	}
	default:
		sink_add(k, start, end, m, cue->len);
		sink_add(k2, start, end, c, alt->len);
		break;
	}
}

/* What the cue reader left out or guessed, for doc.note. */
struct cue_notes {
	size_t broken;          /* cues whose timing line is broken or missing */
	char broken_eg[192];    /* the first such line, or "" when missing */
	long missing_num;       /* the number of the first cue without a timing line */
	size_t before;          /* unknown lines before the first cue */
	char before_eg[192];
};

/* Copies a line for a note: one line, at most 40 display cells. */
static void note_sample(char *out, size_t n, const char *s, size_t len)
{
	char *t = pt_clean_title(s, len, 40);
	size_t tl = t ? strlen(t) : 0;
	size_t k = tl < n ? tl : utf8_cut(t, tl, n - 1);   /* whole characters */
	memcpy(out, t ? t : "", k);
	out[k] = '\0';
	free(t);
}

static void cue_notes_put(const struct cue_notes *cn, struct doc *d)
{
	struct buf b = { 0 };
	if (cn->broken) {
		buf_printf(&b, "%zu cue%s without a readable timing line", cn->broken,
		           cn->broken == 1 ? "" : "s");
		if (cn->broken_eg[0])
			buf_printf(&b, " (\"%s\")", cn->broken_eg);
		else if (cn->missing_num >= 0)
			buf_printf(&b, " (cue %ld has none)", cn->missing_num);
		buf_puts(&b, ": read with the time of the cue before");
	}
	if (cn->before)
		buf_printf(&b, "%s%zu line%s before the first cue skipped (\"%s\")", b.len ? "; " : "",
		           cn->before, cn->before == 1 ? "" : "s", cn->before_eg);
	if (!b.len)
		return;
	if (d->note) {
		free(d->note);
	}
	d->note = buf_take(&b);
}

/* The number of an all-digits line (at most 9 digits), else -1. */
static long cue_number(const char *s, size_t n)
{
	if (!all_digits(s, n) || n > 9)
		return -1;
	return strtol(s, NULL, 10);
}

/* Reads cues of any of the three formats into d. In SRT and SBV a '#'
 * line inside a cue is the cue's second language (hand-made bilingual
 * subtitles); a '#' line elsewhere is a comment. A broken timing line
 * ("00:00:07,500 -> 00:00:09,000") or an SRT cue number whose timing line
 * is missing starts a cue with the time of the cue before: neither the
 * line nor the number becomes text, and doc.note says so. */
static int read_cues(const char *s, size_t n, struct doc *d, enum cue_mode m,
                     const struct doc_opts *o, char *err, size_t errlen)
{
	struct cue_sink k, k2;
	sink_init(&k, 1);
	sink_init(&k2, 0);
	struct buf cue = { 0 }, alt = { 0 };
	double cs = -1, ce = -1;
	int in_cue = 0, after_blank = 1, skipping = 0, ncues = 0, cue_lines = 0, alt_lines = 0;
	int cue_closed = 0;   /* a truly empty line ended the cue's own lines */
	long last_num = -1;   /* the number of the last numbered cue */
	struct cue_notes cn = { .missing_num = -1 };
	size_t pos = 0;
	const char *line;
	size_t ln;
	int vtt = m == MODE_VTT;
#define START_CUE(A, B) do { \
		if (in_cue) \
			put_cue(&k, &k2, o, cs, ce, &cue, &alt); \
		cue.len = 0; \
		alt.len = 0; \
		cue_lines = 0; \
		alt_lines = 0; \
		cue_closed = 0; \
		cs = (A); \
		ce = (B); \
		in_cue = 1; \
		ncues++; \
		after_blank = 0; \
	} while (0)
	if (m != MODE_VTT)
		leading_comments(s, n, d);
	while (pt_next_line(s, n, &pos, &line, &ln)) {
		const char *t = line;
		size_t tn = ln;
		pt_trim(&t, &tn);
		if (tn == 0) {
			/* " " inside a cue is an empty cue line (a dedup marker) */
			if (ln > 0 && in_cue && !cue_closed && !skipping)
				put_cue_line(&cue, t, 0, &cue_lines, vtt);
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
			START_CUE(a, b);
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
			if (in_cue && !cue_closed) {
				comment_text(&t, &tn);
				if (tn)
					put_cue_line(&alt, t, tn, &alt_lines, vtt);
			}
			continue;   /* elsewhere: an SRT/SBV comment */
		}
		if (m != MODE_SBV && timing_like(t, tn, vtt)) {
			/* a broken timing line: a cue starts, its time unknown */
			if (!cn.broken++)
				note_sample(cn.broken_eg, sizeof cn.broken_eg, t, tn);
			double at = in_cue ? ce : -1;
			START_CUE(at, at);
			continue;
		}
		/* A cue identifier: the line right before a timing line (or a
		 * broken one). */
		size_t peek = pos;
		const char *nx;
		size_t nn;
		if (m != MODE_SBV && pt_next_line(s, n, &peek, &nx, &nn)) {
			pt_trim(&nx, &nn);
			double x, y;
			if ((after_blank || all_digits(t, tn) || !in_cue) &&
			    (arrow_timing(nx, nn, &x, &y, NULL) || timing_like(nx, nn, vtt))) {
				long num = cue_number(t, tn);
				if (num >= 0)
					last_num = num;
				after_blank = 0;
				continue;
			}
		}
		/* SRT: the next cue's number after a blank line, its timing line
		 * missing */
		if (m == MODE_SRT && in_cue && after_blank && last_num >= 0 &&
		    cue_number(t, tn) == last_num + 1) {
			last_num++;
			if (!cn.broken++)
				cn.missing_num = last_num;
			START_CUE(ce, ce);
			continue;
		}
		after_blank = 0;
		if (!in_cue) {
			if (!d->language && tn > 9 && pt_ieq(t, 9, "language:"))
				d->language = pt_language_tag(t + 9, tn - 9);
			else if (!header_kv(t, tn) && !all_digits(t, tn) && !cn.before++)
				note_sample(cn.before_eg, sizeof cn.before_eg, t, tn);
			continue;   /* header text before the first cue */
		}
		put_cue_line(&cue, t, tn, &cue_lines, vtt);
	}
#undef START_CUE
	if (in_cue)
		put_cue(&k, &k2, o, cs, ce, &cue, &alt);
	buf_free(&cue);
	buf_free(&alt);
	sink_finish(&k, d);
	d->second_text = sink_take_text(&k2, &d->second_len);
	if (ncues == 0) {
		pt_err(err, errlen, "no subtitle cues found");
		return -1;
	}
	cue_notes_put(&cn, d);
	return 0;
}

int parse_vtt(const char *s, size_t n, const struct doc_opts *o, struct doc *d,
              char *err, size_t errlen)
{
	d->format = DOC_VTT;
	return read_cues(s, n, d, MODE_VTT, o, err, errlen);
}

int parse_srt(const char *s, size_t n, const struct doc_opts *o, struct doc *d,
              char *err, size_t errlen)
{
	d->format = DOC_SRT;
	return read_cues(s, n, d, MODE_SRT, o, err, errlen);
}

int parse_sbv(const char *s, size_t n, const struct doc_opts *o, struct doc *d,
              char *err, size_t errlen)
{
	d->format = DOC_SBV;   /* "#https://…" at the top names the video */
	return read_cues(s, n, d, MODE_SBV, o, err, errlen);
}
