/* common.c — what every command shares: opening the archive (and seeding
 * a new default archive with the samples), option values, and fields
 * printed safely on one line. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db/archive.h"
#include "db/import.h"
#include "render/sanitize.h"
#include "render/width.h"
#include "tui/cli/cli.h"

/* Creates every missing directory above path (mkdir -p of its dirname).
 * Returns 0 or -1 with errno set. */
static int make_parent_dirs(const char *path)
{
	char buf[PATH_MAX];
	if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) {
		errno = ENAMETOOLONG;
		return -1;
	}
	char *slash = strrchr(buf, '/');
	if (!slash || slash == buf)
		return 0;
	*slash = 0;
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(buf, 0755) != 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(buf, 0755) != 0 && errno != EEXIST)
		return -1;
	return 0;
}

static int file_exists(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0;
}

/* import_event_fn for the samples: failures and warnings, made safe. */
static void seed_event(void *ctx, const struct import_event *ev)
{
	if (ev->kind == IMPORT_EV_WARNING || (ev->kind == IMPORT_EV_DONE && ev->outcome == IMPORT_FAILED))
		cli_line(stderr, "%s: %s%s", ev->path, ev->kind == IMPORT_EV_WARNING ? "warning: " : "",
		         ev->message ? ev->message : "");
}

/* Imports the compiled-in samples into a fresh default archive. */
static int seed_samples(struct cli *c, struct archive *a)
{
	struct import_opts o = { .on_event = seed_event, .warnings = 1 };
	struct import_stats st = { 0 };
	for (size_t i = 0; i < precis_sample_count(); i++) {
		struct sample s = precis_sample(i);
		char src[256];
		snprintf(src, sizeof src, "sample:%s", s.name);
		if (import_buffer(a, s.name, src, s.data, s.len, &o, &st) != 0)
			return cli_error("%s: %s", c->db_path, ar_error(a));
	}
	if (c->err_tty)
		cli_warn("new archive %s with %ld sample transcript%s",
		         c->db_path, st.imported, st.imported == 1 ? "" : "s");
	return 0;
}

/* Opens the archive for a command. Read commands open read-only; the
 * first run of the default archive creates it with the samples. Returns
 * 0 or the exit status (message printed). */
int cli_open_archive(struct cli *c, int write, struct archive **a)
{
	char err[600];
	int first_run = !c->db_explicit && !file_exists(c->db_path);
	if (first_run || write) {
		if (!c->db_explicit && make_parent_dirs(c->db_path) != 0)
			return cli_error("cannot create the directory of %s: %s", c->db_path, strerror(errno));
		if (ar_open(c->db_path, AR_CREATE, a, err, sizeof err) != 0)
			return cli_error("%s", err);
		if (first_run && !write) {
			int r = seed_samples(c, *a);
			if (r) {
				ar_close(*a);
				return r;
			}
		}
		return 0;
	}
	if (ar_open(c->db_path, AR_READONLY, a, err, sizeof err) != 0)
		return cli_error("%s", err);
	return 0;
}

/* Parses a non-negative integer option; -1 when it is not one. */
long cli_parse_count(const char *s)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 0 || v > INT_MAX)
		return -1;
	return v;
}

int cli_term_width(int fd)
{
	struct winsize ws;
	if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	const char *cols = getenv("COLUMNS");
	if (cols && atoi(cols) > 0)
		return atoi(cols);
	return 80;
}

/* Prints a one-line, terminal-safe copy of s, cut to max cells (≤ 0: no
 * limit) with "…" when cut. */
void cli_put_field(FILE *f, const char *s, int max)
{
	cli_put_fieldn(f, s ? s : "", s ? strlen(s) : 0, max);
}

void cli_put_fieldn(FILE *f, const char *s, size_t n, int max)
{
	size_t len;
	char *clean = rs_clean_line(s, n, &len);
	if (max > 0 && rw_width(clean, len) > max) {
		int used;
		size_t k = rw_fit(clean, len, max - 1, &used);
		fwrite(clean, 1, k, f);
		fputs("…", f);
	} else {
		fwrite(clean, 1, len, f);
	}
	free(clean);
}
