/* row_actions.c — what the list and the reader both do to a transcript:
 * e (edit its current summary in $EDITOR: a new version), m (its concept
 * map), o (its URL). Below both views; nothing here calls a view but the
 * map's opener. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/archive.h"
#include "db/formats/doc.h"
#include "render/alloc.h"
#include "tui/app/extern.h"
#include "tui/app/view.h"

int app_edit_summary(int64_t id, int64_t expect)
{
	if (app_check_writable("save an edited summary"))
		return 0;
	struct ar_summary cur;
	int k = ar_current_summary(A->ar, id, &cur);
	if (k < 0) {
		app_error("%s", ar_error(A->ar));
		return 0;
	}
	int64_t cur_id = k == 0 ? cur.id : 0;
	if (expect != AR_REVIEW_ANY && expect != cur_id) {
		/* the edit would start from a version that is no longer current
		 * and hide the one that is */
		app_error("not edited: the summary of #%lld changed meanwhile (v%d is current now); %s shows it",
		          (long long)id, k == 0 ? cur.version : 0, keymap_key(KC_READER, ACT_REFRESH));
		if (k == 0)
			ar_summary_free(&cur);
		return 0;
	}
	const char *body = k == 0 ? cur.body : "";
	size_t blen = k == 0 ? cur.body_len : 0;
	char *out;
	size_t olen;
	if (ext_edit(body, blen, &out, &olen) != 0) {
		if (k == 0)
			ar_summary_free(&cur);
		return 0;
	}
	size_t t = olen;
	while (t && isspace((unsigned char)out[t - 1]))
		t--;
	size_t bt = blen;
	while (bt && isspace((unsigned char)body[bt - 1]))
		bt--;
	int saved = 0;
	if ((t == bt && !memcmp(out, body, t)) || t == 0) {
		app_status(t == 0 ? "empty summary: nothing saved" : "unchanged: no new version");
	} else {
		char *mer = doc_extract_mermaid(out, olen);
		struct ar_summary_new s = { .body = out, .mermaid = mer, .origin = AR_ORIGIN_EDITED,
		                            .prompt_name = "edit" };
		int64_t sid;
		if (ar_add_summary(A->ar, id, &s, &sid) != 0) {
			app_error("%s", ar_error(A->ar));
		} else {
			struct ar_summary ns;
			int ver = ar_get_summary(A->ar, sid, &ns) == 0 ? ns.version : 0;
			if (ver)
				ar_summary_free(&ns);
			app_status("saved as version %d (edited)", ver);
			saved = 1;
		}
		free(mer);
	}
	free(out);
	if (k == 0)
		ar_summary_free(&cur);
	return saved;
}

void app_open_map(int64_t id)
{
	struct ar_summary s;
	int k = ar_current_summary(A->ar, id, &s);
	if (k < 0) {
		app_error("%s", ar_error(A->ar));
		return;
	}
	if (k) {
		app_status("#%lld has no summary, so no concept map", (long long)id);
		return;
	}
	char *src = s.mermaid ? xstrdup(s.mermaid) : doc_extract_mermaid(s.body, s.body_len);
	struct ar_meta m;
	int hm = ar_get_meta(A->ar, id, &m) == 0;
	if (!src)
		app_status("this summary has no concept map");
	else
		map_open(src, strlen(src), hm ? m.title : NULL);
	free(src);
	if (hm)
		ar_meta_free(&m);
	ar_summary_free(&s);
}

void app_open_url(const char *url, long at_s)
{
	if (!url || !*url) {
		app_status("this transcript has no URL");
		return;
	}
	char *u = ext_url_at(url, at_s);
	ext_open_url(u);
	free(u);
}
