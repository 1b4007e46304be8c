/* screen.h — the terminal and the event loop (tui/app/screen.c): curses
 * set-up and restoration (normal exit, signals, crashes), colours, and the
 * one poll() loop. app.c drives it; views never call it directly except
 * through view.h/app.h. */
#ifndef PRECIS_TUI_APP_SCREEN_H
#define PRECIS_TUI_APP_SCREEN_H

struct cfg;

/* Starts curses on the terminal. Returns 0, or -1 with a message in err. */
int screen_init(struct cfg *cfg, int mouse, char *err, size_t errlen);
/* Reads [colors] for its messages only (precis doctor: no terminal). */
void screen_check_colors(struct cfg *cfg);
/* Restores the terminal (idempotent). */
void screen_end(void);
/* Runs the loop until app_quit() or a terminating signal. Calls
 * on_key(key) for each key, on_mouse(y, x, button), on_resize(), and
 * draw() when something asked for a redraw. Returns the terminating
 * signal (SIGTERM, SIGHUP, SIGINT) or 0. */
int screen_loop(void (*on_key)(int key), void (*on_mouse)(int y, int x, int button),
                void (*draw)(void));
/* Starts the clock of $PRECIS_BENCH_FILE frame times (bench/app.sh). */
void screen_bench_start(void);
/* Ends the loop after this pass. */
void screen_quit(void);

#endif
