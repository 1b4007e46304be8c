/* parse_text.c — label text, entities, colours and styles for the
 * Mermaid parser (render/mermaid/parse.c). Every function is linear in its
 * input.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "render/mermaid/parse_int.h"

/* ---------- entities ---------- */

struct entity {
	const char *name;
	uint32_t cp;
};

static const struct entity ENTITIES[] = {
	{"quot", '"'},     {"amp", '&'},      {"lt", '<'},       {"gt", '>'},
	{"apos", '\''},    {"nbsp", ' '},     {"ensp", ' '},     {"emsp", ' '},
	{"thinsp", ' '},   {"copy", 0xA9},    {"reg", 0xAE},     {"trade", 0x2122},
	{"hellip", 0x2026}, {"mdash", 0x2014}, {"ndash", 0x2013}, {"minus", 0x2212},
	{"lsquo", 0x2018}, {"rsquo", 0x2019}, {"ldquo", 0x201C}, {"rdquo", 0x201D},
	{"laquo", 0xAB},   {"raquo", 0xBB},   {"middot", 0xB7},  {"bull", 0x2022},
	{"deg", 0xB0},     {"plusmn", 0xB1},  {"times", 0xD7},   {"divide", 0xF7},
	{"micro", 0xB5},   {"para", 0xB6},    {"sect", 0xA7},    {"cent", 0xA2},
	{"pound", 0xA3},   {"yen", 0xA5},     {"euro", 0x20AC},  {"larr", 0x2190},
	{"uarr", 0x2191},  {"rarr", 0x2192},  {"darr", 0x2193},  {"harr", 0x2194},
	{"lArr", 0x21D0},  {"rArr", 0x21D2},  {"hArr", 0x21D4},  {"le", 0x2264},
	{"ge", 0x2265},    {"ne", 0x2260},    {"asymp", 0x2248}, {"infin", 0x221E},
	{"hearts", 0x2665}, {"spades", 0x2660}, {"clubs", 0x2663}, {"diams", 0x2666},
	{"check", 0x2713}, {"cross", 0x2717}, {"star", 0x2606},  {"starf", 0x2605},
	{"alpha", 0x3B1},  {"beta", 0x3B2},   {"gamma", 0x3B3},  {"delta", 0x3B4},
	{"lambda", 0x3BB}, {"mu", 0x3BC},     {"pi", 0x3C0},     {"sigma", 0x3C3},
	{"omega", 0x3C9},  {"Delta", 0x394},  {"Sigma", 0x3A3},  {"Omega", 0x3A9},
	{"semi", ';'},     {"colon", ':'},    {"num", '#'},      {"lpar", '('},
	{"rpar", ')'},     {"lsqb", '['},     {"rsqb", ']'},     {"lcub", '{'},
	{"rcub", '}'},     {"vert", '|'},     {"excl", '!'},     {"commat", '@'},
	{"sup2", 0xB2},    {"sup3", 0xB3},    {"frac12", 0xBD},  {"iexcl", 0xA1},
};

/* Decodes an entity body (between '#'/'&' and ';'). Returns false when it
 * is not one we know. */
static bool entity_cp(const char *s, size_t len, uint32_t *cp)
{
	if (len == 0 || len > 10)
		return false;
	if (s[0] == '#' || isdigit((unsigned char)s[0]) || ((s[0] == 'x' || s[0] == 'X') && len > 1 && isxdigit((unsigned char)s[1]) && s[0] != '#')) {
		size_t k = s[0] == '#' ? 1 : 0;
		int base = 10;
		if (k < len && (s[k] == 'x' || s[k] == 'X')) {
			base = 16;
			k++;
		}
		if (k >= len)
			return false;
		uint32_t v = 0;
		for (; k < len; k++) {
			int d;
			char c = s[k];
			if (c >= '0' && c <= '9')
				d = c - '0';
			else if (base == 16 && c >= 'a' && c <= 'f')
				d = c - 'a' + 10;
			else if (base == 16 && c >= 'A' && c <= 'F')
				d = c - 'A' + 10;
			else
				return false;
			v = v * (uint32_t)base + (uint32_t)d;
			if (v > 0x10FFFF)
				return false;
		}
		*cp = v;
		return true;
	}
	for (size_t e = 0; e < sizeof ENTITIES / sizeof ENTITIES[0]; e++)
		if (strlen(ENTITIES[e].name) == len && memcmp(ENTITIES[e].name, s, len) == 0) {
			*cp = ENTITIES[e].cp;
			return true;
		}
	return false;
}

/* ---------- tags ---------- */

/* Length of a <br> variant at s (<br>, <br/>, <br />, </br>), or 0. */
static size_t br_len(const char *s, size_t left)
{
	size_t k = 1;
	if (left < 4 || s[0] != '<')
		return 0;
	if (s[k] == '/')
		k++;
	if (k + 2 > left || strncasecmp(s + k, "br", 2) != 0)
		return 0;
	k += 2;
	while (k < left && (s[k] == ' ' || s[k] == '\t'))
		k++;
	if (k < left && s[k] == '/')
		k++;
	if (k < left && s[k] == '>')
		return k + 1;
	return 0;
}

static const char *const FORMAT_TAGS[] = {
	"b", "i", "u", "s", "em", "strong", "small", "big", "sub", "sup", "code",
	"span", "font", "p", "div", "del", "ins", "mark", "tt", "kbd", "strike",
};

/* Length of a simple formatting tag at s (<b>, </strong>, <span class=…>),
 * or 0 when it is not one (so "< 1ms" and "<0.5%" stay text). */
static size_t tag_len(const char *s, size_t left)
{
	if (left < 3 || s[0] != '<')
		return 0;
	size_t k = 1;
	if (s[k] == '/')
		k++;
	size_t a = k;
	while (k < left && isalpha((unsigned char)s[k]))
		k++;
	size_t nl = k - a;
	if (!nl)
		return 0;
	bool known = false;
	for (size_t t = 0; t < sizeof FORMAT_TAGS / sizeof FORMAT_TAGS[0]; t++)
		if (strlen(FORMAT_TAGS[t]) == nl && strncasecmp(FORMAT_TAGS[t], s + a, nl) == 0)
			known = true;
	if (!known)
		return 0;
	if (k < left && s[k] == '>')
		return k + 1;
	if (k < left && s[k] == ' ' && s[1] != '/') {
		/* attributes: up to '>' on the same line, at most 200 bytes */
		for (size_t e = k; e < left && e < k + 200 && s[e] != '\n'; e++)
			if (s[e] == '>')
				return e + 1;
	}
	return 0;
}

/* ---------- Markdown strings ---------- */

static bool md_boundary(const char *s, size_t len, size_t k)
{
	return k >= len || k == SIZE_MAX || s[k] == ' ' || s[k] == '\n' || s[k] == '\t' ||
	       ispunct((unsigned char)s[k]);
}

/* Strips Markdown emphasis markers and code backticks from s[0..len). */
static void md_strip(const char *s, size_t len, struct buf *out)
{
	for (size_t k = 0; k < len; k++) {
		char c = s[k];
		if (c == '*' || c == '`')
			continue;
		if (c == '_') {
			bool before = k == 0 || md_boundary(s, len, k - 1);
			bool after = md_boundary(s, len, k + 1);
			if (before || after)
				continue;
		}
		buf_putc(out, c);
	}
}

/* ---------- sanitising ---------- */

static bool corrupting(int32_t cp)
{
	return cp == 0xAD || cp == 0x200B || cp == 0x200E || cp == 0x200F ||
	       (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF ||
	       cp == 0x061C;
}

/* Copies s into out as clean UTF-8: invalid runs become one U+FFFD,
 * tabs spaces, other control characters U+FFFD; keeps '\n'. */
static void sanitize(const char *s, size_t len, struct buf *out)
{
	size_t k = 0;
	bool in_bad = false;
	while (k < len) {
		unsigned char u = (unsigned char)s[k];
		if (u >= 0x20 && u < 0x7F) {
			/* printable ASCII run */
			size_t r = k + 1;
			while (r < len && (unsigned char)s[r] >= 0x20 && (unsigned char)s[r] < 0x7F)
				r++;
			buf_put(out, s + k, r - k);
			k = r;
			in_bad = false;
			continue;
		}
		int32_t cp;
		size_t l = rw_decode(s + k, len - k, &cp);
		if (l == 0)
			l = 1;
		bool bad = cp == 0xFFFD && !(l == 3 && memcmp(s + k, "\xEF\xBF\xBD", 3) == 0);
		if (bad) {
			if (!in_bad)
				buf_put_cp(out, 0xFFFD);
			in_bad = true;
			k += l;
			continue;
		}
		in_bad = false;
		k += l;
		if (cp == '\t')
			cp = ' ';
		if (cp == '\r')
			continue;
		if (cp == '\n') {
			buf_putc(out, '\n');
			continue;
		}
		if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) {
			buf_put_cp(out, 0xFFFD);
			continue;
		}
		if (corrupting(cp))
			continue;
		if (cp == 0xA0 || cp == 0x3000)
			cp = cp == 0xA0 ? ' ' : 0x3000;
		buf_put_cp(out, cp);
	}
}

/* Trims every line, drops blank first and last lines. */
static char *trim_lines(const char *s, size_t len)
{
	struct buf out = {0};
	size_t k = 0;
	bool any = false;
	size_t pending_blank = 0;
	while (k <= len) {
		const char *nl = k < len ? memchr(s + k, '\n', len - k) : NULL;
		size_t e = nl ? (size_t)(nl - s) : len;
		size_t a = k, b = e;
		while (a < b && s[a] == ' ')
			a++;
		while (b > a && s[b - 1] == ' ')
			b--;
		if (a == b) {
			if (any)
				pending_blank++;
		} else {
			if (any) {
				buf_putc(&out, '\n');
				for (; pending_blank; pending_blank--)
					buf_putc(&out, '\n');
			}
			buf_put(&out, s + a, b - a);
			any = true;
		}
		pending_blank = a == b ? pending_blank : 0;
		if (!nl)
			break;
		k = e + 1;
	}
	return buf_take(&out);
}

char *mp_label(const char *raw, size_t len, bool md)
{
	struct buf a = {0}, b = {0}, c = {0};
	if (md && len >= 2 && raw[0] == '`' && raw[len - 1] == '`') {
		md_strip(raw + 1, len - 2, &a);
	} else {
		buf_put(&a, raw, len);
	}
	const char *s = a.p ? a.p : "";
	size_t n = a.len;
	for (size_t k = 0; k < n;) {
		char ch = s[k];
		if (ch == '<') {
			size_t l = br_len(s + k, n - k);
			if (l) {
				buf_putc(&b, '\n');
				k += l;
				continue;
			}
			l = tag_len(s + k, n - k);
			if (l) {
				k += l;
				continue;
			}
		}
		if (ch == '#' || ch == '&') {
			const char *semi = memchr(s + k + 1, ';', (n - k - 1) < 12 ? (n - k - 1) : 12);
			uint32_t cp;
			if (semi && entity_cp(s + k + 1, (size_t)(semi - s) - k - 1, &cp)) {
				if (ch == '#' && s[k + 1] == '#') {
					/* "##x;" is not an entity */
				} else {
					buf_put_cp(&b, cp ? cp : 0xFFFD);
					k = (size_t)(semi - s) + 1;
					continue;
				}
			}
		}
		/* copy the run up to the next character that may start markup */
		size_t r = k + 1;
		while (r < n && s[r] != '<' && s[r] != '#' && s[r] != '&')
			r++;
		buf_put(&b, s + k, r - k);
		k = r;
	}
	sanitize(b.p ? b.p : "", b.len, &c);
	char *r = trim_lines(c.p ? c.p : "", c.len);
	free(a.p);
	free(b.p);
	free(c.p);
	return r;
}

char *mp_label_plain(const char *id, size_t len)
{
	struct buf c = {0};
	sanitize(id, len, &c);
	return buf_take(&c);
}

/* ---------- colours and styles ---------- */

struct named_color {
	const char *name;
	uint32_t rgb;
};

static const struct named_color COLORS[] = {
	{"black", 0x000000},     {"white", 0xFFFFFF},     {"red", 0xFF0000},
	{"green", 0x008000},     {"blue", 0x0000FF},      {"yellow", 0xFFFF00},
	{"orange", 0xFFA500},    {"purple", 0x800080},    {"gray", 0x808080},
	{"grey", 0x808080},      {"silver", 0xC0C0C0},    {"maroon", 0x800000},
	{"navy", 0x000080},      {"teal", 0x008080},      {"olive", 0x808000},
	{"lime", 0x00FF00},      {"aqua", 0x00FFFF},      {"cyan", 0x00FFFF},
	{"fuchsia", 0xFF00FF},   {"magenta", 0xFF00FF},   {"pink", 0xFFC0CB},
	{"brown", 0xA52A2A},     {"gold", 0xFFD700},      {"darkred", 0x8B0000},
	{"darkgreen", 0x006400}, {"darkblue", 0x00008B},  {"darkorange", 0xFF8C00},
	{"lightblue", 0xADD8E6}, {"lightgreen", 0x90EE90}, {"lightgray", 0xD3D3D3},
	{"lightgrey", 0xD3D3D3}, {"darkgray", 0xA9A9A9},  {"darkgrey", 0xA9A9A9},
	{"lightyellow", 0xFFFFE0}, {"lightpink", 0xFFB6C1}, {"lightcyan", 0xE0FFFF},
	{"sienna", 0xA0522D},    {"coral", 0xFF7F50},     {"salmon", 0xFA8072},
	{"tomato", 0xFF6347},    {"khaki", 0xF0E68C},     {"violet", 0xEE82EE},
	{"indigo", 0x4B0082},    {"crimson", 0xDC143C},   {"beige", 0xF5F5DC},
	{"lavender", 0xE6E6FA},  {"skyblue", 0x87CEEB},   {"steelblue", 0x4682B4},
	{"royalblue", 0x4169E1}, {"tan", 0xD2B48C},       {"wheat", 0xF5DEB3},
	{"ivory", 0xFFFFF0},     {"mintcream", 0xF5FFFA}, {"honeydew", 0xF0FFF0},
	{"aliceblue", 0xF0F8FF}, {"whitesmoke", 0xF5F5F5}, {"gainsboro", 0xDCDCDC},
	{"plum", 0xDDA0DD},      {"orchid", 0xDA70D6},    {"turquoise", 0x40E0D0},
	{"chocolate", 0xD2691E}, {"firebrick", 0xB22222}, {"forestgreen", 0x228B22},
	{"seagreen", 0x2E8B57},  {"slategray", 0x708090}, {"dimgray", 0x696969},
};

static int hexv(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Parses a colour ("#abc", "#aabbcc", "#aabbccdd", "rgb(1,2,3)", a CSS
 * name) into *rgb. Returns false when it is not one (or is "none"). */
static bool mp_parse_color(const char *s, size_t len, uint32_t *rgb)
{
	while (len && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == ';'))
		len--;
	if (len >= 11 && strncasecmp(s, "!important", 10) == 0)
		return false;
	/* drop a trailing !important */
	for (size_t k = 0; k < len; k++)
		if (s[k] == '!') {
			len = k;
			while (len && s[len - 1] == ' ')
				len--;
			break;
		}
	if (len && s[0] == '#') {
		int d[8];
		size_t n = len - 1;
		if (n != 3 && n != 4 && n != 6 && n != 8)
			return false;
		for (size_t k = 0; k < n; k++)
			if ((d[k] = hexv(s[1 + k])) < 0)
				return false;
		if (n <= 4)
			*rgb = (uint32_t)(d[0] * 17) << 16 | (uint32_t)(d[1] * 17) << 8 | (uint32_t)(d[2] * 17);
		else
			*rgb = (uint32_t)(d[0] * 16 + d[1]) << 16 | (uint32_t)(d[2] * 16 + d[3]) << 8 |
			       (uint32_t)(d[4] * 16 + d[5]);
		return true;
	}
	if (len > 4 && (strncasecmp(s, "rgb(", 4) == 0 || strncasecmp(s, "rgba(", 5) == 0)) {
		size_t k = s[3] == '(' ? 4 : 5;
		uint32_t v[3];
		for (int c = 0; c < 3; c++) {
			while (k < len && s[k] == ' ')
				k++;
			if (k >= len || !isdigit((unsigned char)s[k]))
				return false;
			uint32_t x = 0;
			while (k < len && isdigit((unsigned char)s[k]) && x < 1000)
				x = x * 10 + (uint32_t)(s[k++] - '0');
			if (x > 255)
				x = 255;
			v[c] = x;
			while (k < len && (s[k] == ' ' || s[k] == ','))
				k++;
		}
		*rgb = v[0] << 16 | v[1] << 8 | v[2];
		return true;
	}
	for (size_t c = 0; c < sizeof COLORS / sizeof COLORS[0]; c++)
		if (strlen(COLORS[c].name) == len && strncasecmp(COLORS[c].name, s, len) == 0) {
			*rgb = COLORS[c].rgb;
			return true;
		}
	return false;
}

void mp_parse_style(const char *props, size_t len, struct mm_style *st)
{
	memset(st, 0, sizeof *st);
	size_t k = 0;
	while (k < len) {
		/* one property: up to ',' outside parentheses */
		size_t a = k;
		int depth = 0;
		while (k < len && (props[k] != ',' || depth > 0)) {
			if (props[k] == '(')
				depth++;
			else if (props[k] == ')' && depth > 0)
				depth--;
			k++;
		}
		size_t b = k;
		k++;
		while (a < b && (props[a] == ' ' || props[a] == '\t'))
			a++;
		const char *colon = memchr(props + a, ':', b - a);
		if (!colon)
			continue;
		size_t kl = (size_t)(colon - props) - a;
		while (kl && props[a + kl - 1] == ' ')
			kl--;
		const char *v = colon + 1;
		size_t vl = b - (size_t)(v - props);
		uint32_t rgb;
		if (kl == 4 && strncasecmp(props + a, "fill", 4) == 0) {
			if (mp_parse_color(v, vl, &rgb)) {
				st->has_fill = true;
				st->fill = rgb;
			}
		} else if (kl == 5 && strncasecmp(props + a, "color", 5) == 0) {
			if (mp_parse_color(v, vl, &rgb)) {
				st->has_color = true;
				st->color = rgb;
			}
		}
	}
}

/* ---------- @{ } shape data ---------- */

struct shape_alias {
	const char *name;
	enum mm_shape shape;
};

static const struct shape_alias SHAPES[] = {
	{"rect", MM_SHAPE_RECT},          {"proc", MM_SHAPE_RECT},
	{"process", MM_SHAPE_RECT},       {"rectangle", MM_SHAPE_RECT},
	{"square", MM_SHAPE_RECT},        {"squareRect", MM_SHAPE_RECT},
	{"rounded", MM_SHAPE_ROUND},      {"roundedRect", MM_SHAPE_ROUND},
	{"event", MM_SHAPE_ROUND},        {"round", MM_SHAPE_ROUND},
	{"stadium", MM_SHAPE_STADIUM},    {"pill", MM_SHAPE_STADIUM},
	{"terminal", MM_SHAPE_STADIUM},   {"subroutine", MM_SHAPE_SUBROUTINE},
	{"subproc", MM_SHAPE_SUBROUTINE}, {"fr-rect", MM_SHAPE_SUBROUTINE},
	{"subprocess", MM_SHAPE_SUBROUTINE}, {"framed-rectangle", MM_SHAPE_SUBROUTINE},
	{"cyl", MM_SHAPE_CYLINDER},       {"cylinder", MM_SHAPE_CYLINDER},
	{"db", MM_SHAPE_CYLINDER},        {"database", MM_SHAPE_CYLINDER},
	{"circle", MM_SHAPE_CIRCLE},      {"circ", MM_SHAPE_CIRCLE},
	{"dbl-circ", MM_SHAPE_DOUBLECIRCLE}, {"double-circle", MM_SHAPE_DOUBLECIRCLE},
	{"doublecircle", MM_SHAPE_DOUBLECIRCLE}, {"odd", MM_SHAPE_ASYMMETRIC},
	{"diamond", MM_SHAPE_DIAMOND},    {"diam", MM_SHAPE_DIAMOND},
	{"decision", MM_SHAPE_DIAMOND},   {"question", MM_SHAPE_DIAMOND},
	{"hex", MM_SHAPE_HEXAGON},        {"hexagon", MM_SHAPE_HEXAGON},
	{"prepare", MM_SHAPE_HEXAGON},    {"lean-r", MM_SHAPE_LEAN_RIGHT},
	{"lean-right", MM_SHAPE_LEAN_RIGHT}, {"in-out", MM_SHAPE_LEAN_RIGHT},
	{"lean_right", MM_SHAPE_LEAN_RIGHT}, {"lean_left", MM_SHAPE_LEAN_LEFT},
	{"lean-l", MM_SHAPE_LEAN_LEFT},   {"lean-left", MM_SHAPE_LEAN_LEFT},
	{"out-in", MM_SHAPE_LEAN_LEFT},   {"trap-b", MM_SHAPE_TRAPEZOID},
	{"trapezoid", MM_SHAPE_TRAPEZOID}, {"priority", MM_SHAPE_TRAPEZOID},
	{"trapezoid-bottom", MM_SHAPE_TRAPEZOID},
	{"trap-t", MM_SHAPE_INV_TRAPEZOID}, {"inv-trapezoid", MM_SHAPE_INV_TRAPEZOID},
	{"inv_trapezoid", MM_SHAPE_INV_TRAPEZOID}, {"trapezoid-top", MM_SHAPE_INV_TRAPEZOID},
	{"manual", MM_SHAPE_INV_TRAPEZOID},
};

/* The other shape names mermaid-js 11 knows (its shapes.ts: short names,
 * aliases and internal names). precis draws them as rectangles, keeping
 * the name (node.shape_name) so the canonical source still says it. */
static const char *const OTHER_SHAPES[] = {
	"anchor", "bang", "bolt", "bow-rect", "bow-tie-rectangle", "brace", "brace-l", "brace-r",
	"braces", "card", "choice", "classBox", "cloud", "collate", "com-link", "comment",
	"cross-circ", "crossed-circle", "curv-trap", "curved-trapezoid", "das", "data-store",
	"datastore", "defaultMindmapNode", "delay", "disk", "display", "div-proc", "div-rect",
	"divided-process", "divided-rectangle", "doc", "docs", "document", "documents", "erBox",
	"extract", "f-circ", "filled-circle", "flag", "flip-tri", "flipped-triangle", "fork",
	"forkJoin", "fr-circ", "framed-circle", "h-cyl", "half-rounded-rectangle",
	"horizontal-cylinder", "hourglass", "icon", "iconCircle", "iconRounded", "iconSquare",
	"imageSquare", "internal-storage", "join", "junction", "kanbanItem", "labelRect",
	"lightning-bolt", "lin-cyl", "lin-doc", "lin-proc", "lin-rect", "lined-cylinder",
	"lined-document", "lined-process", "lined-rectangle", "loop-limit", "manual-file",
	"manual-input", "mindmapCircle", "notch-pent", "notch-rect", "notched-pentagon",
	"notched-rectangle", "note", "paper-tape", "processes", "procs", "rectWithTitle",
	"requirementBox", "shaded-process", "sl-rect", "sloped-rectangle", "sm-circ",
	"small-circle", "st-doc", "st-rect", "stacked-document", "stacked-rectangle", "start",
	"state", "stateEnd", "stateStart", "stop", "stored-data", "summary", "tag-doc",
	"tag-proc", "tag-rect", "tagged-document", "tagged-process", "tagged-rectangle", "text",
	"tri", "triangle", "win-pane", "window-pane",
};

/* Value of key in "k: v, k2: "v2"" (quoted values may hold commas). A
 * YAML block scalar ("label: |" or ">" then indented lines) gives *block
 * 1 ('|') or 2 ('>') and the span of those lines. */
static bool sd_value(const char *s, size_t len, const char *key, size_t *va, size_t *vl, bool *quoted,
		     int *block)
{
	size_t kl = strlen(key);
	size_t k = 0;
	*block = 0;
	while (k < len) {
		while (k < len && (s[k] == ' ' || s[k] == ',' || s[k] == '\n' || s[k] == '\t' || s[k] == '\r'))
			k++;
		size_t a = k;
		while (k < len && s[k] != ':' && s[k] != ',' && s[k] != '\n')
			k++;
		size_t ke = k;
		while (ke > a && s[ke - 1] == ' ')
			ke--;
		if (k >= len || s[k] != ':')
			continue;
		k++;
		while (k < len && s[k] == ' ')
			k++;
		size_t b = k, e;
		bool q = false;
		int blk = 0;
		if (k < len && (s[k] == '"' || s[k] == '\'')) {
			const char *c = memchr(s + k + 1, s[k], len - k - 1);
			b = k + 1;
			e = c ? (size_t)(c - s) : len;
			k = c ? e + 1 : len;
			q = true;
		} else if (k < len && (s[k] == '|' || s[k] == '>')) {
			/* block scalar: the lines indented deeper than the key's */
			size_t x = k + 1;
			while (x < len && (s[x] == '-' || s[x] == '+' || s[x] == ' ' || s[x] == '\t' || s[x] == '\r'))
				x++;
			if (x < len && s[x] != '\n') {
				goto plain;
			}
			blk = s[k] == '|' ? 1 : 2;
			size_t ls = a;
			while (ls > 0 && s[ls - 1] != '\n')
				ls--;
			size_t ind = a - ls;
			b = x < len ? x + 1 : len;
			e = b;
			size_t y = b;
			while (y < len) {
				size_t le = y;
				while (le < len && s[le] != '\n')
					le++;
				size_t i = y;
				while (i < le && (s[i] == ' ' || s[i] == '\t'))
					i++;
				if (i < le && i - y <= ind)
					break;
				if (i < le)
					e = le;
				y = le < len ? le + 1 : len;
			}
			k = e;
		} else {
plain:
			while (k < len && s[k] != ',' && s[k] != '\n')
				k++;
			e = k;
			while (e > b && s[e - 1] == ' ')
				e--;
		}
		if (ke - a == kl && memcmp(s + a, key, kl) == 0) {
			*va = b;
			*vl = e - b;
			*quoted = q;
			*block = blk;
			return true;
		}
	}
	return false;
}

/* A block scalar's lines with their common indentation removed, joined by
 * '\n' ('|') or ' ' ('>'). */
static void block_text(const char *s, size_t len, int block, struct buf *out)
{
	size_t ind = SIZE_MAX;
	for (size_t y = 0; y < len;) {
		size_t le = y, i = y;
		while (le < len && s[le] != '\n')
			le++;
		while (i < le && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i < le && i - y < ind)
			ind = i - y;
		y = le + 1;
	}
	bool firstl = true;
	for (size_t y = 0; y < len;) {
		size_t le = y;
		while (le < len && s[le] != '\n')
			le++;
		size_t from = y + (ind != SIZE_MAX && le - y >= ind ? ind : le - y);
		if (!firstl)
			buf_putc(out, block == 1 ? '\n' : ' ');
		buf_put(out, s + from, le - from);
		firstl = false;
		y = le + 1;
	}
}

int mp_shape_data(struct mm_graph *g, int k, const char *s, size_t len, size_t *bad, size_t *badlen)
{
	size_t va, vl;
	bool q;
	int blk, r = 0;
	struct mm_node *n = &g->nodes[k];
	if (sd_value(s, len, "shape", &va, &vl, &q, &blk)) {
		n->shape = MM_SHAPE_RECT;
		free(n->shape_name);
		n->shape_name = NULL;
		bool found = false;
		for (size_t x = 0; x < sizeof SHAPES / sizeof SHAPES[0] && !found; x++)
			if (strlen(SHAPES[x].name) == vl && strncmp(SHAPES[x].name, s + va, vl) == 0) {
				n->shape = SHAPES[x].shape;
				found = true;
			}
		for (size_t x = 0; x < sizeof OTHER_SHAPES / sizeof OTHER_SHAPES[0] && !found; x++)
			if (strlen(OTHER_SHAPES[x]) == vl && strncmp(OTHER_SHAPES[x], s + va, vl) == 0) {
				n->shape_name = xstrndup(s + va, vl);
				found = true;
				r = 1;
			}
		if (!found) {
			r = 2;
		}
		if (r) {
			*bad = va;
			*badlen = vl;
		}
	} else if (n->shape == MM_SHAPE_DEFAULT) {
		n->shape = MM_SHAPE_RECT;
	}
	if (sd_value(s, len, "label", &va, &vl, &q, &blk)) {
		bool md = q && vl >= 2 && s[va] == '`' && s[va + vl - 1] == '`';
		free(n->label);
		if (blk) {
			struct buf t = {0};
			block_text(s + va, vl, blk, &t);
			n->label = mp_label(t.p ? t.p : "", t.len, false);
			free(t.p);
		} else {
			n->label = mp_label(s + va, vl, md);
		}
	}
	return r;
}
