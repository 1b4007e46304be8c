/* screen.c — the terminal and the one event loop.
 *
 * Curses: newterm on the tty, raw mode (Ctrl-C and Ctrl-Z arrive as keys
 * and are handled as actions), no delay on reads (keys are read until
 * none is left, then the screen is drawn once), idlok so a one-line scroll
 * can be a terminal scroll, ESC at once (25 ms unless $ESCDELAY).
 *
 * Signals never do work in the handler: SIGWINCH, SIGINT, SIGTERM, SIGHUP
 * write their number to a self-pipe the loop polls (vis's way), so a
 * resize burst is drained into one re-layout and a hang-up ends the loop
 * cleanly (the archive is closed by the normal path). Crash signals
 * write a precomputed terminal-restoring string and re-raise.
 *
 * The loop blocks in poll() on the tty, the pipe and the watched fds with
 * the nearest timer's timeout, or none: idle, precis sleeps.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>
#include <curses.h>
#include <term.h>

#include "render/alloc.h"
#include "tui/app/screen.h"
#include "tui/app/view.h"
#include "tui/config.h"

static int sigfd[2] = { -1, -1 };
static SCREEN *scr;
static int active, quitting, use_colors;
static char restore_seq[256];
static size_t restore_len;
static int dirty = 1;
static char *rawbuf;
static size_t rawlen, rawcap;

/* ---- styles --------------------------------------------------------- */

struct style_def {
	const char *name;
	short fg, bg, fg256, bg256;   /* -1: default */
	attr_t attr;                  /* with colours */
	attr_t mono;                  /* without */
};

static struct style_def styles[ST_COUNT] = {
	[ST_NORMAL]      = { "normal", -1, -1, -1, -1, 0, 0 },
	[ST_BAR]         = { "bar", COLOR_WHITE, COLOR_BLUE, 255, 24, 0, A_REVERSE },
	[ST_CURSOR]      = { "cursor", -1, -1, -1, -1, A_REVERSE, A_REVERSE },
	[ST_HIT]         = { "hit", COLOR_BLACK, COLOR_YELLOW, 16, 222, 0, A_REVERSE },
	[ST_CURHIT]      = { "current-hit", COLOR_BLACK, COLOR_GREEN, 16, 208, A_BOLD, A_REVERSE | A_BOLD | A_UNDERLINE },
	[ST_DIM]         = { "dim", -1, -1, 244, -1, A_DIM, A_DIM },
	[ST_HEADING]     = { "heading", COLOR_YELLOW, -1, 179, -1, A_BOLD, A_BOLD | A_UNDERLINE },
	[ST_BOLD]        = { "bold", -1, -1, -1, -1, A_BOLD, A_BOLD },
	[ST_PLACEHOLDER] = { "placeholder", COLOR_MAGENTA, -1, 170, -1, A_BOLD, A_BOLD },
	[ST_GUTTER]      = { "gutter", COLOR_CYAN, -1, 243, -1, 0, A_DIM },
	[ST_APPROVED]    = { "approved", COLOR_GREEN, -1, 71, -1, A_BOLD, A_BOLD },
	[ST_FLAGGED]     = { "flagged", COLOR_RED, -1, 203, -1, A_BOLD, A_BOLD },
	[ST_ERROR]       = { "error", COLOR_RED, -1, 203, -1, A_BOLD, A_BOLD },
	[ST_LINK]        = { "link", COLOR_BLUE, -1, 75, -1, A_UNDERLINE, A_UNDERLINE },
	[ST_CODE]        = { "code", COLOR_CYAN, -1, 109, -1, 0, 0 },
	[ST_FOCUS]       = { "focus", COLOR_WHITE, COLOR_BLUE, 255, 25, A_BOLD, A_REVERSE | A_BOLD },
	[ST_NODE]        = { "node", COLOR_BLACK, COLOR_YELLOW, 16, 221, A_BOLD, A_REVERSE | A_BOLD },
	[ST_EDGE]        = { "edge", COLOR_YELLOW, -1, 214, -1, A_BOLD, A_BOLD },
	[ST_DIAGRAM]     = { "diagram", COLOR_CYAN, -1, 80, -1, A_BOLD, A_BOLD | A_UNDERLINE },
	[ST_TITLE]       = { "title", -1, -1, 252, 237, 0, A_UNDERLINE },
	/* evidence: the claim and its passage, the matching terms in it, the
	 * summary gutter's verdicts */
	[ST_EVIDENCE]    = { "evidence", -1, COLOR_BLUE, -1, 237, 0, A_UNDERLINE },
	[ST_EV_TERM]     = { "evidence-term", COLOR_YELLOW, COLOR_BLUE, 229, 237, A_BOLD, A_BOLD | A_UNDERLINE | A_REVERSE },
	[ST_EV_SUPPORTED] = { "evidence-supported", COLOR_GREEN, -1, 71, -1, A_BOLD, A_BOLD },
	[ST_EV_WEAK]     = { "evidence-weak", COLOR_YELLOW, -1, 179, -1, 0, 0 },
	[ST_EV_NONE]     = { "evidence-none", COLOR_RED, -1, 203, -1, A_BOLD, A_BOLD | A_REVERSE },
	/* the diff (D): without colour, removed words are reverse and added
	 * ones underlined, and both are marked in the text ([-…-] {+…+}) */
	[ST_DEL]         = { "diff-removed", COLOR_RED, -1, 203, -1, A_BOLD, A_REVERSE },
	[ST_INS]         = { "diff-added", COLOR_GREEN, -1, 71, -1, A_BOLD, A_BOLD | A_UNDERLINE },
};

static attr_t style_attrs[ST_COUNT];

int screen_has_colors(void)
{
	return use_colors;
}

attr_t style(enum style s)
{
	return (unsigned)s < ST_COUNT ? style_attrs[s] : 0;
}

attr_t style_cell(unsigned a)
{
	attr_t r = 0;
	if (a & RC_HEADING)
		r |= style(ST_HEADING);
	else if (a & RC_BOLD)
		r |= A_BOLD;
	if (a & RC_ITALIC)
		r |= A_ITALIC;
	if (a & RC_LIST)
		r |= A_BOLD;
	if (a & RC_CODE)
		r |= style(ST_CODE);
	if (a & RC_LINK)
		r |= style(ST_LINK);
	if (a & RC_DIM)
		r |= A_DIM;
	if (a & RC_QUOTE)
		r |= A_DIM;
	if (a & RC_DIAGRAM)
		r |= style(ST_DIAGRAM);
	if (a & RC_PLACEHOLDER)
		r |= style(ST_PLACEHOLDER);
	if (a & RC_HIGHLIGHT) {
		r &= ~(attr_t)A_COLOR;
		r |= style(ST_HIT);
	}
	return r;
}

static short colour_parse(const char *s, int *ok)
{
	static const char *const names[] = { "black", "red", "green", "yellow", "blue",
	                                     "magenta", "cyan", "white" };
	*ok = 1;
	if (!strcmp(s, "default"))
		return -1;
	for (short i = 0; i < 8; i++)
		if (!strcmp(s, names[i]))
			return i;
	char *end;
	long v = strtol(s, &end, 10);
	if (*s && !*end && v >= 0 && v <= 255)
		return (short)v;
	*ok = 0;
	return -1;
}

/* Reads [colors]: NAME = [FG [BG]] [bold] [underline] [reverse] [dim]. */
static void styles_config(struct cfg *cfg)
{
	for (int i = 0; i < ST_COUNT; i++) {
		const struct cfg_entry *e = cfg ? cfg_entry(cfg, "colors", styles[i].name) : NULL;
		if (!e)
			continue;
		char buf[CFG_MAX_LINE + 1];
		snprintf(buf, sizeof buf, "%s", e->value);
		int ncol = 0;
		short col[2] = { -1, -1 };
		attr_t at = 0;
		int bad = 0;
		for (char *sv = NULL, *t = strtok_r(buf, " \t,", &sv); t; t = strtok_r(NULL, " \t,", &sv)) {
			int ok;
			if (!strcmp(t, "bold")) at |= A_BOLD;
			else if (!strcmp(t, "underline")) at |= A_UNDERLINE;
			else if (!strcmp(t, "reverse")) at |= A_REVERSE;
			else if (!strcmp(t, "dim")) at |= A_DIM;
			else if (!strcmp(t, "normal")) ;
			else {
				short c = colour_parse(t, &ok);
				if (!ok || ncol == 2) {
					cfg_warn(cfg, e, "'%s': want [FG [BG]] [bold] [underline] [reverse] [dim], colours by name or 0-255", t);
					bad = 1;
					break;
				}
				col[ncol++] = c;
			}
		}
		if (bad)
			continue;
		styles[i].fg = styles[i].fg256 = col[0];
		styles[i].bg = styles[i].bg256 = col[1];
		styles[i].attr = at;
	}
}

void screen_check_colors(struct cfg *cfg)
{
	styles_config(cfg);
}

static void styles_init(struct cfg *cfg)
{
	const char *nc = getenv("NO_COLOR");
	styles_config(cfg);
	/* COLORS is known only after start_color() */
	use_colors = has_colors() && !(nc && *nc) && start_color() == OK && COLORS >= 8;
	if (use_colors && use_default_colors() != OK)
		assume_default_colors(COLOR_WHITE, COLOR_BLACK);
	int c256 = use_colors && COLORS >= 256;
	for (int i = 0; i < ST_COUNT; i++) {
		struct style_def *d = &styles[i];
		if (!use_colors) {
			style_attrs[i] = d->mono;
			continue;
		}
		short fg = c256 ? d->fg256 : d->fg, bg = c256 ? d->bg256 : d->bg;
		if (fg >= COLORS) fg = -1;
		if (bg >= COLORS) bg = -1;
		if (fg == -1 && bg == -1) {
			style_attrs[i] = d->attr;
			continue;
		}
		if (i + 1 < COLOR_PAIRS && init_pair((short)(i + 1), fg, bg) == OK)
			style_attrs[i] = d->attr | COLOR_PAIR(i + 1);
		else
			style_attrs[i] = d->attr | d->mono;
	}
}

/* Out of memory (render/alloc.h's xoom): the terminal back as on a crash
 * (no allocation), so the one-line message that follows is readable. */
static void on_oom(void)
{
	if (active && restore_len) {
		ssize_t r = write(STDOUT_FILENO, restore_seq, restore_len);
		(void)r;
	}
}

/* ---- signals -------------------------------------------------------- */

static void on_signal(int sig)
{
	int e = errno;
	unsigned char b = (unsigned char)sig;
	if (write(sigfd[1], &b, 1) < 0) {
		/* the pipe is full: the loop wakes anyway */
	}
	errno = e;
}

static void on_crash(int sig)
{
	if (active && restore_len) {
		ssize_t r = write(STDOUT_FILENO, restore_seq, restore_len);
		(void)r;
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

static void add_restore(const char *cap)
{
	char *s = tigetstr((char *)cap);
	if (!s || s == (char *)-1)
		return;
	size_t n = strlen(s);
	if (restore_len + n < sizeof restore_seq) {
		memcpy(restore_seq + restore_len, s, n);
		restore_len += n;
	}
}

int screen_init(struct cfg *cfg, int mouse, char *err, size_t errlen)
{
	if (pipe(sigfd) != 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return -1;
	}
	for (int i = 0; i < 2; i++) {
		fcntl(sigfd[i], F_SETFL, O_NONBLOCK);
		fcntl(sigfd[i], F_SETFD, FD_CLOEXEC);
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	/* installed before curses starts, so it keeps its hands off them */
	sigaction(SIGWINCH, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	sa.sa_handler = on_crash;
	sa.sa_flags = SA_RESETHAND;
	int crash[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGQUIT };
	for (size_t i = 0; i < sizeof crash / sizeof crash[0]; i++)
		sigaction(crash[i], &sa, NULL);

	if (!getenv("ESCDELAY"))
		set_escdelay(25);
	const char *term = getenv("TERM");
	scr = newterm(NULL, stdout, stdin);
	if (!scr) {
		snprintf(err, errlen, "cannot use the terminal type '%s' (set TERM, e.g. TERM=xterm-256color)",
		         term ? term : "");
		return -1;
	}
	set_term(scr);
	active = 1;
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	idlok(stdscr, TRUE);
	leaveok(stdscr, FALSE);
	curs_set(0);
	styles_init(cfg);
	if (mouse) {
		mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
		mouseinterval(0);
	}
	add_restore("sgr0");
	add_restore("cnorm");
	add_restore("rmkx");
	add_restore("rmcup");
	if (restore_len + 2 < sizeof restore_seq) {
		memcpy(restore_seq + restore_len, "\r\n", 2);
		restore_len += 2;
	}
	if (!getenv("ESCDELAY"))
		set_escdelay(25);
	xoom_hook(on_oom);
	return 0;
}

void screen_end(void)
{
	if (!active)
		return;
	active = 0;
	xoom_hook(NULL);
	curs_set(1);
	endwin();
	delscreen(scr);
	scr = NULL;
}

void screen_suspend(void)
{
	def_prog_mode();
	endwin();
}

void screen_resume(void)
{
	reset_prog_mode();
	clearok(curscr, TRUE);
	dirty = 1;
}

void screen_raw(const char *s, size_t n)
{
	if (rawlen + n > rawcap) {
		rawcap = (rawlen + n) * 2;
		rawbuf = xrealloc(rawbuf, rawcap);
	}
	memcpy(rawbuf + rawlen, s, n);
	rawlen += n;
	dirty = 1;
}

/* ---- watches and timers --------------------------------------------- */

#define MAXWATCH 64
static struct watch { int fd; short events; app_fd_fn fn; void *ctx; } watches[MAXWATCH];
static int nwatch;

int app_watch_fd(int fd, short events, app_fd_fn fn, void *ctx)
{
	for (int i = 0; i < nwatch; i++)
		if (watches[i].fd == fd) {
			watches[i] = (struct watch){ fd, events, fn, ctx };
			return 0;
		}
	if (nwatch == MAXWATCH)
		return -1;
	watches[nwatch++] = (struct watch){ fd, events, fn, ctx };
	return 0;
}

void app_unwatch_fd(int fd)
{
	for (int i = 0; i < nwatch; i++)
		if (watches[i].fd == fd) {
			watches[i] = watches[--nwatch];
			return;
		}
}

struct timer { unsigned id; long long due; app_timer_fn fn; void *ctx; };
static struct timer *timers;
static size_t ntimers, captimers;
static unsigned next_timer_id = 1;

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

unsigned app_timer_after(int ms, app_timer_fn fn, void *ctx)
{
	if (ntimers == captimers) {
		captimers = captimers ? captimers * 2 : 8;
		timers = xreallocarray(timers, captimers, sizeof *timers);
	}
	unsigned id = next_timer_id++;
	if (!next_timer_id)
		next_timer_id = 1;
	timers[ntimers++] = (struct timer){ id, now_ms() + (ms > 0 ? ms : 0), fn, ctx };
	return id;
}

void app_timer_cancel(unsigned id)
{
	for (size_t i = 0; i < ntimers; i++)
		if (timers[i].id == id) {
			timers[i] = timers[--ntimers];
			return;
		}
}

void app_dirty(void) { dirty = 1; }
void screen_quit(void) { quitting = 1; }

/* ---- the loop ------------------------------------------------------- */

/* Brings curses to the terminal's current size. */
static void do_resize(void)
{
	struct winsize ws;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0 &&
	    (ws.ws_row != LINES || ws.ws_col != COLS)) {
		resizeterm(ws.ws_row, ws.ws_col);
		/* the terminal may have reflowed or cleared: paint it all */
		clearok(curscr, TRUE);
	}
	dirty = 1;
}

static int normalize_key(int r, wint_t wch)
{
	if (r == KEY_CODE_YES) {
		switch (wch) {
		case KEY_ENTER: return K_ENTER;
		case KEY_BACKSPACE: return K_BACKSPACE;
		default: return KEY_SPECIAL + (int)wch;
		}
	}
	if (wch == '\n' || wch == '\r')
		return K_ENTER;
	if (wch == 8)
		return K_BACKSPACE;
	return (int)wch;
}

/* After an ESC that came with more bytes at once: an escape sequence
 * curses did not know (the terminal's keys differ from its terminfo, as
 * with TERM=xterm-256color inside tmux). Reads it whole and returns the
 * key it most likely is, or 0 to ignore it; a lone ESC stays K_ESC. */
static int unknown_sequence(void)
{
	wint_t c;
	int r = wget_wch(stdscr, &c);
	if (r == ERR)
		return K_ESC;
	if (r == KEY_CODE_YES || (c != '[' && c != 'O')) {
		/* Alt+key or ESC then a key: take it as ESC, then the key */
		unget_wch(c);
		return K_ESC;
	}
	char seq[16];
	size_t n = 0;
	seq[n++] = (char)c;
	for (int i = 0; i < 12; i++) {
		if (wget_wch(stdscr, &c) == ERR)
			break;
		if (n < sizeof seq - 1)
			seq[n++] = (char)c;
		if (c >= 0x40 && c <= 0x7e)
			break;
	}
	seq[n] = 0;
	static const struct { const char *s; int key; } map[] = {
		{ "[A", KEY_UP }, { "[B", KEY_DOWN }, { "[C", KEY_RIGHT }, { "[D", KEY_LEFT },
		{ "OA", KEY_UP }, { "OB", KEY_DOWN }, { "OC", KEY_RIGHT }, { "OD", KEY_LEFT },
		{ "[H", KEY_HOME }, { "OH", KEY_HOME }, { "[1~", KEY_HOME }, { "[7~", KEY_HOME },
		{ "[F", KEY_END }, { "OF", KEY_END }, { "[4~", KEY_END }, { "[8~", KEY_END },
		{ "[3~", KEY_DC }, { "[2~", KEY_IC }, { "[5~", KEY_PPAGE }, { "[6~", KEY_NPAGE },
		{ "[Z", KEY_BTAB },
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (!strcmp(seq, map[i].s))
			return KEY_SPECIAL + map[i].key;
	return 0;
}

/* For bench/app.sh and bench/review.sh: with $PRECIS_BENCH_FILE set,
 * each frame appends "frame US cpu CPU_US" to that file — microseconds
 * from the start of the process (first frame) or from reading the key
 * that caused it, and the CPU time the process used meanwhile (all its
 * threads: a figure a loaded machine changes less than the wall time). */
static FILE *bench_file;
static long long bench_t0, bench_cpu0;

static long long cpu_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static long long now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void screen_bench_start(void)
{
	const char *p = getenv("PRECIS_BENCH_FILE");
	if (p && *p)
		bench_file = fopen(p, "a");
	bench_t0 = now_us();
	bench_cpu0 = 0;
}

int screen_loop(void (*on_key)(int key), void (*on_mouse)(int y, int x, int button),
                void (*draw)(void))
{
	int stop_sig = 0;
	quitting = 0;
	while (!quitting && !stop_sig) {
		if (dirty) {
			dirty = 0;
			draw();
			wnoutrefresh(stdscr);
			doupdate();
			if (bench_file && bench_t0) {
				fprintf(bench_file, "frame %lld cpu %lld\n", now_us() - bench_t0,
				        cpu_us() - bench_cpu0);
				fflush(bench_file);
				bench_t0 = 0;
			}
			if (rawlen) {
				size_t off = 0;
				while (off < rawlen) {
					ssize_t w = write(STDOUT_FILENO, rawbuf + off, rawlen - off);
					if (w <= 0) {
						if (w < 0 && errno == EINTR)
							continue;
						break;
					}
					off += (size_t)w;
				}
				rawlen = 0;
			}
			continue;   /* a draw may have set timers or dirt */
		}
		struct pollfd pf[MAXWATCH + 2];
		struct watch snap[MAXWATCH];
		int nw = nwatch;
		memcpy(snap, watches, sizeof snap[0] * (size_t)nw);
		pf[0] = (struct pollfd){ STDIN_FILENO, POLLIN, 0 };
		pf[1] = (struct pollfd){ sigfd[0], POLLIN, 0 };
		for (int i = 0; i < nw; i++)
			pf[2 + i] = (struct pollfd){ snap[i].fd, snap[i].events, 0 };
		int timeout = -1;
		if (ntimers) {
			long long due = timers[0].due;
			for (size_t i = 1; i < ntimers; i++)
				if (timers[i].due < due)
					due = timers[i].due;
			long long d = due - now_ms();
			timeout = d < 0 ? 0 : d > 60000 ? 60000 : (int)d;
		}
		int n = poll(pf, (nfds_t)(2 + nw), timeout);
		if (n < 0 && errno != EINTR)
			break;
		if (n > 0 && (pf[1].revents & POLLIN)) {
			unsigned char b[64];
			ssize_t k;
			int resize = 0;
			while ((k = read(sigfd[0], b, sizeof b)) > 0)
				for (ssize_t i = 0; i < k; i++) {
					if (b[i] == SIGWINCH)
						resize = 1;
					else
						stop_sig = b[i];
				}
			if (resize)
				do_resize();   /* a burst of them: one re-layout */
		}
		if (stop_sig)
			break;
		if (n > 0 && (pf[0].revents & (POLLHUP | POLLERR | POLLNVAL)) && !(pf[0].revents & POLLIN)) {
			stop_sig = SIGHUP;   /* the terminal went away */
			break;
		}
		if (n > 0 && (pf[0].revents & POLLIN)) {
			wint_t wch;
			int r, got = 0;
			if (bench_file) {
				bench_t0 = now_us();
				bench_cpu0 = cpu_us();
			}
			while (!quitting && (r = wget_wch(stdscr, &wch)) != ERR) {
				got = 1;
				if (r == KEY_CODE_YES && wch == KEY_RESIZE) {
					do_resize();
					continue;
				}
				if (r == KEY_CODE_YES && wch == KEY_MOUSE) {
					MEVENT me;
					if (getmouse(&me) == OK && on_mouse) {
						int b = (me.bstate & BUTTON4_PRESSED) ? 4
						      : (me.bstate & BUTTON5_PRESSED) ? 5
						      : (me.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED)) ? 1 : 0;
						if (b)
							on_mouse(me.y, me.x, b);
					}
					continue;
				}
				int key = normalize_key(r, wch);
				if (key == K_ESC)
					key = unknown_sequence();
				if (key)
					on_key(key);
			}
			if (!got && (pf[0].revents & POLLHUP)) {
				stop_sig = SIGHUP;
				break;
			}
		}
		for (int i = 0; i < nw; i++)
			if (pf[2 + i].revents) {
				/* still watched with the same callback? */
				for (int j = 0; j < nwatch; j++)
					if (watches[j].fd == snap[i].fd && watches[j].fn == snap[i].fn) {
						snap[i].fn(snap[i].ctx, snap[i].fd, pf[2 + i].revents);
						break;
					}
			}
		if (ntimers) {
			long long t = now_ms();
			for (size_t i = 0; i < ntimers;) {
				if (timers[i].due <= t) {
					struct timer tm = timers[i];
					timers[i] = timers[--ntimers];
					tm.fn(tm.ctx);
					i = 0;
					continue;
				}
				i++;
			}
		}
	}
	return stop_sig;
}
