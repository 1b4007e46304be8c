/* view_list.c — the start screen: one row per transcript, keyset-paged
 * (only the rows on screen are read, so it starts at once at any archive
 * size), sort and filter cycling, review marks, next-unreviewed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <curses.h>

#include "db/archive.h"
#include "db/evidence.h"
#include "render/alloc.h"
#include "tui/app/view.h"

struct list {
	struct ar_meta *rows;   /* the rows on screen, in display order */
	size_t n;
	size_t cur;             /* cursor, index into rows */
	int h;                  /* rows that fit */
	struct ar_counts counts;
	int loaded;
};

static void rows_free(struct list *l)
{
	ar_metas_free(l->rows, l->n);
	l->rows = NULL;
	l->n = 0;
}

/* Fetches rows; on failure shows the error. Returns 0 or -1. */
static int fetch(const struct ar_meta *from, int inclusive, int dir, int limit,
                 struct ar_meta **rows, size_t *n)
{
	if (ar_list_page(A->ar, A->sort, A->filter, from, inclusive, dir, limit, rows, n) != 0) {
		app_error("%s", ar_error(A->ar));
		*rows = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

/* Copies the order keys of m (what ar_list_page reads) into k. */
static void key_copy(struct ar_meta *k, const struct ar_meta *m)
{
	memset(k, 0, sizeof *k);
	k->id = m->id;
	k->recorded_at = m->recorded_at ? xstrdup(m->recorded_at) : NULL;
	k->imported_at = m->imported_at ? xstrdup(m->imported_at) : NULL;
	k->title = xstrdup(m->title ? m->title : "");
	k->duration_s = m->duration_s;
}

/* Fills the window with h rows starting at `from` (NULL: the first),
 * topping up from before when the end is reached; the cursor goes to
 * the row with id keep (else stays on its screen row). */
static void load_window(struct list *l, const struct ar_meta *from, int64_t keep)
{
	struct ar_meta key;
	int have_key = from != NULL;
	if (have_key)
		key_copy(&key, from);
	size_t oldcur = l->cur;
	rows_free(l);
	struct ar_meta *rows;
	size_t n;
	if (fetch(have_key ? &key : NULL, 1, 1, l->h, &rows, &n) == 0) {
		l->rows = rows;
		l->n = n;
		if (n < (size_t)l->h) {
			struct ar_meta *before;
			size_t nb;
			const struct ar_meta *first = n ? &rows[0] : NULL;
			if (first || !have_key) {
				if (first && fetch(first, 0, -1, l->h - (int)n, &before, &nb) == 0 && nb) {
					struct ar_meta *all = xmalloc((nb + n) * sizeof *all);
					memcpy(all, before, nb * sizeof *all);
					memcpy(all + nb, rows, n * sizeof *all);
					free(before);
					free(rows);
					l->rows = all;
					l->n = nb + n;
				}
			} else {
				/* the key row is gone and nothing follows: the last page */
				rows_free(l);
				if (fetch(NULL, 0, -1, l->h, &rows, &n) == 0) {
					l->rows = rows;
					l->n = n;
				}
			}
		}
	}
	if (have_key)
		ar_meta_free(&key);
	l->cur = oldcur < l->n ? oldcur : l->n ? l->n - 1 : 0;
	for (size_t i = 0; i < l->n; i++)
		if (l->rows[i].id == keep)
			l->cur = i;
}

static void load_counts(struct list *l)
{
	if (ar_counts(A->ar, &l->counts) != 0)
		app_error("%s", ar_error(A->ar));
}

static void list_reload(struct view *v)
{
	struct list *l = v->priv;
	int64_t keep = l->n ? l->rows[l->cur].id : 0;
	load_counts(l);
	if (l->n) {
		struct ar_meta top;
		key_copy(&top, &l->rows[0]);
		load_window(l, &top, keep);
		ar_meta_free(&top);
	} else {
		load_window(l, NULL, keep);
	}
}

/* Moves the cursor by delta rows, paging through the archive. */
static void move_by(struct list *l, long delta)
{
	if (!l->n)
		return;
	if (delta > 0) {
		long room = (long)(l->n - 1 - l->cur);
		if (delta <= room) {
			l->cur += (size_t)delta;
			return;
		}
		struct ar_meta *nx;
		size_t k;
		long want = delta - room;
		if (want > l->h)
			want = l->h;
		if (fetch(&l->rows[l->n - 1], 0, 1, (int)want, &nx, &k) != 0 || !k) {
			free(nx);
			l->cur = l->n - 1;
			return;
		}
		/* window = the last h rows of old + new */
		size_t total = l->n + k, drop = total > (size_t)l->h ? total - (size_t)l->h : 0;
		struct ar_meta *all = xmalloc(total * sizeof *all);
		memcpy(all, l->rows, l->n * sizeof *all);
		memcpy(all + l->n, nx, k * sizeof *all);
		free(nx);
		for (size_t i = 0; i < drop; i++)
			ar_meta_free(&all[i]);
		memmove(all, all + drop, (total - drop) * sizeof *all);
		free(l->rows);
		l->rows = all;
		size_t target = l->cur + (size_t)delta;   /* index in old+new */
		l->n = total - drop;
		l->cur = target >= drop ? target - drop : 0;
		if (l->cur >= l->n)
			l->cur = l->n - 1;
	} else if (delta < 0) {
		long up = -delta;
		if (up <= (long)l->cur) {
			l->cur -= (size_t)up;
			return;
		}
		struct ar_meta *pv;
		size_t k;
		long want = up - (long)l->cur;
		if (want > l->h)
			want = l->h;
		if (fetch(&l->rows[0], 0, -1, (int)want, &pv, &k) != 0 || !k) {
			free(pv);
			l->cur = 0;
			return;
		}
		size_t total = l->n + k;
		size_t keepn = total > (size_t)l->h ? (size_t)l->h : total;
		struct ar_meta *all = xmalloc(total * sizeof *all);
		memcpy(all, pv, k * sizeof *all);
		memcpy(all + k, l->rows, l->n * sizeof *all);
		free(pv);
		for (size_t i = keepn; i < total; i++)
			ar_meta_free(&all[i]);
		free(l->rows);
		l->rows = all;
		long target = (long)(l->cur + k) - up;   /* index in new+old */
		l->n = keepn;
		l->cur = target < 0 ? 0 : (size_t)target;
		if (l->cur >= l->n)
			l->cur = l->n - 1;
	}
}

static void go_first(struct list *l)
{
	l->cur = 0;
	load_window(l, NULL, 0);
	l->cur = 0;
}

static void go_last(struct list *l)
{
	rows_free(l);
	struct ar_meta *rows;
	size_t n;
	if (fetch(NULL, 0, -1, l->h, &rows, &n) == 0) {
		l->rows = rows;
		l->n = n;
	}
	l->cur = l->n ? l->n - 1 : 0;
}

/* Moves to the next (dir > 0) or previous unreviewed transcript. */
static void next_unreviewed(struct list *l, int dir)
{
	if (!l->n)
		return;
	struct ar_meta *r;
	size_t n;
	if (ar_list_page(A->ar, A->sort, AR_F_UNREVIEWED, &l->rows[l->cur], 0, dir, 1, &r, &n) != 0) {
		app_error("%s", ar_error(A->ar));
		return;
	}
	if (!n) {
		app_status("no %s unreviewed transcript in this order", dir > 0 ? "later" : "earlier");
		return;
	}
	int64_t id = r[0].id;
	for (size_t i = 0; i < l->n; i++)
		if (l->rows[i].id == id) {
			l->cur = i;
			ar_metas_free(r, n);
			return;
		}
	/* under the current filter it may not be listed at all */
	if (A->filter != AR_F_ALL && A->filter != AR_F_UNREVIEWED &&
	    !(A->filter == AR_F_SUMMARIZED && r[0].current_summary_id) &&
	    !(A->filter == AR_F_UNSUMMARIZED && !r[0].current_summary_id)) {
		A->filter = AR_F_ALL;
		app_status("filter: all (the next unreviewed one was hidden)");
	}
	load_window(l, &r[0], id);
	ar_metas_free(r, n);
}

static int list_request(struct view *v, enum action a)
{
	struct list *l = v->priv;
	switch (a) {
	case ACT_MOVE_DOWN: move_by(l, 1); break;
	case ACT_MOVE_UP: move_by(l, -1); break;
	case ACT_PAGE_DOWN: move_by(l, l->h); break;
	case ACT_PAGE_UP: move_by(l, -l->h); break;
	case ACT_FIRST: go_first(l); break;
	case ACT_LAST: go_last(l); break;
	case ACT_OPEN:
		if (l->n)
			reader_open(l->rows[l->cur].id, NULL);
		break;
	case ACT_SORT:
		A->sort = (enum ar_sort)((A->sort + 1) % 5);
		go_first(l);
		break;
	case ACT_FILTER:
		A->filter = (enum ar_filter)((A->filter + 1) % AR_F_COUNT);
		go_first(l);
		break;
	case ACT_REFRESH:
		list_reload(v);
		app_status("refreshed: %lld transcripts", (long long)l->counts.total);
		break;
	case ACT_SEARCH:
		search_open();
		break;
	case ACT_NEXT_UNREVIEWED: next_unreviewed(l, 1); break;
	case ACT_PREV_UNREVIEWED: next_unreviewed(l, -1); break;
	case ACT_APPROVE: case ACT_FLAG: case ACT_CLEAR_REVIEW:
		if (l->n)
			app_review(v, l->rows[l->cur].id, a);
		break;
	default:
		return VR_UNHANDLED;
	}
	return VR_DONE;
}

/* "~/…" for paths under $HOME. */
static void short_path(const char *p, char *buf, size_t n)
{
	const char *home = getenv("HOME");
	size_t hl = home ? strlen(home) : 0;
	if (hl > 1 && !strncmp(p, home, hl) && p[hl] == '/')
		snprintf(buf, n, "~%s", p + hl);
	else
		snprintf(buf, n, "%s", p);
}

static const char *const sort_names[] = { "date", "title", "duration", "imported", "unsupported" };

static void draw_header(struct list *l, struct rect r)
{
	char path[1024], info[512];
	short_path(A->db_path, path, sizeof path);
	const struct ar_counts *c = &l->counts;
	snprintf(info, sizeof info, "%lld transcripts · %lld unsummarized · %lld unreviewed · %lld flagged"
	         "   sort: %s  filter: %s%s",
	         (long long)c->total, (long long)c->unsummarized, (long long)c->unreviewed,
	         (long long)c->flagged, sort_names[A->sort], ar_filter_name(A->filter),
	         A->readonly ? "  [read-only]" : "");
	draw_fill(r.y, r.x, r.w, style(ST_BAR));
	int x = r.x + 1;
	x += draw_text(r.y, x, r.w - 1, "precis", style(ST_BAR) | A_BOLD);
	x += 2;
	int iw = text_width(info);
	int room = r.x + r.w - x;
	if (iw + 2 < room) {
		int pw = draw_text(r.y, x, room - iw - 2, path, style(ST_BAR));
		(void)pw;
		draw_text(r.y, r.x + r.w - iw - 1 > x ? r.x + r.w - iw - 1 : x, iw, info, style(ST_BAR));
	} else {
		draw_text(r.y, x, room, info, style(ST_BAR));
	}
}

/* Which columns fit in w. */
struct cols { int date, dur, state, unsup; };

static struct cols columns(int w)
{
	struct cols c = { w >= 40, w >= 52, w >= 64, w >= 72 };
	return c;
}

static void draw_row(const struct ar_meta *m, int y, int x, int w, int selected)
{
	attr_t base = selected ? style(ST_CURSOR) : A_NORMAL;
	struct cols c = columns(w);
	draw_fill(y, x, w, base);
	int col = x;
	/* review mark */
	if (m->review == AR_APPROVED)
		draw_text(y, col, 1, glyph_approved(), base | style(ST_APPROVED));
	else if (m->review == AR_FLAGGED)
		draw_text(y, col, 1, "!", base | style(ST_FLAGGED));
	col += 2;
	char buf[64];
	if (c.date) {
		fmt_date(m->recorded_at, buf, sizeof buf);
		draw_text(y, col, 10, buf, base);
		col += 12;
	}
	if (c.dur) {
		fmt_duration(m->duration_s, buf, sizeof buf);
		int dw = (int)strlen(buf);
		draw_text(y, col + 8 - dw, 8, buf, base);
		col += 10;
	}
	if (c.state) {
		const char *st = m->current_origin < 0 ? "none" : ar_origin_name((enum ar_origin)m->current_origin);
		draw_text(y, col, 8, st, base | (m->current_origin < 0 ? A_DIM : 0));
		col += 10;
	}
	if (c.unsup) {
		/* lines of the current summary nothing in the transcript supports */
		if (m->unsupported > 0) {
			snprintf(buf, sizeof buf, "%d", m->unsupported);
			int dw = (int)strlen(buf);
			draw_text(y, col + 5 - dw, 5, buf, base | style(ST_EV_NONE));
		} else {
			draw_text(y, col + 4, 1, m->unsupported == 0 ? "0" : "-", base | A_DIM);
		}
		col += 7;
	}
	draw_text(y, col, x + w - col, m->title, base);
}

static void draw_empty(struct list *l, struct rect r)
{
	int y = r.y + 2;
	char path[1024];
	short_path(A->db_path, path, sizeof path);
	if (l->counts.total == 0) {
		draw_text(y++, 2, r.w - 2, "The archive is empty.", A_BOLD);
		y++;
		draw_text(y++, 2, r.w - 2, "Import transcripts from the command line:", A_NORMAL);
		draw_text(y++, 4, r.w - 4, "precis import PATH...", style(ST_CODE) | A_BOLD);
		draw_text(y++, 4, r.w - 4, "(files or folders: .txt .md .vtt .srt .sbv .json)", A_DIM);
		y++;
		draw_text(y, 2, r.w - 2, "Archive: ", A_NORMAL);
		draw_text(y++, 11, r.w - 11, path, A_BOLD);
		draw_text(y++, 2, r.w - 2, "then R here refreshes the list.", A_NORMAL);
	} else {
		char msg[200];
		snprintf(msg, sizeof msg, "No transcript is %s (f changes the filter).",
		         ar_filter_name(A->filter));
		draw_text(y, 2, r.w - 2, msg, A_NORMAL);
	}
}

static void list_draw(struct view *v, struct rect r)
{
	struct list *l = v->priv;
	int h = r.h - 2;   /* header, column titles */
	if (h < 1)
		h = 1;
	if (!l->loaded || h != l->h) {
		int first = !l->loaded;
		l->h = h;
		l->loaded = 1;
		if (first) {
			load_counts(l);
			load_window(l, NULL, 0);
		} else {
			list_reload(v);
		}
	}
	for (int y = r.y; y < r.y + r.h; y++)
		draw_fill(y, r.x, r.w, A_NORMAL);
	draw_header(l, r);
	if (r.h < 2)
		return;
	/* column titles */
	struct cols c = columns(r.w);
	int col = r.x + 2;
	attr_t t = style(ST_TITLE) | A_DIM;
	draw_fill(r.y + 1, r.x, r.w, t);
	if (c.date) { draw_text(r.y + 1, col, 10, "recorded", t); col += 12; }
	if (c.dur) { draw_text(r.y + 1, col + 2, 8, "length", t); col += 10; }
	if (c.state) { draw_text(r.y + 1, col, 8, "summary", t); col += 10; }
	if (c.unsup) { draw_text(r.y + 1, col, 6, "unsup", t); col += 7; }
	draw_text(r.y + 1, col, r.x + r.w - col, "title", t);
	if (!l->n) {
		draw_empty(l, (struct rect){ r.y + 1, r.x, r.h - 1, r.w });
		return;
	}
	for (size_t i = 0; i < l->n && (int)i < h; i++)
		draw_row(&l->rows[i], r.y + 2 + (int)i, r.x, r.w, i == l->cur);
}

static void list_status(struct view *v, char *buf, size_t n)
{
	struct list *l = v->priv;
	int64_t total = ar_counts_of(&l->counts, A->filter);
	if (l->n)
		snprintf(buf, n, "#%lld · %lld listed", (long long)l->rows[l->cur].id, (long long)total);
}

static void list_mouse(struct view *v, int y, int x, int button)
{
	struct list *l = v->priv;
	(void)x;
	if (button == 4)
		move_by(l, -3);
	else if (button == 5)
		move_by(l, 3);
	else if (button == 1) {
		int i = y - v->area.y - 2;
		if (i >= 0 && (size_t)i < l->n) {
			if (l->cur == (size_t)i)
				reader_open(l->rows[i].id, NULL);
			l->cur = (size_t)i;
		}
	}
}

/* Evidence for current summaries that have none stored (an archive from
 * before it, a new method): computed a few at a time between keys, the
 * list refreshed as the counts arrive. */
static unsigned fill_timer;

static void fill_tick(void *ctx)
{
	struct view *v = ctx;
	int64_t done = 0;
	enum { BATCH = 8 };
	fill_timer = 0;
	if (ar_evidence_fill_some(A->ar, BATCH, &done) != 0) {
		app_error("evidence: %s", ar_error(A->ar));
		return;
	}
	if (done) {
		list_reload(v);
		app_dirty();
	}
	if (done == BATCH)
		fill_timer = app_timer_after(1, fill_tick, v);
}

static void list_close(struct view *v)
{
	struct list *l = v->priv;
	if (fill_timer)
		app_timer_cancel(fill_timer);
	fill_timer = 0;
	rows_free(l);
	free(l);
}

static const struct view_ops list_ops = {
	.name = "list",
	.ctx = KC_LIST,
	.draw = list_draw,
	.request = list_request,
	.reload = list_reload,
	.mouse = list_mouse,
	.status = list_status,
	.close = list_close,
};

struct view *list_open(void)
{
	struct list *l = xcalloc(1, sizeof *l);
	struct view *v = app_push(&list_ops, l);
	/* after the first frame: counting what is missing scans every
	 * summary (~150 ms at 100,000 transcripts); the first tick finds out */
	if (v && !A->readonly)
		fill_timer = app_timer_after(50, fill_tick, v);
	return v;
}
