/* evidence.c — the reader's evidence: verdict gutter, cursor over the
 * checkable lines of the summary, passages and matching terms in the
 * transcript (see evidence.h). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/archive.h"
#include "render/alloc.h"
#include "tui/app/evidence.h"
#include "tui/app/view.h"

/* Where claim text t appears in the layout text s[0..n), searching from
 * `from` first; SIZE_MAX when it does not (its first 24 bytes at least:
 * the layout may join what the Markdown split). */
static size_t locate(const char *s, size_t n, size_t from, const char *t)
{
	size_t tl = strlen(t);
	for (int pass = 0; pass < 2; pass++) {
		size_t want = pass == 0 ? tl : (tl > 24 ? 24 : tl);
		if (want == 0)
			return SIZE_MAX;
		const char *p = from < n ? memmem(s + from, n - from, t, want) : NULL;
		if (!p)
			p = memmem(s, n, t, want);
		if (p)
			return (size_t)(p - s);
	}
	return SIZE_MAX;
}

int evv_load(struct evv *e, struct archive *a, int64_t summary_id, const struct rl_doc *sdoc,
             const char *text, size_t len, const struct doc_para *paras, size_t npara)
{
	evv_free(e);
	if (ar_evidence(a, summary_id, &e->res) != 0)
		return -1;
	size_t sl;
	const char *s = rl_text(sdoc, &sl);
	e->at = xmalloc((e->res.n ? e->res.n : 1) * sizeof *e->at);
	struct ev_claim *cl = xcalloc(e->res.n ? e->res.n : 1, sizeof *cl);
	size_t from = 0;
	for (size_t i = 0; i < e->res.n; i++) {
		const struct ev_line *l = &e->res.lines[i];
		e->at[i] = SIZE_MAX;
		cl[i].text = l->text;
		if (l->kind != EV_TEXT || !l->text)
			continue;
		e->at[i] = locate(s, sl, from, l->text);
		if (e->at[i] != SIZE_MAX)
			from = e->at[i] + 1;
	}
	e->ix = ev_index_new_for(text, len, paras, npara, cl, e->res.n);
	free(cl);
	e->sdoc = sdoc;
	e->text = text;
	e->len = len;
	e->cur = -1;
	e->loaded = 1;
	return 0;
}

void evv_free(struct evv *e)
{
	if (e->loaded) {
		ev_result_free(&e->res);
		ev_index_free(e->ix);
		free(e->at);
	}
	memset(e, 0, sizeof *e);
	e->cur = -1;
}

static const char *glyph(enum ev_verdict v)
{
	switch (v) {
	case EV_SUPPORTED: return A->utf8 ? "\xE2\x9C\x93" : "+";   /* ✓ */
	case EV_WEAK: return "~";
	default: return A->utf8 ? "\xE2\x9C\x97" : "!";             /* ✗ */
	}
}

void evv_gutter(void *ctx, const struct rl_doc *d, size_t k, char *buf, size_t n,
                enum style *st)
{
	struct evv *e = ctx;
	*st = ST_GUTTER;
	if (!e->loaded || n == 0)
		return;
	const struct rl_line *ln = rl_line(d, k);
	const struct rl_line *nx = rl_line(d, k + 1);
	if (!ln)
		return;
	size_t tl;
	rl_text(d, &tl);
	size_t end = nx ? nx->off : tl + 1;
	int worst = -1;
	for (size_t i = 0; i < e->res.n; i++)
		if (e->at[i] >= ln->off && e->at[i] < end &&
		    (worst < 0 || (int)e->res.lines[i].verdict < worst))
			worst = (int)e->res.lines[i].verdict;
	if (worst < 0)
		return;
	snprintf(buf, n, "%s", glyph((enum ev_verdict)worst));
	*st = worst == EV_SUPPORTED ? ST_EV_SUPPORTED : worst == EV_WEAK ? ST_EV_WEAK : ST_EV_NONE;
}

int evv_step(struct evv *e, int dir, size_t from)
{
	if (!e->loaded)
		return -1;
	long best = -1;
	if (e->cur < 0) {
		/* the first shown line at or after `from` (dir > 0), or the last
		 * before it */
		for (size_t i = 0; i < e->res.n; i++) {
			if (e->at[i] == SIZE_MAX)
				continue;
			if (dir > 0 && e->at[i] >= from &&
			    (best < 0 || e->at[i] < e->at[best]))
				best = (long)i;
			if (dir < 0 && e->at[i] < from &&
			    (best < 0 || e->at[i] > e->at[best]))
				best = (long)i;
		}
	} else {
		for (long i = e->cur + dir; i >= 0 && i < (long)e->res.n; i += dir)
			if (e->at[i] != SIZE_MAX) {
				best = i;
				break;
			}
	}
	if (best < 0)
		return -1;
	e->cur = best;
	e->pass = 0;
	return 0;
}

int evv_goto_node(struct evv *e, const char *node_id)
{
	if (!e->loaded || !node_id)
		return -1;
	for (size_t i = 0; i < e->res.n; i++)
		if (e->res.lines[i].kind == EV_NODE && e->res.lines[i].node_id &&
		    strcmp(e->res.lines[i].node_id, node_id) == 0) {
			e->cur = (long)i;
			e->pass = 0;
			return 0;
		}
	return -1;
}

int evv_pass_step(struct evv *e, int dir)
{
	if (!e->loaded || e->cur < 0)
		return -1;
	int np = e->res.lines[e->cur].npass;
	if (np < 2)
		return -1;
	e->pass = ((e->pass + dir) % np + np) % np;
	return 0;
}

void evv_clear(struct evv *e, struct pane *summary, struct pane *transcript)
{
	if (summary) {
		summary->cursor = -1;
		pane_set_marks(summary, EVV_MARK_PASSAGE, NULL, 0, ST_EVIDENCE);
	}
	if (transcript) {
		pane_set_marks(transcript, EVV_MARK_PASSAGE, NULL, 0, ST_EVIDENCE);
		pane_set_marks(transcript, EVV_MARK_TERMS, NULL, 0, ST_EV_TERM);
	}
}

void evv_apply(struct evv *e, struct pane *summary, struct pane *transcript)
{
	evv_clear(e, summary, transcript);
	if (!e->loaded || e->cur < 0)
		return;
	const struct ev_line *l = &e->res.lines[e->cur];
	if (summary && e->at[e->cur] != SIZE_MAX) {
		size_t sl;
		rl_text(e->sdoc, &sl);
		size_t a = e->at[e->cur], b = a + strlen(l->text);
		e->claim = (struct rl_range){ a, b < sl ? b : sl };
		pane_set_marks(summary, EVV_MARK_PASSAGE, &e->claim, 1, ST_EVIDENCE);
		pane_show_off(summary, a);
		summary->cursor = (long)rl_line_at(e->sdoc, a);
	}
	if (!transcript || l->npass == 0)
		return;
	const struct ev_passage *p = &l->pass[e->pass < l->npass ? e->pass : 0];
	if (p->off > e->len || p->len > e->len - p->off)
		return;
	e->passage = (struct rl_range){ p->off, p->off + p->len };
	pane_set_marks(transcript, EVV_MARK_PASSAGE, &e->passage, 1, ST_EVIDENCE);
	struct ev_range r[EVV_MAX_TERMS];
	size_t n = ev_terms(e->ix, l->text, strlen(l->text), p->off, p->len, r, EVV_MAX_TERMS);
	for (size_t i = 0; i < n; i++)
		e->terms[i] = (struct rl_range){ r[i].off, r[i].off + r[i].len };
	e->nterms = n;
	pane_set_marks(transcript, EVV_MARK_TERMS, e->terms, n, ST_EV_TERM);
	pane_show_off(transcript, p->off);
}

void evv_status(const struct evv *e, char *buf, size_t n)
{
	if (n)
		buf[0] = '\0';
	if (!e->loaded || e->cur < 0)
		return;
	const struct ev_line *l = &e->res.lines[e->cur];
	const char *v = l->verdict == EV_SUPPORTED ? "supported"
	              : l->verdict == EV_WEAK ? "weak" : "unsupported";
	if (l->npass == 0) {
		snprintf(buf, n, "%s%s · no passage", l->kind == EV_NODE ? "map · " : "", v);
		return;
	}
	const struct ev_passage *p = &l->pass[e->pass < l->npass ? e->pass : 0];
	char t[48] = "";
	if (p->start_s >= 0) {
		long s = (long)p->start_s;
		if (s >= 3600)
			snprintf(t, sizeof t, "%ld:%02ld:%02ld · ", s / 3600, s / 60 % 60, s % 60);
		else
			snprintf(t, sizeof t, "%ld:%02ld · ", s / 60, s % 60);
	}
	snprintf(buf, n, "%s%s%s · score %.2f · passage %d/%d", l->kind == EV_NODE ? "map · " : "",
	         t, v, l->score, e->pass + 1, l->npass);
}
