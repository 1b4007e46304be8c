/* mermaid_parse_link.c — links of the Mermaid parser: "-->", "---",
 * "-.->", "==>", "~~~", heads, lengths, "-- text -->" and "|text|" labels.
 * Searches that can fail are cached in struct pst so a line full of
 * unfinished links stays linear.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "render/mermaid/parse_int.h"

/* ---------- links ---------- */

static enum mm_head head_of(const struct pst *p, size_t i, size_t *len)
{
	*len = 0;
	if (i >= p->end)
		return MM_HEAD_NONE;
	char c = p->s[i];
	if (c == '>') {
		*len = 1;
		return MM_HEAD_ARROW;
	}
	/* Like mermaid's lexer, an o/x right after the dashes is a head even
	 * when a node id follows at once: "C--oD" is C --o D. */
	if ((c == 'o' || c == 'x') && !(i + 1 < p->end && p->s[i + 1] == '-')) {
		*len = 1;
		return c == 'o' ? MM_HEAD_CIRCLE : MM_HEAD_CROSS;
	}
	return MM_HEAD_NONE;
}

/* Recognises a complete link token at i ("-->", "---", "==>", "-.->",
 * ".->", "~~~", with heads). Returns its length (0 when none) and fills lk
 * (not the start head). */
size_t mp_link_token(const struct pst *p, size_t i, struct link *lk)
{
	size_t k = i, hl;
	char c = i < p->end ? p->s[i] : 0;
	if (c == '-' || c == '=' || c == '~') {
		size_t r = 0;
		while (k < p->end && p->s[k] == c) {
			k++;
			r++;
		}
		if (c == '-' && k < p->end && p->s[k] == '.') {
			size_t d = 0;
			while (k < p->end && p->s[k] == '.') {
				k++;
				d++;
			}
			if (k >= p->end || p->s[k] != '-')
				return 0;
			k++;
			lk->stroke = MM_STROKE_DOTTED;
			lk->ht = head_of(p, k, &hl);
			lk->length = (int)d;
			return k + hl - i;
		}
		lk->stroke = c == '=' ? MM_STROKE_THICK : c == '~' ? MM_STROKE_INVISIBLE : MM_STROKE_NORMAL;
		lk->ht = c == '~' ? MM_HEAD_NONE : head_of(p, k, &hl);
		if (c == '~')
			hl = 0;
		if (lk->ht != MM_HEAD_NONE && r >= 2) {
			lk->length = (int)r - 1;
			return k + hl - i;
		}
		if (r >= 3) {
			lk->length = (int)r - 2;
			return k - i;
		}
		return 0;
	}
	if (c == '.') {
		size_t d = 0;
		while (k < p->end && p->s[k] == '.') {
			k++;
			d++;
		}
		if (k >= p->end || p->s[k] != '-')
			return 0;
		k++;
		lk->stroke = MM_STROKE_DOTTED;
		lk->ht = head_of(p, k, &hl);
		lk->length = (int)d;
		return k + hl - i;
	}
	return 0;
}

/* Family of a link-text start at i: 0 "--", 1 "==", 2 "-.", -1 none. */
int mp_text_start(const struct pst *p, size_t i, size_t *len)
{
	if (mp_at(p, i, "--") && !mp_at(p, i, "---")) {
		*len = 2;
		return 0;
	}
	if (mp_at(p, i, "==") && !mp_at(p, i, "===")) {
		*len = 2;
		return 1;
	}
	if (mp_at(p, i, "-.") && !mp_at(p, i, "-..")) {
		*len = 2;
		return 2;
	}
	return -1;
}

/* Finds the end token of "-- text -->"-style link text (family fam)
 * from i on the same line, quoted text may span lines. Returns the
 * token's offset and fills lk/tlen, or p->end. */
static size_t find_text_end(struct pst *p, int fam, size_t i, struct link *lk, size_t *tlen)
{
	if (i >= p->fail_from[fam] && i < p->fail_to[fam])
		return p->end;
	size_t k = i, first = i;
	while (first < p->end && mp_is_sp(p->s[first]))
		first++;
	while (k < p->end && p->s[k] != '\n') {
		char c = p->s[k];
		if (c == '"' && k == first) {
			size_t q = mp_next_quote(p, k + 1);
			if (q < p->end) {
				k = q + 1;
				continue;
			}
		}
		bool cand = (fam == 0 && c == '-') || (fam == 1 && c == '=') ||
			    (fam == 2 && (c == '.' || (c == '-' && k + 1 < p->end && p->s[k + 1] == '.')));
		if (cand && k > i) {
			struct link t = {0};
			size_t s = k;
			if (fam == 2 && c == '-')
				s = k + 1;
			size_t l = mp_link_token(p, s, &t);
			bool ok = l > 0 && ((fam == 0 && t.stroke == MM_STROKE_NORMAL) ||
					    (fam == 1 && t.stroke == MM_STROKE_THICK) ||
					    (fam == 2 && t.stroke == MM_STROKE_DOTTED));
			if (ok) {
				*lk = t;
				*tlen = l + (s - k);
				return k;
			}
			/* not an end token: skip the whole run of this character */
			while (k + 1 < p->end && p->s[k + 1] == c)
				k++;
		}
		k++;
	}
	p->fail_from[fam] = i;
	p->fail_to[fam] = k;
	return p->end;
}

/* Reads link label text s[a..b) (trimmed; quoted when wholly in quotes). */
char *mp_link_label(struct pst *p, size_t a, size_t b, bool pipe)
{
	while (a < b && (mp_is_sp(p->s[a]) || p->s[a] == '\n'))
		a++;
	while (b > a && (mp_is_sp(p->s[b - 1]) || p->s[b - 1] == '\n'))
		b--;
	bool md = false;
	if (b - a >= 2 && p->s[a] == '"' && p->s[b - 1] == '"') {
		a++;
		b--;
		if (b - a >= 2 && p->s[a] == '`' && p->s[b - 1] == '`')
			md = true;
	} else {
		for (size_t k = a; k < b; k++)
			if (mp_is_risky(p->s[k])) {
				mp_warn(p, k, 0, 0, "'%c' inside an unquoted %slink label (quote the label)",
					p->s[k], pipe ? "|…| " : "");
				break;
			}
	}
	char *l = mp_label(p->s + a, b - a, md);
	if (!*l) {
		free(l);
		return NULL;
	}
	return l;
}

/* Parses a link at p->i (after spaces). Returns true and fills lk (label
 * malloc'd or NULL) when one is there; the cursor is then after it and any
 * |label|. On false the cursor is unchanged. */
bool mp_parse_link(struct pst *p, struct link *lk)
{
	size_t a = p->i, k = a;
	memset(lk, 0, sizeof *lk);
	lk->hf = MM_HEAD_NONE;
	if (k < p->end && p->s[k] == '<') {
		lk->hf = MM_HEAD_ARROW;
		k++;
	} else if (k + 1 < p->end && (p->s[k] == 'o' || p->s[k] == 'x') &&
		   (p->s[k + 1] == '-' || p->s[k + 1] == '=' || p->s[k + 1] == '.')) {
		lk->hf = p->s[k] == 'o' ? MM_HEAD_CIRCLE : MM_HEAD_CROSS;
		k++;
	}
	struct link t = {0};
	size_t l = mp_link_token(p, k, &t);
	if (l) {
		lk->ht = t.ht;
		lk->stroke = t.stroke;
		lk->length = t.length;
		if (t.stroke == MM_STROKE_INVISIBLE)
			lk->hf = MM_HEAD_NONE;   /* "<~~~": an invisible link has no heads */
		p->i = k + l;
	} else {
		size_t sl;
		int fam = mp_text_start(p, k, &sl);
		if (fam < 0) {
			if (mp_at(p, k, "->")) {
				/* a single-dash arrow is not mermaid; read it as --> */
				mp_warn(p, k, 0, 0, "'->' read as '-->'");
				lk->ht = MM_HEAD_ARROW;
				lk->stroke = MM_STROKE_NORMAL;
				lk->length = 1;
				p->i = k + 2;
				goto pipe;
			}
			p->i = a;
			return false;
		}
		size_t tl = 0;
		size_t e = find_text_end(p, fam, k + sl, &t, &tl);
		if (e >= p->end) {
			/* "A -- B": no end token; an open link is the best guess */
			mp_warn(p, k, 0, 0, "'%.2s' without an end read as an open link", p->s + k);
			lk->ht = MM_HEAD_NONE;
			lk->stroke = fam == 1 ? MM_STROKE_THICK : fam == 2 ? MM_STROKE_DOTTED : MM_STROKE_NORMAL;
			lk->length = 1;
			p->i = k + sl;
			return true;
		}
		lk->label = mp_link_label(p, k + sl, e, false);
		lk->ht = t.ht;
		lk->stroke = t.stroke;
		lk->length = t.length;
		p->i = e + tl;
	}
pipe:
	mp_skip_sp(p);
	if (p->i < p->end && p->s[p->i] == '|') {
		size_t b = p->i + 1, e = b;
		if (b < p->end && p->s[b] == '"') {
			size_t q = mp_next_quote(p, b + 1);
			if (q < p->end)
				e = q + 1;
		}
		while (e < p->end && p->s[e] != '|' && p->s[e] != '\n')
			e++;
		if (e < p->end && p->s[e] == '|') {
			char *pl = mp_link_label(p, b, e, true);
			if (lk->label && pl) {
				mp_warn(p, p->i, 0, 0, "link has two labels; the |…| one is kept");
			}
			if (pl) {
				free(lk->label);
				lk->label = pl;
			}
			p->i = e + 1;
		} else {
			mp_warn(p, p->i, p->i, e, "unterminated '|' link label");
			free(lk->label);
			lk->label = mp_link_label(p, b, e, true);
			p->i = e;
		}
	}
	if (lk->length < 1)
		lk->length = 1;
	return true;
}
