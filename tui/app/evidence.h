/* evidence.h — the reader's evidence (db/evidence.h on screen): a gutter
 * in the summary pane marking each checkable line supported / weak /
 * unsupported, a cursor over those lines, and for the line under it the
 * supporting passages of the transcript (best first, up to five) with the
 * matching terms, as mark layers of the transcript pane.
 *
 * The reader owns one struct evv per shown summary; this module only
 * computes and fills the pane decorations it is handed. Internal to
 * tui/app/.
 */
#ifndef PRECIS_TUI_APP_EVIDENCE_H
#define PRECIS_TUI_APP_EVIDENCE_H

#include <stddef.h>
#include <stdint.h>

#include "db/evidence.h"
#include "render/layout.h"
#include "tui/app/pane.h"

#define EVV_MAX_TERMS 128
#define EVV_GUTTER_W 2      /* glyph and a space */
#define EVV_MARK_PASSAGE 2  /* mark layers used in the panes */
#define EVV_MARK_TERMS 3

struct evv {
	int loaded;
	struct ev_result res;
	size_t *at;              /* per line: byte offset in the summary layout, SIZE_MAX
	                            when not shown there (map labels) */
	const struct rl_doc *sdoc;
	struct ev_index *ix;     /* the transcript, for the terms */
	const char *text;
	size_t len;
	long cur;                /* line under the cursor, -1 none */
	int pass;                /* its passage shown */
	struct rl_range claim;   /* the cursor's claim in the summary layout */
	struct rl_range passage;
	struct rl_range terms[EVV_MAX_TERMS];
	size_t nterms;
};

/* Loads the evidence of summary_id (stored, or computed now and stored
 * when the archive is writable) for a summary laid out as sdoc over the
 * transcript text[0..len). Returns 0, or -1 (e->loaded stays 0). */
int evv_load(struct evv *e, struct archive *a, int64_t summary_id, const struct rl_doc *sdoc,
             const char *text, size_t len, const struct doc_para *paras, size_t npara);
void evv_free(struct evv *e);

/* The summary pane's gutter (pane_gutter_fn): the mark of the checkable
 * lines starting on laid-out line k, the worst verdict when several. */
void evv_gutter(void *ctx, const struct rl_doc *d, size_t k, char *buf, size_t n,
                enum style *st);

/* Moves the cursor to the next (dir > 0) or previous checkable line shown
 * in the summary; from no cursor, to the first line at or after the
 * summary line `from` (dir > 0) or before it. Returns 0, -1 at the end. */
int evv_step(struct evv *e, int dir, size_t from);
/* Puts the cursor on the line of map node id. Returns 0 or -1. */
int evv_goto_node(struct evv *e, const char *node_id);
/* Shows passage dir steps away (wrapping over the line's passages).
 * Returns 0, or -1 when the line has fewer than two. */
int evv_pass_step(struct evv *e, int dir);
/* Applies the cursor to the panes: the summary's cursor line and claim
 * mark, the transcript's passage and term marks, scrolled into view. */
void evv_apply(struct evv *e, struct pane *summary, struct pane *transcript);
/* Clears the marks evv_apply set. */
void evv_clear(struct evv *e, struct pane *summary, struct pane *transcript);
/* Status text for the cursor's line ("12:34 · score 0.82 · passage 1/3 ·
 * supported") into buf. */
void evv_status(const struct evv *e, char *buf, size_t n);

#endif
