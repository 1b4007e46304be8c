/* state.c — the app's state (A), the view stack and the status line's
 * message: what every view shares, below the views. It calls down only
 * (tui/app/screen.c for redraws and the end of the loop, tui/config.h to
 * remember a setting) and reaches a view only through its ops table. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "tui/app/screen.h"
#include "tui/app/state.h"
#include "tui/config.h"

#define MAXVIEWS 32

static struct app the_app;
struct app *A = &the_app;

static struct view stack[MAXVIEWS];
static int nviews;
static char status_msg[1024];
static int status_err;
static long long status_ms;   /* when it was set (monotonic) */

static long long mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- status line ---------------------------------------------------- */

void app_status(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(status_msg, sizeof status_msg, fmt, ap);
	va_end(ap);
	status_err = 0;
	status_ms = mono_ms();
	app_dirty();
}

void app_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(status_msg, sizeof status_msg, fmt, ap);
	va_end(ap);
	status_err = 1;
	status_ms = mono_ms();
	app_dirty();
}

long long app_status_age_ms(void)
{
	return status_msg[0] ? mono_ms() - status_ms : 0;
}

const char *app_status_text(int *is_error)
{
	*is_error = status_err;
	return status_msg;
}

void app_status_clear(void)
{
	if (status_msg[0]) {
		status_msg[0] = 0;
		app_dirty();
	}
}

int app_check_writable(const char *what)
{
	if (!A->readonly)
		return 0;
	app_error("cannot %s: the archive is read-only (%s)", what,
	          A->ro_reason[0] ? A->ro_reason : "opened read-only");
	return 1;
}

void app_store(const char *section, const char *key, const char *value)
{
	char err[300];
	if (!A->cfg_path[0])
		return;
	if (cfg_store(A->cfg_path, section, key, value, err, sizeof err) != 0)
		app_error("not remembered: %s", err);
}

void app_list_query(struct ar_page_query *q)
{
	memset(q, 0, sizeof *q);
	q->sort = A->sort;
	q->reverse = A->reverse;
	q->filter = A->filter;
	q->pattern = A->pattern[0] ? A->pattern : NULL;
}

/* ---- the view stack ------------------------------------------------- */

struct view *app_push(const struct view_ops *ops, void *priv)
{
	if (nviews == MAXVIEWS) {
		if (ops->close) {
			struct view tmp = { ops, priv, { 0, 0, 0, 0 } };
			ops->close(&tmp);
		}
		app_error("too many views open");
		return NULL;
	}
	stack[nviews] = (struct view){ ops, priv, { 0, 0, 0, 0 } };
	app_dirty();
	return &stack[nviews++];
}

void app_pop(void)
{
	if (!nviews)
		return;
	struct view *v = &stack[--nviews];
	if (v->ops->close)
		v->ops->close(v);
	memset(v, 0, sizeof *v);
	if (nviews && stack[nviews - 1].ops->reload)
		stack[nviews - 1].ops->reload(&stack[nviews - 1]);
	app_dirty();
}

struct view *app_below(struct view *v)
{
	for (int i = 1; i < nviews; i++)
		if (&stack[i] == v)
			return &stack[i - 1];
	return NULL;
}

int app_view_count(void)
{
	return nviews;
}

struct view *app_view_at(int i)
{
	return i >= 0 && i < nviews ? &stack[i] : NULL;
}

struct view *app_top(void)
{
	return nviews ? &stack[nviews - 1] : NULL;
}

void app_quit(void)
{
	screen_quit();
}
