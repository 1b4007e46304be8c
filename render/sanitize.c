/* sanitize.c — safe glyphs for terminal display (the clusters and their
 * widths are render/cluster.c). */
#include "render/sanitize.h"
#include "render/alloc.h"
#include "render/cpwidth.h"
#include "render/utf8.h"
#include "render/width.h"

#include <stdlib.h>
#include <string.h>

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
			size_t m = utf8_decode(p + i, c->len - i, &cp);
			if (m == 0)
				break;        /* cannot happen: rs_next stops there */
			if (rs_drawn_in_cluster(cp)) {
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
	size_t skip = glyph[0] == ' ' && glen > 1;   /* a mark drawn on a space */
	size_t m = utf8_decode(glyph + skip, glen - skip, &base);
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

char *rs_clean_copy(const char *s, size_t len, size_t *outlen,
                    struct rs_removed *rm)
{
	struct rs_removed r = { 0, 0, 0, 0 };
	/* the copy is never longer than the text but for U+FFFD (3 bytes for
	 * each invalid run of at least 1) */
	size_t cap = len + 16, n = 0;
	char *out = xmalloc(cap);
	size_t pos = 0;
	while (pos < len) {
		struct rs_cluster c;
		pos = rs_next(s, len, pos, &c);
		const char *p = s + c.off;
		if (n + c.len + 4 > cap) {
			cap = (cap + c.len + 4) * 2;
			out = xrealloc(out, cap);
		}
		switch (c.kind) {
		case RS_SPACE: out[n++] = ' '; break;
		case RS_TAB: out[n++] = '\t'; break;
		case RS_NEWLINE: out[n++] = '\n'; break;
		case RS_CONTROL: r.controls++; break;
		case RS_ESCAPE:
			/* a lone ESC or C1 introducer is a sequence of one */
			r.escapes++;
			break;
		case RS_DROPPED: r.format++; break;
		case RS_INVALID:
			r.invalid++;
			memcpy(out + n, "\xEF\xBF\xBD", 3);
			n += 3;
			break;
		case RS_TEXT: {
			size_t i = 0;
			while (i < c.len) {
				int32_t cp;
				size_t m = utf8_decode(p + i, c.len - i, &cp);
				if (m == 0)
					break;   /* cannot happen: rs_next stops there */
				if (rs_drawn_in_cluster(cp)) {
					memcpy(out + n, p + i, m);
					n += m;
				} else {
					r.format++;
				}
				i += m;
			}
			break;
		}
		}
	}
	out[n] = '\0';
	if (outlen)
		*outlen = n;
	if (rm)
		*rm = r;
	return out;
}
