/* view_reviews.c — `H` in the list and the reader: every review of every
 * summary version of a transcript, newest first (when, who, verdict,
 * which version, reason), the one the transcript's state comes from
 * marked. Enter (or D) on a review of an older version shows what
 * changed from that version to the current one. Reviews are never
 * changed or deleted (docs/review.md); this view only reads them, again
 * when another process adds one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <curses.h>

#include "db/archive.h"
#include "render/alloc.h"
#include "tui/app/view.h"

struct reviews {
	int64_t id;
	struct ar_meta meta;
	struct ar_review_rec *v;   /* newest first */
	size_t n, cur, top;
	int h;
};

static int load(struct reviews *s)
{
	ar_review_recs_free(s->v, s->n);
	s->v = NULL;
	s->n = 0;
	ar_meta_free(&s->meta);
	if (ar_get_meta(A->ar, s->id, &s->meta) != 0 || ar_reviews(A->ar, s->id, &s->v, &s->n) != 0) {
		app_error("%s", ar_error(A->ar));
		return -1;
	}
	for (size_t i = 0; i < s->n / 2; i++) {
		struct ar_review_rec t = s->v[i];
		s->v[i] = s->v[s->n - 1 - i];
		s->v[s->n - 1 - i] = t;
	}
	if (s->cur >= s->n)
		s->cur = s->n ? s->n - 1 : 0;
	return 0;
}

static const char *verdict_word(enum ar_review v)
{
	return v == AR_APPROVED ? "approved" : v == AR_FLAGGED ? "flagged" : "cleared";
}

static void reviews_draw(struct view *v, struct rect r)
{
	struct reviews *s = v->priv;
	int w = r.w > 104 ? 100 : r.w;
	int x = r.x + (r.w - w) / 2;
	int h = (int)s->n + 4;
	if (h < 6)
		h = 6;
	if (h > r.h)
		h = r.h;
	int y = r.y + (r.h - h) / 3;
	if (y < r.y)
		y = r.y;
	s->h = h - 4 > 0 ? h - 4 : 1;
	for (int i = 0; i < h; i++)
		draw_box_edges(y + i, x, w);
	if (s->cur < s->top)
		s->top = s->cur;
	if (s->cur >= s->top + (size_t)s->h)
		s->top = s->cur - (size_t)s->h + 1;
	char head[300];
	snprintf(head, sizeof head, "Reviews of #%lld, newest first — now %s%s", (long long)s->id,
	         ar_review_name(s->meta.review),
	         s->meta.current_version ? "" : " (no summary)");
	draw_fill(y, x, w, style(ST_BAR));
	draw_text(y, x + 1, w - 2, head, style(ST_BAR) | A_BOLD);
	if (h < 2)
		return;
	draw_fill(y + 1, x, w, style(ST_TITLE));
	draw_text(y + 1, x + 1, w - 2, "  when              who             verdict   version  reason",
	          style(ST_TITLE));
	for (int i = 0; i + 3 < h; i++) {
		size_t k = s->top + (size_t)i;
		attr_t at = k == s->cur ? style(ST_CURSOR) : A_NORMAL;
		draw_fill(y + 2 + i, x, w, at);
		if (k >= s->n) {
			if (!s->n && i == 0) {
				char none[128];
				snprintf(none, sizeof none, "No reviews yet: %s approves, %s flags.",
				         keymap_key(KC_READER, ACT_APPROVE), keymap_key(KC_READER, ACT_FLAG));
				draw_text(y + 2, x + 3, w - 4, none, at | A_DIM);
			}
			continue;
		}
		const struct ar_review_rec *rv = &s->v[k];
		char when[32], ver[32];
		snprintf(when, sizeof when, "%.16s", rv->created_at ? rv->created_at : "-");
		for (char *p = when; *p; p++)
			if (*p == 'T')
				*p = ' ';
		if (rv->version)
			snprintf(ver, sizeof ver, "v%d%s", rv->version, rv->of_current ? " cur" : "");
		else
			snprintf(ver, sizeof ver, "none");
		attr_t row = at | (rv->in_force ? A_BOLD : 0);
		attr_t vat = k == s->cur ? row : rv->verdict == AR_APPROVED ? style(ST_APPROVED) | row
		           : rv->verdict == AR_FLAGGED ? style(ST_FLAGGED) | row : A_DIM;
		/* columns at fixed cells: names and reasons may be wide */
		int cx = x + 1, yy = y + 2 + i, end = x + w - 1;
		draw_text(yy, cx, 1, rv->in_force ? "*" : " ", row);
		if (cx + 2 < end) draw_text(yy, cx + 2, end - cx - 2, when, row);
		if (cx + 20 < end) draw_text(yy, cx + 20, end - cx - 20 < 15 ? end - cx - 20 : 15,
		                             rv->reviewer ? rv->reviewer : "?", row);
		if (cx + 36 < end) draw_text(yy, cx + 36, 9, verdict_word(rv->verdict), vat);
		if (cx + 46 < end) draw_text(yy, cx + 46, 8, ver, row);
		if (cx + 55 < end && rv->reason) draw_text(yy, cx + 55, end - cx - 55, rv->reason, row);
	}
	draw_fill(y + h - 1, x, w, style(ST_BAR));
	char foot[128];
	snprintf(foot, sizeof foot, "* the review in force · %s: that version against the current",
	         keymap_key(KC_REVIEWS, ACT_OPEN));
	draw_text(y + h - 1, x + 1, w - 2, foot, style(ST_BAR));
}

static int reviews_request(struct view *v, enum action a)
{
	struct reviews *s = v->priv;
	switch (a) {
	case ACT_MOVE_DOWN: if (s->cur + 1 < s->n) s->cur++; break;
	case ACT_MOVE_UP: if (s->cur) s->cur--; break;
	case ACT_PAGE_DOWN: s->cur = s->cur + (size_t)s->h < s->n ? s->cur + (size_t)s->h : (s->n ? s->n - 1 : 0); break;
	case ACT_PAGE_UP: s->cur = s->cur > (size_t)s->h ? s->cur - (size_t)s->h : 0; break;
	case ACT_FIRST: s->cur = 0; break;
	case ACT_LAST: s->cur = s->n ? s->n - 1 : 0; break;
	case ACT_OPEN:
		if (s->cur >= s->n)
			break;
		if (!s->v[s->cur].summary_id)
			app_status("that review was of no summary");
		else if (s->v[s->cur].of_current)
			app_status("that review is of the current version");
		else
			diff_open_version(s->id, s->v[s->cur].summary_id);
		break;
	default:
		return VR_UNHANDLED;
	}
	return VR_DONE;
}

static void reviews_changed(struct view *v)
{
	load(v->priv);
}

static void reviews_close(struct view *v)
{
	struct reviews *s = v->priv;
	ar_review_recs_free(s->v, s->n);
	ar_meta_free(&s->meta);
	free(s);
}

static const struct view_ops reviews_ops = {
	.name = "reviews",
	.ctx = KC_REVIEWS,
	.overlay = 1,
	.draw = reviews_draw,
	.request = reviews_request,
	.changed = reviews_changed,
	.close = reviews_close,
};

struct view *reviews_open(int64_t id)
{
	struct reviews *s = xcalloc(1, sizeof *s);
	s->id = id;
	if (load(s) != 0) {
		ar_review_recs_free(s->v, s->n);
		ar_meta_free(&s->meta);
		free(s);
		return NULL;
	}
	return app_push(&reviews_ops, s);
}
