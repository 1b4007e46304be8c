/* view_diff.c — `D` in the reader: what changed between the previous
 * summary version and the current one (a new LLM summary, say), word by
 * word with CJK characters as words (render/worddiff.h): inline, deleted
 * and inserted words marked, or the two versions side by side (`|`). D in
 * the versions view compares the chosen version with the current one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <curses.h>

#include "db/archive.h"
#include "render/alloc.h"
#include "render/buf.h"
#include "render/layout.h"
#include "render/worddiff.h"
#include "tui/app/pane.h"
#include "tui/app/view.h"

struct diff {
	int64_t id;
	struct ar_summary old, cur;
	struct wd_result wd;
	/* inline: the merged text with its deleted and inserted ranges */
	char *merged;
	size_t mlen;
	struct rl_range *del, *ins;
	size_t ndel, nins;
	struct rl_doc *mdoc;
	/* side by side: the old text (deletions) and the new (insertions) */
	char *otext, *ntext;
	size_t olen, nlen;
	struct rl_range *odel, *nins_r;
	size_t nodel, nnins;
	struct rl_doc *odoc, *ndoc;
	struct pane p[3];    /* 0 inline, 1 old, 2 new */
	int side;
	int focus;           /* side by side: 1 or 2 */
};

static void add_range(struct rl_range **v, size_t *n, size_t *cap, size_t off, size_t len)
{
	xgrow(v, cap, *n + 1, sizeof **v);
	(*v)[*n].off = off;
	(*v)[*n].end = off + len;
	(*n)++;
}

/* Appends the span text to m, between the markers when there are (the
 * diff without colour: [-removed-] {+added+}, as wdiff and git
 * --word-diff=plain write it), and its range (markers included) to v. */
static void put_span(struct buf *m, const char *text, size_t len, const char *open,
                     const char *close, struct rl_range **v, size_t *n, size_t *cap)
{
	size_t start = m->len;
	if (open)
		buf_puts(m, open);
	buf_put(m, text, len);
	if (close)
		buf_puts(m, close);
	if (v)
		add_range(v, n, cap, start, m->len - start);
}

/* Builds the inline text, the old and the new text, and their ranges.
 * Without colours the removed and added words are also marked in the
 * text itself, so the diff reads the same in any terminal (NO_COLOR, a
 * monochrome one, a copy of the screen). */
static void build(struct diff *d)
{
	const char *a = d->old.body, *b = d->cur.body;
	wd_diff(a, d->old.body_len, b, d->cur.body_len, &d->wd);
	int marks = !screen_has_colors();
	const char *dopen = marks ? "[-" : NULL, *dclose = marks ? "-]" : NULL;
	const char *iopen = marks ? "{+" : NULL, *iclose = marks ? "+}" : NULL;
	struct buf m = { 0 }, o = { 0 }, nw = { 0 };
	size_t cd = 0, ci = 0, co = 0, cn = 0;
	for (size_t i = 0; i < d->wd.n; i++) {
		const struct wd_span *s = &d->wd.spans[i];
		const char *src = (s->op == WD_INS ? b : a) + s->off;
		if (s->op == WD_DEL) {
			put_span(&m, src, s->len, dopen, dclose, &d->del, &d->ndel, &cd);
			put_span(&o, src, s->len, dopen, dclose, &d->odel, &d->nodel, &co);
		} else if (s->op == WD_INS) {
			put_span(&m, src, s->len, iopen, iclose, &d->ins, &d->nins, &ci);
			put_span(&nw, src, s->len, iopen, iclose, &d->nins_r, &d->nnins, &cn);
		} else {
			buf_put(&m, src, s->len);
			buf_put(&o, src, s->len);
			buf_put(&nw, src, s->len);
		}
	}
	d->mlen = m.len;
	d->merged = buf_take(&m);
	d->olen = o.len;
	d->otext = buf_take(&o);
	d->nlen = nw.len;
	d->ntext = buf_take(&nw);
	d->mdoc = rl_new(d->merged ? d->merged : "", d->mlen, NULL, 0, NULL, 0);
	d->odoc = rl_new(d->otext ? d->otext : "", d->olen, NULL, 0, NULL, 0);
	d->ndoc = rl_new(d->ntext ? d->ntext : "", d->nlen, NULL, 0, NULL, 0);
	pane_init(&d->p[0], d->mdoc);
	pane_init(&d->p[1], d->odoc);
	pane_init(&d->p[2], d->ndoc);
	pane_set_marks(&d->p[0], 0, d->del, d->ndel, ST_DEL);
	pane_set_marks(&d->p[0], 1, d->ins, d->nins, ST_INS);
	pane_set_marks(&d->p[1], 0, d->odel, d->nodel, ST_DEL);
	pane_set_marks(&d->p[2], 0, d->nins_r, d->nnins, ST_INS);
}

/* "v4 · llm · model" into buf. */
static void describe(const struct ar_summary *s, char *buf, size_t n)
{
	snprintf(buf, n, "v%d · %s%s%s", s->version, ar_origin_name(s->origin),
	         s->model ? " · " : "", s->model ? s->model : "");
}

static void diff_draw(struct view *v, struct rect r)
{
	struct diff *d = v->priv;
	for (int y = r.y; y < r.y + r.h; y++)
		draw_fill(y, r.x, r.w, A_NORMAL);
	char o[200], c[200], head[600];
	describe(&d->old, o, sizeof o);
	describe(&d->cur, c, sizeof c);
	snprintf(head, sizeof head, "%s → %s (current): %zu words removed, %zu added", o, c,
	         d->wd.deleted, d->wd.inserted);
	draw_fill(r.y, r.x, r.w, style(ST_BAR));
	draw_text(r.y, r.x + 1, r.w - 2, head, style(ST_BAR) | A_BOLD);
	if (r.h < 3)
		return;
	int y0 = r.y + 1, h = r.h - 1;
	if (!d->side) {
		draw_fill(y0, r.x, r.w, style(ST_TITLE));
		char how[200];
		snprintf(how, sizeof how, "%s; %s side by side",
		         screen_has_colors() ? "removed words in red, added in green"
		                             : "removed words [-marked so-] (reverse), added {+so+} (underlined)",
		         keymap_key(KC_DIFF, ACT_TOGGLE_LAYOUT));
		draw_text(y0, r.x + 1, r.w - 2, how, style(ST_TITLE));
		pane_draw(&d->p[0], (struct rect){ y0 + 1, r.x, h - 1, r.w });
		return;
	}
	int lw = (r.w - 1) / 2;
	struct rect rr[2] = { { y0, r.x, h, lw }, { y0, r.x + lw + 1, h, r.w - lw - 1 } };
	const char *titles[2] = { o, c };
	for (int i = 0; i < 2; i++) {
		attr_t at = d->focus == i + 1 ? style(ST_FOCUS) : style(ST_TITLE);
		draw_fill(rr[i].y, rr[i].x, rr[i].w, at);
		draw_text(rr[i].y, rr[i].x + 1, rr[i].w - 1, titles[i], at);
		if (rr[i].h > 1)
			pane_draw(&d->p[i + 1], (struct rect){ rr[i].y + 1, rr[i].x, rr[i].h - 1, rr[i].w });
	}
	for (int y = y0; y < y0 + h; y++)
		draw_text(y, r.x + lw, 1, glyph_vline(), A_DIM);
}

static int diff_request(struct view *v, enum action a)
{
	struct diff *d = v->priv;
	struct pane *p = d->side ? &d->p[d->focus] : &d->p[0];
	int page = p->h > 1 ? p->h - 1 : 1;
	/* side by side, the two panes scroll together */
	long delta = 0;
	switch (a) {
	case ACT_MOVE_DOWN: delta = 1; break;
	case ACT_MOVE_UP: delta = -1; break;
	case ACT_PAGE_DOWN: delta = page; break;
	case ACT_PAGE_UP: delta = -page; break;
	case ACT_HALF_DOWN: delta = p->h / 2 ? p->h / 2 : 1; break;
	case ACT_HALF_UP: delta = -(p->h / 2 ? p->h / 2 : 1); break;
	case ACT_FIRST:
		for (int i = 0; i < 3; i++)
			pane_goto_line(&d->p[i], 0);
		return VR_DONE;
	case ACT_LAST:
		for (int i = 0; i < 3; i++)
			pane_goto_line(&d->p[i], pane_lines(&d->p[i]));
		return VR_DONE;
	case ACT_TOGGLE_LAYOUT:
		d->side = !d->side;
		app_status(d->side ? "side by side: old on the left, current on the right"
		                   : "inline: removed and added words marked");
		return VR_DONE;
	default:
		return VR_UNHANDLED;
	}
	if (d->side) {
		pane_scroll(&d->p[1], delta);
		pane_scroll(&d->p[2], delta);
	} else {
		pane_scroll(&d->p[0], delta);
	}
	return VR_DONE;
}

static void diff_status(struct view *v, char *buf, size_t n)
{
	struct diff *d = v->priv;
	pane_where(d->side ? &d->p[2] : &d->p[0], buf, n);
}

static void diff_close(struct view *v)
{
	struct diff *d = v->priv;
	wd_free(&d->wd);
	if (d->mdoc) rl_free(d->mdoc);
	if (d->odoc) rl_free(d->odoc);
	if (d->ndoc) rl_free(d->ndoc);
	free(d->merged);
	free(d->otext);
	free(d->ntext);
	free(d->del);
	free(d->ins);
	free(d->odel);
	free(d->nins_r);
	ar_summary_free(&d->old);
	ar_summary_free(&d->cur);
	free(d);
}

static const struct view_ops diff_ops = {
	.name = "diff",
	.ctx = KC_DIFF,
	.draw = diff_draw,
	.request = diff_request,
	.status = diff_status,
	.close = diff_close,
};

/* Opens the diff of transcript id from summary old_sid to new_sid. */
static struct view *open_pair(int64_t id, int64_t old_sid, int64_t new_sid)
{
	struct diff *d = xcalloc(1, sizeof *d);
	d->id = id;
	d->focus = 2;
	if (ar_get_summary(A->ar, old_sid, &d->old) != 0 || ar_get_summary(A->ar, new_sid, &d->cur) != 0) {
		app_error("%s", ar_error(A->ar));
		ar_summary_free(&d->old);
		free(d);
		return NULL;
	}
	build(d);
	return app_push(&diff_ops, d);
}

struct view *diff_open(int64_t id)
{
	return diff_open_version(id, 0);
}

struct view *diff_open_version(int64_t id, int64_t sid)
{
	struct ar_summary *vs;
	size_t n;
	if (ar_summary_versions(A->ar, id, &vs, &n) != 0) {
		app_error("%s", ar_error(A->ar));
		return NULL;
	}
	/* the current version, the chosen one, and the finished one before
	 * the current */
	int64_t cur = 0, prev = 0, pick = 0;
	for (size_t i = 0; i < n; i++) {
		if (vs[i].is_current)
			cur = (int64_t)i + 1;
		if (sid && vs[i].id == sid)
			pick = (int64_t)i + 1;
	}
	for (int64_t i = cur - 1; i-- > 0;)
		if (!vs[i].failed) {
			prev = i + 1;
			break;
		}
	int64_t cid = cur ? vs[cur - 1].id : 0, pid = prev ? vs[prev - 1].id : 0;
	if (pick && pick != cur)
		pid = vs[pick - 1].id;   /* the chosen version against the current */
	ar_summaries_free(vs, n);
	if (!cid || !pid) {
		app_status(cid ? "only one summary version: nothing to compare"
		               : "no summary yet: nothing to compare");
		return NULL;
	}
	return open_pair(id, pid, cid);
}
