/* evidence_scan.c — text to the atoms evidence matching is made of: CJK
 * characters (simplified), Latin words (casefolded, accent-free) and
 * numbers with their units, however speech recognition wrote them.
 *
 * One pass, constant memory: every code point is folded the way the
 * archive's tokenizer folds it (NFKC compatibility forms, case folding,
 * marks stripped: full-width "ＨＬＥ" is "hle"), traditional characters
 * become simplified (db/t2s_table.c). Numbers are canonical digit strings
 * ("2,500" → "2500", "一百" → "100", "百分之四十四" → "44" with unit "%"),
 * with the unit written after them ("44%", "256 K", "100亿", "100 万",
 * "10倍"), so "100亿" and "一百亿" and "100 亿" are the same atom.
 */
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

#include "db/evidence_int.h"
#include "db/t2s.h"
#include "db/t2s_table.h"

#define WORD_MAX 64

/* The folded, simplified form of code point c (traditional characters
 * become simplified; others are returned unchanged): db/t2s.h, as the
 * archive's search folds them. */
static uint32_t ev_t2s(uint32_t c)
{
	return t2s_fold(c);
}

int ev_zh_common(uint32_t c)
{
	unsigned lo = 0, hi = zh_common_count;
	while (lo < hi) {
		unsigned mid = (lo + hi) / 2;
		if (zh_common[mid] < c)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < zh_common_count && zh_common[lo] == c;
}

static int is_cjk(uint32_t c)
{
	return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
	       (c >= 0x3040 && c <= 0x30FF) || (c >= 0x31F0 && c <= 0x31FF) ||
	       (c >= 0xAC00 && c <= 0xD7AF) || (c >= 0xF900 && c <= 0xFAFF) ||
	       (c >= 0x20000 && c <= 0x3134F) || c == 0x3005 || c == 0x3007;
}

static int is_letter(uint32_t c)
{
	if (c < 0x80)
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
	switch (utf8proc_category((utf8proc_int32_t)c)) {
	case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO:
		return 1;
	default:
		return 0;
	}
}

/* Decodes the code point at s[*i]; invalid bytes give U+FFFD and
 * advance one byte. */
static uint32_t decode(const char *s, size_t n, size_t *i)
{
	unsigned char c = (unsigned char)s[*i];
	if (c < 0x80) {
		(*i)++;
		return c;
	}
	utf8proc_int32_t cp;
	size_t room = n - *i;
	utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + *i,
	                                      (utf8proc_ssize_t)(room > 4 ? 4 : room), &cp);
	if (k <= 0) {
		(*i)++;
		return 0xFFFD;
	}
	*i += (size_t)k;
	return (uint32_t)cp;
}

/* Folds c into up to 8 code points (lower case, compatibility forms,
 * no marks, simplified); returns how many. */
static int fold(uint32_t c, uint32_t *out)
{
	if (c < 0x80) {
		out[0] = c >= 'A' && c <= 'Z' ? c + 32 : c;
		return 1;
	}
	if (c >= 0x4E00 && c <= 0x9FFF) {   /* common case: no decomposition */
		out[0] = ev_t2s(c);
		return 1;
	}
	utf8proc_int32_t buf[8];
	int last = 0;
	utf8proc_ssize_t k = utf8proc_decompose_char((utf8proc_int32_t)c, buf, 8,
		UTF8PROC_CASEFOLD | UTF8PROC_COMPAT | UTF8PROC_STRIPMARK | UTF8PROC_DECOMPOSE,
		&last);
	if (k <= 0 || k > 8) {
		out[0] = c;
		return 1;
	}
	for (utf8proc_ssize_t j = 0; j < k; j++)
		out[j] = ev_t2s((uint32_t)buf[j]);
	return (int)k;
}

/* Value of a Chinese digit, or -1. */
static int zh_digit(uint32_t c)
{
	switch (c) {
	case 0x96F6: case 0x3007: return 0;          /* 零 〇 */
	case 0x4E00: return 1;                       /* 一 */
	case 0x4E8C: case 0x4E24: return 2;          /* 二 两 */
	case 0x4E09: return 3;  case 0x56DB: return 4;  case 0x4E94: return 5;
	case 0x516D: return 6;  case 0x4E03: return 7;  case 0x516B: return 8;
	case 0x4E5D: return 9;
	default: return -1;
	}
}

/* Multiplier of 十 百 千, or 0. */
static int zh_mult(uint32_t c)
{
	return c == 0x5341 ? 10 : c == 0x767E ? 100 : c == 0x5343 ? 1000 : 0;
}

/* 1 for the unit characters kept with a number: 万 亿 倍. */
static int zh_unit(uint32_t c)
{
	return c == 0x4E07 || c == 0x4EBF || c == 0x500D;
}

struct sc {
	const char *s;
	size_t n;
	ev_atom_fn fn;
	void *ctx;
	/* the word being read */
	char word[WORD_MAX + 8];
	int wlen;
	size_t wstart, wend;
	int wjoined;
	/* what came before the current position */
	int prev_word;          /* last atom was a word … */
	size_t prev_word_end;   /* … ending here */
	int prev_num;           /* last atom was an Arabic number … */
	size_t prev_num_end;    /* … ending here */
	int prev_cjk;           /* last code point was CJK */
	int num_joined;         /* the number being read: ev_atom.joined */
	/* a run of Chinese numerals */
	uint32_t zn[16];
	int nzn;
	size_t zstart, zend;
	int z_percent;          /* 百分之 seen: the next numerals are a percentage */
	int z_hundred_pending;  /* 百 then 分: maybe 百分之 */
};

static void emit(struct sc *c, const struct ev_atom *a)
{
	c->fn(c->ctx, a);
}

static void flush_word(struct sc *c)
{
	if (c->wlen == 0)
		return;
	c->word[c->wlen] = '\0';
	struct ev_atom a = { EA_WORD, 0, c->word, c->wlen, "", c->wjoined, c->wstart, c->wend };
	emit(c, &a);
	c->wlen = 0;
	c->prev_word = 1;
	c->prev_word_end = c->wend;
}

/* The unit written after a number that ends at byte p: "%", a single
 * letter k/m/b/g/t/w, 万/亿/倍, or "percent", with at most one space
 * between. Returns "" when none. */
static const char *unit_after(const char *s, size_t n, size_t p)
{
	static const char *const letters[] = { "k", "m", "b", "g", "t", "w" };
	if (p < n && s[p] == ' ')
		p++;
	if (p >= n)
		return "";
	size_t i = p;
	uint32_t c = decode(s, n, &i);
	if (c == '%' || c == 0xFF05)
		return "%";
	/* 个百分点 / 百分点: percentage points */
	{
		size_t j = p;
		uint32_t w[4];
		int k = 0;
		while (k < 4 && j < n) {
			w[k] = ev_t2s(decode(s, n, &j));
			k++;
		}
		int o = k > 0 && w[0] == 0x4E2A ? 1 : 0;   /* 个 */
		if (k - o >= 3 && w[o] == 0x767E && w[o + 1] == 0x5206 && w[o + 2] == 0x70B9)
			return "%";
	}
	if (c == 0x4E07 || c == 0x842C)
		return "\xE4\xB8\x87";   /* 万 */
	if (c == 0x4EBF || c == 0x5104)
		return "\xE4\xBA\xBF";   /* 亿 */
	if (c == 0x500D)
		return "\xE5\x80\x8D";   /* 倍 */
	if (c < 0x80 && is_letter(c)) {
		if (n - p >= 7 && strncasecmp(s + p, "percent", 7) == 0 &&
		    (n - p == 7 || !is_letter((unsigned char)s[p + 7])))
			return "%";
		if (i < n && is_letter((unsigned char)s[i]))
			return "";
		uint32_t l = c | 0x20;
		for (size_t k = 0; k < sizeof letters / sizeof letters[0]; k++)
			if ((uint32_t)letters[k][0] == l)
				return letters[k];
	}
	return "";
}

/* The digit at s[*i] (ASCII or any form that folds to one, such as
 * full-width): its value, with *i moved past it; -1 (and *i unchanged)
 * when there is none. */
static int digit_at(const char *s, size_t n, size_t *i)
{
	if (*i >= n)
		return -1;
	unsigned char b = (unsigned char)s[*i];
	if (b >= '0' && b <= '9') {
		(*i)++;
		return b - '0';
	}
	/* digits that fold to ASCII: full width (U+FF10..FF19, EF BC 90..99)
	 * and other compatibility forms start with a byte >= 0xC2; CJK text
	 * (E4..E9) never holds one */
	if (b < 0xC2 || (b >= 0xE4 && b <= 0xE9))
		return -1;
	size_t j = *i;
	uint32_t c = decode(s, n, &j), f[8];
	if (fold(c, f) != 1 || f[0] < '0' || f[0] > '9')
		return -1;
	*i = j;
	return (int)(f[0] - '0');
}

/* The ASCII punctuation (or its full-width form) at s[i], else 0. */
static int punct_at(const char *s, size_t n, size_t i, size_t *after)
{
	if (i >= n)
		return 0;
	unsigned char b = (unsigned char)s[i];
	if (b == ',' || b == '.') {
		*after = i + 1;
		return b;
	}
	if (n - i >= 3 && memcmp(s + i, "\xEF\xBC\x8E", 3) == 0) {   /* ． */
		*after = i + 3;
		return '.';
	}
	return 0;
}

/* 1 when s[p..] is exactly three digits followed by a non-digit (what
 * follows a thousands separator). */
static int is_group(const char *s, size_t n, size_t p)
{
	for (int k = 0; k < 3; k++)
		if (digit_at(s, n, &p) < 0)
			return 0;
	return digit_at(s, n, &p) < 0;
}

/* Reads a number at s[p] (digits in any width, thousands separators, one
 * decimal point); emits it and returns the byte after it. */
static size_t read_number(struct sc *c, size_t p)
{
	char d[40];
	int dn = 0, dot = 0;
	size_t i = p;
	for (;;) {
		size_t j = i, after;
		int v = digit_at(c->s, c->n, &j);
		if (v >= 0) {
			if (dn < (int)sizeof d - 2)
				d[dn++] = (char)('0' + v);
			i = j;
			continue;
		}
		int pc = punct_at(c->s, c->n, i, &after);
		if (pc == ',' && dn > 0 && !dot && is_group(c->s, c->n, after)) {
			i = after;   /* thousands separator */
			continue;
		}
		j = after;
		if (pc == '.' && !dot && dn > 0 && digit_at(c->s, c->n, &j) >= 0) {
			if (dn < (int)sizeof d - 2)
				d[dn++] = '.';
			dot = 1;
			i = after;
			continue;
		}
		break;
	}
	/* canonical: no leading zeros, no trailing fractional zeros */
	d[dn] = '\0';
	char *q = d;
	while (q[0] == '0' && q[1] >= '0' && q[1] <= '9')
		q++;
	if (dot) {
		int k = (int)strlen(q);
		while (k > 0 && q[k - 1] == '0')
			q[--k] = '\0';
		if (k > 0 && q[k - 1] == '.')
			q[--k] = '\0';
	}
	struct ev_atom a = { EA_NUM, 0, q, (int)strlen(q), unit_after(c->s, c->n, i),
	                     c->num_joined, p, i };
	emit(c, &a);
	return i;
}

/* Emits the pending run of Chinese numerals (if it reads as a number),
 * next being the code point after it (0 at a boundary). */
static void flush_zh(struct sc *c, uint32_t next)
{
	int n = c->nzn;
	c->nzn = 0;
	if (n == 0)
		return;
	/* 一 alone is "a"/"one" in a thousand phrases (一个, 一下, 一些);
	 * 十分 is "very". Keep them only before a unit. */
	if (n == 1 && !zh_unit(next) && !c->z_percent) {
		if (c->zn[0] == 0x4E00 || (c->zn[0] == 0x5341 && next == 0x5206))
			return;
	}
	long long total = 0, cur = -1;
	int prev_digit = 0;
	for (int i = 0; i < n; i++) {
		int d = zh_digit(c->zn[i]);
		if (d >= 0) {
			cur = prev_digit && cur >= 0 ? cur * 10 + d : d;
			prev_digit = 1;
		} else {
			int m = zh_mult(c->zn[i]);
			total += (cur < 0 ? 1 : cur) * m;
			cur = -1;
			prev_digit = 0;
		}
	}
	if (cur >= 0)
		total += cur;
	char d[24];
	int dn = 0;
	long long v = total;
	char rev[24];
	do {
		rev[dn++] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0 && dn < 20);
	for (int i = 0; i < dn; i++)
		d[i] = rev[dn - 1 - i];
	d[dn] = '\0';
	const char *unit = "";
	if (c->z_percent)
		unit = "%";
	else if (next == 0x4E07)
		unit = "\xE4\xB8\x87";
	else if (next == 0x4EBF)
		unit = "\xE4\xBA\xBF";
	else if (next == 0x500D)
		unit = "\xE5\x80\x8D";
	c->z_percent = 0;
	struct ev_atom a = { EA_NUM, 0, d, dn, unit, 0, c->zstart, c->zend };
	emit(c, &a);
}

/* A CJK code point cp (folded) at bytes [at, end). */
static void on_cjk(struct sc *c, uint32_t cp, size_t at, size_t end)
{
	int numeral = zh_digit(cp) >= 0 || zh_mult(cp) > 0;
	if (c->z_hundred_pending) {
		c->z_hundred_pending = 0;
		if (cp == 0x4E4B) {          /* 之: 百分之 */
			c->z_percent = 1;
			c->nzn = 0;
			goto emit_char;
		}
	}
	if (numeral) {
		if (c->nzn == 0)
			c->zstart = at;
		if (c->nzn < (int)(sizeof c->zn / sizeof c->zn[0]))
			c->zn[c->nzn++] = cp;
		c->zend = end;
	} else if (c->nzn > 0) {
		if (cp == 0x5206 && c->nzn == 1 && c->zn[0] == 0x767E) {
			/* 百分: wait for 之 */
			c->nzn = 0;
			c->z_hundred_pending = 1;
		} else {
			flush_zh(c, cp);
		}
	} else {
		c->z_percent = 0;
	}
emit_char:;
	struct ev_atom a = { EA_CJK, cp, NULL, 0, "", c->prev_cjk, at, end };
	emit(c, &a);
	c->prev_cjk = 1;
	c->prev_word = 0;
}

void ev_scan(const char *s, size_t n, ev_atom_fn fn, void *ctx)
{
	struct sc c;
	memset(&c, 0, sizeof c);
	c.s = s;
	c.n = n;
	c.fn = fn;
	c.ctx = ctx;
	size_t i = 0;
	while (i < n) {
		size_t at = i;
		size_t probe = i;
		if (digit_at(s, n, &probe) >= 0) {
			int attached = c.wlen > 0;
			flush_word(&c);
			if (c.nzn)
				flush_zh(&c, 0);
			c.z_hundred_pending = 0;
			c.num_joined = attached ? 1 : c.prev_num && i == c.prev_num_end + 1 &&
			               s[c.prev_num_end] == ' ' ? 2 : 0;
			i = read_number(&c, i);
			c.prev_cjk = 0;
			c.prev_word = 0;
			c.prev_num = 1;
			c.prev_num_end = i;
			continue;
		}
		if (s[i] != ' ')
			c.prev_num = 0;
		uint32_t cp = decode(s, n, &i);
		uint32_t f[8];
		int k = fold(cp, f);
		for (int j = 0; j < k; j++) {
			uint32_t x = f[j];
			if (is_cjk(x)) {
				flush_word(&c);
				on_cjk(&c, x, at, i);
				continue;
			}
			if (c.nzn)
				flush_zh(&c, 0);
			c.z_hundred_pending = 0;
			c.z_percent = 0;
			c.prev_cjk = 0;
			if (x >= '0' && x <= '9') {
				/* a digit inside a compatibility form ("①", "½"): its own number */
				flush_word(&c);
				char d[2] = { (char)x, 0 };
				struct ev_atom a = { EA_NUM, 0, d, 1, "", 0, at, i };
				emit(&c, &a);
				c.prev_word = 0;
				continue;
			}
			if (is_letter(x)) {
				if (c.wlen == 0) {
					c.wstart = at;
					c.wjoined = c.prev_word && at == c.prev_word_end + 1 &&
					            s[c.prev_word_end] == ' ';
				}
				utf8proc_uint8_t enc[4];
				utf8proc_ssize_t m = utf8proc_encode_char((utf8proc_int32_t)x, enc);
				if (m > 0 && c.wlen + m <= WORD_MAX) {
					memcpy(c.word + c.wlen, enc, (size_t)m);
					c.wlen += (int)m;
				}
				c.wend = i;
				continue;
			}
			/* a separator (marks were stripped by the fold) */
			if (c.wlen)
				flush_word(&c);
			else if (x != ' ')
				c.prev_word = 0;
		}
	}
	flush_word(&c);
	if (c.nzn)
		flush_zh(&c, 0);
}
