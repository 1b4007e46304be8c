/* view_search.c — the archive search: a line editor at the top, ranked
 * results below (title, then the snippet with its hit highlighted),
 * updated while typing. Queries run on a worker thread with its own
 * read-only connection, debounced (120 ms) and interrupted when a newer
 * query arrives, so keys never wait on the database; the worker wakes the
 * loop through a pipe (app_watch_fd). Enter opens the transcript with
 * every hit highlighted; Esc or q comes back to the list as it was.
 *
 * While the query is typed, keys go to it (the footer says so: Enter,
 * Tab, Up/Down, Esc); after Tab they are the view's keys. Queries are
 * kept in a history like a shell's ($XDG_STATE_HOME/precis/search_history,
 * the last HIST_MAX, one a line): Up/Down walk it, and the search opens on
 * the last query, selected (a typed character replaces it). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <curses.h>

#include "db/archive.h"
#include "render/alloc.h"
#include "tui/app/lineedit.h"
#include "tui/app/view.h"

#define SEARCH_LIMIT 200
#define DEBOUNCE_MS 120
#define HIST_MAX 500

struct search {
	struct lineedit le;
	int editing;
	int fresh;                /* the query is the last one, selected */
	int open_on_answer;       /* Enter came before the results: open the best */
	char **hist;              /* older queries, oldest first */
	size_t nhist, hpos;       /* hpos == nhist: the line being typed */
	char *draft;              /* that line, while the history is walked */
	/* shown results */
	struct ar_search_result res;
	int have_res;
	char *res_query;
	size_t cur, top;
	int rows;                 /* results that fit */
	unsigned timer;
	int pending;              /* a query is posted and not answered */
	char err[300];
	/* the worker */
	pthread_t th;
	int started;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	char *req;                /* latest query posted */
	unsigned req_gen, done_gen;
	int busy, quit;
	struct ar_search_result wres;   /* the worker's answer for done_gen */
	char *wquery;
	char werr[300];
	int wready;
	int pfd[2];
	struct archive *ar;       /* the worker's connection */
};

/* ---- the history ---------------------------------------------------- */

/* The history file's path into buf; NULL when there is no home. */
static const char *hist_path(char *buf, size_t n)
{
	const char *x = getenv("XDG_STATE_HOME");
	if (x && *x)
		snprintf(buf, n, "%s/precis/search_history", x);
	else if ((x = getenv("HOME")) && *x)
		snprintf(buf, n, "%s/.local/state/precis/search_history", x);
	else
		return NULL;
	return buf;
}

static void hist_load(struct search *s)
{
	char path[4096];
	FILE *f = hist_path(path, sizeof path) ? fopen(path, "r") : NULL;
	if (!f)
		return;
	char *line = NULL;
	size_t cap = 0;
	ssize_t k;
	while ((k = getline(&line, &cap, f)) > 0) {
		while (k && (line[k - 1] == '\n' || line[k - 1] == '\r'))
			line[--k] = 0;
		if (!k)
			continue;
		if (s->nhist == HIST_MAX) {   /* the file grew elsewhere: the newest */
			free(s->hist[0]);
			memmove(s->hist, s->hist + 1, (HIST_MAX - 1) * sizeof *s->hist);
			s->nhist--;
		}
		s->hist = xreallocarray(s->hist, s->nhist + 1, sizeof *s->hist);
		s->hist[s->nhist++] = xstrdup(line);
	}
	free(line);
	fclose(f);
}

/* mkdir -p of path's directory. */
static void make_dirs(const char *path)
{
	char buf[4096];
	snprintf(buf, sizeof buf, "%s", path);
	for (char *p = buf + 1; *p; p++)
		if (*p == '/') {
			*p = 0;
			mkdir(buf, 0700);
			*p = '/';
		}
}

/* Adds q as the newest query (once: an older copy goes) and writes the
 * file again, at most HIST_MAX lines, through a temporary file. */
static void hist_add(struct search *s, const char *q)
{
	if (!q[0] || strchr(q, '\n'))
		return;
	if (s->nhist && !strcmp(s->hist[s->nhist - 1], q))
		return;
	for (size_t i = 0; i < s->nhist; i++)
		if (!strcmp(s->hist[i], q)) {
			free(s->hist[i]);
			memmove(s->hist + i, s->hist + i + 1, (s->nhist - i - 1) * sizeof *s->hist);
			s->nhist--;
			break;
		}
	if (s->nhist == HIST_MAX) {
		free(s->hist[0]);
		memmove(s->hist, s->hist + 1, (HIST_MAX - 1) * sizeof *s->hist);
		s->nhist--;
	}
	s->hist = xreallocarray(s->hist, s->nhist + 1, sizeof *s->hist);
	s->hist[s->nhist++] = xstrdup(q);
	s->hpos = s->nhist;
	char path[4096], tmp[4200];
	if (!hist_path(path, sizeof path))
		return;
	make_dirs(path);
	snprintf(tmp, sizeof tmp, "%s.%ld", path, (long)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f) {
		if (fd >= 0)
			close(fd);
		return;   /* no history is no reason to stop a search */
	}
	for (size_t i = 0; i < s->nhist; i++)
		fprintf(f, "%s\n", s->hist[i]);
	if (fclose(f) == 0)
		rename(tmp, path);
	else
		unlink(tmp);
}

static void query_changed(struct search *s);

/* Up (-1) / Down (+1) while typing: older / newer queries; below the
 * newest, the line that was being typed. */
static void hist_move(struct search *s, int dir)
{
	if (!s->nhist)
		return;
	if (s->hpos == s->nhist && dir < 0) {
		free(s->draft);
		s->draft = xstrdup(s->le.buf);
	}
	long p = (long)s->hpos + dir;
	if (p < 0 || p > (long)s->nhist)
		return;
	s->hpos = (size_t)p;
	le_set(&s->le, s->hpos == s->nhist ? (s->draft ? s->draft : "") : s->hist[s->hpos]);
	s->fresh = 0;
	query_changed(s);
}

/* ---- the worker -------------------------------------------------------- */

static void *worker(void *arg)
{
	struct search *s = arg;
	pthread_mutex_lock(&s->mu);
	for (;;) {
		while (!s->quit && s->req_gen == s->done_gen)
			pthread_cond_wait(&s->cv, &s->mu);
		if (s->quit)
			break;
		unsigned gen = s->req_gen;
		char *q = xstrdup(s->req ? s->req : "");
		/* interrupts are sent under the mutex while busy: each is for
		 * this query, never the next one */
		ar_interrupt_reset(s->ar);
		s->busy = 1;
		pthread_mutex_unlock(&s->mu);

		struct ar_search_result r = { 0 };
		char err[300] = "";
		int rc = ar_search(s->ar, q, SEARCH_LIMIT, 0, &r);
		if (rc != 0)
			snprintf(err, sizeof err, "%s", ar_error(s->ar));

		pthread_mutex_lock(&s->mu);
		s->busy = 0;
		s->done_gen = gen;
		if (gen == s->req_gen) {
			/* still the latest: hand it over */
			if (s->wready)
				ar_search_free(&s->wres);
			free(s->wquery);
			s->wres = r;
			s->wquery = q;
			snprintf(s->werr, sizeof s->werr, "%s", err);
			s->wready = 1;
			char b = 1;
			if (write(s->pfd[1], &b, 1) < 0) {
				/* the loop is woken by the pipe already holding bytes */
			}
		} else {
			ar_search_free(&r);
			free(q);
		}
	}
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

/* The loop: the worker has an answer. */
static void on_answer(void *ctx, int fd, int revents)
{
	struct search *s = ctx;
	char b[64];
	while (read(fd, b, sizeof b) > 0)
		;
	pthread_mutex_lock(&s->mu);
	if (s->wready) {
		if (s->have_res)
			ar_search_free(&s->res);
		free(s->res_query);
		s->res = s->wres;
		s->res_query = s->wquery;
		s->wquery = NULL;
		memset(&s->wres, 0, sizeof s->wres);
		s->have_res = 1;
		s->wready = 0;
		snprintf(s->err, sizeof s->err, "%s", s->werr);
		s->pending = s->req_gen != s->done_gen;
		s->cur = s->top = 0;
	}
	pthread_mutex_unlock(&s->mu);
	(void)revents;
	/* Enter was pressed before these results came: open the best one
	 * now that they are those of the query typed */
	if (s->open_on_answer && !s->pending && s->res_query && !strcmp(s->res_query, s->le.buf)) {
		s->open_on_answer = 0;
		if (s->have_res && s->res.n)
			reader_open(s->res.hits[0].id, s->res_query);
	}
	app_dirty();
}

static void post_query(void *ctx)
{
	struct search *s = ctx;
	s->timer = 0;
	pthread_mutex_lock(&s->mu);
	free(s->req);
	s->req = xstrdup(s->le.buf);
	s->req_gen++;
	if (s->busy)
		ar_interrupt(s->ar);   /* the old query is of no use now */
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
	s->pending = 1;
	app_dirty();
}

static void query_changed(struct search *s)
{
	if (s->timer)
		app_timer_cancel(s->timer);
	s->timer = app_timer_after(DEBOUNCE_MS, post_query, s);
	s->pending = 1;
}

static void open_selected(struct search *s)
{
	if (!s->have_res || !s->res.n)
		return;
	s->editing = 0;
	reader_open(s->res.hits[s->cur].id, s->res_query);
}

static void move_sel(struct search *s, long d)
{
	if (!s->have_res || !s->res.n)
		return;
	long c = (long)s->cur + d;
	if (c < 0)
		c = 0;
	if (c >= (long)s->res.n)
		c = (long)s->res.n - 1;
	s->cur = (size_t)c;
}

static int search_key(struct view *v, int key)
{
	struct search *s = v->priv;
	if (!s->editing)
		return VR_UNHANDLED;
	switch (key) {
	case KEY_SPECIAL + KEY_UP: hist_move(s, -1); return VR_DONE;
	case KEY_SPECIAL + KEY_DOWN: hist_move(s, 1); return VR_DONE;
	case KEYC('n'): move_sel(s, 1); return VR_DONE;
	case KEYC('p'): move_sel(s, -1); return VR_DONE;
	case KEY_SPECIAL + KEY_NPAGE: move_sel(s, s->rows); return VR_DONE;
	case KEY_SPECIAL + KEY_PPAGE: move_sel(s, -s->rows); return VR_DONE;
	case K_TAB:
		if (s->have_res && s->res.n)
			s->editing = 0;
		return VR_DONE;
	default:
		break;
	}
	if (s->fresh) {
		/* the last query is selected: a character replaces it, an
		 * editing key edits it */
		s->fresh = 0;
		if (key >= 32 && key != 127 && key < KEY_SPECIAL)
			le_set(&s->le, "");
	}
	switch (le_key(&s->le, key)) {
	case LE_ENTER:
		hist_add(s, s->le.buf);
		if (s->timer) {
			/* Enter before the debounce fired: run it now, open later */
			app_timer_cancel(s->timer);
			post_query(s);
		}
		if (s->have_res && s->res.n && s->res_query && !strcmp(s->res_query, s->le.buf))
			open_selected(s);
		else if (!s->le.len)
			return VR_CLOSE;
		else {
			s->editing = 0;   /* results arrive: the best one opens */
			s->open_on_answer = 1;
		}
		return VR_DONE;
	case LE_CANCEL:
		return VR_CLOSE;
	case LE_CHANGED:
		s->open_on_answer = 0;
		s->hpos = s->nhist;   /* a new line, below the history */
		query_changed(s);
		return VR_DONE;
	case LE_MOVED:
		return VR_DONE;
	case LE_IGNORED:
	default:
		return VR_UNHANDLED;
	}
}

static int search_request(struct view *v, enum action a)
{
	struct search *s = v->priv;
	s->open_on_answer = 0;   /* a key after Enter: the user browses */
	switch (a) {
	case ACT_MOVE_DOWN: move_sel(s, 1); break;
	case ACT_MOVE_UP: move_sel(s, -1); break;
	case ACT_PAGE_DOWN: move_sel(s, s->rows); break;
	case ACT_PAGE_UP: move_sel(s, -s->rows); break;
	case ACT_FIRST: s->cur = 0; break;
	case ACT_LAST: move_sel(s, (long)SEARCH_LIMIT); break;
	case ACT_OPEN: open_selected(s); break;
	case ACT_SEARCH: s->editing = 1; break;
	case ACT_REFRESH: post_query(s); break;
	default: return VR_UNHANDLED;
	}
	return VR_DONE;
}

/* Draws snippet with its hit highlighted at (y, x) in w cells. */
static void draw_snippet(const struct ar_hit *h, int y, int x, int w, attr_t base)
{
	const char *sn = h->snippet ? h->snippet : "";
	size_t len = strlen(sn);
	size_t hs = (size_t)(h->hl_start >= 0 ? h->hl_start : 0);
	size_t hl = (size_t)(h->hl_len > 0 ? h->hl_len : 0);
	if (hs > len)
		hs = len;
	if (hs + hl > len)
		hl = len - hs;
	int used = draw_textn(y, x, w, sn, hs, base);
	if (used < w && hl)
		used += draw_textn(y, x + used, w - used, sn + hs, hl, base | style(ST_HIT));
	if (used < w)
		draw_textn(y, x + used, w - used, sn + hs + hl, len - hs - hl, base);
}

static void search_draw(struct view *v, struct rect r)
{
	struct search *s = v->priv;
	for (int y = r.y; y < r.y + r.h; y++)
		draw_fill(y, r.x, r.w, A_NORMAL);
	draw_fill(r.y, r.x, r.w, style(ST_BAR));
	int lw = draw_text(r.y, r.x + 1, r.w - 1, "Search: ", style(ST_BAR) | A_BOLD) + 1;
	/* the last query, selected: reverse against the bar */
	le_draw(&s->le, r.y, r.x + lw, r.w - lw - 1, s->fresh ? style(ST_BAR) ^ A_REVERSE : style(ST_BAR));
	if (r.h < 2)
		return;
	char info[400];
	if (s->err[0])
		snprintf(info, sizeof info, "%s", s->err);
	else if (!s->le.len)
		snprintf(info, sizeof info, "type to search titles, transcripts and summaries: "
		         "words (all must occur), \"a phrase\", -exclude, a OR b, prefix*; one Chinese character is enough"
		         "%s", s->nhist ? "; Up: earlier searches" : "");
	else if (!s->have_res)
		snprintf(info, sizeof info, "searching…");
	else if (!s->res.n)
		snprintf(info, sizeof info, "nothing matches%s", s->pending ? " (searching…)" : "");
	else
		snprintf(info, sizeof info, "%s%lld match%s, %s first%s%s", s->res.broad ? "about " : "",
		         (long long)s->res.total, s->res.total == 1 ? "" : "es",
		         s->res.broad ? "newest" : "best",   /* a broad query is not ranked */
		         s->res.total > (int64_t)s->res.n ? " (the first 200 shown)" : "",
		         s->pending ? " · searching…" : "");
	draw_text(r.y + 1, r.x + 1, r.w - 2, info, s->err[0] ? style(ST_ERROR) : A_DIM);
	s->rows = (r.h - 2) / 2;
	if (s->rows < 1)
		s->rows = 1;
	if (!s->have_res)
		return;
	if (s->cur < s->top)
		s->top = s->cur;
	if (s->cur >= s->top + (size_t)s->rows)
		s->top = s->cur - (size_t)s->rows + 1;
	for (int i = 0; i < s->rows; i++) {
		size_t k = s->top + (size_t)i;
		if (k >= s->res.n)
			break;
		const struct ar_hit *h = &s->res.hits[k];
		int y = r.y + 2 + 2 * i;
		attr_t base = k == s->cur && !s->editing ? style(ST_CURSOR) : A_NORMAL;
		if (k == s->cur && s->editing)
			base = A_BOLD;
		draw_fill(y, r.x, r.w, base);
		char date[16], dur[24], head[64];
		fmt_date(h->recorded_at, date, sizeof date);
		fmt_duration(h->duration_s, dur, sizeof dur);
		snprintf(head, sizeof head, "%s %s %s  ", k == s->cur ? glyph_focus() : " ", date, dur);
		int used = draw_text(y, r.x, r.w, head, base);
		draw_text(y, r.x + used, r.w - used, h->title, base | A_BOLD);
		if (y + 1 < r.y + r.h) {
			draw_fill(y + 1, r.x, r.w, A_NORMAL);
			draw_snippet(h, y + 1, r.x + 4, r.w - 5, A_NORMAL);
		}
	}
}

static int search_cursor(struct view *v, int *y, int *x)
{
	struct search *s = v->priv;
	if (!s->editing)
		return 0;
	/* where le_draw put it: recompute with the same geometry */
	int lw = 1 + text_width("Search: ");
	*y = v->area.y;
	*x = le_draw(&s->le, v->area.y, v->area.x + lw, v->area.w - lw - 1,
	             s->fresh ? style(ST_BAR) ^ A_REVERSE : style(ST_BAR));
	return 1;
}

/* While the query is typed the keys are the line editor's: say those. */
static int search_footer(struct view *v, char *buf, size_t n, int width)
{
	struct search *s = v->priv;
	if (!s->editing)
		return 0;
	static const char *const items[] = {
		"typing:", "Enter open", "Tab results", "Up/Down history", "C-n/C-p select",
		"C-u clear", "Esc back",
	};
	size_t k = 0;
	int used = 0;
	buf[0] = 0;
	for (size_t i = 0; i < sizeof items / sizeof items[0]; i++) {
		int w = text_width(items[i]) + (k ? 2 : 0);
		if (used + w > width || k + strlen(items[i]) + 3 > n)
			break;
		k += (size_t)snprintf(buf + k, n - k, "%s%s", k ? "  " : "", items[i]);
		used += w;
	}
	return 1;
}

static void search_status(struct view *v, char *buf, size_t n)
{
	struct search *s = v->priv;
	if (s->have_res && s->res.n)
		snprintf(buf, n, "%zu/%zu", s->cur + 1, s->res.n);
}

static void search_close(struct view *v)
{
	struct search *s = v->priv;
	hist_add(s, s->le.buf);   /* the last query is kept, also when left with Esc */
	for (size_t i = 0; i < s->nhist; i++)
		free(s->hist[i]);
	free(s->hist);
	free(s->draft);
	if (s->timer)
		app_timer_cancel(s->timer);
	if (s->started) {
		pthread_mutex_lock(&s->mu);
		s->quit = 1;
		/* Esc does not wait for a search nobody wants */
		if (s->busy)
			ar_interrupt(s->ar);
		pthread_cond_signal(&s->cv);
		pthread_mutex_unlock(&s->mu);
		pthread_join(s->th, NULL);
	}
	app_unwatch_fd(s->pfd[0]);
	close(s->pfd[0]);
	close(s->pfd[1]);
	if (s->wready)
		ar_search_free(&s->wres);
	free(s->wquery);
	if (s->have_res)
		ar_search_free(&s->res);
	free(s->res_query);
	free(s->req);
	ar_close(s->ar);
	le_free(&s->le);
	pthread_mutex_destroy(&s->mu);
	pthread_cond_destroy(&s->cv);
	free(s);
}

static void search_mouse(struct view *v, int y, int x, int button)
{
	struct search *s = v->priv;
	(void)x;
	if (button == 4)
		move_sel(s, -1);
	else if (button == 5)
		move_sel(s, 1);
	else if (button == 1 && s->have_res) {
		int i = (y - v->area.y - 2) / 2;
		if (y >= v->area.y + 2 && i >= 0 && s->top + (size_t)i < s->res.n) {
			size_t k = s->top + (size_t)i;
			if (k == s->cur)
				open_selected(s);
			s->cur = k;
			s->editing = 0;
		}
	}
}

static const struct view_ops search_ops = {
	.name = "search",
	.ctx = KC_SEARCH,
	.draw = search_draw,
	.request = search_request,
	.key = search_key,
	.mouse = search_mouse,
	.footer = search_footer,
	.status = search_status,
	.cursor = search_cursor,
	.close = search_close,
};

struct view *search_open(void)
{
	struct search *s = xcalloc(1, sizeof *s);
	char err[600];
	if (ar_open(A->db_path, AR_READONLY, &s->ar, err, sizeof err) != 0) {
		app_error("search: %s", err);
		free(s);
		return NULL;
	}
	if (pipe(s->pfd) != 0) {
		app_error("search: %s", strerror(errno));
		ar_close(s->ar);
		free(s);
		return NULL;
	}
	for (int i = 0; i < 2; i++) {
		fcntl(s->pfd[i], F_SETFL, O_NONBLOCK);
		fcntl(s->pfd[i], F_SETFD, FD_CLOEXEC);
	}
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
	hist_load(s);
	/* opens on the last query, selected, with its results */
	le_init(&s->le, s->nhist ? s->hist[s->nhist - 1] : "");
	s->fresh = s->nhist > 0;
	s->hpos = s->nhist ? s->nhist - 1 : 0;
	s->editing = 1;
	if (pthread_create(&s->th, NULL, worker, s) == 0)
		s->started = 1;
	app_watch_fd(s->pfd[0], POLLIN, on_answer, s);
	struct view *v = app_push(&search_ops, s);
	if (v && s->le.len)
		post_query(s);
	return v;
}
