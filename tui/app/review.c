/* review.c — approve, flag (with a prompted reason) and clear the review
 * of a transcript: a, x and - in the list and in the reader. Below both
 * views (each calls it; it reaches the view back only through its ops'
 * reload). */
#include <stdlib.h>

#include "db/archive.h"
#include "render/alloc.h"
#include "tui/app/view.h"

struct flag_ctx { int64_t id; struct view *v; };

static void after_review(struct view *v)
{
	if (v->ops->reload)
		v->ops->reload(v);
}

static void flag_done(void *ctx, const char *text)
{
	struct flag_ctx *fc = ctx;
	if (text) {
		if (ar_set_review_reason(A->ar, fc->id, AR_FLAGGED, text) != 0)
			app_error("%s", ar_error(A->ar));
		else
			app_status("flagged%s%s", *text ? ": " : "", text);
		after_review(fc->v);
	}
	free(fc);
}

/* a, x, - on transcript id (the list's row, the reader's transcript); v's
 * reload() runs afterwards. */
void app_review(struct view *v, int64_t id, enum action a)
{
	const char *what = a == ACT_APPROVE ? "approve" : a == ACT_FLAG ? "flag" : "clear the review";
	if (app_check_writable(what))
		return;
	if (a == ACT_FLAG) {
		struct flag_ctx *fc = xmalloc(sizeof *fc);
		fc->id = id;
		fc->v = v;
		app_prompt("Flag, reason (optional, Enter): ", "", flag_done, fc);
		return;
	}
	enum ar_review r = a == ACT_APPROVE ? AR_APPROVED : AR_UNREVIEWED;
	if (ar_set_review(A->ar, id, r) != 0)
		app_error("%s", ar_error(A->ar));
	else
		app_status(r == AR_APPROVED ? "approved" : "review cleared");
	after_review(v);
}
