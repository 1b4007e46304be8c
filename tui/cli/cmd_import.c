/* cmd_import.c — `precis import [--quiet] PATH...`: runs db/import.h and
 * shows what it reports: one safe line per failed file or warning, and a
 * progress bar while stderr is a terminal. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "db/archive.h"
#include "db/import.h"
#include "tui/cli/cli.h"
#include "tui/cli/options.h"
#include "tui/config.h"

struct import_view {
	FILE *f;                 /* stderr */
	int bar;                 /* draw the progress bar (f is a terminal) */
	int shown;               /* a bar is on the current line */
	struct timespec start, last;
};

static double since(const struct timespec *t)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

/* Erases the bar so that a message line can be printed. */
static void bar_clear(struct import_view *v)
{
	if (v->shown) {
		fputs("\r\033[K", v->f);
		fflush(v->f);
		v->shown = 0;
	}
}

/* Redraws the bar, at most ten times a second unless force. */
static void bar_draw(struct import_view *v, const struct import_event *ev, int force)
{
	if (!v->bar || !ev->files_total)
		return;
	if (!force && v->shown && since(&v->last) < 0.1)
		return;
	clock_gettime(CLOCK_MONOTONIC, &v->last);
	int cols = cli_term_width(fileno(v->f));
	double frac = ev->bytes_total > 0 ? ev->bytes_done / ev->bytes_total
	                                  : (double)ev->files_done / (double)ev->files_total;
	if (frac > 1)
		frac = 1;
	double secs = since(&v->start);
	char tail[96];
	snprintf(tail, sizeof tail, " %3d%%  %zu/%zu files  %.1f MB/s",
	         (int)(frac * 100), ev->files_done, ev->files_total,
	         secs > 0 ? ev->bytes_done / 1e6 / secs : 0.0);
	int barw = cols - (int)strlen(tail) - 3;
	if (barw > 40)
		barw = 40;
	fputs("\r", v->f);
	if (barw >= 5) {
		int fill = (int)(frac * barw);
		fputc('[', v->f);
		for (int i = 0; i < barw; i++)
			fputc(i < fill ? '#' : '.', v->f);
		fputc(']', v->f);
	}
	fputs(tail, v->f);
	fputs("\033[K", v->f);
	fflush(v->f);
	v->shown = 1;
}

/* import_event_fn: messages as "PATH: reason" lines, made safe. */
static void on_event(void *ctx, const struct import_event *ev)
{
	struct import_view *v = ctx;
	switch (ev->kind) {
	case IMPORT_EV_BEGIN:
		clock_gettime(CLOCK_MONOTONIC, &v->start);
		bar_draw(v, ev, 1);
		break;
	case IMPORT_EV_FILE:
		bar_draw(v, ev, 0);
		break;
	case IMPORT_EV_DONE:
		if (ev->outcome == IMPORT_FAILED && v->f) {
			bar_clear(v);
			cli_line(v->f, "%s: %s", ev->path, ev->message ? ev->message : "failed");
		}
		bar_draw(v, ev, 0);
		break;
	case IMPORT_EV_WARNING:
		if (v->f) {
			bar_clear(v);
			cli_line(v->f, "%s: warning: %s", ev->path, ev->message ? ev->message : "");
		}
		break;
	case IMPORT_EV_END:
		bar_clear(v);
		break;
	}
}

/* The [import] settings of the configuration file: which language of a
 * two-language file becomes the transcript. Messages about the file go to
 * stderr. */
int cli_import_config(struct cfg *cf)
{
	static const char *const picks[] = { "main", "second", "both", NULL };
	int pick = cfg_get_enum(cf, "import", "transcript_language", picks, DOC_LANG_MAIN);
	static const char *const mine[] = { "import", NULL };
	cfg_check_unused(cf, mine);
	return pick;
}

static enum doc_lang_pick import_settings(void)
{
	struct cfg *cf = cfg_load(NULL);
	enum doc_lang_pick pick = (enum doc_lang_pick)cli_import_config(cf);
	const char *const *msgs;
	size_t nm = cfg_messages(cf, &msgs);
	for (size_t i = 0; i < nm; i++)
		cli_warn("%s", msgs[i]);   /* quotes the file: made safe */
	cfg_free(cf);
	return pick;
}

int cmd_import(struct cli *c, int argc, char **argv)
{
	int quiet = 0, ch;
	const char *lang = NULL;
	while ((ch = cli_getopt(CMD_IMPORT, argc, argv)) != -1) {
		switch (ch) {
		case OPT_IMPORT_QUIET: quiet = 1; break;
		case OPT_IMPORT_LANGUAGE: lang = optarg; break;
		default:
			return cli_opt_exit(CMD_IMPORT, ch);
		}
	}
	if (optind >= argc)
		return cli_usage_error("import", "nothing to import: give one or more files or directories");
	enum doc_lang_pick lang_pick = import_settings();
	if (lang && doc_lang_pick_parse(lang, &lang_pick) != 0)
		return cli_usage_error("import", "--transcript-language is main, second or both");

	struct archive *a;
	int r = cli_open_archive(c, 1, &a);
	if (r)
		return r;
	/* --quiet: failures are still named (the exit status alone would
	 * not say which file), warnings and the summary are not. */
	struct import_view v = { .f = stderr, .bar = !quiet && c->err_tty };
	struct import_opts o = { .on_event = on_event, .ctx = &v, .warnings = !quiet };
	o.doc.lang = lang_pick;
	struct import_stats st = { 0 };
	r = import_paths(a, argv + optind, argc - optind, &o, &st);
	if (r != 0) {
		cli_error("%s: %s", c->db_path, ar_error(a));
		ar_close(a);
		if (!quiet)
			printf("imported %ld, skipped %ld, failed %ld, not tried %ld (stopped)\n",
			       st.imported, st.skipped, st.failed, st.untried);
		return 1;
	}
	ar_close(a);
	if (!quiet)
		printf("imported %ld, skipped %ld, failed %ld\n", st.imported, st.skipped, st.failed);
	return st.failed ? 1 : 0;
}
