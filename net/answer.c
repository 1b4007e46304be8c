/* answer.c — title, sections and Mermaid map of a summary (net/answer.h). */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "db/formats/doc.h"
#include "net/answer.h"
#include "render/mermaid/mermaid.h"

void answer_free(struct answer *a)
{
	free(a->title);
	free(a->body);
	free(a->mermaid);
	buf_free(&a->problems);
	memset(a, 0, sizeof *a);
}

static void problem(struct answer *a, int fatal, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void problem(struct answer *a, int fatal, const char *fmt, ...)
{
	char m[300];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(m, sizeof m, fmt, ap);
	va_end(ap);
	buf_printf(&a->problems, "- %s\n", m);
	a->nproblems++;
	if (fatal && !a->fatal) {
		a->fatal = 1;
		snprintf(a->reason, sizeof a->reason, "%s", m);
	}
}

/* Returns a cleaned copy of a title value: Markdown emphasis, quotes and
 * brackets around it removed, whitespace collapsed, at most 200 bytes;
 * NULL when nothing is left. */
static char *clean_title(const char *s, size_t n)
{
	static const char *const wrap[][2] = {
		{ "**", "**" }, { "*", "*" }, { "\"", "\"" }, { "'", "'" }, { "《", "》" },
		{ "「", "」" }, { "“", "”" }, { "『", "』" }, { "`", "`" },
	};
	while (n && isspace((unsigned char)*s)) { s++; n--; }
	while (n && isspace((unsigned char)s[n - 1])) n--;
	for (int again = 1; again;) {
		again = 0;
		for (size_t i = 0; i < sizeof wrap / sizeof wrap[0]; i++) {
			size_t a = strlen(wrap[i][0]), b = strlen(wrap[i][1]);
			if (n >= a + b && !memcmp(s, wrap[i][0], a) && !memcmp(s + n - b, wrap[i][1], b)) {
				s += a;
				n -= a + b;
				while (n && isspace((unsigned char)*s)) { s++; n--; }
				while (n && isspace((unsigned char)s[n - 1])) n--;
				again = 1;
			}
		}
	}
	struct buf b = { 0 };
	int space = 0;
	for (size_t i = 0; i < n && b.len < 200; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f || c == ' ') {
			space = 1;
			continue;
		}
		if (space && b.len)
			buf_put(&b, " ", 1);
		space = 0;
		buf_put(&b, (const char *)&c, 1);
	}
	if (!b.len) {
		buf_free(&b);
		return NULL;
	}
	b.len = net_utf8_trim(b.p, b.len);
	b.p[b.len] = 0;
	return buf_take(&b);
}

/* If line s[0..n) is a title line ("Title: x", "**Title:** x", "标题：x"),
 * returns the start of its value and sets *vn; else NULL. */
static const char *title_value(const char *s, size_t n, size_t *vn)
{
	static const char *const keys[] = { "title", "标题", "標題", "タイトル", "titel", "titre", "título" };
	size_t i = 0;
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '*' || s[i] == '#'))
		i++;
	for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
		size_t kl = strlen(keys[k]);
		if (n - i < kl || strncasecmp(s + i, keys[k], kl))
			continue;
		size_t j = i + kl;
		while (j < n && (s[j] == ' ' || s[j] == '*'))
			j++;
		if (j < n && s[j] == ':')
			j++;
		else if (n - j >= 3 && !memcmp(s + j, "：", 3))
			j += 3;
		else
			continue;
		while (j < n && (s[j] == ' ' || s[j] == '*'))
			j++;
		*vn = n - j;
		return s + j;
	}
	return NULL;
}

size_t answer_body_start(const char *text, size_t n, const char **title, size_t *title_len)
{
	if (title)
		*title = NULL;
	/* skip blank lines; the first text line may be the title */
	size_t pos = 0;
	while (pos < n && isspace((unsigned char)text[pos]))
		pos++;
	if (pos >= n)
		return 0;
	const char *nl = memchr(text + pos, '\n', n - pos);
	size_t ln = nl ? (size_t)(nl - text) - pos : n - pos;
	size_t vn;
	const char *v = title_value(text + pos, ln, &vn);
	if (!v)
		return 0;
	if (title) {
		*title = v;
		*title_len = vn;
	}
	size_t body = nl ? (size_t)(nl - text) + 1 : n;
	while (body < n && (text[body] == '\n' || text[body] == '\r' ||
	                    text[body] == ' ' || text[body] == '\t')) {
		/* drop blank lines after the title, keep indentation of text */
		size_t e = body;
		while (e < n && (text[e] == ' ' || text[e] == '\t' || text[e] == '\r'))
			e++;
		if (e < n && text[e] != '\n')
			break;
		body = e < n ? e + 1 : n;
	}
	return body;
}

void answer_check(const char *text, const struct prompt_check *c, struct answer *a)
{
	memset(a, 0, sizeof *a);
	size_t n = text ? strlen(text) : 0;
	size_t pos = 0;
	while (pos < n && isspace((unsigned char)text[pos]))
		pos++;
	if (pos >= n) {
		a->body = xstrdup("");
		problem(a, 1, "the model returned an empty answer");
		return;
	}
	const char *v;
	size_t vn;
	size_t body = answer_body_start(text, n, &v, &vn);
	if (v)
		a->title = clean_title(v, vn);
	size_t bn = n;
	while (bn > body && isspace((unsigned char)text[bn - 1]))
		bn--;
	a->body = xstrndup(text + body, bn - body);
	if (!a->body[0]) {
		problem(a, 1, "the model returned an empty answer");
		return;
	}
	if (c->title && !a->title)
		problem(a, 0, "the first line must be the title: \"Title: …\"");

	struct buf missing = { 0 };
	for (int i = 0; i < c->nsections; i++)
		if (!strcasestr(a->body, c->sections[i])) {
			if (missing.len)
				buf_puts(&missing, ", ");
			buf_puts(&missing, c->sections[i]);
		}
	if (missing.len)
		problem(a, 1, "sections missing: %s", buf_str(&missing));
	buf_free(&missing);

	a->mermaid = doc_extract_mermaid(a->body, strlen(a->body));
	if (c->mermaid == 2 && !a->mermaid) {
		problem(a, 1, "no Mermaid map: it must be inside <Mermaid_Diagram> … </Mermaid_Diagram>");
		return;
	}
	if (!a->mermaid || c->mermaid == 0)
		return;
	struct mm_graph g;
	struct mm_error e;
	if (mm_parse(a->mermaid, strlen(a->mermaid), &g, &e) != 0) {
		if (e.line > 0)
			snprintf(a->warning, sizeof a->warning, "the map does not parse: line %d: %s",
			         e.line, e.message);
		else
			snprintf(a->warning, sizeof a->warning, "the map does not parse: %s", e.message);
		problem(a, 0, "in the Mermaid map: %s", e.message);
		return;
	}
	/* Notes (a line only mermaid-js rejects, which precis reads without a
	 * guess: render/mermaid/mermaid.h) are not worth a repair request:
	 * `precis mermaid --canonical` gives mermaid-js a version it takes. */
	size_t np = mm_problems(&g);
	if (np) {
		struct buf w = { 0 };
		size_t k = 0;
		for (size_t i = 0; i < g.nwarnings && k < 8; i++) {
			if (g.warnings[i].note)
				continue;
			problem(a, 0, "in the Mermaid map, line %d: %s", g.warnings[i].line,
			        g.warnings[i].message);
			if (k < 2)
				buf_printf(&w, "%sline %d: %s", k ? "; " : "", g.warnings[i].line,
				          g.warnings[i].message);
			k++;
		}
		snprintf(a->warning, sizeof a->warning, "the map has %zu problem%s (%s)",
		         np, np == 1 ? "" : "s", buf_str(&w));
		a->warning[sizeof a->warning - 1] = 0;
		size_t wl = net_utf8_trim(a->warning, strlen(a->warning));
		a->warning[wl] = 0;
		buf_free(&w);
	}
	mm_graph_free(&g);
}
