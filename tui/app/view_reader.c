/* view_reader.c — one transcript: header, the transcript and the current
 * summary in two panes (side by side, or stacked on narrow terminals),
 * each wrapped and scrolled on its own; in-pane search, archive-search
 * hits, sections, time gutter, review, edit, versions, copy, URL, map. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <curses.h>
#include <utf8proc.h>

#include "db/archive.h"
#include "net/answer.h"
#include "db/formats/doc.h"
#include "render/alloc.h"
#include "render/find.h"
#include "render/layout.h"
#include "render/markdown.h"
#include "tui/app/evidence.h"
#include "tui/app/extern.h"
#include "tui/app/llm_app.h"
#include "tui/app/llm_run.h"
#include "tui/app/pane.h"
#include "tui/app/view.h"

enum { P_TRANSCRIPT = 0, P_SUMMARY = 1 };

struct side {
	struct pane pane;
	struct rf_index *ix;        /* folded text, made when first searched */
	struct rl_range *hits;
	size_t nhits;
	long cur;                   /* current hit, -1 none */
	struct rl_range curr;       /* its range (mark layer 1) */
	struct rect area;
};

struct reader {
	int64_t id;
	struct ar_meta meta;
	char *text;
	size_t len;
	struct doc_para *paras;
	size_t npara;
	struct rl_doc *tdoc;
	struct ar_summary sum;
	int has_summary;
	struct rm_doc sdoc;
	int has_sdoc;
	struct side s[2];
	int focus;
	char *query;                /* what the hits are of */
	int archive_query;          /* query came from the archive search */
	int stacked;                /* the layout drawn last */
	int time_w;
	struct evv ev;              /* the summary's evidence (tui/app/evidence.h) */
	unsigned tick;              /* the progress clock while a summary is written */
	/* while the search prompt is open: what to restore on Esc */
	char *find_saved;
	int find_saved_archive;
	size_t find_anchor;         /* where the search began */
	int newer;                  /* another process made another version
	                               current: shown in the header, R shows it */
};

/* ---- loading -------------------------------------------------------- */

static void gutter_time(void *ctx, const struct rl_doc *d, size_t k, char *buf, size_t n,
                        enum style *st)
{
	struct reader *r = ctx;
	const struct rl_line *ln = rl_line(d, k);
	const struct rl_line *nx = rl_line(d, k + 1);
	size_t end = nx ? nx->off : r->len + 1;
	/* first paragraph starting at or after the line's start */
	size_t lo = 0, hi = r->npara;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (r->paras[mid].offset < ln->off)
			lo = mid + 1;
		else
			hi = mid;
	}
	*st = ST_GUTTER;
	if (lo < r->npara && r->paras[lo].offset < end) {
		long s = (long)r->paras[lo].start_s;
		if (r->time_w > 6)
			snprintf(buf, n, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
		else
			snprintf(buf, n, "%02ld:%02ld", s / 60, s % 60);
	}
}

static void side_clear_hits(struct side *s)
{
	free(s->hits);
	s->hits = NULL;
	s->nhits = 0;
	s->cur = -1;
	pane_set_marks(&s->pane, 0, NULL, 0, ST_HIT);
	pane_set_marks(&s->pane, 1, NULL, 0, ST_CURHIT);
}

static void summary_free(struct reader *r)
{
	evv_clear(&r->ev, &r->s[P_SUMMARY].pane, &r->s[P_TRANSCRIPT].pane);
	evv_free(&r->ev);
	if (r->has_sdoc) {
		rm_free(&r->sdoc);
		r->has_sdoc = 0;
	}
	if (r->has_summary) {
		ar_summary_free(&r->sum);
		r->has_summary = 0;
	}
	if (r->s[P_SUMMARY].ix) {
		rf_index_free(r->s[P_SUMMARY].ix);
		r->s[P_SUMMARY].ix = NULL;
	}
	side_clear_hits(&r->s[P_SUMMARY]);
}

/* The summary pane without a summary, naming the keys as bound. */
static void no_summary_text(char *buf, size_t n)
{
	snprintf(buf, n, "No summary yet.\n\n"
	         "Summaries come with imported records, or from the LLM (%s, when the LLM client is set "
	         "up); %s writes one by hand.", keymap_key(KC_READER, ACT_RESUMMARIZE),
	         keymap_key(KC_READER, ACT_EDIT));
}

/* Lays out md as the summary pane's document, keeping its position. */
static void summary_render(struct reader *r, const char *md, size_t len)
{
	if (r->has_sdoc) {
		rm_free(&r->sdoc);
		r->has_sdoc = 0;
	}
	if (r->s[P_SUMMARY].ix) {
		rf_index_free(r->s[P_SUMMARY].ix);
		r->s[P_SUMMARY].ix = NULL;
	}
	rm_render(md, len, &r->sdoc);
	r->has_sdoc = 1;
	pane_set_doc(&r->s[P_SUMMARY].pane, r->sdoc.layout);
}

static void find_all(struct reader *r);

/* Reads the current summary (again). */
static void summary_load(struct reader *r)
{
	summary_free(r);
	int k = ar_current_summary(A->ar, r->id, &r->sum);
	if (k < 0)
		app_error("%s", ar_error(A->ar));
	r->has_summary = k == 0;
	if (r->has_summary) {
		summary_render(r, r->sum.body, r->sum.body_len);
		if (evv_load(&r->ev, A->ar, r->sum.id, r->sdoc.layout, r->text, r->len,
		             r->paras, r->npara) != 0)
			app_error("evidence: %s", ar_error(A->ar));
		else if (r->ev.res.n >= EV_MAX_CLAIMS)
			app_status("evidence: the first %d claims of this long summary are checked, "
			           "not the rest", EV_MAX_CLAIMS);
	} else {
		char ns[300];
		no_summary_text(ns, sizeof ns);
		summary_render(r, ns, strlen(ns));
	}
}

static void reader_unload(struct reader *r)
{
	summary_free(r);
	for (int i = 0; i < 2; i++) {
		side_clear_hits(&r->s[i]);
		if (r->s[i].ix)
			rf_index_free(r->s[i].ix);
		r->s[i].ix = NULL;
	}
	if (r->tdoc)
		rl_free(r->tdoc);
	r->tdoc = NULL;
	free(r->text);
	free(r->paras);
	r->text = NULL;
	r->paras = NULL;
	ar_meta_free(&r->meta);
}

/* Loads transcript id into r. Returns 0, or -1 with a message. */
static int reader_load(struct reader *r, int64_t id)
{
	struct ar_meta m;
	int k = ar_get_meta(A->ar, id, &m);
	if (k != 0) {
		if (k < 0)
			app_error("%s", ar_error(A->ar));
		else
			app_error("transcript %lld is gone (deleted by another process?)", (long long)id);
		return -1;
	}
	char *text;
	size_t len;
	if (ar_get_text(A->ar, id, &text, &len) != 0) {
		app_error("%s", ar_error(A->ar));
		ar_meta_free(&m);
		return -1;
	}
	struct doc_para *paras = NULL;
	size_t np = 0;
	if (ar_get_paras(A->ar, id, &paras, &np) < 0) {
		paras = NULL;
		np = 0;
	}
	reader_unload(r);
	r->id = id;
	r->meta = m;
	r->newer = 0;
	A->follow_id = id;   /* the list's cursor follows */
	r->text = text;
	r->len = len;
	r->paras = paras;
	r->npara = np;
	r->tdoc = rl_new(text, len, NULL, 0, NULL, 0);
	double last = np ? r->paras[np - 1].start_s : 0;
	r->time_w = np ? (last >= 3600 ? 9 : 6) : 0;
	for (int i = 0; i < 2; i++) {
		pane_init(&r->s[i].pane, NULL);
		r->s[i].cur = -1;
	}
	pane_set_doc(&r->s[P_TRANSCRIPT].pane, r->tdoc);
	if (np)
		pane_add_gutter(&r->s[P_TRANSCRIPT].pane, r->time_w, gutter_time, r);
	pane_add_gutter(&r->s[P_SUMMARY].pane, EVV_GUTTER_W, evv_gutter, &r->ev);
	summary_load(r);
	return 0;
}

/* ---- search --------------------------------------------------------- */

static int cmp_range(const void *a, const void *b)
{
	const struct rl_range *x = a, *y = b;
	return x->off < y->off ? -1 : x->off > y->off;
}

/* Sorts and merges overlapping ranges in place; returns the count. */
static size_t merge_ranges(struct rl_range *v, size_t n)
{
	if (!n)
		return 0;
	qsort(v, n, sizeof *v, cmp_range);
	size_t k = 0;
	for (size_t i = 1; i < n; i++) {
		if (v[i].off < v[k].end) {
			if (v[i].end > v[k].end)
				v[k].end = v[i].end;
		} else {
			v[++k] = v[i];
		}
	}
	return k + 1;
}

static struct rf_index *side_index(struct reader *r, int i)
{
	struct side *s = &r->s[i];
	if (!s->ix) {
		size_t len;
		const char *t = rl_text(s->pane.doc, &len);
		s->ix = rf_index_new(t, len);
	}
	return s->ix;
}

/* The searchable terms of an archive query: words and "phrases", not
 * -excluded ones nor OR; a trailing * dropped (the find is by prefix
 * anyway). Returns a malloc'd array of malloc'd strings. */
static char **query_terms(const char *q, size_t *n)
{
	size_t cap = 8;
	char **v = xmalloc(cap * sizeof *v);
	*n = 0;
	const char *p = q;
	while (*p) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		int neg = *p == '-';
		if (neg)
			p++;
		const char *s, *e;
		if (*p == '"') {
			s = ++p;
			while (*p && *p != '"')
				p++;
			e = p;
			if (*p)
				p++;
		} else {
			s = p;
			while (*p && *p != ' ' && *p != '\t')
				p++;
			e = p;
		}
		while (e > s && e[-1] == '*')
			e--;
		if (neg || e == s || (e - s == 2 && !strncmp(s, "OR", 2)) ||
		    (e - s == 3 && (!strncmp(s, "AND", 3) || !strncmp(s, "NOT", 3))))
			continue;
		if (*n + 1 >= cap) {
			cap *= 2;
			v = xreallocarray(v, cap, sizeof *v);
		}
		v[(*n)++] = xstrndup(s, (size_t)(e - s));
	}
	return v;
}

/* 1 when q holds an upper-case letter (smart case). */
static int has_upper(const char *q)
{
	size_t len = strlen(q), p = 0;
	while (p < len) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)q + p, (utf8proc_ssize_t)(len - p), &cp);
		if (k <= 0) {
			p++;
			continue;
		}
		if (utf8proc_tolower(cp) != cp)
			return 1;
		p += (size_t)k;
	}
	return 0;
}

/* Finds the query in pane i: archive terms, or one literal string with
 * smart case. */
static void side_find(struct reader *r, int i)
{
	struct side *s = &r->s[i];
	side_clear_hits(s);
	if (!r->query || !*r->query || !s->pane.doc)
		return;
	struct rf_index *ix = side_index(r, i);
	size_t nt = 0;
	char **terms;
	if (r->archive_query) {
		terms = query_terms(r->query, &nt);
	} else {
		terms = xmalloc(sizeof *terms);
		terms[0] = xstrdup(r->query);
		nt = 1;
	}
	size_t tlen;
	const char *text = rl_text(s->pane.doc, &tlen);
	struct rl_range *all = NULL;
	size_t nall = 0;
	for (size_t t = 0; t < nt; t++) {
		struct rl_range *h;
		size_t k = rf_find(ix, terms[t], strlen(terms[t]), &h);
		if (!r->archive_query && has_upper(terms[t])) {
			size_t ql = strlen(terms[t]), m = 0;
			for (size_t j = 0; j < k; j++)
				if (h[j].end - h[j].off == ql && !memcmp(text + h[j].off, terms[t], ql))
					h[m++] = h[j];
			k = m;
		}
		if (k) {
			all = xreallocarray(all, nall + k, sizeof *all);
			memcpy(all + nall, h, k * sizeof *h);
			nall += k;
		}
		free(h);
		free(terms[t]);
	}
	free(terms);
	s->nhits = merge_ranges(all, nall);
	s->hits = all;
	pane_set_marks(&s->pane, 0, s->hits, s->nhits, ST_HIT);
}

static void find_all(struct reader *r)
{
	side_find(r, P_TRANSCRIPT);
	side_find(r, P_SUMMARY);
}

/* Makes hit j of pane i current and shows it. */
static void show_hit(struct reader *r, int i, size_t j)
{
	struct side *s = &r->s[i];
	if (j >= s->nhits)
		return;
	s->cur = (long)j;
	s->curr = s->hits[j];
	pane_set_marks(&s->pane, 1, &s->curr, 1, ST_CURHIT);
	pane_show_off(&s->pane, s->hits[j].off);
}

/* Index of the first hit at or after byte offset off; n when none. */
static size_t first_hit_from(const struct side *s, size_t off)
{
	size_t lo = 0, hi = s->nhits;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (s->hits[mid].off < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* 1 when hit j of s is on one of the pane's visible lines. */
static int hit_visible(const struct side *s, size_t j)
{
	const struct pane *p = &s->pane;
	if (j >= s->nhits || !p->doc)
		return 0;
	size_t k = rl_line_at(p->doc, s->hits[j].off);
	return k >= p->top && k < p->top + (size_t)(p->h > 0 ? p->h : 1);
}

/* The byte offset of the pane's top line. */
static size_t top_off(const struct side *s)
{
	const struct rl_line *ln = s->pane.doc ? rl_line(s->pane.doc, s->pane.top) : NULL;
	return ln ? ln->off : 0;
}

/* n / N in the focused pane: from the current hit while it is on
 * screen, else from the top of the view (after G, n goes on from there,
 * not back to the hit before); past the last hit it wraps to the first,
 * and says so. */
static void next_hit(struct reader *r, int dir)
{
	struct side *s = &r->s[r->focus];
	if (!r->query) {
		app_status("no search yet: %s searches the focused pane", keymap_key(KC_READER, ACT_FIND));
		return;
	}
	if (!s->nhits) {
		struct side *o = &r->s[!r->focus];
		if (o->nhits) {
			app_status("no hits in this pane (%zu in the other: %s)", o->nhits,
			           keymap_key(KC_READER, ACT_FOCUS_NEXT));
		} else {
			app_status("not found: %s", r->query);
		}
		return;
	}
	size_t j;
	int wrapped = 0;
	if (s->cur < 0 || !hit_visible(s, (size_t)s->cur)) {
		j = first_hit_from(s, top_off(s));
		if (dir > 0 && j == s->nhits) {
			j = 0;
			wrapped = 1;
		} else if (dir < 0) {
			if (j == 0) {
				j = s->nhits - 1;
				wrapped = 1;
			} else {
				j--;
			}
		}
	} else if (dir > 0) {
		j = (size_t)s->cur + 1;
		if (j >= s->nhits) {
			j = 0;
			wrapped = 1;
		}
	} else {
		if (s->cur == 0) {
			j = s->nhits - 1;
			wrapped = 1;
		} else {
			j = (size_t)s->cur - 1;
		}
	}
	show_hit(r, r->focus, j);
	if (wrapped)
		app_status(dir > 0 ? "search wrapped: hit BOTTOM, continuing at TOP"
		                   : "search wrapped: hit TOP, continuing at BOTTOM");
}

/* Restores what the search prompt changed while typing: the query, its
 * hits and where the pane was. */
static void find_restore(struct reader *r)
{
	struct side *s = &r->s[r->focus];
	free(r->query);
	r->query = r->find_saved ? xstrdup(r->find_saved) : NULL;
	r->archive_query = r->find_saved_archive;
	if (r->query)
		side_find(r, r->focus);
	else
		side_clear_hits(s);
	s->pane.anchor = r->find_anchor;
	s->pane.text_w = 0;   /* re-laid out from the anchor at the next draw */
}

/* Each edit of the search prompt: the hits highlighted as typed, the
 * pane at the first one from where the search began. */
static void find_changed(void *ctx, const char *text)
{
	struct view *v = ctx;
	struct reader *r = v->priv;
	struct side *s = &r->s[r->focus];
	if (!*text) {
		find_restore(r);
		return;
	}
	free(r->query);
	r->query = xstrdup(text);
	r->archive_query = 0;
	side_find(r, r->focus);
	if (!s->nhits) {
		s->pane.anchor = r->find_anchor;
		s->pane.text_w = 0;
		return;
	}
	size_t j = first_hit_from(s, r->find_anchor);
	show_hit(r, r->focus, j < s->nhits ? j : 0);
	s->cur = -1;   /* previewed: Enter picks the hit from the start again */
}

static void find_done(void *ctx, const char *text)
{
	struct view *v = ctx;
	struct reader *r = v->priv;
	free(r->find_saved);
	r->find_saved = NULL;
	if (!text) {   /* Esc, Ctrl-C: as before the prompt */
		find_restore(r);
		return;
	}
	if (!*text) {
		free(r->query);
		r->query = NULL;
		for (int i = 0; i < 2; i++)
			side_clear_hits(&r->s[i]);
		return;
	}
	free(r->query);
	r->query = xstrdup(text);
	r->archive_query = 0;
	side_find(r, r->focus);
	side_clear_hits(&r->s[!r->focus]);
	struct side *s = &r->s[r->focus];
	if (!s->nhits) {
		app_status("not found: %s", text);
		return;
	}
	/* the first hit from where the search began (the preview moved the
	 * pane), wrapping */
	size_t j = first_hit_from(s, r->find_anchor);
	int wrapped = j == s->nhits;
	show_hit(r, r->focus, wrapped ? 0 : j);
	if (wrapped)
		app_status("search wrapped: hit BOTTOM, continuing at TOP");
}

/* `/`: the prompt, with the hits highlighted while the query is typed. */
static void find_start(struct view *v, struct reader *r)
{
	struct side *s = &r->s[r->focus];
	free(r->find_saved);
	r->find_saved = r->query ? xstrdup(r->query) : NULL;
	r->find_saved_archive = r->archive_query;
	r->find_anchor = s->pane.anchor;
	app_prompt_live(r->focus == P_TRANSCRIPT ? "/ transcript: " : "/ summary: ", "", find_done,
	                find_changed, v);
}

/* ---- actions -------------------------------------------------------- */

static struct side *focused(struct reader *r) { return &r->s[r->focus]; }

static void section_jump(struct reader *r, int dir)
{
	if (!r->has_sdoc || !r->sdoc.nsections) {
		app_status("this summary has no sections");
		return;
	}
	struct pane *p = &r->s[P_SUMMARY].pane;
	long target = -1;
	if (dir > 0) {
		for (size_t i = 0; i < r->sdoc.nsections; i++) {
			size_t k = rm_section_line(&r->sdoc, i);
			if (k > p->top) {
				target = (long)k;
				break;
			}
		}
	} else {
		for (size_t i = r->sdoc.nsections; i-- > 0;) {
			size_t k = rm_section_line(&r->sdoc, i);
			if (k < p->top) {
				target = (long)k;
				break;
			}
		}
	}
	r->focus = P_SUMMARY;
	if (target < 0) {
		app_status(dir > 0 ? "last section" : "first section");
		if (dir < 0)
			pane_goto_line(p, 0);
		return;
	}
	pane_goto_line(p, (size_t)target);
	if (p->top != (size_t)target)
		app_status("last section (at the end of the summary)");
}

/* Seconds at the top line of the transcript, -1 when unknown. */
static long top_time(struct reader *r)
{
	if (!r->npara)
		return -1;
	const struct rl_line *ln = rl_line(r->tdoc, r->s[P_TRANSCRIPT].pane.top);
	size_t off = ln ? ln->off : 0;
	long t = (long)r->paras[0].start_s;
	for (size_t i = 0; i < r->npara && r->paras[i].offset <= off; i++)
		t = (long)r->paras[i].start_s;
	return t;
}

static void open_url(struct reader *r)
{
	app_open_url(r->meta.url, top_time(r));
}

static void open_map(struct reader *r)
{
	const char *src = NULL;
	size_t len = 0;
	if (r->has_sdoc && r->sdoc.ndiagrams) {
		src = r->sdoc.diagrams[0].source;
		len = r->sdoc.diagrams[0].len;
	} else if (r->has_summary && r->sum.mermaid) {
		src = r->sum.mermaid;
		len = strlen(src);
	}
	if (!src) {
		app_status("this summary has no concept map");
		return;
	}
	map_open(src, len, r->meta.title);
}

static void versions_changed(void *ctx)
{
	struct reader *r = ctx;
	r->newer = 0;
	summary_load(r);
	if (r->query)
		side_find(r, P_SUMMARY);
	ar_meta_free(&r->meta);
	if (ar_get_meta(A->ar, r->id, &r->meta) != 0)
		memset(&r->meta, 0, sizeof r->meta);
}

static void edit_summary(struct reader *r)
{
	if (app_edit_summary(r->id, r->has_summary ? r->sum.id : 0))
		versions_changed(r);
}

static void jump_unreviewed(struct reader *r, int dir)
{
	struct ar_meta *rows;
	size_t n;
	struct ar_page_query q;
	app_list_query(&q);
	q.filter = AR_F_UNREVIEWED;
	if (ar_list_page(A->ar, &q, &r->meta, 0, dir, 1, &rows, &n) != 0) {
		app_error("%s", ar_error(A->ar));
		return;
	}
	if (!n) {
		app_status("no %s transcript to review (the list's order%s)", dir > 0 ? "later" : "earlier",
		           A->pattern[0] ? " and pattern" : "");
		return;
	}
	int64_t id = rows[0].id;
	ar_metas_free(rows, n);
	char *q0 = r->query ? xstrdup(r->query) : NULL;
	int aq = r->archive_query;
	if (reader_load(r, id) == 0) {
		r->query = q0;
		r->archive_query = aq;
		if (q0 && aq)
			find_all(r);
		else {
			free(q0);
			r->query = NULL;
		}
		app_status("%s to review: #%lld%s", dir > 0 ? "next" : "previous", (long long)id,
		           r->meta.review == AR_CHANGED ? " (changed since it was reviewed)" : "");
	} else {
		free(q0);
	}
}

/* After a review in the reader: on to the next in the queue, keeping the
 * review's message in front. */
static void review_advance(struct view *v, const unsigned char *ok, size_t n)
{
	(void)ok;
	(void)n;
	struct reader *r = v->priv;
	int64_t was = r->id;
	const char *verb = r->meta.review == AR_FLAGGED ? "flagged" : "approved";
	jump_unreviewed(r, 1);
	if (r->id == was)
		app_status("%s #%lld; nothing after it to review (%s goes back, %s to the list)", verb,
		           (long long)was, keymap_key(KC_READER, ACT_PREV_UNREVIEWED),
		           keymap_key(KC_READER, ACT_BACK));
	else
		app_status("%s #%lld · next to review: #%lld%s", verb, (long long)was, (long long)r->id,
		           r->meta.review == AR_CHANGED ? " (changed since it was reviewed)" : "");
}

/* a, x, - (and A, X) on the version on screen. */
static void reader_review(struct view *v, struct reader *r, enum action a)
{
	struct llm_live l;
	if (llm_run_get(r->id, &l)) {
		int busy = !l.finished;
		llm_live_free(&l);
		if (busy) {
			app_error("a summary of #%lld is being written: review it when it is done (%s cancels it)",
			          (long long)r->id, keymap_key(KC_READER, ACT_CANCEL_JOB));
			return;
		}
	}
	int advance = A->advance && (a == ACT_APPROVE || a == ACT_FLAG);
	enum action base = a == ACT_APPROVE_STAY ? ACT_APPROVE : a == ACT_FLAG_STAY ? ACT_FLAG : a;
	app_review(v, r->id, r->has_summary ? r->sum.id : 0, base, advance ? review_advance : NULL);
}

/* j / k in the summary pane: the evidence cursor to the next / previous
 * checkable line, the transcript to its best passage. */
static void evidence_move(struct reader *r, int dir)
{
	struct pane *sp = &r->s[P_SUMMARY].pane;
	const struct rl_line *top = sp->doc ? rl_line(sp->doc, sp->top) : NULL;
	if (evv_step(&r->ev, dir, top ? top->off : 0) != 0) {
		/* past the last checkable line: scroll on as before */
		pane_scroll(sp, dir);
		return;
	}
	evv_apply(&r->ev, sp, &r->s[P_TRANSCRIPT].pane);
}

/* n / N: the line's next-best passages (when no search is active). */
static void evidence_passage(struct reader *r, int dir)
{
	if (evv_pass_step(&r->ev, dir) != 0) {
		app_status("this line has %s passage", r->ev.res.lines[r->ev.cur].npass ? "one" : "no");
		return;
	}
	evv_apply(&r->ev, &r->s[P_SUMMARY].pane, &r->s[P_TRANSCRIPT].pane);
}

/* The map's `e` on this reader (its ops' show_node): the transcript
 * scrolls to the best passage of node node_id. */
static void reader_show_node_evidence(struct view *v, const char *node_id)
{
	if (!v || !v->ops || strcmp(v->ops->name, "reader") != 0)
		return;
	struct reader *r = v->priv;
	if (evv_goto_node(&r->ev, node_id) != 0) {
		app_status("no evidence for this node");
		return;
	}
	r->focus = P_SUMMARY;
	evv_apply(&r->ev, &r->s[P_SUMMARY].pane, &r->s[P_TRANSCRIPT].pane);
}

static int reader_request(struct view *v, enum action a)
{
	struct reader *r = v->priv;
	struct pane *p = &focused(r)->pane;
	int page = p->h > 1 ? p->h - 1 : 1;
	int ev = r->focus == P_SUMMARY && r->ev.loaded;
	switch (a) {
	case ACT_MOVE_DOWN: if (ev) evidence_move(r, 1); else pane_scroll(p, 1); break;
	case ACT_MOVE_UP: if (ev) evidence_move(r, -1); else pane_scroll(p, -1); break;
	case ACT_PAGE_DOWN: pane_scroll(p, page); break;
	case ACT_PAGE_UP: pane_scroll(p, -page); break;
	case ACT_HALF_DOWN: pane_scroll(p, p->h / 2 ? p->h / 2 : 1); break;
	case ACT_HALF_UP: pane_scroll(p, -(p->h / 2 ? p->h / 2 : 1)); break;
	case ACT_FIRST: pane_goto_line(p, 0); break;
	case ACT_LAST: pane_goto_line(p, pane_lines(p)); break;
	case ACT_FOCUS_NEXT: r->focus = !r->focus; break;
	case ACT_FOCUS_LEFT: r->focus = P_TRANSCRIPT; break;
	case ACT_FOCUS_RIGHT: r->focus = P_SUMMARY; break;
	case ACT_FIND: find_start(v, r); break;
	case ACT_FIND_NEXT:
		if (ev && !r->query && r->ev.cur >= 0) evidence_passage(r, 1); else next_hit(r, 1);
		break;
	case ACT_FIND_PREV:
		if (ev && !r->query && r->ev.cur >= 0) evidence_passage(r, -1); else next_hit(r, -1);
		break;
	case ACT_SECTION_NEXT: section_jump(r, 1); break;
	case ACT_SECTION_PREV: section_jump(r, -1); break;
	case ACT_OPEN_URL: open_url(r); break;
	case ACT_TOGGLE_LAYOUT:
		A->layout = r->stacked ? LAYOUT_SIDE : LAYOUT_STACKED;
		app_store("ui", "layout", A->layout == LAYOUT_SIDE ? "side" : "stacked");
		app_status("layout: %s (remembered)", A->layout == LAYOUT_SIDE ? "side by side" : "stacked");
		break;
	case ACT_SPLIT_LESS: case ACT_SPLIT_MORE: {
		int d = a == ACT_SPLIT_MORE ? 5 : -5;
		/* stacked: the summary is on top, so "more" grows it */
		if (r->stacked)
			d = -d;
		A->split += d;
		if (A->split < 10) A->split = 10;
		if (A->split > 90) A->split = 90;
		char buf[16];
		snprintf(buf, sizeof buf, "%d", A->split);
		app_store("ui", "split", buf);
		break;
	}
	case ACT_COPY:
		if (r->focus == P_TRANSCRIPT)
			ext_copy(r->text, r->len);
		else if (r->has_summary)
			ext_copy(r->sum.body, r->sum.body_len);
		else
			app_status("no summary to copy");
		break;
	case ACT_EDIT: edit_summary(r); break;
	case ACT_VERSIONS: versions_open(r->id, versions_changed, r); break;
	case ACT_RESUMMARIZE: llm_app_resummarize(r->id); break;
	case ACT_CANCEL_JOB: llm_app_cancel(r->id); break;
	case ACT_DIFF: diff_open(r->id); break;
	case ACT_MAP: open_map(r); break;
	case ACT_OPEN: {
		/* Enter on the map placeholder (visible in the summary pane) */
		struct pane *sp = &r->s[P_SUMMARY].pane;
		for (size_t i = 0; r->has_sdoc && i < r->sdoc.ndiagrams; i++) {
			size_t k = rl_line_at(r->sdoc.layout, r->sdoc.diagrams[i].off);
			if (k >= sp->top && k < sp->top + (size_t)sp->h) {
				map_open(r->sdoc.diagrams[i].source, r->sdoc.diagrams[i].len, r->meta.title);
				return VR_DONE;
			}
		}
		app_status("%s opens the concept map when its line is in view (%s opens it from anywhere)",
		           keymap_key(KC_READER, ACT_OPEN), keymap_key(KC_READER, ACT_MAP));
		break;
	}
	case ACT_APPROVE: case ACT_FLAG: case ACT_CLEAR_REVIEW:
	case ACT_APPROVE_STAY: case ACT_FLAG_STAY:
		reader_review(v, r, a);
		break;
	case ACT_REVIEWS: reviews_open(r->id); break;
	case ACT_REFRESH: {
		int64_t was = r->has_summary ? r->sum.id : 0;
		struct ar_meta m;
		if (ar_get_meta(A->ar, r->id, &m) == 0) {
			ar_meta_free(&r->meta);
			r->meta = m;
		}
		versions_changed(r);
		int64_t now = r->has_summary ? r->sum.id : 0;
		if (now != was)
			app_status("showing the current version, v%d", r->has_summary ? r->sum.version : 0);
		else
			app_status("refreshed: v%d is the current version", r->has_summary ? r->sum.version : 0);
		break;
	}
	case ACT_NEXT_UNREVIEWED: jump_unreviewed(r, 1); break;
	case ACT_PREV_UNREVIEWED: jump_unreviewed(r, -1); break;
	default:
		return VR_UNHANDLED;
	}
	return VR_DONE;
}

/* ---- drawing -------------------------------------------------------- */

/* The review mark of the header: of the current version; for a changed
 * one, what it was and of which version. */
static void review_mark(const struct ar_meta *m, char *buf, size_t n)
{
	char by[200] = "";
	if (m->reviewer)
		snprintf(by, sizeof by, " by %s", m->reviewer);
	if (m->review == AR_APPROVED)
		snprintf(buf, n, "%s approved%s", glyph_approved(), by);
	else if (m->review == AR_FLAGGED)
		snprintf(buf, n, "! flagged%s%s%s", by, m->review_reason ? ": " : "",
		         m->review_reason ? m->review_reason : "");
	else if (m->review == AR_CHANGED && m->review_version)
		snprintf(buf, n, "~ changed since %s v%d%s",
		         m->review_verdict == AR_FLAGGED ? "flagged" : "approved", m->review_version, by);
	else if (m->review == AR_CHANGED)
		snprintf(buf, n, "~ changed since %s%s",
		         m->review_verdict == AR_FLAGGED ? "flagged" : "approved", by);
	else
		buf[0] = 0;
}

static void draw_header(struct reader *r, struct rect a)
{
	const struct ar_meta *m = &r->meta;
	draw_fill(a.y, a.x, a.w, style(ST_BAR));
	int mark_w = 0;
	char mark[400];
	review_mark(m, mark, sizeof mark);
	if (mark[0])
		mark_w = text_width(mark);
	if (mark_w > a.w / 2)
		mark_w = a.w / 2;
	draw_text(a.y, a.x + 1, a.w - 2 - (mark_w ? mark_w + 2 : 0), m->title, style(ST_BAR) | A_BOLD);
	if (mark_w)
		draw_text(a.y, a.x + a.w - mark_w - 1, mark_w, mark,
		          style(ST_BAR) | A_BOLD);
	if (a.h < 2)
		return;
	char line[1024], date[16], dur[24], ver[300];
	fmt_date(m->recorded_at, date, sizeof date);
	fmt_duration(m->duration_s, dur, sizeof dur);
	if (r->has_summary && r->newer)
		snprintf(ver, sizeof ver, "summary v%d shown · v%d is current (%s shows it)", r->sum.version,
		         m->current_version, keymap_key(KC_READER, ACT_REFRESH));
	else if (r->has_summary)
		snprintf(ver, sizeof ver, "summary v%d of %d · %s%s%s", r->sum.version, m->summary_versions,
		         ar_origin_name(r->sum.origin), r->sum.model ? " · " : "",
		         r->sum.model ? r->sum.model : "");
	else if (r->newer)
		snprintf(ver, sizeof ver, "no summary shown · v%d is current (%s shows it)", m->current_version,
		         keymap_key(KC_READER, ACT_REFRESH));
	else
		snprintf(ver, sizeof ver, "no summary");
	snprintf(line, sizeof line, "%s · %s · %s · #%lld", date, dur, ver, (long long)m->id);
	draw_fill(a.y + 1, a.x, a.w, A_NORMAL);
	int used = draw_text(a.y + 1, a.x + 1, a.w - 1, line, r->newer ? style(ST_ERROR) : A_DIM);
	if (m->url && used + 5 < a.w)
		draw_text(a.y + 1, a.x + used + 4, a.w - used - 4, m->url, style(ST_LINK));
}

static void draw_title(struct reader *r, int i, int y, int x, int w)
{
	int foc = r->focus == i;
	attr_t at = foc ? style(ST_FOCUS) : style(ST_TITLE);
	draw_fill(y, x, w, at);
	char t[256];
	struct side *s = &r->s[i];
	char where[16];
	pane_where(&s->pane, where, sizeof where);
	if (i == P_TRANSCRIPT) {
		snprintf(t, sizeof t, "%s Transcript", foc ? glyph_focus() : " ");
	} else {
		snprintf(t, sizeof t, "%s Summary", foc ? glyph_focus() : " ");
	}
	int used = draw_text(y, x, w, t, at | (foc ? A_BOLD : 0));
	char right[64];
	if (s->nhits)
		snprintf(right, sizeof right, "%zu hits  %s ", s->nhits, where);
	else
		snprintf(right, sizeof right, "%s ", where);
	int rw = text_width(right);
	/* an LLM summary kept with a problem (its map did not parse) says so */
	if (i == P_SUMMARY && r->has_summary && r->sum.warning && used + rw + 8 < w) {
		char warn[400];
		snprintf(warn, sizeof warn, "  warning: %s", r->sum.warning);
		used += draw_text(y, x + used, w - used - rw - 1, warn, style(ST_ERROR));
	}
	if (used + rw + 1 < w)
		draw_text(y, x + w - rw, rw, right, at);
}

/* 1 when the panes should stack at width w. */
static int want_stacked(int w)
{
	if (A->layout == LAYOUT_SIDE)
		return 0;
	if (A->layout == LAYOUT_STACKED)
		return 1;
	return w < A->stack_below;
}

static void reader_draw(struct view *v, struct rect a)
{
	struct reader *r = v->priv;
	for (int y = a.y; y < a.y + a.h; y++)
		draw_fill(y, a.x, a.w, A_NORMAL);
	int head = a.h >= 8 ? 2 : 1;
	draw_header(r, (struct rect){ a.y, a.x, head, a.w });
	int y0 = a.y + head, avail = a.h - head;
	if (avail < 2)
		return;
	r->stacked = want_stacked(a.w);
	struct rect rt, rs;
	if (!r->stacked) {
		int lw = (a.w - 1) * A->split / 100;
		if (lw < 1)
			lw = 1;
		int rwid = a.w - 1 - lw;
		rt = (struct rect){ y0, a.x, avail, lw };
		rs = (struct rect){ y0, a.x + lw + 1, avail, rwid };
		for (int y = y0; y < y0 + avail; y++)
			draw_text(y, a.x + lw, 1, glyph_vline(), A_DIM);
	} else {
		int sh = avail * (100 - A->split) / 100;
		if (sh < 2)
			sh = 2;
		if (sh > avail - 2)
			sh = avail - 2;
		if (sh < 1)
			sh = 1;
		rs = (struct rect){ y0, a.x, sh, a.w };
		rt = (struct rect){ y0 + sh, a.x, avail - sh, a.w };
	}
	struct rect rr[2] = { rt, rs };
	for (int i = 0; i < 2; i++) {
		r->s[i].area = rr[i];
		if (rr[i].h < 1 || rr[i].w < 1)
			continue;
		if (rr[i].h > 1)
			pane_draw(&r->s[i].pane, (struct rect){ rr[i].y + 1, rr[i].x, rr[i].h - 1, rr[i].w });
		draw_title(r, i, rr[i].y, rr[i].x, rr[i].w);
	}
}

static void reader_status(struct view *v, char *buf, size_t n)
{
	struct reader *r = v->priv;
	struct side *s = focused(r);
	if (r->focus == P_SUMMARY && r->ev.cur >= 0 && !s->nhits)
		evv_status(&r->ev, buf, n);
	else if (s->nhits && s->cur >= 0)
		snprintf(buf, n, "%ld/%zu", s->cur + 1, s->nhits);
	else if (s->nhits)
		snprintf(buf, n, "%zu hits", s->nhits);
}

static void reader_mouse(struct view *v, int y, int x, int button)
{
	struct reader *r = v->priv;
	for (int i = 0; i < 2; i++) {
		struct rect a = r->s[i].area;
		if (y >= a.y && y < a.y + a.h && x >= a.x && x < a.x + a.w) {
			if (button == 1)
				r->focus = i;
			else
				pane_scroll(&r->s[i].pane, button == 4 ? -3 : 3);
		}
	}
}

/* The archive may have changed (a view above closed, another process
 * wrote): the header's facts are read again; a new current version made
 * elsewhere is not swapped in under the reader's eyes (its review would
 * then be of a text they did not read) but announced, R shows it. */
static void reader_reload(struct view *v)
{
	struct reader *r = v->priv;
	struct ar_meta m;
	if (ar_get_meta(A->ar, r->id, &m) != 0)
		return;
	enum ar_review was = r->meta.review;
	int64_t was_rv = r->meta.review_id;
	ar_meta_free(&r->meta);
	r->meta = m;
	int64_t shown = r->has_summary ? r->sum.id : 0;
	int newer = m.current_summary_id != shown;
	/* this app's own run of it: the reader shows that one itself when
	 * it ends (on_llm_change), whichever of the two news comes first */
	struct llm_live l;
	if (newer && llm_run_get(r->id, &l)) {
		if (!l.finished || l.summary_id == m.current_summary_id)
			newer = 0;
		llm_live_free(&l);
	}
	if (newer && !r->newer)
		app_status("#%lld has a new current summary, v%d, made elsewhere: %s shows it",
		           (long long)r->id, m.current_version, keymap_key(KC_READER, ACT_REFRESH));
	else if (!newer && (m.review != was || m.review_id != was_rv) && m.reviewer &&
	         strcmp(m.reviewer, A->reviewer) != 0)
		app_status("%s %s #%lld", m.reviewer, m.review == AR_APPROVED ? "approved"
		           : m.review == AR_FLAGGED ? "flagged" : "reviewed", (long long)r->id);
	r->newer = newer;
}

static int64_t reader_id(struct view *v);
static void reader_summary_reload(struct view *v);

/* Shows the answer streaming in as the summary it will be: without its
 * title line (the stored version has none; the title goes to the
 * transcript), and nothing while the first line is still arriving (it may
 * be that title). */
static void show_stream(struct view *v, const struct llm_live *l)
{
	if (!l->text || !l->text_len)
		return;
	size_t off = answer_body_start(l->text, l->text_len, NULL, NULL);
	if (!off && !memchr(l->text, '\n', l->text_len))
		return;
	reader_set_summary(v, l->text + off, l->text_len - off);
}

/* 1 when v is on screen: the top view, or under overlays only. */
static int reader_visible(struct view *v)
{
	for (int i = app_view_count() - 1; i >= 0; i--) {
		struct view *w = app_view_at(i);
		if (w == v)
			return 1;
		if (!w->ops->overlay)
			return 0;
	}
	return 0;
}

/* 1 when the progress may take the status line: it shows nothing, the
 * progress, or a message that has been read (3 s); an error stays until
 * a key. */
static int status_free(void)
{
	int err;
	const char *m = app_status_text(&err);
	return !m[0] || (!err && (!strncmp(m, "summarizing #", 13) || app_status_age_ms() >= 3000));
}

static void tick_fn(void *ctx);

/* The progress on the status line while the reader is on screen, and the
 * clock ticking each second, also while the first token is awaited. */
static void show_progress(struct view *v, const struct llm_live *l)
{
	struct reader *r = v->priv;
	if (reader_visible(v) && status_free())
		llm_app_progress(r->id, l);
	if (!r->tick)
		r->tick = app_timer_after(1000, tick_fn, v);
}

static void tick_fn(void *ctx)
{
	struct view *v = ctx;
	struct reader *r = v->priv;
	r->tick = 0;
	struct llm_live l;
	if (!llm_run_get(r->id, &l))
		return;
	if (!l.finished)
		show_progress(v, &l);
	llm_live_free(&l);
}

/* A job of transcript tid changed: follow it in reader ctx (the text as
 * it streams, the progress; the new current version when it ends, said
 * here when the reader is on screen — else the app says it where the
 * user is). */
static void on_llm_change(void *ctx, int64_t tid, int finished)
{
	struct view *v = ctx;
	if (reader_id(v) != tid)
		return;
	struct llm_live l;
	if (!llm_run_get(tid, &l))
		return;
	if (!l.finished) {
		show_stream(v, &l);
		show_progress(v, &l);
	} else if (finished) {
		reader_summary_reload(v);
		if (reader_visible(v))
			llm_app_ended(&l);
	}
	llm_live_free(&l);
}

/* A reader opened: follow its transcript's jobs, and when one runs
 * already (reopened meanwhile) show where it is. */
static void follow_jobs(struct view *v)
{
	llm_run_listen(on_llm_change, v);
	struct llm_live l;
	if (llm_run_get(reader_id(v), &l)) {
		if (!l.finished) {
			show_stream(v, &l);
			show_progress(v, &l);
		}
		llm_live_free(&l);
	}
}

static void reader_close(struct view *v)
{
	struct reader *r = v->priv;
	llm_run_unlisten(on_llm_change, v);
	if (r->tick)
		app_timer_cancel(r->tick);
	reader_unload(r);
	free(r->query);
	free(r->find_saved);
	free(r);
}

static const struct view_ops reader_ops = {
	.name = "reader",
	.ctx = KC_READER,
	.draw = reader_draw,
	.request = reader_request,
	.reload = reader_reload,
	.changed = reader_reload,
	.mouse = reader_mouse,
	.status = reader_status,
	.close = reader_close,
	.show_node = reader_show_node_evidence,
};

struct view *reader_open(int64_t id, const char *query)
{
	struct reader *r = xcalloc(1, sizeof *r);
	if (reader_load(r, id) != 0) {
		reader_unload(r);
		free(r);
		return NULL;
	}
	if (query && *query) {
		r->query = xstrdup(query);
		r->archive_query = 1;
		find_all(r);
		/* the first hit of each pane in view; focus where the hits are */
		int any = 0;
		for (int i = 0; i < 2; i++)
			if (r->s[i].nhits) {
				show_hit(r, i, 0);
				any = 1;
			}
		r->focus = r->s[P_TRANSCRIPT].nhits || !r->s[P_SUMMARY].nhits ? P_TRANSCRIPT : P_SUMMARY;
		if (any)
			app_status("%zu hits in the transcript, %zu in the summary: %s/%s move between them",
			           r->s[P_TRANSCRIPT].nhits, r->s[P_SUMMARY].nhits,
			           keymap_key(KC_READER, ACT_FIND_NEXT), keymap_key(KC_READER, ACT_FIND_PREV));
	}
	struct view *v = app_push(&reader_ops, r);
	if (v)
		follow_jobs(v);
	return v;
}

/* The transcript a reader shows (0 when v is not a reader). */
int64_t reader_transcript(struct view *v)
{
	return reader_id(v);
}

static int64_t reader_id(struct view *v)
{
	if (!v || v->ops != &reader_ops)
		return 0;
	return ((struct reader *)v->priv)->id;
}

/* Reads the reader's current summary again (after an LLM run ends). */
static void reader_summary_reload(struct view *v)
{
	if (!v || v->ops != &reader_ops)
		return;
	struct reader *r = v->priv;
	versions_changed(r);
	app_dirty();
}

void reader_set_summary(struct view *v, const char *markdown, size_t len)
{
	if (!v || v->ops != &reader_ops)
		return;
	struct reader *r = v->priv;
	/* a streaming summary has no evidence yet: it comes with the stored version */
	evv_clear(&r->ev, &r->s[P_SUMMARY].pane, &r->s[P_TRANSCRIPT].pane);
	evv_free(&r->ev);
	summary_render(r, markdown, len);
	if (r->query)
		side_find(r, P_SUMMARY);
	app_dirty();
}
