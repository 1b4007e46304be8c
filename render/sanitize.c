/* sanitize.c — clusters, widths and safe glyphs for terminal display. */
#include "render/sanitize.h"
#include "render/alloc.h"
#include "render/width.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define ESC_CAP 4096   /* longest escape sequence swallowed as one unit */

/* Decodes one code point at s[i..len); returns bytes used and sets *cp, or
 * returns 0 when the bytes at i are not valid UTF-8. */
static inline size_t dec(const char *s, size_t len, size_t i, int32_t *cp)
{
	unsigned char b = (unsigned char)s[i];
	if (b < 0x80) {
		*cp = b;
		return 1;
	}
	utf8proc_int32_t c;
	utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
	                                      (utf8proc_ssize_t)(len - i), &c);
	if (n <= 0)
		return 0;
	*cp = c;
	return (size_t)n;
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

/* Format characters allowed inside a drawn cluster (joiners, tags). */
static int keep_in_cluster(int32_t c)
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
		if (keep_in_cluster(nc))
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

/* ---------------------------------------------------------------------- */

static const char *const c0_names[32] = {
	"^@", "^A", "^B", "^C", "^D", "^E", "^F", "^G", "^H", "^I", "^J", "^K",
	"^L", "^M", "^N", "^O", "^P", "^Q", "^R", "^S", "^T", "^U", "^V", "^W",
	"^X", "^Y", "^Z", "^[", "^\\", "^]", "^^", "^_",
};

static size_t put(char *out, size_t at, const char *str, size_t n)
{
	if (at + n > RS_GLYPH_MAX - 1)
		return at;
	memcpy(out + at, str, n);
	return at + n;
}

/* Stand-in for a cluster libc and the terminal may draw at another width:
 * written into out, exactly width cells, all of them agreed on. */
static size_t substitute(const char *glyph, size_t glen, int width, char *out);

size_t rs_glyph(const char *s, const struct rs_cluster *c, char *out,
                int *placeholder)
{
	size_t n = 0;
	int ph = 0;
	const char *p = s + c->off;
	switch (c->kind) {
	case RS_SPACE:
		n = put(out, 0, " ", 1);
		break;
	case RS_TAB:
	case RS_NEWLINE:
	case RS_DROPPED:
		break;
	case RS_CONTROL:
	control:
		ph = 1;
		if (c->cp < 0x20)
			n = put(out, 0, c0_names[c->cp], 2);
		else if (c->cp == 0x7F)
			n = put(out, 0, "^?", 2);
		else {
			static const char hex[] = "0123456789abcdef";
			char buf[4] = { '<', hex[(c->cp >> 4) & 15], hex[c->cp & 15], '>' };
			n = put(out, 0, buf, 4);
		}
		break;
	case RS_ESCAPE:
		if (c->cp == 0x1B) {
			ph = 1;
			n = put(out, 0, "^[", 2);
			break;
		}
		goto control;   /* a C1 introducer shows as its hex code */
	case RS_INVALID:
		ph = 1;
		n = put(out, 0, "\xEF\xBF\xBD", 3);
		break;
	case RS_TEXT: {
		if (rw_cp_width(c->cp) == 0)
			n = put(out, 0, " ", 1);
		size_t i = 0;
		while (i < c->len) {
			int32_t cp;
			size_t m = dec(p, c->len, i, &cp);
			if (m == 0)
				break;        /* cannot happen: rs_next stops there */
			if (keep_in_cluster(cp)) {
				size_t before = n;
				n = put(out, n, p + i, m);
				if (n == before)
					break;    /* full: keep what fits */
			}
			i += m;
		}
		break;
	}
	}
	out[n] = '\0';
	if (rw_terminal_safe_mode() && c->width > 0 && n > 0 &&
	    (c->kind == RS_TEXT || c->kind == RS_INVALID) &&
	    !rw_terminal_safe(out, n)) {
		char tmp[RS_GLYPH_MAX];
		memcpy(tmp, out, n + 1);
		n = substitute(tmp, n, c->width, out);
		ph = 1;
	}
	if (placeholder)
		*placeholder = ph;
	return n;
}

/* ASCII stand-ins for common ambiguous punctuation. */
static const char *ascii_fallback(int32_t c)
{
	switch (c) {
	case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x2032:
		return "'";
	case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0x2033:
		return "\"";
	case 0x2026: return "...";
	case 0x2014: case 0x2015: return "--";
	case 0x2013: case 0x2010: case 0x2212: return "-";
	case 0x00B7: case 0x2027: case 0x2022: case 0x2219: return "*";
	case 0x00D7: return "x";
	case 0x00F7: return "/";
	case 0x00B0: return "o";
	case 0x00B1: return "+-";
	case 0x2192: return "->";
	case 0x2190: return "<-";
	case 0x2191: return "^";
	case 0x2193: return "v";
	case 0x21D2: return "=>";
	case 0x2264: return "<=";
	case 0x2265: return ">=";
	case 0x2260: return "!=";
	case 0x00A7: return "S";
	case 0x00AE: return "(R)";
	case 0x00A9: return "(C)";
	case 0x2122: return "TM";
	case 0x00BF: return "?";
	case 0x00A1: return "!";
	case 0xFFFD: return "?";
	}
	return NULL;
}

static size_t substitute(const char *glyph, size_t glen, int width, char *out)
{
	int32_t base;
	size_t m = dec(glyph, glen, glyph[0] == ' ' && glen > 1 ? 1 : 0, &base);
	size_t n = 0;
	if (m && glyph[0] != ' ') {
		/* The base alone, when every party agrees on it and it fits. */
		char one[8];
		memcpy(one, glyph, m);
		int lw = rw_libc_width(one, m);
		if (lw >= 1 && lw <= width && rw_cp_width(base) == lw &&
		    !(rw_ambiguous_wide() && rw_is_ambiguous(base))) {
			n = put(out, 0, one, m);
			for (int k = lw; k < width; k++)
				n = put(out, n, " ", 1);
			out[n] = '\0';
			return n;
		}
		const char *fb = ascii_fallback(base);
		if (fb) {
			int k = 0;
			for (; fb[k] && k < width; k++)
				out[n++] = fb[k];
			for (; k < width; k++)
				out[n++] = ' ';
			out[n] = '\0';
			return n;
		}
	}
	if (width >= 2) {
		n = put(out, 0, "\xE3\x80\x93", 3);   /* U+3013 GETA MARK: W */
		for (int k = 2; k < width; k++)
			n = put(out, n, " ", 1);
	} else {
		for (int k = 0; k < width; k++)
			n = put(out, n, "?", 1);
	}
	out[n] = '\0';
	return n;
}

/* The glyph of cluster c in a one-line copy: line ends and tabs as one
 * space (msg == 0) or as visible names (msg != 0). Returns its length. */
static size_t line_glyph(const char *s, const struct rs_cluster *c, int msg,
                         char g[RS_GLYPH_MAX])
{
	if (c->kind != RS_TAB && c->kind != RS_NEWLINE)
		return rs_glyph(s, c, g, NULL);
	if (!msg) {
		g[0] = ' ';
		g[1] = '\0';
		return 1;
	}
	const char *name = c->kind == RS_TAB ? "^I"
	                 : c->cp == 0x2028 ? "<2028>"
	                 : c->cp == 0x2029 ? "<2029>"
	                 : c->len == 2 ? "^M^J" : "^J";
	size_t n = strlen(name);
	memcpy(g, name, n + 1);
	return n;
}

/* A one-line cleaned copy of s[0..len) (see rs_clean_line, rs_clean_msg). */
static char *clean_one_line(const char *s, size_t len, int msg, size_t *outlen)
{
	size_t cap = len * 2 + 16, n = 0;
	char *out = xmalloc(cap);
	size_t pos = 0;
	while (pos < len) {
		struct rs_cluster c;
		pos = rs_next(s, len, pos, &c);
		char g[RS_GLYPH_MAX];
		size_t gl = line_glyph(s, &c, msg, g);
		if (n + gl + 1 > cap) {
			cap = (cap + gl) * 2;
			out = xrealloc(out, cap);
		}
		memcpy(out + n, g, gl);
		n += gl;
	}
	out[n] = '\0';
	if (outlen)
		*outlen = n;
	return out;
}

char *rs_clean_line(const char *s, size_t len, size_t *outlen)
{
	return clean_one_line(s, len, 0, outlen);
}

char *rs_clean_msg(const char *s, size_t len, size_t *outlen)
{
	return clean_one_line(s, len, 1, outlen);
}
