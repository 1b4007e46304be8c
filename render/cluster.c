/* cluster.c — grapheme clusters and their widths (render/cluster.h). */
#include "render/cluster.h"
#include "render/cpwidth.h"
#include "render/utf8.h"

#include <utf8proc.h>

#define ESC_CAP 4096   /* longest escape sequence swallowed as one unit */

/* Decodes one code point at s[i..len); returns bytes used and sets *cp, or
 * returns 0 when the bytes at i are not valid UTF-8. */
static inline size_t dec(const char *s, size_t len, size_t i, int32_t *cp)
{
	return utf8_decode(s + i, len - i, cp);
}

/* Invisible format characters that start a cluster and are dropped. The
 * prepended concatenation marks (U+0600…) are visible and kept. */
static int is_dropped(int32_t c)
{
	if (c < 0xAD)
		return 0;
	if (c == 0xAD || c == 0x034F || c == 0x061C || c == 0x180E)
		return 1;
	if ((c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xE0100 && c <= 0xE01EF))
		return 1;   /* variation selector with nothing to vary */
	if (c >= 0x0600 && c <= 0x0605) return 0;
	if (c == 0x06DD || c == 0x070F || c == 0x0890 || c == 0x0891 ||
	    c == 0x08E2 || c == 0x110BD || c == 0x110CD)
		return 0;
	return utf8proc_category(c) == UTF8PROC_CATEGORY_CF;
}

int rs_drawn_in_cluster(int32_t c)
{
	if (c == 0x200C || c == 0x200D || (c >= 0xE0020 && c <= 0xE007F))
		return 1;
	if (c < 0xAD)
		return c >= 0x20 && c != 0x7F && !(c >= 0x80 && c < 0xA0);
	if (c == 0x2028 || c == 0x2029)
		return 0;
	return utf8proc_category(c) != UTF8PROC_CATEGORY_CF;
}

static int is_extpict(int32_t c)
{
	return utf8proc_get_property(c)->boundclass ==
	       UTF8PROC_BOUNDCLASS_EXTENDED_PICTOGRAPHIC;
}

static int is_ri(int32_t c) { return c >= 0x1F1E6 && c <= 0x1F1FF; }

/* End of an escape sequence whose introducer ended at i (the byte after
 * ESC or after the C1 introducer); kind is the introducer character. */
static size_t esc_end(const char *s, size_t len, size_t i, int intro)
{
	size_t cap = i + ESC_CAP < len ? i + ESC_CAP : len;
	if (intro == '[') {                /* CSI params, intermediates, final */
		while (i < cap && (unsigned char)s[i] >= 0x30 && (unsigned char)s[i] <= 0x3F)
			i++;
		while (i < cap && (unsigned char)s[i] >= 0x20 && (unsigned char)s[i] <= 0x2F)
			i++;
		if (i < cap && (unsigned char)s[i] >= 0x40 && (unsigned char)s[i] <= 0x7E)
			i++;
		return i;
	}
	/* OSC, DCS, SOS, PM, APC: a string ended by BEL or ST (ESC \ or
	 * U+009C); it also ends before a line end, CAN or SUB, or at the cap. */
	while (i < cap) {
		unsigned char b = (unsigned char)s[i];
		if (b == 0x07)
			return i + 1;
		if (b == 0x1B)
			return (i + 1 < len && s[i + 1] == '\\') ? i + 2 : i;
		if (b == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] == 0x9C)
			return i + 2;
		if (b == '\n' || b == '\r' || b == 0x18 || b == 0x1A)
			return i;
		i++;
	}
	return i;
}

/* After ESC at pos: the end of the whole sequence. */
static size_t esc_seq(const char *s, size_t len, size_t pos)
{
	size_t i = pos + 1;
	if (i >= len)
		return i;
	unsigned char b = (unsigned char)s[i];
	if (b == '[')
		return esc_end(s, len, i + 1, '[');
	if (b == ']' || b == 'P' || b == 'X' || b == '^' || b == '_')
		return esc_end(s, len, i + 1, ']');
	/* nF: intermediates then a final byte; Fp/Fe/Fs: one byte. */
	size_t cap = i + 16 < len ? i + 16 : len;
	while (i < cap && (unsigned char)s[i] >= 0x20 && (unsigned char)s[i] <= 0x2F)
		i++;
	if (i < len && (unsigned char)s[i] >= 0x30 && (unsigned char)s[i] <= 0x7E)
		i++;
	return i;
}

/* 1 when s[i..len) starts a 3-byte character that is 2 cells wide in
 * every setting and never part of a longer grapheme cluster's start:
 * U+3000–U+303E but U+302A–U+302F, U+4000–U+9FFF but U+4DC0–U+4DFF,
 * U+FF01–U+FF60. */
static inline int wide_at(const char *s, size_t len, size_t i)
{
	if (i + 2 >= len)
		return 0;
	unsigned char b = (unsigned char)s[i], b1 = (unsigned char)s[i + 1],
	              b2 = (unsigned char)s[i + 2];
	if ((b1 & 0xC0) != 0x80 || (b2 & 0xC0) != 0x80)
		return 0;
	if (b >= 0xE4 && b <= 0xE9)
		return !(b == 0xE4 && b1 == 0xB7);
	if (b == 0xE3)
		return b1 == 0x80 && !(b2 >= 0xAA && b2 <= 0xAF) && b2 != 0xBF;
	if (b == 0xEF)
		return (b1 == 0xBC && b2 >= 0x81) || (b1 == 0xBD && b2 <= 0xA0);
	return 0;
}

/* Width of a grapheme cluster that starts with code point base and
 * contains the flags seen while scanning it. */
static int cluster_width(int32_t base, int sum, int vs16, int joined_emoji,
                         int ri_pair, int keycap)
{
	if (is_ri(base))
		return ri_pair ? 2 : 1;
	if (is_extpict(base)) {
		int w = rw_cp_width(base);
		if (vs16 || joined_emoji)
			return 2;
		return w < 1 ? 1 : w;
	}
	if (keycap && vs16)
		return 2;
	if (vs16 && sum == 1)
		return 2;
	return sum;
}

size_t rs_next(const char *s, size_t len, size_t pos, struct rs_cluster *c)
{
	c->off = pos;
	unsigned char b = (unsigned char)s[pos];

	/* Fast path: printable ASCII not followed by a mark (next byte ASCII). */
	if (b >= 0x20 && b < 0x7F && (pos + 1 >= len || (unsigned char)s[pos + 1] < 0x80)) {
		c->len = 1;
		c->width = 1;
		c->cp = b;
		c->kind = b == ' ' ? RS_SPACE : RS_TEXT;
		return pos + 1;
	}

	/* Fast path: a CJK ideograph (U+4000–U+9FFF but the hexagrams
	 * U+4DC0–U+4DFF), CJK punctuation (U+3000–U+303E but the tone marks
	 * U+302A–U+302F) or a full-width form (U+FF01–U+FF60), followed by
	 * something that never extends a cluster: a cluster of its own,
	 * 2 cells. Most of a Chinese transcript goes this way. */
	if (b >= 0xE3 && b <= 0xEF && pos + 2 < len && wide_at(s, len, pos)) {
		size_t nx = pos + 3;
		if (nx >= len || (unsigned char)s[nx] < 0x80 || wide_at(s, len, nx)) {
			unsigned char b1 = (unsigned char)s[pos + 1], b2 = (unsigned char)s[pos + 2];
			c->len = 3;
			c->width = 2;
			c->cp = ((int32_t)(b & 0x0F) << 12) | ((int32_t)(b1 & 0x3F) << 6) | (b2 & 0x3F);
			c->kind = RS_TEXT;
			return pos + 3;
		}
	}

	int32_t cp;
	size_t n = dec(s, len, pos, &cp);
	if (n == 0) {                      /* one U+FFFD per invalid run */
		size_t i = pos + 1;
		int32_t t;
		while (i < len && (unsigned char)s[i] >= 0x80 && dec(s, len, i, &t) == 0)
			i++;
		c->len = i - pos;
		c->cp = 0xFFFD;
		c->kind = RS_INVALID;
		c->width = rw_cp_width(0xFFFD);
		return i;
	}
	c->cp = cp;
	if (cp < 0x20 || cp == 0x7F) {
		c->len = 1;
		c->width = 2;
		if (cp == '\n') {
			c->kind = RS_NEWLINE;
			c->width = 0;
		} else if (cp == '\r' && pos + 1 < len && s[pos + 1] == '\n') {
			c->kind = RS_NEWLINE;
			c->width = 0;
			c->len = 2;
		} else if (cp == '\t') {
			c->kind = RS_TAB;
			c->width = 0;
		} else if (cp == 0x1B) {
			c->kind = RS_ESCAPE;
			c->len = esc_seq(s, len, pos) - pos;
		} else {
			c->kind = RS_CONTROL;
		}
		return pos + c->len;
	}
	if (cp >= 0x80 && cp < 0xA0) {     /* C1 controls: 2 bytes each */
		c->kind = RS_CONTROL;
		c->width = 4;
		c->len = n;
		if (cp == 0x9B) {
			c->kind = RS_ESCAPE;
			c->len = esc_end(s, len, pos + n, '[') - pos;
		} else if (cp == 0x90 || cp == 0x98 || cp == 0x9D || cp == 0x9E || cp == 0x9F) {
			c->kind = RS_ESCAPE;
			c->len = esc_end(s, len, pos + n, ']') - pos;
		}
		return pos + c->len;
	}
	if (cp == 0x2028 || cp == 0x2029) {
		c->kind = RS_NEWLINE;
		c->width = 0;
		c->len = n;
		return pos + n;
	}
	if (is_dropped(cp)) {
		c->kind = RS_DROPPED;
		c->width = 0;
		c->len = n;
		return pos + n;
	}

	/* A grapheme cluster (utf8proc's Unicode 15 rules). */
	utf8proc_int32_t state = 0;
	int32_t prev = cp;
	int sum = rw_cp_width(cp), vs16 = 0, joined = 0, ris = is_ri(cp);
	int keycap = 0;
	size_t i = pos + n;
	while (i < len) {
		int32_t nc;
		size_t m = dec(s, len, i, &nc);
		if (m == 0 || nc < 0x20 || (nc >= 0x7F && nc < 0xA0))
			break;
		if (utf8proc_grapheme_break_stateful(prev, nc, &state))
			break;
		if (nc == 0xFE0F)
			vs16 = 1;
		else if (nc == 0x200D || (nc >= 0x1F3FB && nc <= 0x1F3FF))
			joined = 1;
		else if (nc == 0x20E3)
			keycap = 1;
		if (is_ri(nc))
			ris++;
		if (rs_drawn_in_cluster(nc))
			sum += rw_cp_width(nc);
		prev = nc;
		i += m;
	}
	c->len = i - pos;
	c->kind = cp == ' ' && c->len == 1 ? RS_SPACE : RS_TEXT;
	if (rw_cp_width(cp) == 0)          /* no spacing base: drawn on a space */
		c->width = 1 + sum;
	else
		c->width = cluster_width(cp, sum, vs16, joined, ris >= 2, keycap);
	return i;
}

