/* app.c — the app: opening the archive and the configuration, key
 * dispatch through the keymap, the status line, and the draw pass the
 * loop calls. The top of tui/app/: it reaches the views through their
 * ops table (and opens the list, help and jobs views); nothing in
 * tui/app/ calls it. The state and the view stack it works on are in
 * tui/app/state.c, the prompt in tui/app/prompt.c. */
#include <errno.h>
#include <langinfo.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <curses.h>

#include "db/archive.h"
#include "render/sanitize.h"
#include "render/width.h"
#include "tui/app/app.h"
#include "tui/app/llm_app.h"
#include "tui/app/llm_run.h"
#include "tui/app/screen.h"
#include "tui/app/view.h"
#include "tui/cli/cli.h"
#include "tui/config.h"
#include "tui/reviewer.h"

#define MIN_W 20
#define MIN_H 5

/* ---- keys ----------------------------------------------------------- */

static void quit_answered(void *ctx, const char *text)
{
	(void)ctx;
	if (text && (text[0] == 'y' || text[0] == 'Y'))
		app_quit();
	else
		app_status("not quitting");
}

/* Quits; while this precis writes summaries, asks first (they would stop
 * and wait in the queue: r in the jobs view or a later run resumes them). */
static void quit(void)
{
	int n = llm_run_active();
	if (!n) {
		app_quit();
		return;
	}
	char label[200];
	snprintf(label, sizeof label, "%d summar%s being written: quit and leave %s queued?", n,
	         n == 1 ? "y is" : "ies are", n == 1 ? "it" : "them");
	app_confirm(label, quit_answered, NULL);
}

/* At start: summaries an earlier precis left unfinished (it quit or was
 * killed while writing them), said once on the status line. */
static void tell_unfinished(void)
{
	struct ar_job_query q = { .active_only = 1, .limit = 1000 };
	struct ar_job *v;
	size_t n, left = 0;
	if (ar_jobs_list(A->ar, &q, &v, &n) != 0)
		return;   /* an archive without jobs to show is no reason to stop */
	for (size_t i = 0; i < n; i++)
		left += v[i].orphaned;
	ar_jobs_free(v, n);
	if (left)
		app_status("%zu summar%s left unfinished: %s lists %s, %s there resumes", left,
		           left == 1 ? "y was" : "ies were", keymap_key(KC_LIST, ACT_JOBS),
		           left == 1 ? "it" : "them", keymap_key(KC_JOBS, ACT_RESUMMARIZE));
}

/* A summary of this app ended: said where the user is, unless a reader
 * of that transcript is on screen (it says it itself). */
static void on_job_news(void *ctx, int64_t tid, int finished)
{
	(void)ctx;
	if (!finished)
		return;
	for (int i = app_view_count() - 1; i >= 0; i--) {
		struct view *v = app_view_at(i);
		if (reader_transcript(v) == tid)
			return;
		if (!v->ops->overlay)
			break;
	}
	struct llm_live l;
	if (!llm_run_get(tid, &l))
		return;
	llm_app_ended_elsewhere(&l);
	llm_live_free(&l);
}

/* Actions every view shares when the view does not take them. */
static void shared_request(struct view *v, enum action a)
{
	switch (a) {
	case ACT_QUIT_ALL:
		quit();
		break;
	case ACT_BACK:
		if (app_view_count() <= 1)
			quit();
		else
			app_pop();
		break;
	case ACT_HELP:
		help_open(v ? v->ops->ctx : KC_LIST);   /* at this view's keys */
		break;
	case ACT_JOBS:      /* w in the list and the reader */
		jobs_open();
		break;
	case ACT_REDRAW:
		clearok(curscr, TRUE);
		app_dirty();
		break;
	case ACT_SUSPEND:
		screen_suspend();
		kill(getpid(), SIGSTOP);
		screen_resume();
		break;
	default:
		(void)v;
		break;
	}
}

static void on_key(int key)
{
	/* a prompt or a question takes every key: Ctrl-C cancels it as Esc
	 * does (tui/app/lineedit.c, prompt.c) */
	if (prompt_key(key))
		return;
	struct view *v = app_top();
	if (!v)
		return;
	app_status_clear();
	if (v->ops->key) {
		int r = v->ops->key(v, key);
		if (r != VR_UNHANDLED) {
			if (r == VR_CLOSE)
				app_pop();
			else if (r == VR_QUIT)
				quit();
			app_dirty();
			return;
		}
	}
	/* Outside a line editor (the search's query while typed took it
	 * above) Ctrl-C quits whatever [keys] says: the keymap leaves C-c
	 * out of any other binding and reports the line that tried. */
	if (key == KEYC('c')) {
		quit();
		app_dirty();
		return;
	}
	enum action a = keymap_lookup(v->ops->ctx, key);
	if (a == ACT_NONE) {
		char kn[32];
		if (key != K_ESC)
			app_status("%s: no action here (%s shows the keys)", keyname_of(key, kn, sizeof kn),
			           keymap_key(v->ops->ctx, ACT_HELP));
		return;
	}
	int r = v->ops->request ? v->ops->request(v, a) : VR_UNHANDLED;
	if (r == VR_UNHANDLED)
		shared_request(v, a);
	else if (r == VR_CLOSE)
		app_pop();
	else if (r == VR_QUIT)
		quit();
	app_dirty();
}

static void on_mouse(int y, int x, int button)
{
	struct view *v = app_top();
	if (!v || prompt_active())
		return;
	if (v->ops->mouse)
		v->ops->mouse(v, y, x, button);
	app_dirty();
}

/* ---- other processes' changes ----------------------------------------
 * Once a second the archive is asked whether another connection committed
 * (another reviewer, a summary finished elsewhere, this app's own LLM
 * worker); when one did, every open view re-reads what it shows. A few
 * microseconds a second when nothing happened. */
#define WATCH_MS 1000
static uint64_t watch_stamp;

static void watch_tick(void *ctx)
{
	(void)ctx;
	int r = ar_data_changed(A->ar, &watch_stamp);
	if (r > 0) {
		for (int i = 0; i < app_view_count(); i++) {
			struct view *v = app_view_at(i);
			if (v->ops->changed)
				v->ops->changed(v);
		}
		app_dirty();
	}
	app_timer_after(WATCH_MS, watch_tick, NULL);
}

/* ---- drawing -------------------------------------------------------- */

/* The bytes of s[0..len) (a cleaned line) that go on one status row of
 * w cells: broken after the last space of the row when there is one in
 * its second half, so words stay whole; at least one cluster. */
static size_t status_piece(const char *s, size_t len, int w)
{
	int used;
	size_t k = rw_fit(s, len, w, &used);
	if (k >= len)
		return len;
	for (size_t i = k; i > k / 2; i--)
		if (s[i - 1] == ' ')
			return i;
	if (k == 0) {   /* a cluster wider than the row: take it anyway */
		int32_t cp;
		k = rw_decode(s, len, &cp);
	}
	return k ? k : len;
}

/* How many rows (1 to max) the message needs: every row COLS - 1 wide but
 * the last, which leaves room for the view's status (rw cells) on its
 * right. Past max rows, the last one ends with an ellipsis. */
static int status_rows(const char *s, size_t len, int rw, int max)
{
	int n = 1;
	while (n < max && rw_width(s, len) > COLS - rw - 1) {
		size_t k = status_piece(s, len, COLS - 1);
		while (k < len && s[k] == ' ')
			k++;
		s += k;
		len -= k;
		n++;
	}
	return n;
}

/* The status line: the prompt while one is open; else the message
 * (wrapped over up to STATUS_MAX rows, so a long error is read whole) or
 * "read-only", with the view's own status (position, counts) on the right
 * of the last row. Draws `rows` rows from y; with rows 0, draws nothing
 * and returns how many rows it wants. */
#define STATUS_MAX 3
static int draw_status(int y, int rows)
{
	if (prompt_active()) {
		if (rows) {
			draw_fill(y, 0, COLS, A_NORMAL);
			prompt_draw(y);
		}
		return 1;
	}
	char right[128] = "";
	struct view *v = app_top();
	if (v && v->ops->status)
		v->ops->status(v, right, sizeof right);
	int rw = right[0] ? text_width(right) : 0;
	if (rw > COLS / 2)
		rw = 0;
	int status_err;
	const char *msg = app_status_text(&status_err);
	size_t cl = 0;
	char *clean = msg[0] ? rs_clean_line(msg, strlen(msg), &cl) : NULL;
	int max = LINES >= 16 ? STATUS_MAX : 1;
	int want = clean ? status_rows(clean, cl, rw, max) : 1;
	if (!rows) {
		free(clean);
		return want;
	}
	attr_t at = status_err ? style(ST_ERROR) : A_NORMAL;
	const char *p = clean;
	size_t left = cl;
	for (int i = 0; i < rows; i++) {
		draw_fill(y + i, 0, COLS, A_NORMAL);
		int last = i == rows - 1;
		int w = last ? COLS - rw - (rw ? 1 : 0) : COLS - 1;
		if (p && left) {
			size_t k = last ? left : status_piece(p, left, w);
			draw_textn(y + i, 0, w, p, k, at);
			while (k < left && p[k] == ' ')
				k++;
			p += k;
			left -= k;
		} else if (last && !clean && A->readonly) {
			draw_text(y + i, 0, w, "read-only", A_DIM);
		}
		if (last && rw)
			draw_text(y + i, COLS - rw, rw, right, A_NORMAL);
	}
	free(clean);
	return want;
}

static void draw_all(void)
{
	curs_set(0);
	if (COLS < MIN_W || LINES < MIN_H) {
		erase();
		char msg[96];
		snprintf(msg, sizeof msg, "terminal too small (%dx%d): need %dx%d", COLS, LINES, MIN_W, MIN_H);
		draw_text(0, 0, COLS, msg, A_BOLD);
		return;
	}
	int footer = LINES >= 8;
	int srows = draw_status(0, 0);   /* a long message takes rows from the body */
	struct rect body = { 0, 0, LINES - srows - footer, COLS };
	/* the lowest view to draw: overlays show what is below them */
	int nviews = app_view_count();
	int first = nviews - 1;
	while (first > 0 && app_view_at(first)->ops->overlay)
		first--;
	for (int i = first; i < nviews; i++) {
		struct view *v = app_view_at(i);
		v->area = body;
		v->ops->draw(v, body);
	}
	struct view *top = app_top();
	if (footer) {
		char hints[512];
		if (!top || !top->ops->footer || !top->ops->footer(top, hints, sizeof hints, COLS - 1))
			keymap_footer(top ? top->ops->ctx : KC_LIST, COLS - 1, hints, sizeof hints);
		draw_fill(LINES - srows - 1, 0, COLS, style(ST_BAR));
		draw_text(LINES - srows - 1, 1, COLS - 1, hints, style(ST_BAR));
	}
	draw_status(LINES - srows, srows);
	if (!prompt_active() && top) {
		struct view *v = top;
		int y, x;
		if (v->ops->cursor && v->ops->cursor(v, &y, &x)) {
			curs_set(1);
			move(y, x);
		}
	}
}

/* ---- start and end -------------------------------------------------- */

static int file_exists(const char *p)
{
	struct stat sb;
	return stat(p, &sb) == 0;
}

/* Opens the archive read-write, else read-only (then writes say why
 * not). Returns 0, or the exit status with a message printed. */
static int open_archive(struct cli *c)
{
	char err[600], err2[600];
	if (!c->db_explicit && !file_exists(c->db_path)) {
		/* first run: create it with the samples */
		int r = cli_open_archive(c, 0, &A->ar);
		if (r)
			return r;
		return 0;
	}
	if (ar_open(c->db_path, 0, &A->ar, err, sizeof err) == 0)
		return 0;
	if (ar_open(c->db_path, AR_READONLY, &A->ar, err2, sizeof err2) == 0) {
		A->readonly = 1;
		const char *why = strstr(err, ": ");
		snprintf(A->ro_reason, sizeof A->ro_reason, "%s", why ? why + 2 : err);
		return 0;
	}
	return cli_error("%s", err);
}

/* Reads [ui] into A. */
static void read_ui(struct cfg *c)
{
	A->stack_below = (int)cfg_get_int(c, "ui", "stack_below", 100, 0, 10000);
	A->split = (int)cfg_get_int(c, "ui", "split", 50, 10, 90);
	static const char *const layouts[] = { "auto", "side", "stacked", NULL };
	A->layout = (enum layout_pref)cfg_get_enum(c, "ui", "layout", layouts, LAYOUT_AUTO);
	A->mouse = cfg_get_bool(c, "ui", "mouse", 0);
	A->ascii_map = cfg_get_bool(c, "ui", "map_ascii", 0);
	int amb = cfg_get_bool(c, "ui", "ambiguous_wide", 0);
	rw_set_ambiguous_wide(amb);
	reviewer_name(NULL, c, A->reviewer, sizeof A->reviewer);
	A->advance = cfg_get_bool(c, "review", "advance", 1);
	const char *cc = cfg_get(c, "ui", "copy_command");
	snprintf(A->copy_command, sizeof A->copy_command, "%s", cc ? cc : "");
}

static void load_config(void)
{
	if (!cfg_default_path(A->cfg_path, sizeof A->cfg_path))
		A->cfg_path[0] = 0;
	A->cfg = cfg_load(A->cfg_path[0] ? A->cfg_path : NULL);
	read_ui(A->cfg);
	keymap_init(A->cfg);
}

static const char *const app_sections[] = { "ui", "colors", "keys", "review", NULL };

void app_config_check(struct cfg *c)
{
	read_ui(c);
	keymap_init(c);
	keymap_free();
	screen_check_colors(c);
	cfg_check_unused(c, app_sections);
}

int app_main(struct cli *c)
{
	screen_bench_start();
	int r = open_archive(c);
	if (r)
		return r;
	A->db_path = c->db_path;
	const char *cs = nl_langinfo(CODESET);
	A->utf8 = cs && (!strcmp(cs, "UTF-8") || !strcmp(cs, "utf8"));
	rw_set_terminal_safe(A->utf8);
	load_config();
	char err[300];
	if (screen_init(A->cfg, A->mouse, err, sizeof err) != 0) {
		ar_close(A->ar);
		cfg_free(A->cfg);
		keymap_free();
		return cli_error("%s", err);
	}
	/* the colours and keys have read their sections: report typos */
	cfg_check_unused(A->cfg, app_sections);
	const char *const *msgs;
	size_t nm = cfg_messages(A->cfg, &msgs);
	if (nm == 1) {
		app_error("%s", msgs[0]);
	} else if (nm > 1) {
		/* every line named, then the reasons as far as the status
		 * line's rows go; precis doctor lists them all */
		char all[1024];
		size_t k = (size_t)snprintf(all, sizeof all, "%s: %zu config lines ignored (", cfg_path(A->cfg), nm);
		for (size_t i = 0; i < nm && k < sizeof all; i++) {
			int ln = cfg_message_line(A->cfg, i);
			k += (size_t)snprintf(all + k, sizeof all - k, ln ? "%s%s%d" : "%s%sthe file",
			                      i ? ", " : "", i ? "" : "lines ", ln);
		}
		if (k < sizeof all)
			k += (size_t)snprintf(all + k, sizeof all - k, "; precis doctor says why)");
		for (size_t i = 0; i < nm && k < sizeof all; i++) {
			/* "PATH:LINE: reason" as "line LINE: reason" */
			const char *why = msgs[i];
			size_t pl = strlen(cfg_path(A->cfg));
			if (!strncmp(why, cfg_path(A->cfg), pl) && why[pl] == ':') {
				why += pl + 1;
				why += strspn(why, "0123456789");
				why += *why == ':' ? 1 : 0;
				why += strspn(why, " ");
			}
			int ln = cfg_message_line(A->cfg, i);
			k += (size_t)snprintf(all + k, sizeof all - k, " · line %d: %s", ln, why);
		}
		app_error("%s", all);
	}
	else if (A->readonly)
		app_status("read-only: %s", A->ro_reason);
	else
		tell_unfinished();
	llm_run_listen(on_job_news, NULL);
	list_open();
	watch_stamp = 0;
	ar_data_changed(A->ar, &watch_stamp);
	app_timer_after(WATCH_MS, watch_tick, NULL);
	int sig = screen_loop(on_key, on_mouse, draw_all);
	while (app_view_count())
		app_pop();
	llm_run_shutdown();   /* summaries being written go back to the queue */
	prompt_end();
	screen_end();
	ar_close(A->ar);
	cfg_free(A->cfg);
	keymap_free();
	if (sig == SIGTERM || sig == SIGHUP || sig == SIGINT) {
		signal(sig, SIG_DFL);
		raise(sig);
	}
	return 0;
}
