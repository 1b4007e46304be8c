/* cmd_archive.c — `precis import|list|show|search` and the default view
 * (the listing, until the full-screen app exists). */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <jansson.h>

#include "db/archive.h"
#include "db/import.h"
#include "render/print.h"
#include "render/sanitize.h"
#include "render/width.h"
#include "tui/cli.h"

/* ---- helpers ------------------------------------------------------------ */

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

/* Imports the compiled-in samples into a fresh default archive. */
static int seed_samples(struct cli *c, struct archive *a)
{
	struct import_opts o = { stderr, 1, 0 };
	struct import_stats st = { 0 };
	for (size_t i = 0; i < precis_sample_count(); i++) {
		struct sample s = precis_sample(i);
		char src[256];
		snprintf(src, sizeof src, "sample:%s", s.name);
		if (import_buffer(a, s.name, src, s.data, s.len, &o, &st) != 0)
			return cli_error("%s: %s", c->db_path, ar_error(a));
	}
	if (c->err_tty)
		fprintf(stderr, "precis: new archive %s with %ld sample transcript%s\n",
		        c->db_path, st.imported, st.imported == 1 ? "" : "s");
	return 0;
}

/* Opens the archive for a command. Read commands open read-only; the
 * first run of the default archive creates it with the samples. Returns
 * 0 or the exit status (message printed). */
static int open_archive(struct cli *c, int write, struct archive **a)
{
	char err[600];
	int first_run = !c->db_explicit && !file_exists(c->db_path);
	if (first_run || write) {
		if (!c->db_explicit && make_parent_dirs(c->db_path) != 0)
			return cli_error("cannot create the directory of %s: %s", c->db_path, strerror(errno));
		if (ar_open(c->db_path, AR_CREATE, a, err, sizeof err) != 0) {
			if (!file_exists(c->db_path) && errno != 0) {
				char dir[PATH_MAX];
				snprintf(dir, sizeof dir, "%s", c->db_path);
				char *sl = strrchr(dir, '/');
				if (sl && sl != dir) {
					*sl = 0;
					if (!file_exists(dir))
						return cli_error("%s: directory %s does not exist", c->db_path, dir);
				}
			}
			return cli_error("%s", err);
		}
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
static long parse_count(const char *s)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 0 || v > INT_MAX)
		return -1;
	return v;
}

static int term_width(int fd)
{
	struct winsize ws;
	if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	const char *cols = getenv("COLUMNS");
	if (cols && atoi(cols) > 0)
		return atoi(cols);
	return 80;
}

/* "1:02:03", "56:04", or "-" when unknown. */
static void fmt_duration(long s, char *buf, size_t n)
{
	if (s < 0)
		snprintf(buf, n, "-");
	else if (s >= 3600)
		snprintf(buf, n, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
	else
		snprintf(buf, n, "%ld:%02ld", s / 60, s % 60);
}

/* The date part of an ISO 8601 time, or "-". */
static void fmt_date(const char *iso, char *buf, size_t n)
{
	if (!iso || !*iso)
		snprintf(buf, n, "-");
	else
		snprintf(buf, n, "%.10s", iso);
}

/* Prints a one-line, terminal-safe copy of s, cut to max cells (≤ 0: no
 * limit) with "…" when cut. */
static void put_line_field(FILE *f, const char *s, int max)
{
	size_t len;
	char *clean = rs_clean_line(s ? s : "", s ? strlen(s) : 0, &len);
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

/* A JSON string that is always valid: jansson refuses invalid UTF-8, so
 * such input (never expected from the archive) is cleaned first. */
static json_t *jstr(const char *s)
{
	if (!s)
		return json_null();
	json_t *j = json_string(s);
	if (j)
		return j;
	size_t len;
	char *clean = rs_clean_line(s, strlen(s), &len);
	j = json_stringn(clean, len);
	free(clean);
	return j ? j : json_string("");
}

static json_t *jint_or_null(long long v)
{
	return v < 0 ? json_null() : json_integer(v);
}

/* Prints JSON to stdout with a final newline; returns the exit status. */
static int put_json(json_t *j)
{
	int r = json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(j);
	fputc('\n', stdout);
	if (r != 0 || fflush(stdout) != 0)
		return cli_error("cannot write output");
	return 0;
}

static json_t *meta_json(const struct ar_meta *m)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(m->id));
	json_object_set_new(o, "title", jstr(m->title));
	json_object_set_new(o, "url", jstr(m->url));
	json_object_set_new(o, "video_id", jstr(m->video_id));
	json_object_set_new(o, "channel", jstr(m->channel));
	json_object_set_new(o, "recorded_at", jstr(m->recorded_at));
	json_object_set_new(o, "duration_s", jint_or_null(m->duration_s));
	json_object_set_new(o, "language", jstr(m->language));
	json_object_set_new(o, "format", jstr(m->format));
	json_object_set_new(o, "state", json_string(ar_state_name(m->state)));
	json_object_set_new(o, "review", json_string(ar_review_name(m->review)));
	json_object_set_new(o, "reviewed_at", jstr(m->reviewed_at));
	json_object_set_new(o, "summary_versions", json_integer(m->summary_versions));
	json_object_set_new(o, "text_bytes", json_integer(m->text_bytes));
	json_object_set_new(o, "paragraphs", json_integer(m->npara));
	json_object_set_new(o, "source_path", jstr(m->source_path));
	json_object_set_new(o, "content_hash", jstr(m->content_hash));
	json_object_set_new(o, "imported_at", jstr(m->imported_at));
	json_object_set_new(o, "updated_at", jstr(m->updated_at));
	return o;
}

static json_t *summary_json(const struct ar_summary *s)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(s->id));
	json_object_set_new(o, "transcript_id", json_integer(s->transcript_id));
	json_object_set_new(o, "version", json_integer(s->version));
	json_object_set_new(o, "current", json_boolean(s->is_current));
	json_object_set_new(o, "origin", json_string(ar_origin_name(s->origin)));
	json_object_set_new(o, "model", jstr(s->model));
	json_object_set_new(o, "prompt_name", jstr(s->prompt_name));
	json_object_set_new(o, "created_at", jstr(s->created_at));
	json_object_set_new(o, "body_bytes", json_integer((json_int_t)s->body_len));
	json_object_set_new(o, "has_mermaid", json_boolean(s->has_mermaid || s->mermaid));
	if (s->body)
		json_object_set_new(o, "body", jstr(s->body));
	if (s->body)
		json_object_set_new(o, "mermaid", jstr(s->mermaid));
	return o;
}

/* ---- import ------------------------------------------------------------ */

int cmd_import(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "quiet", no_argument, 0, 'q' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	int quiet = 0, ch;
	while ((ch = getopt_long(argc, argv, "+qh", opts, NULL)) != -1) {
		switch (ch) {
		case 'q': quiet = 1; break;
		case 'h':
			puts("usage: precis import [--quiet] PATH...\n"
			     "Imports transcript files and directories (recursively).");
			return 0;
		default:
			return cli_usage_error("import", "bad option");
		}
	}
	if (optind >= argc)
		return cli_usage_error("import", "nothing to import: give one or more files or directories");

	struct archive *a;
	int r = open_archive(c, 1, &a);
	if (r)
		return r;
	struct import_opts o = { stderr, !quiet, !quiet && c->err_tty };
	struct import_stats st = { 0 };
	r = import_paths(a, argv + optind, argc - optind, &o, &st);
	if (r != 0) {
		cli_error("%s: %s", c->db_path, ar_error(a));
		ar_close(a);
		if (!quiet)
			printf("imported %ld, skipped %ld, failed %ld (stopped)\n",
			       st.imported, st.skipped, st.failed);
		return 1;
	}
	ar_close(a);
	if (!quiet)
		printf("imported %ld, skipped %ld, failed %ld\n", st.imported, st.skipped, st.failed);
	return st.failed ? 1 : 0;
}

/* ---- list -------------------------------------------------------------- */

static void print_listing(struct cli *c, const struct ar_meta *rows, size_t n)
{
	int idw = 1;
	for (size_t i = 0; i < n; i++) {
		int w = snprintf(NULL, 0, "%lld", (long long)rows[i].id);
		if (w > idw)
			idw = w;
	}
	int cols = c->out_tty ? term_width(STDOUT_FILENO) : 0;
	for (size_t i = 0; i < n; i++) {
		char date[16], dur[24];
		fmt_date(rows[i].recorded_at, date, sizeof date);
		fmt_duration(rows[i].duration_s, dur, sizeof dur);
		int used = printf("%*lld  %-10s  %8s  %-12s  ", idw, (long long)rows[i].id,
		                  date, dur, ar_state_name(rows[i].state));
		int room = cols > 0 ? cols - used : 0;
		put_line_field(stdout, rows[i].title, cols > 0 ? (room > 8 ? room : 8) : 0);
		fputc('\n', stdout);
	}
}

/* Prints the listing for q; returns the exit status. */
static int list_run(struct cli *c, struct archive *a, const struct ar_list_query *q, int json)
{
	struct ar_meta *rows;
	size_t n;
	if (ar_list(a, q, &rows, &n) != 0)
		return cli_error("%s", ar_error(a));
	if (json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, meta_json(&rows[i]));
		ar_metas_free(rows, n);
		return put_json(arr);
	}
	print_listing(c, rows, n);
	if (n == 0 && c->out_tty)
		fprintf(stderr, q->state ? "precis: nothing in state '%s'\n"
		                         : "precis: the archive is empty; add transcripts with 'precis import PATH'%s\n",
		        q->state ? ar_state_name(q->state) : "");
	ar_metas_free(rows, n);
	return fflush(stdout) == 0 ? 0 : cli_error("cannot write output");
}

int cmd_list(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, 0, 'j' },
		{ "limit", required_argument, 0, 'n' },
		{ "sort", required_argument, 0, 's' },
		{ "state", required_argument, 0, 't' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	struct ar_list_query q = { AR_SORT_DATE, AR_ST_ANY, 0, 0 };
	int json = 0, ch;
	long v;
	while ((ch = getopt_long(argc, argv, "+n:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'j': json = 1; break;
		case 'n':
			if ((v = parse_count(optarg)) < 0)
				return cli_usage_error("list", "--limit wants a number, not '%s'", optarg);
			q.limit = (int)v;
			if (v == 0)
				q.limit = -1;
			break;
		case 's':
			if (ar_sort_parse(optarg, &q.sort) != 0)
				return cli_usage_error("list", "--sort is one of date, title, duration, imported (not '%s')", optarg);
			break;
		case 't':
			if (ar_state_parse(optarg, &q.state) != 0)
				return cli_usage_error("list", "--state is one of unsummarized, summarized, approved, flagged (not '%s')", optarg);
			break;
		case 'h':
			puts("usage: precis list [--json] [--limit N] [--sort date|title|duration|imported]\n"
			     "                   [--state unsummarized|summarized|approved|flagged]");
			return 0;
		default:
			return cli_usage_error("list", "bad option");
		}
	}
	if (optind < argc)
		return cli_usage_error("list", "unexpected argument '%s'", argv[optind]);
	struct archive *a;
	int r = open_archive(c, 0, &a);
	if (r)
		return r;
	if (q.limit < 0) {
		/* --limit 0: nothing */
		ar_close(a);
		return json ? put_json(json_array()) : 0;
	}
	r = list_run(c, a, &q, json);
	ar_close(a);
	return r;
}

int cmd_default(struct cli *c)
{
	struct archive *a;
	int r = open_archive(c, 0, &a);
	if (r)
		return r;
	struct ar_list_query q = { AR_SORT_DATE, AR_ST_ANY, 0, 0 };
	r = list_run(c, a, &q, 0);
	ar_close(a);
	return r;
}

/* ---- show -------------------------------------------------------------- */

enum show_mode { SH_DEFAULT, SH_CONTENT, SH_SUMMARY, SH_MERMAID, SH_META, SH_VERSIONS };

static void print_meta(const struct ar_meta *m)
{
	char dur[24];
	fmt_duration(m->duration_s, dur, sizeof dur);
	struct { const char *k; const char *v; } rows[] = {
		{ "title", m->title }, { "url", m->url }, { "video id", m->video_id },
		{ "channel", m->channel }, { "recorded", m->recorded_at },
		{ "duration", m->duration_s >= 0 ? dur : NULL }, { "language", m->language },
		{ "format", m->format }, { "state", ar_state_name(m->state) },
		{ "reviewed", m->reviewed_at }, { "source", m->source_path },
		{ "imported", m->imported_at }, { "updated", m->updated_at },
	};
	printf("%-10s  %lld\n", "id", (long long)m->id);
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		if (!rows[i].v)
			continue;
		printf("%-10s  ", rows[i].k);
		put_line_field(stdout, rows[i].v, 0);
		fputc('\n', stdout);
	}
	printf("%-10s  %d\n", "summaries", m->summary_versions);
	printf("%-10s  %lld bytes, %lld timed paragraphs\n", "text",
	       (long long)m->text_bytes, (long long)m->npara);
}

static int show_versions(struct archive *a, int64_t id, int json)
{
	struct ar_summary *v;
	size_t n;
	int r = ar_summary_versions(a, id, &v, &n);
	if (r < 0)
		return cli_error("%s", ar_error(a));
	if (r == 1)
		return cli_error("no transcript #%lld", (long long)id);
	if (json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, summary_json(&v[i]));
		ar_summaries_free(v, n);
		return put_json(arr);
	}
	if (n == 0)
		printf("transcript #%lld has no summary yet\n", (long long)id);
	for (size_t i = 0; i < n; i++) {
		printf("%c v%-3d  id %-6lld  %s  %-8s  %zu bytes%s", v[i].is_current ? '*' : ' ',
		       v[i].version, (long long)v[i].id, v[i].created_at ? v[i].created_at : "-",
		       ar_origin_name(v[i].origin), v[i].body_len, v[i].has_mermaid ? ", mermaid" : "");
		if (v[i].model) {
			fputs("  model ", stdout);
			put_line_field(stdout, v[i].model, 40);
		}
		if (v[i].prompt_name) {
			fputs("  prompt ", stdout);
			put_line_field(stdout, v[i].prompt_name, 40);
		}
		fputc('\n', stdout);
	}
	ar_summaries_free(v, n);
	return 0;
}

static int show_run(struct cli *c, struct archive *a, int64_t id, enum show_mode mode,
                    int json, int width)
{
	struct ar_meta m;
	int r = ar_get_meta(a, id, &m);
	if (r < 0)
		return cli_error("%s", ar_error(a));
	if (r == 1)
		return cli_error("no transcript #%lld", (long long)id);

	if (mode == SH_META || (mode == SH_DEFAULT && json)) {
		if (json) {
			json_t *o = meta_json(&m);
			ar_meta_free(&m);
			return put_json(o);
		}
		print_meta(&m);
		ar_meta_free(&m);
		return 0;
	}
	if (mode == SH_VERSIONS) {
		ar_meta_free(&m);
		return show_versions(a, id, json);
	}

	struct ar_summary s;
	int have_summary = 0;
	if (mode == SH_SUMMARY || mode == SH_MERMAID || mode == SH_DEFAULT) {
		r = ar_current_summary(a, id, &s);
		if (r < 0) {
			ar_meta_free(&m);
			return cli_error("%s", ar_error(a));
		}
		have_summary = r == 0;
	}
	if (mode == SH_SUMMARY || mode == SH_MERMAID) {
		ar_meta_free(&m);
		if (!have_summary)
			return cli_error("transcript #%lld has no summary", (long long)id);
		if (mode == SH_MERMAID && !s.mermaid) {
			ar_summary_free(&s);
			return cli_error("the summary of #%lld has no Mermaid diagram", (long long)id);
		}
		if (json) {
			json_t *o = summary_json(&s);
			ar_summary_free(&s);
			return put_json(o);
		}
		if (mode == SH_MERMAID) {
			size_t n = strlen(s.mermaid);
			if (c->out_tty)
				r = rp_print(stdout, s.mermaid, n, 0, 0, 0);
			else
				r = fwrite(s.mermaid, 1, n, stdout) == n &&
				    (n == 0 || s.mermaid[n - 1] == '\n' || fputc('\n', stdout) != EOF) ? 0 : -1;
		} else {
			r = rp_print(stdout, s.body, s.body_len, width, 1, c->color);
		}
		ar_summary_free(&s);
		return r == 0 && fflush(stdout) == 0 ? 0 : cli_error("cannot write output");
	}

	/* --content, or the default view without a summary */
	if (mode == SH_DEFAULT && have_summary) {
		print_meta(&m);
		ar_meta_free(&m);
		fputc('\n', stdout);
		r = rp_print(stdout, s.body, s.body_len, width, 1, c->color);
		ar_summary_free(&s);
		return r == 0 && fflush(stdout) == 0 ? 0 : cli_error("cannot write output");
	}
	char *text;
	size_t len;
	r = ar_get_text(a, id, &text, &len);
	if (r != 0) {
		ar_meta_free(&m);
		return r < 0 ? cli_error("%s", ar_error(a))
		             : cli_error("transcript #%lld has no text", (long long)id);
	}
	if (json) {
		struct doc_para *p;
		size_t np;
		json_t *o = json_object();
		json_object_set_new(o, "id", json_integer(id));
		json_object_set_new(o, "title", jstr(m.title));
		json_object_set_new(o, "text", jstr(text));
		json_t *arr = json_array();
		if (ar_get_paras(a, id, &p, &np) == 0) {
			for (size_t i = 0; i < np; i++) {
				json_t *e = json_object();
				json_object_set_new(e, "offset", json_integer((json_int_t)p[i].offset));
				json_object_set_new(e, "start_s", json_real(p[i].start_s));
				json_array_append_new(arr, e);
			}
			free(p);
		}
		json_object_set_new(o, "paragraphs", arr);
		free(text);
		ar_meta_free(&m);
		return put_json(o);
	}
	if (mode == SH_DEFAULT) {
		print_meta(&m);
		fputc('\n', stdout);
	}
	ar_meta_free(&m);
	r = rp_print(stdout, text, len, width, 0, c->color);
	free(text);
	return r == 0 && fflush(stdout) == 0 ? 0 : cli_error("cannot write output");
}

int cmd_show(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "content", no_argument, 0, 'c' },
		{ "summary", no_argument, 0, 's' },
		{ "mermaid", no_argument, 0, 'm' },
		{ "meta", no_argument, 0, 'M' },
		{ "versions", no_argument, 0, 'v' },
		{ "json", no_argument, 0, 'j' },
		{ "width", required_argument, 0, 'w' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	enum show_mode mode = SH_DEFAULT;
	int json = 0, width = -1, ch;
	long v;
	/* Options may come before or after the id. */
	while ((ch = getopt_long(argc, argv, "w:h", opts, NULL)) != -1) {
		enum show_mode nm = SH_DEFAULT;
		switch (ch) {
		case 'c': nm = SH_CONTENT; break;
		case 's': nm = SH_SUMMARY; break;
		case 'm': nm = SH_MERMAID; break;
		case 'M': nm = SH_META; break;
		case 'v': nm = SH_VERSIONS; break;
		case 'j': json = 1; continue;
		case 'w':
			if ((v = parse_count(optarg)) < 0)
				return cli_usage_error("show", "--width wants a number of columns, not '%s'", optarg);
			width = (int)v;
			continue;
		case 'h':
			puts("usage: precis show ID [--content|--summary|--mermaid|--meta|--versions] [--json] [--width N]");
			return 0;
		default:
			return cli_usage_error("show", "bad option");
		}
		if (mode != SH_DEFAULT && mode != nm)
			return cli_usage_error("show", "choose one of --content, --summary, --mermaid, --meta, --versions");
		mode = nm;
	}
	if (optind >= argc)
		return cli_usage_error("show", "which transcript? give its ID (see 'precis list')");
	if (optind + 1 < argc)
		return cli_usage_error("show", "unexpected argument '%s'", argv[optind + 1]);
	const char *ids = argv[optind];
	if (*ids == '#')
		ids++;
	char *end;
	errno = 0;
	long long id = strtoll(ids, &end, 10);
	if (errno || end == ids || *end || id <= 0)
		return cli_usage_error("show", "'%s' is not a transcript ID", argv[optind]);
	if (width < 0)
		width = c->out_tty ? term_width(STDOUT_FILENO) : 0;

	struct archive *a;
	int r = open_archive(c, 0, &a);
	if (r)
		return r;
	r = show_run(c, a, (int64_t)id, mode, json, width);
	ar_close(a);
	return r;
}

/* ---- search ------------------------------------------------------------ */

int cmd_search(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, 0, 'j' },
		{ "limit", required_argument, 0, 'n' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	int json = 0, limit = 20, ch;
	long v;
	/* Options may follow the query; a query word starting with - needs
	 * "--" before it or quotes around the whole query ("a -b"). */
	while ((ch = getopt_long(argc, argv, "n:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'j': json = 1; break;
		case 'n':
			if ((v = parse_count(optarg)) < 0 || v == 0)
				return cli_usage_error("search", "--limit wants a positive number, not '%s'", optarg);
			limit = (int)v;
			break;
		case 'h':
			puts("usage: precis search [--json] [--limit N] QUERY\n"
			     "QUERY: words (all must occur), \"a phrase\", -exclude, a OR b, prefix*");
			return 0;
		default:
			return cli_usage_error("search", "bad option");
		}
	}
	if (optind >= argc)
		return cli_usage_error("search", "what to search for? give a QUERY");
	/* The rest of the line is the query: `precis search machine learning`. */
	size_t qlen = 0;
	for (int i = optind; i < argc; i++)
		qlen += strlen(argv[i]) + 1;
	char *query = malloc(qlen + 1);
	if (!query)
		return cli_error("out of memory");
	query[0] = 0;
	for (int i = optind; i < argc; i++) {
		if (i > optind)
			strcat(query, " ");
		strcat(query, argv[i]);
	}

	struct archive *a;
	int r = open_archive(c, 0, &a);
	if (r) {
		free(query);
		return r;
	}
	struct ar_search_result res;
	if (ar_search(a, query, limit, 0, &res) != 0) {
		r = cli_error("%s", ar_error(a));
		ar_close(a);
		free(query);
		return r;
	}
	ar_close(a);
	if (json) {
		json_t *o = json_object();
		json_object_set_new(o, "query", jstr(query));
		json_object_set_new(o, "total", json_integer(res.total));
		json_t *arr = json_array();
		for (size_t i = 0; i < res.n; i++) {
			const struct ar_hit *h = &res.hits[i];
			json_t *e = json_object();
			json_object_set_new(e, "id", json_integer(h->id));
			json_object_set_new(e, "title", jstr(h->title));
			json_object_set_new(e, "recorded_at", jstr(h->recorded_at));
			json_object_set_new(e, "duration_s", jint_or_null(h->duration_s));
			json_object_set_new(e, "state", json_string(ar_state_name(h->state)));
			json_object_set_new(e, "rank", json_real(h->rank));
			json_object_set_new(e, "hits", json_integer(h->hits));
			json_object_set_new(e, "snippet", jstr(h->snippet));
			json_array_append_new(arr, e);
		}
		json_object_set_new(o, "results", arr);
		free(query);
		ar_search_free(&res);
		return put_json(o);
	}
	free(query);
	int idw = 1;
	for (size_t i = 0; i < res.n; i++) {
		int w = snprintf(NULL, 0, "%lld", (long long)res.hits[i].id);
		if (w > idw)
			idw = w;
	}
	int cols = c->out_tty ? term_width(STDOUT_FILENO) : 0;
	for (size_t i = 0; i < res.n; i++) {
		const struct ar_hit *h = &res.hits[i];
		char tail[48];
		snprintf(tail, sizeof tail, "  (%d hit%s)", h->hits, h->hits == 1 ? "" : "s");
		int used = printf("%*lld  ", idw, (long long)h->id);
		int room = cols > 0 ? cols - used - (int)strlen(tail) : 0;
		put_line_field(stdout, h->title, cols > 0 ? (room > 8 ? room : 8) : 0);
		fputs(tail, stdout);
		fputc('\n', stdout);
		printf("%*s  ", idw, "");
		/* The snippet is already one clean line; highlight the hit. */
		const char *s = h->snippet;
		if (c->color && h->hl_len > 0) {
			fwrite(s, 1, (size_t)h->hl_start, stdout);
			fputs("\033[1;7m", stdout);
			fwrite(s + h->hl_start, 1, (size_t)h->hl_len, stdout);
			fputs("\033[0m", stdout);
			put_line_field(stdout, s + h->hl_start + h->hl_len, 0);
		} else {
			put_line_field(stdout, s, cols > 0 ? cols - idw - 2 : 0);
		}
		fputc('\n', stdout);
	}
	if (res.total == 0)
		puts("no matches");
	else
		printf("%lld transcript%s match%s", (long long)res.total,
		       res.total == 1 ? "" : "s", res.total == 1 ? "es" : "");
	if (res.total > (int64_t)res.n)
		printf(" (showing %zu; use --limit)", res.n);
	if (res.total)
		fputc('\n', stdout);
	ar_search_free(&res);
	return fflush(stdout) == 0 ? 0 : cli_error("cannot write output");
}
