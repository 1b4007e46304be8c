/* view_versions.c — `V` in the reader: every version of a transcript's
 * summary (number, origin, model, date, size), the current one marked;
 * Enter makes the chosen one current, D shows what changed from it to the
 * current one. Nothing is ever deleted: versions
 * are append-only in the archive. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <curses.h>

#include "db/archive.h"
#include "render/alloc.h"
#include "tui/app/view.h"

struct versions {
	int64_t id;
	struct ar_summary *v;
	size_t n, cur, top;
	int h;
	void (*on_change)(void *ctx);
	void *ctx;
};

static int load(struct versions *s)
{
	ar_summaries_free(s->v, s->n);
	s->v = NULL;
	s->n = 0;
	if (ar_summary_versions(A->ar, s->id, &s->v, &s->n) != 0) {
		app_error("%s", ar_error(A->ar));
		return -1;
	}
	return 0;
}

static void versions_draw(struct view *v, struct rect r)
{
	struct versions *s = v->priv;
	int w = r.w > 84 ? 80 : r.w;
	int x = r.x + (r.w - w) / 2;
	int h = (int)s->n + 3;
	if (h > r.h)
		h = r.h;
	int y = r.y + (r.h - h) / 3;
	if (y < r.y)
		y = r.y;
	s->h = h - 3 > 0 ? h - 3 : 1;
	for (int i = 0; i < h; i++)
		draw_box_edges(y + i, x, w);
	if (s->cur < s->top)
		s->top = s->cur;
	if (s->cur >= s->top + (size_t)s->h)
		s->top = s->cur - (size_t)s->h + 1;
	draw_fill(y, x, w, style(ST_BAR));
	draw_text(y, x + 1, w - 2, "Summary versions — Enter makes one current (none is ever deleted)",
	          style(ST_BAR) | A_BOLD);
	if (h < 2)
		return;
	draw_fill(y + 1, x, w, style(ST_TITLE));
	draw_text(y + 1, x + 1, w - 2, "  ver  origin    model            created              size  state",
	          style(ST_TITLE));
	for (int i = 0; i + 2 < h; i++) {
		size_t k = s->top + (size_t)i;
		attr_t at = k == s->cur ? style(ST_CURSOR) : A_NORMAL;
		draw_fill(y + 2 + i, x, w, at);
		if (k >= s->n)
			continue;
		const struct ar_summary *sv = &s->v[k];
		char line[300], date[32];
		snprintf(date, sizeof date, "%.16s", sv->created_at ? sv->created_at : "-");
		for (char *p = date; *p; p++)
			if (*p == 'T')
				*p = ' ';
		char size[32];
		if (sv->body_len >= 1024)
			snprintf(size, sizeof size, "%.1f KB", sv->body_len / 1024.0);
		else
			snprintf(size, sizeof size, "%zu B", sv->body_len);
		snprintf(line, sizeof line, "%s v%-3d %-9s %-16.16s %-16s %8s  %s%s%s",
		         sv->is_current ? "*" : " ", sv->version, ar_origin_name(sv->origin),
		         sv->model ? sv->model : "-", date, size, sv->is_current ? "current" : "",
		         "", sv->failed ? FMT_FAILED_PARTIAL : "");
		draw_text(y + 2 + i, x + 1, w - 2, line,
		          sv->failed && k != s->cur ? style(ST_ERROR) : at | (sv->is_current ? A_BOLD : 0));
	}
}

static int versions_request(struct view *v, enum action a)
{
	struct versions *s = v->priv;
	switch (a) {
	case ACT_MOVE_DOWN: if (s->cur + 1 < s->n) s->cur++; break;
	case ACT_MOVE_UP: if (s->cur) s->cur--; break;
	case ACT_PAGE_DOWN: s->cur = s->cur + (size_t)s->h < s->n ? s->cur + (size_t)s->h : (s->n ? s->n - 1 : 0); break;
	case ACT_PAGE_UP: s->cur = s->cur > (size_t)s->h ? s->cur - (size_t)s->h : 0; break;
	case ACT_FIRST: s->cur = 0; break;
	case ACT_LAST: s->cur = s->n ? s->n - 1 : 0; break;
	case ACT_OPEN: {
		if (s->cur >= s->n)
			break;
		if (s->v[s->cur].is_current) {
			app_status("version %d is already the current one", s->v[s->cur].version);
			break;
		}
		if (app_check_writable("change the current version"))
			break;
		int ver = s->v[s->cur].version;
		if (ar_set_current_summary(A->ar, s->id, s->v[s->cur].id) != 0) {
			app_error("%s", ar_error(A->ar));
			break;
		}
		load(s);
		if (s->on_change)
			s->on_change(s->ctx);
		app_status("version %d is now current", ver);
		break;
	}
	case ACT_DIFF:
		if (s->cur < s->n)
			diff_open_version(s->id, s->v[s->cur].id);
		break;
	default:
		return VR_UNHANDLED;
	}
	return VR_DONE;
}

static void versions_close(struct view *v)
{
	struct versions *s = v->priv;
	ar_summaries_free(s->v, s->n);
	free(s);
}

static const struct view_ops versions_ops = {
	.name = "versions",
	.ctx = KC_VERSIONS,
	.overlay = 1,
	.draw = versions_draw,
	.request = versions_request,
	.close = versions_close,
};

struct view *versions_open(int64_t id, void (*on_change)(void *ctx), void *ctx)
{
	struct versions *s = xcalloc(1, sizeof *s);
	s->id = id;
	s->on_change = on_change;
	s->ctx = ctx;
	if (load(s) != 0) {
		free(s);
		return NULL;
	}
	if (!s->n) {
		app_status("no summary versions yet (%s writes one)", keymap_key(KC_READER, ACT_EDIT));
		free(s->v);
		free(s);
		return NULL;
	}
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].is_current)
			s->cur = i;
	return app_push(&versions_ops, s);
}
