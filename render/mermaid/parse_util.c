/* parse_util.c — the id map, positions,
 * warnings and character classes for the Mermaid parser
 * (render/mermaid/parse*.c). Every function is linear in what it looks at.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/alloc.h"
#include "render/mermaid/parse_int.h"

#define SNIPPET_BYTES 60

/* ---------- string → int hash map (keys owned elsewhere) ---------- */

static uint64_t map_hash(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t k = 0; k < len; k++)
		h = (h ^ (unsigned char)s[k]) * 1099511628211ull;
	return h;
}

int mp_map_getn(const struct map *m, const char *k, size_t len)
{
	if (!m->cap)
		return -1;
	size_t i = map_hash(k, len) & (m->cap - 1);
	while (m->key[i]) {
		if (strncmp(m->key[i], k, len) == 0 && m->key[i][len] == '\0')
			return m->val[i];
		i = (i + 1) & (m->cap - 1);
	}
	return -1;
}

int mp_map_get(const struct map *m, const char *k)
{
	return mp_map_getn(m, k, strlen(k));
}

void mp_map_put(struct map *m, const char *k, int v);

static void map_rehash(struct map *m)
{
	struct map o = *m;
	m->cap = o.cap ? o.cap * 2 : 64;
	m->n = 0;
	m->key = xcalloc(m->cap, sizeof *m->key);
	m->val = xcalloc(m->cap, sizeof *m->val);
	for (size_t i = 0; i < o.cap; i++)
		if (o.key[i])
			mp_map_put(m, o.key[i], o.val[i]);
	free(o.key);
	free(o.val);
}

/* Inserts k → v unless k is already present (first one wins). */
void mp_map_put(struct map *m, const char *k, int v)
{
	if ((m->n + 1) * 2 > m->cap)
		map_rehash(m);
	size_t i = map_hash(k, strlen(k)) & (m->cap - 1);
	while (m->key[i]) {
		if (strcmp(m->key[i], k) == 0)
			return;
		i = (i + 1) & (m->cap - 1);
	}
	m->key[i] = k;
	m->val[i] = v;
	m->n++;
}

void mp_map_free(struct map *m)
{
	free(m->key);
	free(m->val);
	memset(m, 0, sizeof *m);
}

/* ---------- positions and warnings ---------- */

/* 0-based index of the line holding byte off. */
static size_t line_index(const struct pst *p, size_t off)
{
	/* most lookups hit the line of the previous one */
	size_t c = p->li_last;
	if (c < p->nlines && p->lstart[c] <= off && (c + 1 == p->nlines || off < p->lstart[c + 1]))
		return c;
	size_t lo = 0, hi = p->nlines;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (p->lstart[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	/* the cache is not part of the parse state a const caller promises to keep */
	((struct pst *)p)->li_last = lo;
	return lo;
}

static bool is_lead(char c)
{
	return ((unsigned char)c & 0xC0) != 0x80;
}

/* 1-based line and column (in code points) of byte off. Columns are
 * counted from the last position asked for when that is nearer than the
 * line start, so many warnings on one long line stay linear. */
void mp_pos_of(struct pst *p, size_t off, int *line, int *col)
{
	if (off > p->n)
		off = p->n;
	size_t li = line_index(p, off);
	size_t ls = p->lstart[li];
	size_t from = ls;
	long c = 1;
	if (p->cc_ok && p->cc_line == li) {
		if (off >= p->cc_off && off - p->cc_off < off - ls) {
			from = p->cc_off;
			c = p->cc_col;
		} else if (off < p->cc_off && p->cc_off - off < off - ls) {
			c = p->cc_col;
			for (size_t k = off; k < p->cc_off; k++)
				c -= is_lead(p->s[k]);
			from = off;
		}
	}
	for (size_t k = from; k < off; k++)
		c += is_lead(p->s[k]);
	p->cc_ok = true;
	p->cc_line = li;
	p->cc_off = off;
	p->cc_col = c;
	*line = (int)li + 1;
	*col = c > 0 && c < 0x7FFFFFFF ? (int)c : 1;
}

int mp_pos_line(const struct pst *p, size_t off)
{
	return (int)line_index(p, off) + 1;
}

/* Offset of the end of the line holding i, within the region. */
size_t mp_eol(const struct pst *p, size_t i)
{
	if (i >= p->end)
		return p->end;
	size_t li = line_index(p, i);
	size_t e = li + 1 < p->nlines ? p->lstart[li + 1] - 1 : p->n;
	return e < p->end ? e : p->end;
}

/* Appends a clean, bounded copy of s[a..b) (one line) for a message. */
static void snippet(struct buf *b, struct pst *p, size_t a, size_t bnd)
{
	size_t e = mp_eol(p, a);
	if (bnd > e)
		bnd = e;
	while (bnd > a && (p->s[bnd - 1] == ' ' || p->s[bnd - 1] == '\t' || p->s[bnd - 1] == '\r'))
		bnd--;
	size_t k = a, used = 0;
	while (k < bnd) {
		int32_t cp;
		size_t len = rw_decode(p->s + k, bnd - k, &cp);
		if (used + len > SNIPPET_BYTES) {
			buf_put(b, "…", strlen("…"));
			return;
		}
		if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0))
			cp = 0xFFFD;
		buf_put_cp(b, cp);
		k += len;
		used += len;
	}
}

/* Records a warning (or a note) at byte offset off; text (if b > a) is
 * quoted after msg. */
static void vwarn(struct pst *p, bool note, size_t off, size_t a, size_t b, const char *fmt, va_list ap)
{
	struct mm_graph *g = p->g;
	if (g->nwarnings >= MAX_WARNINGS) {
		p->warned_cap = true;
		return;
	}
	struct buf m = {0};
	char tmp[256];
	vsnprintf(tmp, sizeof tmp, fmt, ap);
	buf_put(&m, tmp, strlen(tmp));
	if (b > a) {
		buf_put(&m, ": ", 2);
		snippet(&m, p, a, b);
	}
	xgrow(&g->warnings, &p->wcap, g->nwarnings + 1, sizeof *g->warnings);
	struct mm_warning *w = &g->warnings[g->nwarnings++];
	mp_pos_of(p, off, &w->line, &w->column);
	w->message = buf_take(&m);
	w->note = note;
}

void mp_warn(struct pst *p, size_t off, size_t a, size_t b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vwarn(p, false, off, a, b, fmt, ap);
	va_end(ap);
}

void mp_note(struct pst *p, size_t off, size_t a, size_t b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vwarn(p, true, off, a, b, fmt, ap);
	va_end(ap);
}

/* ---------- character classes ---------- */

bool mp_is_sp(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* Bytes of a Unicode space (U+00A0, U+3000) at s[i], or 0. */
size_t mp_uni_space(const struct pst *p, size_t i)
{
	const unsigned char *u = (const unsigned char *)p->s + i;
	size_t left = p->end - i;
	if (left >= 2 && u[0] == 0xC2 && u[1] == 0xA0)
		return 2;
	if (left >= 3 && u[0] == 0xE3 && u[1] == 0x80 && u[2] == 0x80)
		return 3;
	return 0;
}

void mp_skip_sp(struct pst *p)
{
	while (p->i < p->end) {
		if (mp_is_sp(p->s[p->i]))
			p->i++;
		else {
			size_t u = mp_uni_space(p, p->i);
			if (!u)
				break;
			p->i += u;
		}
	}
}

bool mp_at(const struct pst *p, size_t i, const char *lit)
{
	size_t l = strlen(lit);
	return i + l <= p->end && memcmp(p->s + i, lit, l) == 0;
}

static bool is_ascii_idc(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* Bytes of an id character at i (0 when it is not one). Like mermaid-js's
 * lexer (NODE_STRING and the one-character tokens an id may be made of),
 * an id may hold, start and end with # : & , * . \ / and -: a dash
 * unless a link starts there (--, -., ->), a dot unless ".-" (a dotted
 * link's end), a colon unless ":::" (a class). Non-ASCII counts when it
 * is valid UTF-8 and not a space. */
size_t mp_id_char(const struct pst *p, size_t i, bool first)
{
	(void)first;
	if (i >= p->end)
		return 0;
	char c = p->s[i];
	if (is_ascii_idc(c))
		return 1;
	if ((unsigned char)c < 0x80) {
		char d = i + 1 < p->end ? p->s[i + 1] : '\n';
		switch (c) {
		case '-':
			return d != '-' && d != '.' && d != '>' ? 1 : 0;
		case '.':
			return d != '-' ? 1 : 0;
		case ':':
			return mp_at(p, i, ":::") ? 0 : 1;
		case '#': case '&': case ',': case '*': case '\\': case '/':
			return 1;
		}
		return 0;
	}
	if (mp_uni_space(p, i))
		return 0;
	int32_t cp;
	size_t len = rw_decode(p->s + i, p->end - i, &cp);
	if (cp == 0xFFFD && !(len == 3 && mp_at(p, i, "\xEF\xBF\xBD")))
		return 0;
	return len;
}

/* Does an id character start a word (a letter, digit, '_' or non-ASCII)?
 * Ids that start with punctuation are only read where a node must be. */
bool mp_word_start(const struct pst *p, size_t i)
{
	if (i >= p->end)
		return false;
	char c = p->s[i];
	return is_ascii_idc(c) || ((unsigned char)c >= 0x80 && mp_id_char(p, i, true) > 0);
}

/* Length of the id at i (0 when none). A trailing ':' is the id's only
 * when a link, '&' or the statement's end follows it ("node: --> A"), so
 * "A --> B: text" keeps its label. */
size_t mp_id_len(const struct pst *p, size_t i)
{
	size_t k = i, l;
	bool first = true;
	while ((l = mp_id_char(p, k, first)) > 0) {
		k += l;
		first = false;
	}
	if (k > i && p->s[k - 1] == ':') {
		size_t c = k;
		while (c > i && p->s[c - 1] == ':')
			c--;
		size_t x = k;
		while (x < p->end && mp_is_sp(p->s[x]))
			x++;
		char d = x < p->end ? p->s[x] : '\n';
		bool ends = d == '\n' || d == ';' || d == '-' || d == '=' || d == '.' || d == '~' || d == '<' ||
			    d == '&' || (x == k && (d == '[' || d == '(' || d == '{' || d == '>' || d == '@'));
		if (!ends && c > i)
			k = c;
	}
	return k - i;
}

/* ---------- quoted strings ---------- */

/* Offset of the next '"' at or after i in the region, or p->end. Cached so
 * that repeated searches over the same stretch stay linear. */
size_t mp_next_quote(struct pst *p, size_t i)
{
	if (i >= p->q_from && i <= p->q_at)
		return p->q_at;
	const char *q = i < p->end ? memchr(p->s + i, '"', p->end - i) : NULL;
	p->q_from = i;
	p->q_at = q ? (size_t)(q - p->s) : p->end;
	return p->q_at;
}

/* Offset of the next ']' at or after i (p->end: none), cached. */
size_t mp_next_rbracket(struct pst *p, size_t i)
{
	if (i >= p->rb_from && i <= p->rb_at)
		return p->rb_at;
	const char *q = i < p->end ? memchr(p->s + i, ']', p->end - i) : NULL;
	p->rb_from = i;
	p->rb_at = q ? (size_t)(q - p->s) : p->end;
	return p->rb_at;
}

/* Characters the official parser rejects inside unquoted text. */
bool mp_is_risky(char c)
{
	return c == '(' || c == ')' || c == '[' || c == ']' || c == '{' || c == '}' || c == '"' || c == '@';
}
