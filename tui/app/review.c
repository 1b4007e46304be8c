/* review.c — approve, flag (with a prompted reason) and clear the review
 * of a transcript, or of a set of tagged rows in one transaction: a, x
 * and - in the list and the reader (docs/review.md). Every review names
 * the version the reviewer saw; the archive refuses it when another is
 * current by then, and the status line says which. Below both views
 * (each calls it; it reaches a view back only through its ops' reload
 * and the callback it was given). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/archive.h"
#include "render/alloc.h"
#include "tui/app/view.h"

struct flag_ctx {
	struct view *v;
	int64_t id, expect;
	struct ar_row_ref *rows;   /* a batch: the tagged rows */
	size_t n;
	review_done_fn done;
};

static const char *verb(enum action a)
{
	return a == ACT_APPROVE ? "approve" : a == ACT_FLAG ? "flag" : "clear the review of";
}

static enum ar_review verdict_of(enum action a)
{
	return a == ACT_APPROVE ? AR_APPROVED : a == ACT_FLAG ? AR_FLAGGED : AR_UNREVIEWED;
}

static void after(struct view *v)
{
	if (v && v->ops->reload)
		v->ops->reload(v);
}

/* One review; returns 0 when written. What to say goes to msg (*err:
 * as an error), said after the view has reloaded (its reload may say
 * something of its own). */
static int review_one(int64_t id, int64_t expect, enum ar_review verdict, const char *reason,
                      char *msg, size_t n, int *err)
{
	struct ar_review_new rv = { .verdict = verdict, .reason = reason,
	                            .reviewer = A->reviewer[0] ? A->reviewer : NULL,
	                            .expect_summary_id = expect };
	int r = ar_review_add(A->ar, id, &rv, NULL);
	const char *what = verdict == AR_APPROVED ? "approve" : verdict == AR_FLAGGED ? "flag"
	                 : "clear the review";
	*err = r != 0;
	switch (r) {
	case 0:
		if (verdict == AR_APPROVED)
			snprintf(msg, n, "approved");
		else if (verdict == AR_FLAGGED)
			snprintf(msg, n, "flagged%s%s", reason && *reason ? ": " : "", reason ? reason : "");
		else
			snprintf(msg, n, "review cleared");
		return 0;
	case 1:
		snprintf(msg, n, "cannot %s #%lld: it is gone (deleted by another process?)", what,
		         (long long)id);
		return -1;
	case AR_REVIEW_STALE:
		snprintf(msg, n, "not %s: %s; %s shows it, then review it", verdict == AR_APPROVED ? "approved"
		         : verdict == AR_FLAGGED ? "flagged" : "cleared", ar_error(A->ar),
		         keymap_key(KC_READER, ACT_REFRESH));
		return -1;
	case AR_REVIEW_NO_SUMMARY:
		snprintf(msg, n, "cannot approve: %s (%s asks the LLM for one, %s writes one)", ar_error(A->ar),
		         keymap_key(KC_READER, ACT_RESUMMARIZE), keymap_key(KC_READER, ACT_EDIT));
		return -1;
	default:
		snprintf(msg, n, "%s", ar_error(A->ar));
		return -1;
	}
}

/* Reviews one transcript, reloads v, says how it went, and calls done
 * when it was written. */
static void review_and_say(struct view *v, int64_t id, int64_t expect, enum ar_review verdict,
                           const char *reason, review_done_fn done)
{
	char msg[800];
	int err;
	int r = review_one(id, expect, verdict, reason, msg, sizeof msg, &err);
	after(v);
	if (err)
		app_error("%s", msg);
	else
		app_status("%s", msg);
	if (r == 0 && done)
		done(v, NULL, 1);
}

/* The tagged rows in one transaction; the status line counts what was
 * done and names what was refused. Returns the number reviewed; *ok[i]
 * (when ok is not NULL) says which. */
static size_t review_batch(const struct ar_row_ref *rows, size_t n, enum ar_review verdict,
                           const char *reason, unsigned char *ok)
{
	if (ar_begin(A->ar) != 0) {
		app_error("%s", ar_error(A->ar));
		return 0;
	}
	struct ar_review_new rv = { .verdict = verdict, .reason = reason,
	                            .reviewer = A->reviewer[0] ? A->reviewer : NULL };
	size_t done = 0, stale = 0, bare = 0, gone = 0;
	char refused[200] = "";
	size_t rl = 0;
	for (size_t i = 0; i < n; i++) {
		rv.expect_summary_id = rows[i].summary_id;
		int r = ar_review_add(A->ar, rows[i].id, &rv, NULL);
		if (ok)
			ok[i] = r == 0;
		if (r < 0) {
			char msg[600];
			snprintf(msg, sizeof msg, "%s", ar_error(A->ar));
			ar_rollback(A->ar);
			app_error("nothing reviewed: %s", msg);
			if (ok)
				memset(ok, 0, n);
			return 0;
		}
		if (r == 0) {
			done++;
			continue;
		}
		if (r == AR_REVIEW_STALE)
			stale++;
		else if (r == AR_REVIEW_NO_SUMMARY)
			bare++;
		else
			gone++;
		if (rl < sizeof refused - 16)
			rl += (size_t)snprintf(refused + rl, sizeof refused - rl, "%s#%lld", rl ? " " : "",
			                       (long long)rows[i].id);
	}
	if (ar_commit(A->ar) != 0) {
		app_error("nothing reviewed: %s", ar_error(A->ar));
		if (ok)
			memset(ok, 0, n);
		return 0;
	}
	const char *past = verdict == AR_APPROVED ? "approved" : verdict == AR_FLAGGED ? "flagged"
	                 : "cleared";
	if (done == n) {
		app_status("%s %zu transcript%s", past, done, done == 1 ? "" : "s");
	} else {
		char why[200] = "";
		size_t wl = 0;
		if (stale)
			wl += (size_t)snprintf(why + wl, sizeof why - wl, "%zu changed since tagged", stale);
		if (bare)
			wl += (size_t)snprintf(why + wl, sizeof why - wl, "%s%zu without a summary",
			                       wl ? ", " : "", bare);
		if (gone)
			snprintf(why + wl, sizeof why - wl, "%s%zu gone", wl ? ", " : "", gone);
		app_error("%s %zu of %zu; not %s (%s, still tagged): %s%s", past, done, n, past, why,
		          refused, rl >= sizeof refused - 16 ? " …" : "");
	}
	return done;
}

static void flag_answered(void *ctx, const char *text)
{
	struct flag_ctx *fc = ctx;
	if (!text) {
		app_status("not flagged");
	} else if (fc->rows) {
		unsigned char *ok = xcalloc(fc->n ? fc->n : 1, 1);
		review_batch(fc->rows, fc->n, AR_FLAGGED, text, ok);
		if (fc->done)
			fc->done(fc->v, ok, fc->n);
		free(ok);
		after(fc->v);
	} else {
		review_and_say(fc->v, fc->id, fc->expect, AR_FLAGGED, text, fc->done);
	}
	free(fc->rows);
	free(fc);
}

void app_review(struct view *v, int64_t id, int64_t expect, enum action a, review_done_fn done)
{
	char what[64];
	snprintf(what, sizeof what, "%s", verb(a));
	if (app_check_writable(what))
		return;
	if (a == ACT_FLAG) {
		struct flag_ctx *fc = xcalloc(1, sizeof *fc);
		fc->v = v;
		fc->id = id;
		fc->expect = expect;
		fc->done = done;
		app_prompt("Flag, reason (optional, Enter): ", "", flag_answered, fc);
		return;
	}
	review_and_say(v, id, expect, verdict_of(a), NULL, done);
}

struct batch_ctx {
	struct view *v;
	struct ar_row_ref *rows;
	size_t n;
	enum action a;
	review_done_fn done;
};

static void batch_answered(void *ctx, const char *text)
{
	struct batch_ctx *bc = ctx;
	if (!text) {
		app_status("nothing reviewed");
	} else {
		unsigned char *ok = xcalloc(bc->n ? bc->n : 1, 1);
		review_batch(bc->rows, bc->n, verdict_of(bc->a), NULL, ok);
		if (bc->done)
			bc->done(bc->v, ok, bc->n);
		free(ok);
		after(bc->v);
	}
	free(bc->rows);
	free(bc);
}

void app_review_tagged(struct view *v, const struct ar_row_ref *rows, size_t n, enum action a,
                       review_done_fn done)
{
	char what[64];
	snprintf(what, sizeof what, "%s", verb(a));
	if (app_check_writable(what) || !n)
		return;
	struct ar_row_ref *copy = xmalloc(n * sizeof *copy);
	memcpy(copy, rows, n * sizeof *copy);
	char label[160];
	if (a == ACT_FLAG) {
		struct flag_ctx *fc = xcalloc(1, sizeof *fc);
		fc->v = v;
		fc->rows = copy;
		fc->n = n;
		fc->done = done;
		snprintf(label, sizeof label, "Flag the %zu tagged, reason (optional, Enter): ", n);
		app_prompt(label, "", flag_answered, fc);
		return;
	}
	struct batch_ctx *bc = xcalloc(1, sizeof *bc);
	bc->v = v;
	bc->rows = copy;
	bc->n = n;
	bc->a = a;
	bc->done = done;
	snprintf(label, sizeof label, "%s the %zu tagged transcript%s?",
	         a == ACT_APPROVE ? "Approve" : "Clear the review of", n, n == 1 ? "" : "s");
	app_confirm(label, batch_answered, bc);
}
