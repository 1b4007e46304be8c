/* mm_truth.c — reading the official Mermaid parser's output (the corpus's
 * *.truth.json, tests/fixtures/mermaid-spec/cases.json) in the unit tests.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "render/mermaid/mermaid.h"
#include "tests/unit/mm_truth.h"

struct buf {
	char *p;
	size_t n, cap;
};

static void bput(struct buf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		b->cap = (b->n + n + 1) * 2;
		b->p = realloc(b->p, b->cap);
		if (!b->p)
			abort();
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

static void bput_cp(struct buf *b, unsigned cp)
{
	char u[4];
	size_t n;
	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		u[0] = (char)(0xF0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	bput(b, u, n);
}

/* The official parser keeps labels "as written": <br/> tags, its own
 * entity placeholders (ﬂ°°9829¶ß for #9829;, ﬂ°quot¶ß for #quot;), raw
 * newlines with their indentation and Markdown markers. precis shows the
 * text, so both sides are brought to the same form: line breaks as '\n',
 * entities decoded, each line trimmed, blank first/last lines dropped, and
 * Markdown emphasis markers (* ` and word-edge _) removed on both sides —
 * precis strips those from Markdown strings by design. */
char *mmt_norm_label(const char *s)
{
	struct buf a = {0}, out = {0};
	bput(&a, "", 0);
	size_t n = strlen(s);
	for (size_t k = 0; k < n;) {
		if (strncmp(s + k, "\xEF\xAC\x82\xC2\xB0", 5) == 0) { /* ﬂ° */
			size_t st = k + 5;
			bool num = strncmp(s + st, "\xC2\xB0", 2) == 0;
			if (num)
				st += 2;
			const char *end = strstr(s + st, "\xC2\xB6\xC3\x9F"); /* ¶ß */
			if (end) {
				size_t l = (size_t)(end - s) - st;
				if (num) {
					bput_cp(&a, (unsigned)strtoul(s + st, NULL, 10));
				} else if (l == 4 && strncmp(s + st, "quot", 4) == 0) {
					bput(&a, "\"", 1);
				} else if (l == 3 && strncmp(s + st, "amp", 3) == 0) {
					bput(&a, "&", 1);
				} else if (l == 2 && (strncmp(s + st, "lt", 2) == 0 || strncmp(s + st, "gt", 2) == 0)) {
					bput(&a, s[st] == 'l' ? "<" : ">", 1);
				} else {
					bput(&a, s + k, (size_t)(end - s) + 4 - k);
				}
				k = (size_t)(end - s) + 4;
				continue;
			}
		}
		/* what the official parser's sanitiser escapes */
		if (strncmp(s + k, "&lt;", 4) == 0 || strncmp(s + k, "&gt;", 4) == 0) {
			bput(&a, s[k + 1] == 'l' ? "<" : ">", 1);
			k += 4;
			continue;
		}
		if (strncmp(s + k, "&amp;", 5) == 0) {
			bput(&a, "&", 1);
			k += 5;
			continue;
		}
		if (strncasecmp(s + k, "<br/>", 5) == 0 || strncasecmp(s + k, "</br>", 5) == 0) {
			bput(&a, "\n", 1);
			k += 5;
			continue;
		}
		if (strncasecmp(s + k, "<br>", 4) == 0) {
			bput(&a, "\n", 1);
			k += 4;
			continue;
		}
		if (strncasecmp(s + k, "<br />", 6) == 0) {
			bput(&a, "\n", 1);
			k += 6;
			continue;
		}
		bput(&a, s + k, 1);
		k++;
	}
	/* Markdown markers, then trim lines */
	struct buf m = {0};
	bput(&m, "", 0);
	for (size_t k = 0; k < a.n; k++) {
		char c = a.p[k];
		if (c == '*' || c == '`')
			continue;
		if (c == '_') {
			char p = k ? a.p[k - 1] : ' ', q = k + 1 < a.n ? a.p[k + 1] : ' ';
			if (p == ' ' || p == '\n' || q == ' ' || q == '\n' || k == 0 || k + 1 == a.n)
				continue;
		}
		bput(&m, &c, 1);
	}
	bput(&out, "", 0);
	bool any = false;
	size_t blanks = 0;
	char *line = m.p;
	for (;;) {
		char *nl = strchr(line, '\n');
		size_t l = nl ? (size_t)(nl - line) : strlen(line);
		size_t x = 0, y = l;
		while (x < y && (line[x] == ' ' || line[x] == '\t'))
			x++;
		while (y > x && (line[y - 1] == ' ' || line[y - 1] == '\t'))
			y--;
		if (x == y) {
			if (any)
				blanks++;
		} else {
			if (any) {
				bput(&out, "\n", 1);
				for (; blanks; blanks--)
					bput(&out, "\n", 1);
			}
			bput(&out, line + x, y - x);
			any = true;
			blanks = 0;
		}
		if (!nl)
			break;
		line = nl + 1;
	}
	free(a.p);
	free(m.p);
	return out.p;
}


void mmt_heads(const char *type, enum mm_head *hf, enum mm_head *ht)
{
	*hf = *ht = MM_HEAD_NONE;
	enum mm_head h = MM_HEAD_NONE;
	if (strstr(type, "point"))
		h = MM_HEAD_ARROW;
	else if (strstr(type, "circle"))
		h = MM_HEAD_CIRCLE;
	else if (strstr(type, "cross"))
		h = MM_HEAD_CROSS;
	*ht = h;
	if (strncmp(type, "double_", 7) == 0)
		*hf = h;
}

enum mm_stroke mmt_stroke(const char *s)
{
	if (strcmp(s, "thick") == 0)
		return MM_STROKE_THICK;
	if (strcmp(s, "dotted") == 0)
		return MM_STROKE_DOTTED;
	if (strcmp(s, "invisible") == 0)
		return MM_STROKE_INVISIBLE;
	return MM_STROKE_NORMAL;
}

