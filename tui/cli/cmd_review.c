/* cmd_review.c — `precis review ID[@VERSION]... --approve | --flag REASON |
 * --clear [--version N] [--reviewer NAME] [--json]`: reviews for scripts,
 * with the app's version check (docs/review.md). ID@VERSION (or
 * --version N for every ID without one) reviews that version only if it
 * is still the current one; a bare ID reviews whatever is current when
 * the command runs, and says which. All IDs in one transaction. Exit 0
 * when every review was written, 1 when any was refused (each named on
 * stderr, or in --json), 2 on a usage error. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "db/archive.h"
#include "render/alloc.h"
#include "tui/cli/cli.h"
#include "tui/cli/json_out.h"
#include "tui/cli/options.h"
#include "tui/config.h"
#include "tui/reviewer.h"

struct target {
	const char *arg;
	int64_t id;
	int version;          /* pinned version, 0: whatever is current */
};

/* Parses "12", "#12", "12@3", "12@v3" into *t. 0 or -1. */
static int parse_target(const char *s, struct target *t)
{
	const char *p = s[0] == '#' ? s + 1 : s;
	char *end;
	errno = 0;
	long long id = strtoll(p, &end, 10);
	if (errno || end == p || id <= 0 || (*end && *end != '@'))
		return -1;
	t->arg = s;
	t->id = id;
	t->version = 0;
	if (*end == '@') {
		const char *v = end + 1;
		if (*v == 'v' || *v == 'V')
			v++;
		errno = 0;
		long n = strtol(v, &end, 10);
		if (errno || end == v || *end || n <= 0 || n > 1000000000)
			return -1;
		t->version = (int)n;
	}
	return 0;
}

/* The summary id of version ver of transcript id: 0 and *sid, 1 when the
 * transcript has no such version (or it is a failed run: never current),
 * 2 when there is no such transcript, -1. */
static int version_id(struct archive *a, int64_t id, int ver, int64_t *sid)
{
	struct ar_summary *v;
	size_t n;
	int r = ar_summary_versions(a, id, &v, &n);
	if (r)
		return r < 0 ? -1 : 2;
	r = 1;
	for (size_t i = 0; i < n; i++)
		if (v[i].version == ver && !v[i].failed) {
			*sid = v[i].id;
			r = 0;
		}
	ar_summaries_free(v, n);
	return r;
}

static const char *past(enum ar_review v)
{
	return v == AR_APPROVED ? "approved" : v == AR_FLAGGED ? "flagged" : "cleared";
}

int cmd_review(struct cli *c, int argc, char **argv)
{
	int json = 0, nverdict = 0, ch, all_version = 0;
	enum ar_review verdict = AR_UNREVIEWED;
	const char *reason = NULL, *who = NULL;
	long v;
	while ((ch = cli_getopt(CMD_REVIEW, argc, argv)) != -1) {
		switch (ch) {
		case OPT_REVIEW_APPROVE: verdict = AR_APPROVED; nverdict++; break;
		case OPT_REVIEW_FLAG: verdict = AR_FLAGGED; reason = optarg; nverdict++; break;
		case OPT_REVIEW_CLEAR: verdict = AR_UNREVIEWED; nverdict++; break;
		case OPT_REVIEW_VERSION:
			if ((v = cli_parse_count(optarg)) < 1 || v > 1000000000)
				return cli_usage_error("review", "--version wants a version number (1, 2, …), not '%s'", optarg);
			all_version = (int)v;
			break;
		case OPT_REVIEW_REVIEWER: who = optarg; break;
		case OPT_REVIEW_JSON: json = 1; break;
		default:
			return cli_opt_exit(CMD_REVIEW, ch);
		}
	}
	if (nverdict != 1)
		return cli_usage_error("review", nverdict ? "give one of --approve, --flag REASON, --clear"
		                                          : "what review? give --approve, --flag REASON or --clear");
	if (optind >= argc)
		return cli_usage_error("review", "which transcripts? give IDs (12, or 12@3 for version 3 only)");
	if (reason && strpbrk(reason, "\n\r"))
		return cli_usage_error("review", "the reason is one line");
	size_t nt = (size_t)(argc - optind);
	struct target *t = xcalloc(nt, sizeof *t);
	for (size_t i = 0; i < nt; i++) {
		if (parse_target(argv[optind + (int)i], &t[i]) != 0) {
			int r = cli_usage_error("review", "'%s' is not a transcript ID (12, #12, 12@3)",
			                        argv[optind + (int)i]);
			free(t);
			return r;
		}
		if (!t[i].version)
			t[i].version = all_version;
	}

	char name[128];
	struct cfg *cf = cfg_load(NULL);
	reviewer_name(who, cf, name, sizeof name);
	const char *const *msgs;
	size_t nm = cfg_messages(cf, &msgs);
	for (size_t i = 0; i < nm; i++)
		cli_warn("%s", msgs[i]);
	cfg_free(cf);

	struct archive *a;
	int r = cli_open_archive(c, 1, &a);
	if (r) {
		free(t);
		return r;
	}
	if (ar_begin(a) != 0) {
		r = cli_error("%s", ar_error(a));
		ar_close(a);
		free(t);
		return r;
	}
	json_t *arr = json ? json_array() : NULL;
	int refused = 0;
	for (size_t i = 0; i < nt; i++) {
		const char *result = past(verdict);
		char msg[700] = "";
		struct ar_review_new rv = { .verdict = verdict, .reason = reason,
		                            .reviewer = name[0] ? name : NULL };
		int64_t expect = 0, rid = 0;
		struct ar_meta m;
		int g = ar_get_meta(a, t[i].id, &m);
		if (g < 0) {
			r = cli_error("%s", ar_error(a));
			goto fail;
		}
		if (g == 1) {
			result = "not_found";
			snprintf(msg, sizeof msg, "no transcript #%lld", (long long)t[i].id);
		} else if (t[i].version) {
			int k = version_id(a, t[i].id, t[i].version, &expect);
			if (k < 0) {
				ar_meta_free(&m);
				r = cli_error("%s", ar_error(a));
				goto fail;
			}
			if (k) {
				result = "no_version";
				snprintf(msg, sizeof msg, "#%lld has no version %d", (long long)t[i].id, t[i].version);
			}
		} else {
			expect = m.current_summary_id;   /* what is current now, reported */
		}
		int cur_version = g == 0 ? m.current_version : 0;
		if (g == 0)
			ar_meta_free(&m);
		if (!msg[0]) {
			rv.expect_summary_id = expect;
			int k = ar_review_add(a, t[i].id, &rv, &rid);
			if (k < 0) {
				r = cli_error("%s", ar_error(a));
				goto fail;
			}
			if (k == AR_REVIEW_STALE) {
				result = "stale";
				snprintf(msg, sizeof msg, "not %s: %s", past(verdict), ar_error(a));
			} else if (k == AR_REVIEW_NO_SUMMARY) {
				result = "no_summary";
				snprintf(msg, sizeof msg, "cannot approve: %s", ar_error(a));
			} else if (k == 1) {
				result = "not_found";
				snprintf(msg, sizeof msg, "no transcript #%lld", (long long)t[i].id);
			}
		}
		int ok = !msg[0];
		refused |= !ok;
		int shown_version = t[i].version ? t[i].version : cur_version;
		if (json) {
			json_t *o = json_object();
			json_object_set_new(o, "id", json_integer(t[i].id));
			json_object_set_new(o, "result", json_string(result));
			json_object_set_new(o, "version", ok && shown_version ? json_integer(shown_version)
			                                                     : t[i].version ? json_integer(t[i].version)
			                                                     : json_null());
			json_object_set_new(o, "summary_id", ok && expect ? json_integer(expect) : json_null());
			json_object_set_new(o, "current_version", cur_version ? json_integer(cur_version) : json_null());
			json_object_set_new(o, "review_id", ok ? json_integer(rid) : json_null());
			json_object_set_new(o, "reviewer", cli_jstr(name[0] ? name : NULL));
			json_object_set_new(o, "message", ok ? json_null() : cli_jstr(msg));
			json_array_append_new(arr, o);
		} else if (ok) {
			if (shown_version)
				cli_line(stdout, "%s #%lld v%d", past(verdict), (long long)t[i].id, shown_version);
			else
				cli_line(stdout, "%s #%lld (no summary)", past(verdict), (long long)t[i].id);
		} else {
			cli_error("%s", msg);
		}
	}
	if (ar_commit(a) != 0) {
		r = cli_error("%s", ar_error(a));
		json_decref(arr);
		ar_close(a);
		free(t);
		return r;
	}
	ar_close(a);
	free(t);
	if (json) {
		r = cli_put_json(arr);
		return r ? r : refused;
	}
	return fflush(stdout) == 0 ? refused : cli_error("cannot write output");
fail:
	ar_rollback(a);
	json_decref(arr);
	ar_close(a);
	free(t);
	return r;
}
