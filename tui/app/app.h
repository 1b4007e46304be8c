/* app.h — the full-screen app: its entry point and the hooks of its one
 * event loop, for modules that run work in the background.
 *
 * The loop (tui/app/screen.c) blocks in poll() on the terminal, a
 * self-pipe for signals and every watched fd, with the timeout of the
 * nearest timer or none at all: an idle precis uses no CPU. Each pass
 * handles what is ready, then draws once (one doupdate()) if anything
 * asked for it. Everything runs on the loop's thread; a worker thread
 * talks to it through a pipe it writes to and the loop watches (see the
 * archive search in view_search.c).
 *
 * Background work (the LLM client streaming a summary, say):
 *
 *     app_watch_fd(sock, POLLIN, on_data, job);   // on_data runs in the loop
 *     ... on_data reads, then reader_set_summary(...) and app_dirty()
 *     app_unwatch_fd(sock);                       // when done or cancelled
 *     unsigned t = app_timer_after(250, tick, job);   // debounce / timeouts
 *     app_timer_cancel(t);
 */
#ifndef PRECIS_TUI_APP_APP_H
#define PRECIS_TUI_APP_APP_H

#include <stdarg.h>
#include <stddef.h>

struct cli;

/* Runs the app on the archive of c (stdin and stdout must be a
 * terminal). Returns the process exit status. */
int app_main(struct cli *c);

struct cfg;
/* Reads the app's sections of the configuration ([ui], [colors], [keys],
 * [review]) as the app does, without a terminal, so that cfg_messages()
 * lists every line the app would ignore (precis doctor). */
void app_config_check(struct cfg *c);

/* Calls fn(ctx, fd, revents) from the loop when poll() reports events
 * (POLLIN, POLLOUT) on fd; POLLHUP/POLLERR are passed on too. One watch
 * per fd (a second call replaces it). Returns 0, or -1 when the table is
 * full (64 fds). */
typedef void (*app_fd_fn)(void *ctx, int fd, int revents);
int app_watch_fd(int fd, short events, app_fd_fn fn, void *ctx);
/* Stops watching fd (safe inside its own callback). */
void app_unwatch_fd(int fd);

/* Calls fn(ctx) once, about ms milliseconds from now, from the loop.
 * Returns a timer id (never 0). */
typedef void (*app_timer_fn)(void *ctx);
unsigned app_timer_after(int ms, app_timer_fn fn, void *ctx);
/* Cancels a pending timer (unknown or fired ids are ignored). */
void app_timer_cancel(unsigned id);

/* Asks for a redraw at the end of this pass. */
void app_dirty(void);

/* A one-line message on the status line (until the next key). Text is
 * cleaned for the terminal when drawn. */
void app_status(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The same, drawn as an error. */
void app_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
