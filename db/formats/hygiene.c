/* hygiene.c — input hygiene and small text helpers for the readers:
 * binary detection, UTF-16 and UTF-8 cleaning, entities, titles, dates,
 * durations, URLs and the language guess. All linear in their input. */
#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "db/formats/formats_int.h"
#include "db/t2s_table.h"
#include "render/sanitize.h"
#include "render/width.h"

void pt_err(char *err, size_t errlen, const char *fmt, ...)
{
	if (!err || !errlen)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* ---- binary detection ---- */

static int has_prefix(const char *buf, size_t len, const char *magic, size_t m)
{
	return len >= m && memcmp(buf, magic, m) == 0;
}

/* Length of the valid UTF-8 sequence at s[0..len), or 0 when invalid. */
static inline size_t utf8_valid_len(const unsigned char *s, size_t len)
{
	int32_t cp;
	return utf8_decode((const char *)s, len, &cp);
}

const char *pt_binary_kind(const char *buf, size_t len)
{
	static const struct {
		const char *magic;
		size_t n;
		const char *kind;
	} magics[] = {
		{ "\x89PNG\r\n\x1a\n", 8, "PNG image" },
		{ "\x7f" "ELF", 4, "ELF executable" },
		{ "PK\x03\x04", 4, "zip archive" },
		{ "PK\x05\x06", 4, "zip archive" },
		{ "GIF87a", 6, "GIF image" },
		{ "GIF89a", 6, "GIF image" },
		{ "%PDF-", 5, "PDF document" },
		{ "\xff\xd8\xff", 3, "JPEG image" },
		{ "\x1f\x8b", 2, "gzip data" },
		{ "BZh", 3, NULL },   /* only with binary bytes, see below */
		{ "\xfd" "7zXZ", 5, "xz data" },
		{ "7z\xbc\xaf\x27\x1c", 6, "7z archive" },
		{ "Rar!\x1a\x07", 6, "RAR archive" },
		{ "\x28\xb5\x2f\xfd", 4, "zstd data" },
		{ "OggS", 4, "Ogg media" },
		{ "fLaC", 4, "FLAC audio" },
		{ "\x1a\x45\xdf\xa3", 4, "Matroska/WebM video" },
		{ "SQLite format 3", 16, "SQLite database" },
		{ "\xca\xfe\xba\xbe", 4, "Mach-O/Java class" },
		{ "\xcf\xfa\xed\xfe", 4, "Mach-O executable" },
		{ "MZ", 2, NULL },
		{ "RIFF", 4, NULL },
		{ "ID3", 3, NULL },
	};
	for (size_t i = 0; i < sizeof magics / sizeof magics[0]; i++)
		if (magics[i].kind && has_prefix(buf, len, magics[i].magic, magics[i].n))
			return magics[i].kind;
	if (len >= 12 && memcmp(buf + 4, "ftyp", 4) == 0)
		return "MP4/QuickTime media";

	/* Statistics over the first 8 KiB. */
	size_t n = len < 8192 ? len : 8192;
	const unsigned char *u = (const unsigned char *)buf;
	size_t nul = 0, ctrl = 0, bad = 0;
	for (size_t i = 0; i < n;) {
		unsigned c = u[i];
		if (c == 0) {
			nul++;
			i++;
			continue;
		}
		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' &&
		    c != '\v' && c != 0x1b) {
			ctrl++;
			i++;
			continue;
		}
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t k = utf8_valid_len(u + i, len - i);
		if (k == 0) {
			/* a sequence cut by the 8 KiB window is not bad */
			if (i + 4 > n && i + 4 <= len)
				k = 1;
			else
				bad++;
			i++;
		} else {
			i += k;
		}
	}
	if (n == 0)
		return NULL;
	/* Ambiguous magics need binary content too. */
	/* A handful of stray NULs in a short text is not binary. */
	int weird = (nul >= 4 && nul * 10 > n) || (nul + ctrl >= 4 && (nul + ctrl) * 5 > n) ||
	            (bad >= 4 && bad * 3 > n);
	if (weird) {
		if (has_prefix(buf, len, "RIFF", 4))
			return "RIFF media";
		if (has_prefix(buf, len, "ID3", 3))
			return "MP3 audio";
		if (has_prefix(buf, len, "MZ", 2))
			return "Windows executable";
		if (has_prefix(buf, len, "BZh", 3))
			return "bzip2 data";
		return "binary data";
	}
	/* Any NUL with many control bytes is binary too. */
	if (nul >= 2 && nul + ctrl >= 8 && (nul + ctrl) * 20 > n)
		return "binary data";
	return NULL;
}

/* ---- UTF-16 ---- */

char *pt_utf16_to_utf8(const char *buf, size_t len, size_t *outlen,
                       size_t *invalid)
{
	const unsigned char *u = (const unsigned char *)buf;
	int be;
	size_t i = 0;
	if (len >= 2 && u[0] == 0xFF && u[1] == 0xFE &&
	    !(len >= 4 && u[2] == 0 && u[3] == 0)) {
		be = 0;
		i = 2;
	} else if (len >= 2 && u[0] == 0xFE && u[1] == 0xFF) {
		be = 1;
		i = 2;
	} else {
		/* BOM-less: ASCII-heavy text has a NUL in every other byte. */
		size_t n = len < 4096 ? len & ~(size_t)1 : 4096;
		if (n < 8)
			return NULL;
		size_t even0 = 0, odd0 = 0;
		for (size_t k = 0; k < n; k += 2) {
			even0 += u[k] == 0;
			odd0 += u[k + 1] == 0;
		}
		size_t pairs = n / 2;
		if (even0 * 10 >= pairs * 7 && odd0 * 20 < pairs)
			be = 1;
		else if (odd0 * 10 >= pairs * 7 && even0 * 20 < pairs)
			be = 0;
		else
			return NULL;
	}
	struct buf b = { 0 };
	buf_reserve(&b, (len - i) / 2 * 3 + 4);
	while (i + 1 < len) {
		uint32_t w = be ? (uint32_t)(u[i] << 8 | u[i + 1])
		                : (uint32_t)(u[i + 1] << 8 | u[i]);
		i += 2;
		if (w >= 0xD800 && w <= 0xDBFF && i + 1 < len) {
			uint32_t w2 = be ? (uint32_t)(u[i] << 8 | u[i + 1])
			                 : (uint32_t)(u[i + 1] << 8 | u[i]);
			if (w2 >= 0xDC00 && w2 <= 0xDFFF) {
				i += 2;
				buf_put_cp(&b, 0x10000 + ((w - 0xD800) << 10) + (w2 - 0xDC00));
				continue;
			}
		}
		if (w >= 0xD800 && w <= 0xDFFF) {
			(*invalid)++;
			w = 0xFFFD;
		}
		if (w == 0)
			buf_put(&b, "", 1);   /* kept as a NUL byte; pt_clean drops it */
		else
			buf_put_cp(&b, w);
	}
	if (i < len)
		(*invalid)++;
	*outlen = b.len;
	return buf_take(&b);
}

/* ---- UTF-8 cleaning ---- */

char *pt_clean(const char *buf, size_t len, size_t *outlen,
               size_t *invalid, size_t *nuls)
{
	const unsigned char *u = (const unsigned char *)buf;
	size_t i = 0;
	if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF)
		i = 3;
	/* Usually no bigger than the input; invalid runs (1 byte → 3) grow it. */
	size_t cap_out = len - i + 16, o = 0;
	char *out = xmalloc(cap_out);
	int in_bad = 0;
	while (i < len) {
		unsigned c = u[i];
		if (o + 8 > cap_out) {
			if (cap_out > SIZE_MAX / 2) {
				fputs("precis: input too large\n", stderr);
				abort();
			}
			cap_out = cap_out * 2;
			out = xrealloc(out, cap_out);
		}
		if (c == 0) {
			(*nuls)++;
			i++;
			continue;
		}
		if (c == '\r') {
			out[o++] = '\n';
			i++;
			if (i < len && u[i] == '\n')
				i++;
			in_bad = 0;
			continue;
		}
		if (c < 0x80) {
			out[o++] = (char)c;
			i++;
			in_bad = 0;
			continue;
		}
		size_t k = utf8_valid_len(u + i, len - i);
		if (k == 0) {
			if (!in_bad) {
				out[o++] = (char)0xEF;
				out[o++] = (char)0xBF;
				out[o++] = (char)0xBD;
				(*invalid)++;
				in_bad = 1;
			}
			i++;
			continue;
		}
		in_bad = 0;
		if (k == 3 && u[i] == 0xEF && u[i + 1] == 0xBB && u[i + 2] == 0xBF) {
			i += 3;   /* U+FEFF: stray BOM from concatenated files */
			continue;
		}
		memcpy(out + o, u + i, k);
		o += k;
		i += k;
	}
	out[o] = '\0';
	*outlen = o;
	return out;
}

/* ---- lines and words ---- */

int pt_next_line(const char *s, size_t len, size_t *pos,
                 const char **line, size_t *n)
{
	if (*pos >= len)
		return 0;
	const char *p = s + *pos;
	const char *nl = memchr(p, '\n', len - *pos);
	size_t k = nl ? (size_t)(nl - p) : len - *pos;
	*line = p;
	*n = k;
	*pos += k + (nl ? 1 : 0);
	return 1;
}

/* Bytes of a white-space character at s[0..n) (ASCII space/tab/VT/FF,
 * U+00A0, U+3000), else 0. */
static size_t space_len(const char *s, size_t n)
{
	unsigned c = (unsigned char)s[0];
	if (c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\n')
		return 1;
	if (c == 0xC2 && n >= 2 && (unsigned char)s[1] == 0xA0)
		return 2;
	if (c == 0xE3 && n >= 3 && (unsigned char)s[1] == 0x80 && (unsigned char)s[2] == 0x80)
		return 3;
	return 0;
}

void pt_trim(const char **s, size_t *n)
{
	const char *p = *s;
	size_t k = *n, sl;
	while (k && (sl = space_len(p, k)) != 0) {
		p += sl;
		k -= sl;
	}
	for (;;) {
		if (k >= 1 && space_len(p + k - 1, 1) == 1 && (unsigned char)p[k - 1] < 0x80) {
			k--;
		} else if (k >= 2 && (unsigned char)p[k - 2] == 0xC2 && (unsigned char)p[k - 1] == 0xA0) {
			k -= 2;
		} else if (k >= 3 && (unsigned char)p[k - 3] == 0xE3 &&
		           (unsigned char)p[k - 2] == 0x80 && (unsigned char)p[k - 1] == 0x80) {
			k -= 3;
		} else {
			break;
		}
	}
	*s = p;
	*n = k;
}

int pt_is_blank(const char *s, size_t n)
{
	pt_trim(&s, &n);
	return n == 0;
}

int pt_ieq(const char *s, size_t n, const char *word)
{
	size_t w = strlen(word);
	if (w != n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (tolower((unsigned char)s[i]) != tolower((unsigned char)word[i]))
			return 0;
	return 1;
}

/* ---- entities ---- */

static const struct {
	const char *name;
	uint32_t cp;
} entities[] = {
	{ "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' },
	{ "apos", '\'' }, { "nbsp", ' ' }, { "ensp", ' ' }, { "emsp", ' ' },
	{ "thinsp", ' ' }, { "hellip", 0x2026 }, { "mdash", 0x2014 },
	{ "ndash", 0x2013 }, { "lsquo", 0x2018 }, { "rsquo", 0x2019 },
	{ "ldquo", 0x201C }, { "rdquo", 0x201D }, { "laquo", 0xAB },
	{ "raquo", 0xBB }, { "copy", 0xA9 }, { "reg", 0xAE }, { "trade", 0x2122 },
	{ "deg", 0xB0 }, { "middot", 0xB7 }, { "bull", 0x2022 }, { "times", 0xD7 },
	{ "eacute", 0xE9 }, { "egrave", 0xE8 }, { "aacute", 0xE1 }, { "agrave", 0xE0 },
	{ "ouml", 0xF6 }, { "uuml", 0xFC }, { "auml", 0xE4 }, { "szlig", 0xDF },
	{ "ccedil", 0xE7 }, { "ntilde", 0xF1 }, { "iexcl", 0xA1 }, { "iquest", 0xBF },
	{ "euro", 0x20AC }, { "pound", 0xA3 }, { "yen", 0xA5 }, { "cent", 0xA2 },
	{ "lrm", 0 }, { "rlm", 0 }, { "zwj", 0x200D }, { "zwnj", 0x200C },
};

/* Length of the entity at s[0..n) (s[0] == '&') with *cp its code point
 * (0 = drop), or 0 when it is not a known entity. */
static size_t entity_at(const char *s, size_t n, uint32_t *cp, int *drop)
{
	size_t semi = 0;
	for (size_t i = 1; i < n && i < 12; i++)
		if (s[i] == ';') {
			semi = i;
			break;
		}
	if (semi < 2)
		return 0;
	*drop = 0;
	if (s[1] == '#') {
		uint32_t v = 0;
		size_t i = 2;
		int hex = 0, digits = 0;
		if (i < semi && (s[i] == 'x' || s[i] == 'X')) {
			hex = 1;
			i++;
		}
		for (; i < semi; i++) {
			int d;
			char c = s[i];
			if (c >= '0' && c <= '9')
				d = c - '0';
			else if (hex && c >= 'a' && c <= 'f')
				d = c - 'a' + 10;
			else if (hex && c >= 'A' && c <= 'F')
				d = c - 'A' + 10;
			else
				return 0;
			if (v < 0x110000)
				v = v * (hex ? 16 : 10) + (uint32_t)d;
			digits++;
		}
		if (!digits)
			return 0;
		if (v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
			v = 0xFFFD;
		if (v == 0xA0)
			v = ' ';
		*cp = v;
		return semi + 1;
	}
	for (size_t e = 0; e < sizeof entities / sizeof entities[0]; e++) {
		size_t k = strlen(entities[e].name);
		if (k == semi - 1 && memcmp(s + 1, entities[e].name, k) == 0) {
			*cp = entities[e].cp;
			*drop = entities[e].cp == 0;
			return semi + 1;
		}
	}
	return 0;
}

void pt_put_decoded(struct buf *b, const char *s, size_t n)
{
	size_t i = 0, run = 0;
	while (i < n) {
		if (s[i] != '&') {
			i++;
			continue;
		}
		uint32_t cp = 0;
		int drop = 0;
		size_t k = entity_at(s + i, n - i, &cp, &drop);
		if (!k) {
			i++;
			continue;
		}
		buf_put(b, s + run, i - run);
		if (!drop)
			buf_put_cp(b, cp);
		i += k;
		run = i;
	}
	buf_put(b, s + run, n - run);
}

/* ---- titles ---- */

static int is_sentence_end(int32_t cp)
{
	return cp == '.' || cp == '!' || cp == '?' || cp == 0x3002 || cp == 0xFF01 ||
	       cp == 0xFF1F || cp == 0xFF0E || cp == 0x2026;
}

/* 1 when cp is dropped from a title: controls and the invisible marks
 * that reorder or hide text. */
static int title_drops(int32_t cp)
{
	return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) ||
	       cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
	       (cp >= 0x2066 && cp <= 0x2069) || cp == 0xAD;
}

char *pt_clean_title(const char *s, size_t n, int max_cells)
{
	/* One line: white space runs become one space, the rest of what
	 * title_drops() names goes, invalid bytes become U+FFFD. */
	struct buf b = { 0 };
	size_t i = 0;
	int pending_space = 0;
	while (i < n) {
		size_t at = i;
		int32_t cp;
		size_t k = utf8_decode(s + at, n - at, &cp);
		i += k ? k : 1;
		int ws = cp == ' ' || cp == '\t' || cp == '\n' || cp == '\v' ||
		         cp == '\f' || cp == 0xA0 || cp == 0x3000;
		if (ws) {
			pending_space = b.len > 0;
			continue;
		}
		if (title_drops(cp))
			continue;
		if (pending_space) {
			buf_putc(&b, ' ');
			pending_space = 0;
		}
		if (k)
			buf_put(&b, s + at, k);
		else
			buf_put_cp(&b, 0xFFFD);
	}
	if (b.len == 0) {
		buf_free(&b);
		return NULL;
	}
	if (max_cells <= 0)
		return buf_take(&b);

	/* Cut by the cluster widths render/ draws with (render/sanitize.h). */
	size_t pos = 0, cut = b.len, last_space = 0;
	int cells = 0, space_cells = 0, between_words = 0, prev_space = 0;
	while (pos < b.len) {
		struct rs_cluster c;
		size_t next = rs_next(b.p, b.len, pos, &c);
		if (cells + c.width > max_cells) {
			cut = pos;
			between_words = c.kind == RS_SPACE || prev_space;
			break;
		}
		prev_space = c.kind == RS_SPACE;
		if (prev_space) {
			last_space = pos;
			space_cells = cells;
		}
		cells += c.width;
		pos = next;
	}
	if (cut == b.len)
		return buf_take(&b);
	b.len = cut;
	/* Prefer a word boundary when one is in the last third. */
	if (!between_words && last_space && space_cells * 3 >= max_cells * 2)
		b.len = last_space;
	/* Drop trailing separators before the ellipsis. */
	while (b.len && strchr(" ,;:-", b.p[b.len - 1]))
		b.len--;
	b.p[b.len] = '\0';
	buf_puts(&b, "\xe2\x80\xa6");
	return buf_take(&b);
}

char *pt_title_from_text(const char *s, size_t n)
{
	const int max = 40;
	/* Look at a bounded prefix only, cut at a character boundary. */
	size_t k = utf8_cut(s, n, n < 4096 ? n : 4096);
	const char *p = s;
	pt_trim(&p, &k);
	/* Leading sound tags and labels ("(upbeat music)", "[Music]",
	 * "[SPEAKER_01]:") make poor titles. */
	for (;;) {
		if (k > 2 && ((p[0] == '-' && p[1] == ' ') || (p[0] == '>' && p[1] == '>'))) {
			p += 2;   /* speaker-change marks */
			k -= 2;
			pt_trim(&p, &k);
			continue;
		}
		if (k < 2 || (p[0] != '(' && p[0] != '['))
			break;
		const char *close = memchr(p, p[0] == '(' ? ')' : ']', k < 48 ? k : 48);
		if (!close)
			break;
		size_t skip = (size_t)(close - p) + 1;
		if (skip < k && p[skip] == ':')
			skip++;
		if (skip >= k)
			break;
		p += skip;
		k -= skip;
		pt_trim(&p, &k);
	}
	size_t i = 0, end = 0;
	int cells = 0;
	/* Whole sentences while the title is shorter than 12 cells. */
	while (i < k) {
		size_t at = i;
		int32_t cp = utf8_at(p, k, &i);
		if (cp == '\n' && i < k && p[i] == '\n') {
			end = at;   /* a title never runs into the next paragraph */
			break;
		}
		cells += cp < 0x20 ? 1 : rw_cp_width(cp);   /* a line end: a space */
		if (cells > max)
			break;
		if (!is_sentence_end(cp))
			continue;
		/* "3.5", "e.g" inside a word do not end a sentence */
		if ((cp == '.' || cp == 0xFF0E) && i < k && p[i] != ' ' && p[i] != '\n')
			continue;
		/* a full stop is left out, ? ! and … stay */
		end = (cp == '.' || cp == 0x3002 || cp == 0xFF0E) ? at : i;
		if (cells >= 12)
			break;
	}
	if ((i >= k && cells <= max) || end == 0)
		end = k;   /* the whole text fits, or no sentence end: cut by cells */
	char *t = pt_clean_title(p, end, max);
	if (t) {
		/* A dangling comma or colon looks broken. */
		size_t tl = strlen(t);
		for (;;) {
			if (tl && strchr(",;:.", t[tl - 1]))
				t[--tl] = '\0';
			else if (tl >= 3 && (memcmp(t + tl - 3, "\xef\xbc\x8c", 3) == 0 ||   /* ， */
			                     memcmp(t + tl - 3, "\xe3\x80\x81", 3) == 0 ||   /* 、 */
			                     memcmp(t + tl - 3, "\xe3\x80\x82", 3) == 0))    /* 。 */
				t[tl -= 3] = '\0';
			else
				break;
		}
		if (!t[0]) {
			free(t);
			t = NULL;
		}
	}
	return t;
}

/* ---- a title from the distinctive words of the whole text ---- */

#define KW_SCAN_MAX ((size_t)1 << 20)   /* bytes of text looked at */
#define KW_MIN_COUNT 3                  /* a term must occur this often */
#define KW_TERMS 4                      /* terms in a title at most */
#define KW_CELLS 40                     /* display cells of a title at most */

/* Words that say nothing about a text, English and Chinese (the frequent
 * words of conversation and of every subject). Kept sorted by nothing:
 * looked up through the hash table below. */
static const char *const kw_stop[] = {
	/* English: the frequent words of every subject, and of talk */
	"the", "and", "but", "for", "with", "from", "this", "that", "these", "those",
	"there", "here", "you", "your", "yours", "she", "her", "his", "him", "they",
	"them", "their", "our", "ours", "what", "which", "who", "whom", "whose", "when",
	"where", "why", "how", "all", "any", "both", "each", "few", "more", "most",
	"other", "some", "such", "only", "own", "same", "than", "too", "very", "can",
	"will", "just", "don", "should", "now", "also", "like", "get", "got", "going",
	"gonna", "know", "think", "really", "yeah", "okay", "right", "well", "want",
	"would", "could", "one", "two", "three", "four", "five", "ten", "hundred",
	"thousand", "about", "into", "over", "after", "before", "because", "out", "off",
	"again", "once", "even", "much", "many", "said", "say", "says", "saying", "thing",
	"things", "people", "person", "kind", "lot", "lots", "actually", "mean", "means",
	"something", "anything", "everything", "nothing", "someone", "anyone", "everyone",
	"way", "ways", "time", "times", "make", "makes", "making", "made", "let", "see",
	"seen", "saw", "look", "looks", "looking", "little", "bit", "sure", "good",
	"better", "best", "great", "need", "needs", "still", "back", "come", "comes",
	"coming", "came", "take", "takes", "taking", "took", "first", "last", "next",
	"then", "been", "being", "have", "has", "had", "having", "does", "did", "doing",
	"done", "not", "are", "was", "were", "its", "it's", "i'm", "don't", "that's",
	"we're", "they're", "you're", "can't", "there's", "doesn't", "didn't", "isn't",
	"wasn't", "aren't", "won't", "wouldn't", "couldn't", "shouldn't", "haven't",
	"what's", "let's", "i've", "i'll", "i'd", "we'll", "we've", "you'll", "you've",
	"he's", "she's", "it'll", "that'll", "who's", "here's", "how's", "where's",
	"gotta", "wanna", "cuz", "cause", "uh", "um", "uhm", "hmm", "huh", "yes", "yep",
	"nope", "guys", "guy", "stuff", "maybe", "pretty", "probably", "basically",
	"literally", "always", "never", "every", "thank", "thanks", "today", "tonight",
	"tomorrow", "yesterday", "year", "years", "day", "days", "week", "month",
	"another", "through", "while", "doing", "goes", "went", "gone", "put", "use",
	"uses", "used", "using", "able", "might", "must", "shall", "may", "ever",
	"around", "between", "under", "whole", "part", "different", "new", "old", "big",
	"small", "long", "short", "high", "low", "yourself", "myself", "himself",
	"herself", "itself", "ourselves", "themselves", "work", "works", "working",
	"worked", "give", "gives", "given", "gave", "find", "found", "tell", "told",
	"ask", "asked", "feel", "feels", "felt", "try", "trying", "tried", "call",
	"called", "keep", "kept", "start", "started", "show", "shows", "play", "run",
	"move", "live", "believe", "bring", "happen", "happened", "happens", "write",
	"provide", "sit", "stand", "lose", "pay", "meet", "include", "continue", "set",
	"learn", "change", "lead", "understand", "watch", "follow", "stop", "create",
	"speak", "read", "allow", "add", "spend", "grow", "open", "walk", "win", "offer",
	"remember", "love", "consider", "appear", "buy", "wait", "serve", "die", "send",
	"expect", "build", "stay", "fall", "cut", "reach", "kill", "remain", "guess",
	"bad", "worse", "worst", "real", "whatever", "wow", "yay", "nice", "cool",
	"awesome", "fine", "huge", "kinda", "sorta", "anyway", "anyways", "oh", "ah",
	"hey", "hi", "hello", "bye", "please", "sorry", "wanted", "knew", "known",
	"thought", "thinking", "point", "fact", "case", "place", "world", "number",
	"idea", "question", "problem", "problems", "hand", "end", "life", "man", "woman",
	"men", "women", "child", "kids", "side", "area", "level", "group", "system",
	"second", "minute", "minutes", "hour", "hours", "moment", "reason", "example",
	"important", "possible", "able", "whether", "though", "although", "however",
	"already", "enough", "almost", "quite", "rather", "less", "least", "else",
	"together", "either", "neither", "far", "away", "down", "without", "within",
	"against", "during", "since", "until", "upon", "toward", "towards", "among",
	"across", "behind", "beyond", "yet", "ago", "soon", "later", "early", "often",
	"sometimes", "usually", "really", "especially", "exactly", "certainly", "simply",
	"music", "applause", "laughter", "inaudible", "speaker", "foreign", "gonna",
	/* Chinese (simplified; traditional text is compared after mapping) */
	"大家", "问题", "里面", "比较", "事情", "今年", "时候", "之前", "今天", "非常",
	"东西", "应该", "时间", "或者", "已经", "肯定", "特别", "现在", "因为", "所以",
	"然后", "其实", "觉得", "什么", "怎么", "这个", "那个", "一个", "我们", "你们",
	"他们", "她们", "自己", "还是", "就是", "可能", "知道", "没有", "一些", "很多",
	"这样", "那样", "这么", "那么", "看到", "出来", "起来", "开始", "感觉", "包括",
	"可以", "需要", "一下", "一点", "为什么", "对吧", "但是", "如果", "而且", "不过",
	"反正", "当然", "一样", "比如", "所有", "整个", "一直", "直接", "最后", "后来",
	"之后", "以后", "以前", "当时", "刚才", "马上", "这种", "那种", "一种", "各种",
	"这些", "那些", "地方", "方面", "部分", "情况", "意思", "样子", "真的", "确实",
	"基本", "主要", "重要", "一般", "完全", "不是", "还有", "只是", "好像", "这边",
	"那边", "上面", "下面", "前面", "后面", "中间", "明年", "去年", "每天", "最近",
	"一起", "一定", "一次", "第一", "第二", "第三", "有点", "有些", "所谓", "时代",
	"这里", "那里", "哪里", "怎么样", "为了", "通过", "关于", "对于", "其中", "另外",
	"然而", "虽然", "因此", "于是", "而是", "只要", "只有", "除了", "之间", "之中",
	"之类", "这块", "那块", "对对", "好的", "是的", "谢谢", "朋友", "我觉得", "你看",
	"我说", "他说", "你说", "我想", "想想", "看看", "说说", "告诉", "发现", "变成",
	"成为", "作为", "认为", "当中", "本身", "目前", "同时", "甚至", "其他", "别人",
	"大概", "左右", "差不多", "多少", "人家", "明天", "昨天", "非常非常", "特别特别",
	"各种各样", "越来越", "第一次", "实际上", "事实上", "一方面", "的话", "时候",
	"这次", "那次", "整体", "也就是", "就是说", "怎么说", "比方说", "所以说", "为什么",
	"不会", "不能", "不要", "不用", "可是", "还要", "要是", "就算", "起码", "一边",
	"同样", "这样子", "那样子", "之所以", "首先", "其次", "总之", "然后呢", "所以呢",
};

/* Han characters that never start or end a term (particles, pronouns,
 * measure words), and those that never occur inside one. */
static const char kw_edge_han[] =
	"的了是在我你他她它这那就都也还和与吗呢吧啊哦嗯么个们有没不一上下来去说要会能对很"
	"到得着把被给让又而但很件些种点次位把被将从向于以及或等呀嘛哈呗啦哎喔噢诶";
static const char kw_inner_han[] = "的了是在和与也就都吗呢吧啊嘛呀哈啦";

/* A set of characters of the CJK Unified Ideographs block, as bits. */
struct kw_set {
	uint8_t bits[(0xA000 - 0x4E00) / 8];
};

static void kw_set_fill(struct kw_set *set, const char *list)
{
	memset(set, 0, sizeof *set);
	size_t n = strlen(list), i = 0;
	while (i < n) {
		int32_t cp = utf8_at(list, n, &i);
		if (cp >= 0x4E00 && cp < 0xA000)
			set->bits[(cp - 0x4E00) >> 3] |= (uint8_t)(1u << ((cp - 0x4E00) & 7));
	}
}

static int kw_in(const struct kw_set *set, int32_t cp)
{
	return cp >= 0x4E00 && cp < 0xA000 &&
	       (set->bits[(cp - 0x4E00) >> 3] >> ((cp - 0x4E00) & 7) & 1);
}

struct kw_ent {
	uint32_t hash, off, count, caps, upper;
	uint16_t len, chars;
	uint8_t kind;      /* 1 Latin word, 2 CJK n-gram, 0 empty */
	uint8_t dead;      /* absorbed by a longer term */
};

struct kw_table {
	struct kw_ent *e;
	size_t cap, used;
	const char *s;
	struct kw_set edge, inner;   /* kw_edge_han, kw_inner_han */
};

static uint32_t kw_hash(const char *p, size_t n, int fold)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (fold && c >= 'A' && c <= 'Z')
			c += 32;
		h = (h ^ c) * 16777619u;
	}
	return h ? h : 1;
}

static int kw_eq(const char *a, const char *b, size_t n, int fold)
{
	if (!fold)
		return memcmp(a, b, n) == 0;
	for (size_t i = 0; i < n; i++)
		if (tolower((unsigned char)a[i]) != tolower((unsigned char)b[i]))
			return 0;
	return 1;
}

/* The entry for text[off..off+len) (ASCII case folded for Latin words),
 * added when new. */
static struct kw_ent *kw_get(struct kw_table *t, size_t off, size_t len, int kind)
{
	if (t->used * 2 >= t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 4096;
		struct kw_ent *ne = xmalloc(cap * sizeof *ne);
		memset(ne, 0, cap * sizeof *ne);
		for (size_t i = 0; i < t->cap; i++) {
			if (!t->e[i].kind)
				continue;
			size_t j = t->e[i].hash & (cap - 1);
			while (ne[j].kind)
				j = (j + 1) & (cap - 1);
			ne[j] = t->e[i];
		}
		free(t->e);
		t->e = ne;
		t->cap = cap;
	}
	int fold = kind == 1;
	uint32_t h = kw_hash(t->s + off, len, fold);
	size_t j = h & (t->cap - 1);
	while (t->e[j].kind) {
		struct kw_ent *e = &t->e[j];
		if (e->hash == h && e->len == len && e->kind == kind && kw_eq(t->s + e->off, t->s + off, len, fold))
			return e;
		j = (j + 1) & (t->cap - 1);
	}
	struct kw_ent *e = &t->e[j];
	memset(e, 0, sizeof *e);
	e->hash = h;
	e->off = (uint32_t)off;
	e->len = (uint16_t)len;
	e->kind = (uint8_t)kind;
	t->used++;
	return e;
}

/* The entry for a stand-alone string (the stop list), or NULL. */
static const struct kw_ent *kw_find(const struct kw_table *t, const char *w, size_t n, int kind)
{
	if (!t->cap)
		return NULL;
	int fold = kind == 1;
	uint32_t h = kw_hash(w, n, fold);
	size_t j = h & (t->cap - 1);
	while (t->e[j].kind) {
		const struct kw_ent *e = &t->e[j];
		if (e->hash == h && e->len == n && e->kind == kind && kw_eq(t->s + e->off, w, n, fold))
			return e;
		j = (j + 1) & (t->cap - 1);
	}
	return NULL;
}

static int kw_han(int32_t c)
{
	return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
	       (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x2FFFF);
}

/* The simplified form of a traditional character (db/t2s_table.h), else
 * cp itself. */
static int32_t kw_simp(int32_t cp)
{
	if (cp < (int32_t)t2s_table[0].trad || cp > (int32_t)t2s_table[t2s_count - 1].trad)
		return cp;
	unsigned lo = 0, hi = t2s_count;
	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;
		if (t2s_table[mid].trad < (uint32_t)cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < t2s_count && t2s_table[lo].trad == (uint32_t)cp ? (int32_t)t2s_table[lo].simp : cp;
}


/* Counts the words of a Latin-script run s[a..b) (letters, digits, an
 * inner apostrophe): each at least 3 letters, or an acronym of 2. */
static void kw_word(struct kw_table *t, size_t a, size_t b)
{
	const char *s = t->s;
	size_t n = b - a;
	if (n < 2 || n > 40)
		return;
	size_t upper = 0, letters = 0;
	for (size_t i = a; i < b; i++) {
		unsigned char c = (unsigned char)s[i];
		if (isalpha(c)) {
			letters++;
			upper += isupper(c) != 0;
		}
	}
	if (letters == 0 || (n == 2 && upper != 2))
		return;
	struct kw_ent *e = kw_get(t, a, n, 1);
	e->count++;
	e->chars = (uint16_t)n;
	e->caps += isupper((unsigned char)s[a]) != 0;
	e->upper += upper == letters && letters >= 2;
}

/* Counts the 2-, 3- and 4-character n-grams of a Han run whose
 * characters start at off[0..cnt) (off[cnt] is its end). */
static void kw_han_run(struct kw_table *t, const size_t *off, const int32_t *cp, size_t cnt)
{
	for (size_t i = 0; i < cnt; i++) {
		if (kw_in(&t->edge, cp[i]))
			continue;
		for (size_t m = 2; m <= 4 && i + m <= cnt; m++) {
			if (kw_in(&t->inner, cp[i + m - 1]))
				break;
			if (kw_in(&t->edge, cp[i + m - 1]))
				continue;
			struct kw_ent *e = kw_get(t, off[i], off[i + m] - off[i], 2);
			e->count++;
			e->chars = (uint16_t)m;
		}
	}
}

static int kw_cmp(const void *a, const void *b)
{
	const struct kw_ent *x = *(const struct kw_ent *const *)a, *y = *(const struct kw_ent *const *)b;
	double sx = (double)x->count * (x->kind == 2 ? 1 + 0.5 * (x->chars - 2) : 1);
	double sy = (double)y->count * (y->kind == 2 ? 1 + 0.5 * (y->chars - 2) : 1);
	if (sx != sy)
		return sx < sy ? 1 : -1;
	return x->off < y->off ? -1 : x->off > y->off;   /* earlier first */
}

/* 1 when a's text occurs inside b's or b's inside a's (ASCII case folded). */
static int kw_overlaps(const char *s, const struct kw_ent *a, const struct kw_ent *b)
{
	const struct kw_ent *lo = a->len <= b->len ? a : b, *hi = lo == a ? b : a;
	for (size_t i = 0; i + lo->len <= hi->len; i++)
		if (kw_eq(s + hi->off + i, s + lo->off, lo->len, 1))
			return 1;
	return 0;
}

char *pt_title_guess(const char *s, size_t n)
{
	size_t lim = utf8_cut(s, n, n < KW_SCAN_MAX ? n : KW_SCAN_MAX);
	if (lim < 400)
		return NULL;   /* too little text: the opening words say more */
	struct kw_table t = { .s = s };
	kw_set_fill(&t.edge, kw_edge_han);
	kw_set_fill(&t.inner, kw_inner_han);
	enum { RUN = 64 };
	size_t off[RUN + 1];
	int32_t cps[RUN];
	size_t cnt = 0, i = 0, wstart = (size_t)-1;
	while (i <= lim) {
		size_t at = i;
		int32_t c = -1;
		if (i < lim)
			c = utf8_at(s, lim, &i);
		else
			i++;
		int word = c >= 0 && ((c < 0x80 && (isalnum((unsigned char)c) ||
		                                    (c == '\'' && wstart != (size_t)-1 && i < lim && isalpha((unsigned char)s[i])))) ||
		                      (c >= 0xC0 && c < 0x250 && c != 0xD7 && c != 0xF7));
		if (!word && wstart != (size_t)-1) {
			kw_word(&t, wstart, at);
			wstart = (size_t)-1;
		} else if (word && wstart == (size_t)-1) {
			wstart = at;
		}
		if (c >= 0 && kw_han(c)) {
			c = kw_simp(c);   /* the particle lists are simplified */
			if (cnt == RUN) {   /* long runs in overlapping chunks */
				off[cnt] = at;
				kw_han_run(&t, off, cps, cnt);
				memmove(off, off + RUN - 3, 3 * sizeof *off);
				memmove(cps, cps + RUN - 3, 3 * sizeof *cps);
				cnt = 3;
			}
			off[cnt] = at;
			cps[cnt++] = c;
		} else if (cnt) {
			off[cnt] = at;
			kw_han_run(&t, off, cps, cnt);
			cnt = 0;
		}
	}
	/* Stop words out, compared in simplified characters; a CJK term that
	 * holds a stop word ("其实自动", "聊一下") is two words run together. */
	for (size_t k = 0; k < t.cap; k++) {
		struct kw_ent *e = &t.e[k];
		if (!e->kind || e->count < KW_MIN_COUNT)
			continue;
		char simp[64];
		size_t sl = 0, x = 0, at[8], na = 0;
		while (x < e->len && sl + 4 < sizeof simp && na < 7) {
			at[na++] = sl;
			int32_t cp = utf8_at(s + e->off, e->len, &x);
			sl += utf8_encode(e->kind == 2 ? kw_simp(cp) : cp, simp + sl);
		}
		at[na] = sl;
		for (size_t w = 0; w < sizeof kw_stop / sizeof kw_stop[0] && !e->dead; w++) {
			size_t wl = strlen(kw_stop[w]);
			if (e->kind == 1) {
				e->dead = wl == e->len && kw_eq(kw_stop[w], s + e->off, wl, 1);
				continue;
			}
			for (size_t a = 0; a < na && !e->dead; a++)
				for (size_t z = a + 2; z <= na && !e->dead; z++)
					e->dead = at[z] - at[a] == wl && memcmp(simp + at[a], kw_stop[w], wl) == 0;
		}
	}
	/* A longer n-gram that holds most occurrences of its parts stands for
	 * them ("自动驾驶" over "动驾驶" and "自动"). */
	for (size_t k = 0; k < t.cap; k++) {
		struct kw_ent *e = &t.e[k];
		if (e->kind != 2 || e->chars < 3 || e->count < KW_MIN_COUNT || e->dead)
			continue;
		size_t first = utf8_next(s + e->off, e->len, &(int32_t){ 0 });
		size_t last = e->len - (e->len - utf8_prev(s + e->off, e->len));
		struct kw_ent *parts[2] = {
			(struct kw_ent *)kw_find(&t, s + e->off + first, e->len - first, 2),
			(struct kw_ent *)kw_find(&t, s + e->off, last, 2),
		};
		for (int p = 0; p < 2; p++)
			if (parts[p] && e->count * 10 >= parts[p]->count * 6)
				parts[p]->dead = 1;
	}
	struct kw_ent **c = xmalloc((t.used + 1) * sizeof *c);
	size_t nc = 0;
	for (size_t k = 0; k < t.cap; k++)
		if (t.e[k].kind && !t.e[k].dead && t.e[k].count >= KW_MIN_COUNT)
			c[nc++] = &t.e[k];
	qsort(c, nc, sizeof *c, kw_cmp);
	struct kw_ent *pick[KW_TERMS];
	size_t np = 0;
	int cells = 0;
	struct buf b = { 0 };
	for (size_t k = 0; k < nc && np < KW_TERMS; k++) {
		int skip = 0;
		for (size_t j = 0; j < np && !skip; j++)
			skip = kw_overlaps(s, c[k], pick[j]);
		if (skip)
			continue;
		int w = rw_width(s + c[k]->off, c[k]->len) + (np ? 3 : 0);
		if (cells + w > KW_CELLS)
			continue;   /* a shorter term may still fit */
		if (np)
			buf_puts(&b, " \xc2\xb7 ");
		size_t at = b.len;
		buf_put(&b, s + c[k]->off, c[k]->len);
		if (c[k]->kind == 1) {
			/* the usual spelling: AI, Bitcoin, ledger */
			int all_up = c[k]->upper * 2 > c[k]->count, cap = c[k]->caps * 2 > c[k]->count;
			for (size_t x = at; x < b.len; x++)
				b.p[x] = (char)(all_up ? toupper((unsigned char)b.p[x])
				                       : tolower((unsigned char)b.p[x]));
			if (cap && !all_up)
				b.p[at] = (char)toupper((unsigned char)b.p[at]);
		}
		cells += w;
		pick[np++] = c[k];
	}
	free(c);
	free(t.e);
	if (np < 2) {
		buf_free(&b);
		return NULL;
	}
	return buf_take(&b);
}

static int is_hexish(const char *s, size_t n)
{
	if (n < 6)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]) && s[i] != '-')
			return 0;
	return 1;
}

/* 1 when a file name carries no title: ids, hashes, generic words. */
static int name_is_uninformative(const char *s, size_t n)
{
	static const char *generic[] = {
		"transcript", "transcription", "captions", "caption", "subtitles",
		"subtitle", "subs", "audio", "video", "output", "out", "result",
		"text", "untitled", "index", "content", "stdin", "en", "zh", "ja",
	};
	/* "002_72c3af4b86c673dc": numeric prefix, then the name. */
	size_t i = 0;
	while (i < n && isdigit((unsigned char)s[i]))
		i++;
	if (i == n)
		return 1;   /* all digits */
	if (i > 0 && (s[i] == '_' || s[i] == '-' || s[i] == ' ')) {
		s += i + 1;
		n -= i + 1;
	}
	if (n == 0 || is_hexish(s, n))
		return 1;
	for (size_t g = 0; g < sizeof generic / sizeof generic[0]; g++)
		if (pt_ieq(s, n, generic[g]))
			return 1;
	return 0;
}

/* 1 when s[0..n) looks like a subtitle language tag ("en", "en-orig",
 * "zh-Hans", "pt-BR", "live_chat"). */
static int is_lang_tag(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && isalpha((unsigned char)s[i]))
		i++;
	if (i < 2 || i > 3)
		return n == 9 && memcmp(s, "live_chat", 9) == 0;
	while (i < n) {
		if (s[i] != '-' && s[i] != '_')
			return 0;
		size_t j = ++i;
		while (i < n && isalnum((unsigned char)s[i]))
			i++;
		if (i == j || i - j > 8)
			return 0;
	}
	return 1;
}

size_t pt_strip_extensions(const char *s, size_t n)
{
	static const char *exts[] = {
		".info.json", ".words.json", ".json", ".vtt", ".srt", ".sbv", ".txt",
		".md", ".markdown", ".text", ".sub", ".ass", ".ssa", ".ttml",
		".json3", ".srv3", ".lrc", ".tsv",
	};
	int stripped = 0;
	for (size_t e = 0; e < sizeof exts / sizeof exts[0]; e++) {
		size_t k = strlen(exts[e]);
		if (n > k && pt_ieq(s + n - k, k, exts[e])) {
			n -= k;
			stripped = 1;
			break;
		}
	}
	if (!stripped) {
		/* an unknown extension: drop it when short */
		for (size_t i = n; i > 0 && n - i < 6; i--)
			if (s[i - 1] == '.') {
				if (i - 1 > 0 && n - i > 0)
					n = i - 1;
				break;
			}
		return n;
	}
	/* media extension before .words.json / .json ("japanese.mp3.words") */
	static const char *media[] = { ".mp3", ".mp4", ".m4a", ".wav", ".webm", ".mkv", ".opus", ".ogg", ".flac" };
	for (size_t e = 0; e < sizeof media / sizeof media[0]; e++) {
		size_t k = strlen(media[e]);
		if (n > k && pt_ieq(s + n - k, k, media[e])) {
			n -= k;
			break;
		}
	}
	for (size_t i = n; i > 0 && n - i <= 12; i--)
		if (s[i - 1] == '.') {
			if (i - 1 > 0 && is_lang_tag(s + i, n - i))
				n = i - 1;
			break;
		}
	return n;
}

/* If s[0..n) ends with " [id]" (yt-dlp), returns the position of the
 * space/bracket to cut at and sets id/idn; else returns n. */
static size_t split_bracket_id(const char *s, size_t n, const char **id, size_t *idn)
{
	*id = NULL;
	*idn = 0;
	if (n < 3 || s[n - 1] != ']')
		return n;
	size_t i = n - 1;
	while (i > 0 && s[i - 1] != '[') {
		char c = s[i - 1];
		if (!(isalnum((unsigned char)c) || c == '-' || c == '_'))
			return n;
		i--;
	}
	if (i == 0 || n - 1 - i < 3 || n - 1 - i > 64)
		return n;
	*id = s + i;
	*idn = n - 1 - i;
	size_t cut = i - 1;
	while (cut > 0 && s[cut - 1] == ' ')
		cut--;
	return cut;
}

char *pt_title_from_path(const char *path, char **video_id)
{
	*video_id = NULL;
	if (!path || !*path)
		return NULL;
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t n = pt_strip_extensions(base, strlen(base));
	const char *id;
	size_t idn;
	size_t cut = split_bracket_id(base, n, &id, &idn);
	if (id)
		*video_id = xstrndup(id, idn);
	if (cut == 0 || name_is_uninformative(base, cut))
		return NULL;
	/* "001_Name": a sort number with an underscore is not the title */
	size_t d = 0;
	while (d < cut && d < 4 && isdigit((unsigned char)base[d]))
		d++;
	if (d > 0 && d < cut - 1 && base[d] == '_') {
		base += d + 1;
		cut -= d + 1;
	}
	/* "bitcoin_english_captions": underscores stand for spaces */
	char *t;
	if (!memchr(base, ' ', cut) && memchr(base, '_', cut)) {
		char *tmp = xstrndup(base, cut);
		for (char *q = tmp; *q; q++)
			if (*q == '_')
				*q = ' ';
		t = pt_clean_title(tmp, cut, 200);
		free(tmp);
	} else {
		t = pt_clean_title(base, cut, 200);
	}
	return t;
}

/* ---- durations, dates, URLs ---- */

long pt_parse_duration(const char *s, size_t n)
{
	pt_trim(&s, &n);
	if (n == 0 || n > 40)
		return -1;
	char tmp[48];
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	/* H:MM:SS, MM:SS, optionally with a fraction */
	if (strchr(tmp, ':')) {
		long parts[3];
		int np = 0;
		const char *p = tmp;
		while (*p) {
			if (np == 3 || !isdigit((unsigned char)*p))
				return -1;
			long v = 0;
			while (isdigit((unsigned char)*p)) {
				if (v > 100000000)
					return -1;
				v = v * 10 + (*p++ - '0');
			}
			parts[np++] = v;
			if (*p == ':')
				p++;
			else if (*p == '.' || *p == ',') {
				p++;
				while (isdigit((unsigned char)*p))
					p++;
				if (*p)
					return -1;
			} else if (*p)
				return -1;
		}
		if (np == 2)
			return parts[0] * 60 + parts[1];
		if (np == 3)
			return parts[0] * 3600 + parts[1] * 60 + parts[2];
		return -1;
	}
	/* ISO 8601 PT1H2M3S or 1h2m3s */
	const char *p = tmp;
	if (p[0] == 'P' || p[0] == 'p') {
		p++;
		if (*p == 'T' || *p == 't')
			p++;
	}
	long total = 0;
	int units = 0;
	while (*p) {
		if (!isdigit((unsigned char)*p))
			return -1;
		double v = strtod(p, (char **)&p);
		if (v < 0 || v > 1e9)
			return -1;
		while (*p == ' ')
			p++;
		char u = (char)tolower((unsigned char)*p);
		if (u == 'h')
			total += (long)(v * 3600);
		else if (u == 'm')
			total += (long)(v * 60);
		else if (u == 's')
			total += (long)v;
		else if (u == '\0' && units == 0)
			return (long)(v + 0.5);
		else
			return -1;
		units++;
		p++;
		if (u == 'm' && (strncmp(p, "in", 2) == 0))
			p += 2;
		while (*p == ' ')
			p++;
	}
	return units ? total : -1;
}

static int all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

char *pt_parse_date(const char *s, size_t n)
{
	pt_trim(&s, &n);
	if (n >= 2 && (s[0] == '"' || s[0] == '\'') && s[n - 1] == s[0]) {
		s++;
		n -= 2;
	}
	char out[32];
	if (n == 8 && all_digits(s, 8)) {
		snprintf(out, sizeof out, "%.4s-%.2s-%.2s", s, s + 4, s + 6);
		goto check;
	}
	if (n >= 10 && all_digits(s, 4) && (s[4] == '-' || s[4] == '/' || s[4] == '.') &&
	    all_digits(s + 5, 2) && s[7] == s[4] && all_digits(s + 8, 2)) {
		snprintf(out, sizeof out, "%.4s-%.2s-%.2s", s, s + 5, s + 8);
		if (n >= 16 && (s[10] == 'T' || s[10] == ' ') && all_digits(s + 11, 2) &&
		    s[13] == ':' && all_digits(s + 14, 2)) {
			size_t o = strlen(out);
			if (n >= 19 && s[16] == ':' && all_digits(s + 17, 2))
				snprintf(out + o, sizeof out - o, "T%.2s:%.2s:%.2s", s + 11, s + 14, s + 17);
			else
				snprintf(out + o, sizeof out - o, "T%.2s:%.2s:00", s + 11, s + 14);
		}
		goto check;
	}
	return NULL;
check:
	{
		int mon = (out[5] - '0') * 10 + (out[6] - '0');
		int day = (out[8] - '0') * 10 + (out[9] - '0');
		if (mon < 1 || mon > 12 || day < 1 || day > 31)
			return NULL;
	}
	return xstrdup(out);
}

static int is_id_char(char c)
{
	return isalnum((unsigned char)c) || c == '-' || c == '_';
}

/* Returns the id starting at s[0..n) (id characters, 6..64 of them). */
static char *take_id(const char *s, size_t n)
{
	size_t k = 0;
	while (k < n && is_id_char(s[k]))
		k++;
	if (k < 6 || k > 64)
		return NULL;
	return xstrndup(s, k);
}

/* Position just after needle in s[0..n), or NULL. */
static const char *after(const char *s, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	for (size_t i = 0; i + k <= n; i++)
		if (memcmp(s + i, needle, k) == 0)
			return s + i + k;
	return NULL;
}

char *pt_video_id_from_url(const char *s, size_t n)
{
	pt_trim(&s, &n);
	if (n > 2048)
		return NULL;
	const char *p;
	int yt = after(s, n, "youtube.com/") || after(s, n, "youtube-nocookie.com/");
	if ((p = after(s, n, "youtu.be/")))
		return take_id(p, n - (size_t)(p - s));
	if (!yt)
		return NULL;
	static const char *paths[] = { "/shorts/", "/embed/", "/live/", "/v/", "/e/" };
	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
		if ((p = after(s, n, paths[i])))
			return take_id(p, n - (size_t)(p - s));
	if ((p = after(s, n, "?v=")) || (p = after(s, n, "&v=")))
		return take_id(p, n - (size_t)(p - s));
	return NULL;
}

/* ---- language ---- */

const char *pt_guess_language(const char *s, size_t n)
{
	size_t lim = n < (1u << 20) ? n : (1u << 20);
	size_t han = 0, kana = 0, hangul = 0, latin = 0, cyr = 0, greek = 0,
	       arabic = 0, hebrew = 0, thai = 0, deva = 0;
	for (size_t i = 0; i < lim;) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80) {
			if (isalpha(c))
				latin++;
			i++;
			continue;
		}
		int32_t cp = utf8_at(s, lim, &i);
		if ((cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
		    (cp >= 0x20000 && cp <= 0x2FFFF) || (cp >= 0xF900 && cp <= 0xFAFF))
			han++;
		else if ((cp >= 0x3041 && cp <= 0x30FF && cp != 0x30FB && cp != 0x30FC) ||
		         (cp >= 0x31F0 && cp <= 0x31FF) || (cp >= 0xFF66 && cp <= 0xFF9D))
			kana++;
		else if ((cp >= 0xAC00 && cp <= 0xD7AF) || (cp >= 0x1100 && cp <= 0x11FF) ||
		         (cp >= 0x3130 && cp <= 0x318F))
			hangul++;
		else if ((cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) ||
		         (cp >= 0x1E00 && cp <= 0x1EFF))
			latin++;
		else if (cp >= 0x400 && cp <= 0x4FF)
			cyr++;
		else if (cp >= 0x370 && cp <= 0x3FF)
			greek++;
		else if (cp >= 0x600 && cp <= 0x6FF)
			arabic++;
		else if (cp >= 0x590 && cp <= 0x5FF)
			hebrew++;
		else if (cp >= 0xE00 && cp <= 0xE7F)
			thai++;
		else if (cp >= 0x900 && cp <= 0x97F)
			deva++;
	}
	/* A CJK character carries about a word: weigh it like 3 letters. */
	size_t cjk = (han + kana + hangul) * 3;
	size_t best = latin;
	const char *lang = latin ? "en" : NULL;
	if (cjk > best) {
		best = cjk;
		if (hangul * 2 > han + kana)
			lang = "ko";
		else if (kana * 20 > han + kana)
			lang = "ja";
		else
			lang = "zh";
	}
	const struct {
		size_t n;
		const char *l;
	} other[] = { { cyr, "ru" }, { greek, "el" }, { arabic, "ar" },
	              { hebrew, "he" }, { thai, "th" }, { deva, "hi" } };
	for (size_t i = 0; i < sizeof other / sizeof other[0]; i++)
		if (other[i].n > best) {
			best = other[i].n;
			lang = other[i].l;
		}
	return lang;
}

char *pt_language_tag(const char *s, size_t n)
{
	pt_trim(&s, &n);
	size_t i = 0;
	while (i < n && isalpha((unsigned char)s[i]))
		i++;
	if (i < 2 || i > 3 || (i < n && s[i] != '-' && s[i] != '_'))
		return NULL;
	char *t = xstrndup(s, i);
	for (size_t k = 0; k < i; k++)
		t[k] = (char)tolower((unsigned char)t[k]);
	return t;
}

void pt_set_field(char **field, const char *s, size_t n)
{
	pt_trim(&s, &n);
	if (n == 0)
		return;
	free(*field);
	*field = xstrndup(s, n);
}

/* ---- legacy CJK encodings ---- */

/* Frequent Chinese characters (simplified and traditional): real Chinese
 * text is ~40% these, a wrong decoding almost never hits them. */
static const char common_han[] =
	"的一是不了在人有我他这個个们們中来來上大为為和国國地到以说說时時要就出会會"
	"可也你对對生能而子那得于於着著下自之年过過发發后後作里裡用道行所然家种種事"
	"成方多经經么麼去法学學如都同现現当當没沒动動面起看定天分还還进進好小部其些"
	"主样樣理心她本前开開但因只从從想实實很吗嗎呢吧啊";

/* Frequent Korean syllables, for the same purpose. */
static const char common_hangul[] =
	"이다는의에가을를고하지한서기로도리사으어자니들시수해대구보게것요나일라있그"
	"적습아마정주전부내상여인우장스면위만제과했와거소까비원동개러성되없말던음야";

static int in_list(const char *list, size_t n, int32_t cp)
{
	size_t i = 0;
	while (i < n)
		if (utf8_at(list, n, &i) == cp)
			return 1;
	return 0;
}

static int is_common_han(int32_t cp)
{
	if (cp >= 0xAC00 && cp <= 0xD7A3)
		return in_list(common_hangul, sizeof common_hangul - 1, cp);
	return in_list(common_han, sizeof common_han - 1, cp);
}

/* Share (0..1000) of the non-ASCII characters of s that a real text in a
 * CJK language would use often: common Han, kana, common hangul, CJK
 * punctuation. */
static int plausibility(const char *s, size_t n)
{
	size_t lim = n < 65536 ? n : 65536, i = 0, total = 0, good = 0;
	while (i < lim) {
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		int32_t cp = utf8_at(s, lim, &i);
		total++;
		if ((cp >= 0x3041 && cp <= 0x30FF) || (cp >= 0x3000 && cp <= 0x303F) ||
		    (cp >= 0xFF01 && cp <= 0xFF5E) || is_common_han(cp))
			good++;
	}
	return total ? (int)(good * 1000 / total) : 0;
}

/* Strict conversion of buf from charset to UTF-8; NULL on any error. */
static char *iconv_strict(const char *charset, const char *buf, size_t len, size_t *outlen)
{
	iconv_t cd = iconv_open("UTF-8", charset);
	if (cd == (iconv_t)-1)
		return NULL;
	size_t cap = len * 2 + 16;
	char *out = xmalloc(cap);
	char *in = (char *)buf, *o = out;
	size_t inleft = len, oleft = cap - 1;
	while (inleft > 0) {
		if (iconv(cd, &in, &inleft, &o, &oleft) == (size_t)-1) {
			if (errno == E2BIG) {
				size_t used = (size_t)(o - out);
				cap *= 2;
				out = xrealloc(out, cap);
				o = out + used;
				oleft = cap - used - 1;
				continue;
			}
			free(out);
			iconv_close(cd);
			return NULL;
		}
	}
	iconv_close(cd);
	*o = '\0';
	*outlen = (size_t)(o - out);
	return out;
}

char *pt_decode_legacy(const char *buf, size_t len, size_t *outlen,
                       const char **charset)
{
	/* Count in the first 64 KiB: invalid UTF-8 starts vs valid multibyte. */
	const unsigned char *u = (const unsigned char *)buf;
	size_t n = len < 65536 ? len : 65536, bad = 0, good = 0;
	for (size_t i = 0; i < n;) {
		if (u[i] == 0)
			return NULL;   /* NUL bytes: not a legacy text file */
		if (u[i] < 0x80) {
			i++;
			continue;
		}
		size_t k = utf8_valid_len(u + i, len - i);
		if (k) {
			good++;
			i += k;
		} else {
			bad++;
			i++;
		}
	}
	if (bad < 8 || bad <= good)
		return NULL;
	static const char *candidates[] = { "GB18030", "BIG5", "SHIFT_JIS", "EUC-JP", "EUC-KR" };
	char *best = NULL;
	size_t best_len = 0;
	int best_score = 150;   /* at least 15% frequent characters */
	for (size_t c = 0; c < sizeof candidates / sizeof candidates[0]; c++) {
		size_t ol = 0;
		char *o = iconv_strict(candidates[c], buf, len, &ol);
		if (!o)
			continue;
		int score = plausibility(o, ol);
		if (score > best_score) {
			free(best);
			best = o;
			best_len = ol;
			best_score = score;
			*charset = candidates[c];
		} else {
			free(o);
		}
	}
	if (best)
		*outlen = best_len;
	return best;
}
