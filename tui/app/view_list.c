/* view_list.c — the start screen: one row per transcript, keyset-paged
 * (only the rows on screen are read, so it starts at once at any archive
 * size), sort (either direction) and filter cycling, a pattern typed as
 * it filters (l), review marks, next to review, tags and what acts on
 * them (a, x, -, r), and the row actions the reader has (e, m, V, o, H).
 * The cursor follows the reader (A->follow_id); other processes' changes
 * show within a second (the changed op). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <curses.h>

#include "db/archive.h"
#include "db/evidence.h"
#include "render/alloc.h"
#include "tui/app/llm_app.h"
#include "tui/app/view.h"

struct list {
	struct ar_meta *rows;   /* the rows on screen, in display order */
	size_t n;
	size_t cur;             /* cursor, index into rows */
	int h;                  /* rows that fit */
	struct ar_counts counts;
	int64_t pattern_count;  /* rows the pattern lets through, -1 unknown */
	int loaded;
	/* tagged rows, sorted by id, each with the version it had when
	 * tagged (what a batch review checks) */
	struct ar_row_ref *tags;
	size_t ntags, captags;
	char old_pattern[256];  /* put back by Esc in the pattern prompt */
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
	struct ar_page_query q;
	app_list_query(&q);
	if (ar_list_page(A->ar, &q, from, inclusive, dir, limit, rows, n) != 0) {
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
	k->unsupported = m->unsupported;
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

/* Fills the window around transcript m (as the order sees it: when it is
 * not listed, the rows after where it would be), the cursor on it at
 * screen row `row` when there are rows enough before it. */
static void load_at(struct list *l, const struct ar_meta *m, size_t row)
{
	struct ar_meta *after, *before;
	size_t na, nb = 0;
	if (fetch(m, 1, 1, l->h, &after, &na) != 0)
		return;
	size_t want = row;
	if ((size_t)l->h > na && (size_t)l->h - na > want)
		want = (size_t)l->h - na;
	if (want > (size_t)l->h - (na ? 1 : 0))
		want = (size_t)l->h - (na ? 1 : 0);
	if (want && fetch(m, 0, -1, (int)want, &before, &nb) != 0) {
		ar_metas_free(after, na);
		return;
	}
	if (!want)
		before = NULL;
	rows_free(l);
	size_t keep_after = na;
	if (nb + keep_after > (size_t)l->h)
		keep_after = (size_t)l->h - nb;
	for (size_t i = keep_after; i < na; i++)
		ar_meta_free(&after[i]);
	l->rows = xmalloc((nb + keep_after ? nb + keep_after : 1) * sizeof *l->rows);
	if (nb)
		memcpy(l->rows, before, nb * sizeof *l->rows);
	if (keep_after)
		memcpy(l->rows + nb, after, keep_after * sizeof *l->rows);
	free(before);
	free(after);
	l->n = nb + keep_after;
	l->cur = keep_after ? nb : nb ? nb - 1 : 0;
}

static void load_counts(struct list *l)
{
	if (ar_counts(A->ar, &l->counts) != 0)
		app_error("%s", ar_error(A->ar));
	l->pattern_count = -1;
	if (A->pattern[0]) {
		struct ar_page_query q;
		app_list_query(&q);
		struct ar_row_ref *v;
		size_t n;
		if (ar_list_refs(A->ar, &q, &v, &n) == 0) {
			l->pattern_count = (int64_t)n;
			free(v);
		}
	}
}

/* The cursor to the transcript the reader was last on (it may have been
 * on others: J, K, approve-and-next). 1 when it moved. */
static int follow(struct list *l)
{
	int64_t id = A->follow_id;
	A->follow_id = 0;
	if (!id || (l->n && l->rows[l->cur].id == id))
		return 0;
	for (size_t i = 0; i < l->n; i++)
		if (l->rows[i].id == id) {
			l->cur = i;
			return 1;
		}
	struct ar_meta m;
	if (ar_get_meta(A->ar, id, &m) != 0)
		return 0;
	load_at(l, &m, l->cur);
	ar_meta_free(&m);
	return 1;
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
	follow(l);
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

/* Moves to the next (dir > 0) or previous transcript to review (a
 * summary, unreviewed or changed) in the list's order and pattern. */
static void next_unreviewed(struct list *l, int dir)
{
	if (!l->n)
		return;
	struct ar_meta *r;
	size_t n;
	struct ar_page_query q;
	app_list_query(&q);
	q.filter = AR_F_UNREVIEWED;
	if (ar_list_page(A->ar, &q, &l->rows[l->cur], 0, dir, 1, &r, &n) != 0) {
		app_error("%s", ar_error(A->ar));
		return;
	}
	if (!n) {
		app_status("no %s transcript to review in this order%s", dir > 0 ? "later" : "earlier",
		           A->pattern[0] ? " and pattern" : "");
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
	if (A->filter != AR_F_ALL && A->filter != AR_F_UNREVIEWED && A->filter != AR_F_SUMMARIZED &&
	    !(A->filter == AR_F_CHANGED && r[0].review == AR_CHANGED)) {
		A->filter = AR_F_ALL;
		load_counts(l);
		app_status("filter: all (the next to review was hidden)");
	}
	load_window(l, &r[0], id);
	ar_metas_free(r, n);
}

/* ---- tags ------------------------------------------------------------ */

/* Index of id in the tags, or where it would go (*found says which). */
static size_t tag_find(const struct list *l, int64_t id, int *found)
{
	size_t lo = 0, hi = l->ntags;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (l->tags[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo < l->ntags && l->tags[lo].id == id;
	return lo;
}

static int tagged(const struct list *l, int64_t id)
{
	int f;
	tag_find(l, id, &f);
	return f;
}

static void tag_toggle(struct list *l, const struct ar_meta *m)
{
	int f;
	size_t i = tag_find(l, m->id, &f);
	if (f) {
		memmove(&l->tags[i], &l->tags[i + 1], (l->ntags - i - 1) * sizeof *l->tags);
		l->ntags--;
		return;
	}
	xgrow(&l->tags, &l->captags, l->ntags + 1, sizeof *l->tags);
	memmove(&l->tags[i + 1], &l->tags[i], (l->ntags - i) * sizeof *l->tags);
	l->tags[i] = (struct ar_row_ref){ m->id, m->current_summary_id };
	l->ntags++;
}

static int cmp_ref(const void *a, const void *b)
{
	const struct ar_row_ref *x = a, *y = b;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* Tags every row the list shows (filter and pattern), keeping the
 * version recorded for rows tagged before. */
static void tag_all(struct list *l)
{
	struct ar_page_query q;
	app_list_query(&q);
	struct ar_row_ref *v;
	size_t n;
	if (ar_list_refs(A->ar, &q, &v, &n) != 0) {
		app_error("%s", ar_error(A->ar));
		return;
	}
	qsort(v, n, sizeof *v, cmp_ref);
	/* merge: old tags win (their version is what was seen then) */
	struct ar_row_ref *all = xmalloc((l->ntags + n + 1) * sizeof *all);
	size_t i = 0, j = 0, k = 0;
	while (i < l->ntags || j < n) {
		if (j == n || (i < l->ntags && l->tags[i].id < v[j].id))
			all[k++] = l->tags[i++];
		else if (i == l->ntags || v[j].id < l->tags[i].id)
			all[k++] = v[j++];
		else {
			all[k++] = l->tags[i++];
			j++;
		}
	}
	free(v);
	free(l->tags);
	l->tags = all;
	l->ntags = l->captags = k;
	if (!l->captags)
		l->captags = 1;
	app_status("%zu tagged: %s approves them, %s flags, %s clears, %s summarizes again; %s untags", k,
	           keymap_key(KC_LIST, ACT_APPROVE), keymap_key(KC_LIST, ACT_FLAG),
	           keymap_key(KC_LIST, ACT_CLEAR_REVIEW), keymap_key(KC_LIST, ACT_RESUMMARIZE),
	           keymap_key(KC_LIST, ACT_UNTAG_ALL));
}

static void untag_all(struct list *l)
{
	size_t n = l->ntags;
	l->ntags = 0;
	app_status(n ? "%zu untagged" : "nothing was tagged", n);
}

/* After a batch review: the rows reviewed are untagged, the refused stay. */
static void batch_reviewed(struct view *v, const unsigned char *ok, size_t n)
{
	struct list *l = v->priv;
	if (!ok || n != l->ntags)
		return;
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (!ok[i])
			l->tags[k++] = l->tags[i];
	l->ntags = k;
}

/* r on the tags: they are queued, so untagged. */
static void untag_queued(void *ctx)
{
	struct list *l = ctx;
	l->ntags = 0;
}

/* The tagged ids (malloc'd). */
static int64_t *tag_ids(const struct list *l)
{
	int64_t *ids = xmalloc((l->ntags ? l->ntags : 1) * sizeof *ids);
	for (size_t i = 0; i < l->ntags; i++)
		ids[i] = l->tags[i].id;
	return ids;
}

/* ---- the pattern (l) ------------------------------------------------- */

static void go_first(struct list *l);

static void pattern_set(struct view *v, const char *text)
{
	struct list *l = v->priv;
	snprintf(A->pattern, sizeof A->pattern, "%s", text ? text : "");
	load_counts(l);
	go_first(l);
	app_dirty();
}

static void pattern_typed(void *ctx, const char *text)
{
	pattern_set(ctx, text);
}

static void pattern_done(void *ctx, const char *text)
{
	struct view *v = ctx;
	struct list *l = v->priv;
	if (!text) {
		pattern_set(v, l->old_pattern);
		app_status(l->old_pattern[0] ? "pattern: back to '%s'" : "pattern: none%s",
		           l->old_pattern[0] ? l->old_pattern : "");
		return;
	}
	pattern_set(v, text);
	if (A->pattern[0])
		app_status("%lld match '%s' (%s changes it, %s then Enter on nothing clears it)",
		           (long long)l->pattern_count, A->pattern, keymap_key(KC_LIST, ACT_LIMIT),
		           keymap_key(KC_LIST, ACT_LIMIT));
	else
		app_status("pattern cleared");
}

static void limit_ask(struct view *v)
{
	struct list *l = v->priv;
	snprintf(l->old_pattern, sizeof l->old_pattern, "%s", A->pattern);
	app_prompt_live("Limit to (title, channel, URL): ", A->pattern, pattern_done, pattern_typed, v);
}

/* The versions view changed the current version of a row. */
static void row_changed(void *ctx)
{
	list_reload(ctx);
}

static int list_request(struct view *v, enum action a)
{
	struct list *l = v->priv;
	const struct ar_meta *row = l->n ? &l->rows[l->cur] : NULL;
	switch (a) {
	case ACT_MOVE_DOWN: move_by(l, 1); break;
	case ACT_MOVE_UP: move_by(l, -1); break;
	case ACT_PAGE_DOWN: move_by(l, l->h); break;
	case ACT_PAGE_UP: move_by(l, -l->h); break;
	case ACT_FIRST: go_first(l); break;
	case ACT_LAST: go_last(l); break;
	case ACT_OPEN:
		if (row)
			reader_open(row->id, NULL);
		break;
	case ACT_SORT:
		A->sort = (enum ar_sort)((A->sort + 1) % 5);
		go_first(l);
		break;
	case ACT_REVERSE:
		A->reverse = !A->reverse;
		go_first(l);
		break;
	case ACT_FILTER:
		A->filter = (enum ar_filter)((A->filter + 1) % AR_F_COUNT);
		load_counts(l);
		go_first(l);
		break;
	case ACT_LIMIT:
		limit_ask(v);
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
		if (l->ntags)
			app_review_tagged(v, l->tags, l->ntags, a, batch_reviewed);
		else if (row)
			app_review(v, row->id, row->current_summary_id, a, NULL);
		break;
	case ACT_RESUMMARIZE:
		if (l->ntags) {
			int64_t *ids = tag_ids(l);
			llm_app_resummarize_many(ids, l->ntags, untag_queued, l);
			free(ids);
		} else if (row) {
			llm_app_resummarize(row->id);
		}
		break;
	case ACT_TAG:
		if (row) {
			tag_toggle(l, row);
			move_by(l, 1);
		}
		break;
	case ACT_TAG_ALL: tag_all(l); break;
	case ACT_UNTAG_ALL: untag_all(l); break;
	case ACT_EDIT:
		if (row && app_edit_summary(row->id, row->current_summary_id))
			list_reload(v);
		break;
	case ACT_MAP:
		if (row)
			app_open_map(row->id);
		break;
	case ACT_VERSIONS:
		if (row)
			versions_open(row->id, row_changed, v);
		break;
	case ACT_OPEN_URL:
		if (row)
			app_open_url(row->url, -1);
		break;
	case ACT_REVIEWS:
		if (row)
			reviews_open(row->id);
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

static const char *const sort_names[] = { "date", "title", "length", "imported", "unsupported" };

/* The order's direction in words: its usual one, or reversed. */
static const char *direction(void)
{
	static const char *const usual[][2] = {
		{ "new→old", "new->old" }, { "A→Z", "A->Z" }, { "long→short", "long->short" },
		{ "new→old", "new->old" }, { "most→least", "most->least" },
	};
	static const char *const reversed[][2] = {
		{ "old→new", "old->new" }, { "Z→A", "Z->A" }, { "short→long", "short->long" },
		{ "old→new", "old->new" }, { "least→most", "least->most" },
	};
	unsigned s = (unsigned)A->sort < 5 ? (unsigned)A->sort : 0;
	return (A->reverse ? reversed : usual)[s][A->utf8 ? 0 : 1];
}

/* The header: "precis", the counts (shortened to fit), and on the right
 * what always shows — the order and its direction, the filter and the
 * pattern when set, the tags, read-only; the archive's path when there
 * is room. Legible at 80 columns with everything set. */
static void draw_header(struct list *l, struct rect r)
{
	const struct ar_counts *c = &l->counts;
	char right[600];
	int rl = snprintf(right, sizeof right, "sort: %s %s", sort_names[A->sort < 5 ? A->sort : 0],
	                  direction());
	if (A->filter != AR_F_ALL && rl < (int)sizeof right)
		rl += snprintf(right + rl, sizeof right - (size_t)rl, "  [%s]", ar_filter_name(A->filter));
	if (A->pattern[0] && rl < (int)sizeof right)
		rl += snprintf(right + rl, sizeof right - (size_t)rl, "  /%.60s/", A->pattern);
	if (l->ntags && rl < (int)sizeof right)
		rl += snprintf(right + rl, sizeof right - (size_t)rl, "  %zu tagged", l->ntags);
	if (A->readonly && rl < (int)sizeof right)
		snprintf(right + rl, sizeof right - (size_t)rl, "  [read-only]");
	char counts[5][300];
	char changed[64] = "";
	if (c->changed)
		snprintf(changed, sizeof changed, " (%lld changed)", (long long)c->changed);
	snprintf(counts[0], sizeof counts[0], "%lld transcripts · %lld unsummarized · %lld unreviewed%s · %lld flagged",
	         (long long)c->total, (long long)c->unsummarized, (long long)c->unreviewed, changed,
	         (long long)c->flagged);
	snprintf(counts[1], sizeof counts[1], "%lld transcripts · %lld unsummarized · %lld unreviewed · %lld flagged",
	         (long long)c->total, (long long)c->unsummarized, (long long)c->unreviewed,
	         (long long)c->flagged);
	snprintf(counts[2], sizeof counts[2], "%lld transcripts · %lld unreviewed · %lld flagged",
	         (long long)c->total, (long long)c->unreviewed, (long long)c->flagged);
	snprintf(counts[3], sizeof counts[3], "%lld transcripts · %lld unreviewed", (long long)c->total,
	         (long long)c->unreviewed);
	snprintf(counts[4], sizeof counts[4], "%lld transcripts", (long long)c->total);
	draw_fill(r.y, r.x, r.w, style(ST_BAR));
	int x = r.x + 1;
	x += draw_text(r.y, x, r.w - 1, "precis", style(ST_BAR) | A_BOLD);
	x += 2;
	int rw = text_width(right);
	int room = r.x + r.w - 1 - x;
	if (rw > room)
		rw = room;                   /* a narrow terminal: cut the right part */
	int rx = r.x + r.w - 1 - rw;
	draw_text(r.y, rx, rw, right, style(ST_BAR) | A_BOLD);
	int left = rx - 2 - x;
	for (int i = 0; i < 5 && left > 0; i++) {
		int cw = text_width(counts[i]);
		if (cw <= left || i == 4) {
			x += draw_text(r.y, x, left, counts[i], style(ST_BAR));
			break;
		}
	}
	/* the archive's path in what is left */
	char path[1024];
	short_path(A->db_path, path, sizeof path);
	int pw = text_width(path);
	if (rx - 3 - x > pw + 2)
		draw_text(r.y, x + 3, pw, path, style(ST_BAR) | A_DIM);
}

/* Which columns fit in w. */
struct cols { int date, dur, state, unsup; };

static struct cols columns(int w)
{
	struct cols c = { w >= 40, w >= 52, w >= 64, w >= 72 };
	return c;
}

static void draw_row(const struct ar_meta *m, int y, int x, int w, int selected, int is_tagged)
{
	attr_t base = selected ? style(ST_CURSOR) : A_NORMAL;
	struct cols c = columns(w);
	draw_fill(y, x, w, base);
	int col = x;
	/* tag and review marks */
	if (is_tagged)
		draw_text(y, col, 1, "*", base | A_BOLD);
	col += 1;
	if (m->review == AR_APPROVED)
		draw_text(y, col, 1, glyph_approved(), base | style(ST_APPROVED));
	else if (m->review == AR_FLAGGED)
		draw_text(y, col, 1, "!", base | style(ST_FLAGGED));
	else if (m->review == AR_CHANGED)
		draw_text(y, col, 1, "~", base | A_BOLD);
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
		char msg[400];
		if (A->pattern[0])
			snprintf(msg, sizeof msg, "Nothing %s%smatches /%.200s/ (%s changes the pattern, %s the filter).",
			         A->filter != AR_F_ALL ? ar_filter_name(A->filter) : "",
			         A->filter != AR_F_ALL ? " " : "", A->pattern, keymap_key(KC_LIST, ACT_LIMIT),
			         keymap_key(KC_LIST, ACT_FILTER));
		else
			snprintf(msg, sizeof msg, "No transcript is %s (%s changes the filter).",
			         ar_filter_name(A->filter), keymap_key(KC_LIST, ACT_FILTER));
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
	int col = r.x + 3;
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
		draw_row(&l->rows[i], r.y + 2 + (int)i, r.x, r.w, i == l->cur, tagged(l, l->rows[i].id));
}

static void list_status(struct view *v, char *buf, size_t n)
{
	struct list *l = v->priv;
	int64_t total = A->pattern[0] && l->pattern_count >= 0 ? l->pattern_count
	              : ar_counts_of(&l->counts, A->filter);
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
	free(l->tags);
	free(l);
}

/* The list's own hints: the reader's m and V act on the row here too,
 * but the footer keeps its room for ? and q. */
static int list_footer(struct view *v, char *buf, size_t n, int width)
{
	static const enum action acts[] = {
		ACT_OPEN, ACT_SEARCH, ACT_SORT, ACT_FILTER, ACT_APPROVE, ACT_FLAG,
		ACT_NEXT_UNREVIEWED, ACT_HELP, ACT_BACK,
	};
	keymap_footer_of(KC_LIST, acts, sizeof acts / sizeof acts[0], width, buf, n);
	return 1;
}

static const struct view_ops list_ops = {
	.name = "list",
	.ctx = KC_LIST,
	.draw = list_draw,
	.request = list_request,
	.reload = list_reload,
	.changed = list_reload,
	.mouse = list_mouse,
	.footer = list_footer,
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
