/* view_help.c — the `?` overlay: every key of every view, generated from
 * the keymap (so it is never out of date), scrollable, opened at the keys
 * of the view it was asked from. */
#include <stdlib.h>
#include <string.h>
#include <curses.h>

#include "render/alloc.h"
#include "tui/app/view.h"

struct help {
	char **lines;
	int *heading;
	size_t n;
	size_t top;
	int h;
};

static void help_draw(struct view *v, struct rect r)
{
	struct help *hp = v->priv;
	/* a box over the view below, leaving its edges visible */
	int mx = r.w >= 60 ? 2 : 0, my = r.h >= 12 ? 1 : 0;
	struct rect b = { r.y + my, r.x + mx, r.h - 2 * my, r.w - 2 * mx };
	for (int i = 0; i < b.h; i++)
		draw_box_edges(b.y + i, b.x, b.w);
	hp->h = b.h - 2;
	if (hp->h < 1)
		hp->h = 1;
	if (hp->n > (size_t)hp->h && hp->top > hp->n - (size_t)hp->h)
		hp->top = hp->n - (size_t)hp->h;
	draw_fill(b.y, b.x, b.w, style(ST_BAR));
	draw_text(b.y, b.x + 1, b.w - 2, "Keys — q or Esc closes; rebind them in [keys] of the config",
	          style(ST_BAR) | A_BOLD);
	for (int i = 0; i < b.h - 1; i++) {
		int y = b.y + 1 + i;
		draw_fill(y, b.x, b.w, A_NORMAL);
		if (b.w >= 4) {   /* a frame, so the view's edges around it read as outside */
			draw_text(y, b.x, 1, glyph_vline(), style(ST_BAR));
			draw_text(y, b.x + b.w - 1, 1, glyph_vline(), style(ST_BAR));
		}
		size_t k = hp->top + (size_t)i;
		if (i < hp->h && k < hp->n)
			draw_text(y, b.x + 1, b.w - 2, hp->lines[k], hp->heading[k] ? style(ST_HEADING) : A_NORMAL);
	}
	char pos[64];
	snprintf(pos, sizeof pos, " %zu–%zu of %zu ", hp->top + 1,
	         hp->top + (size_t)hp->h < hp->n ? hp->top + (size_t)hp->h : hp->n, hp->n);
	draw_fill(b.y + b.h - 1, b.x, b.w, style(ST_BAR));
	draw_text(b.y + b.h - 1, b.x + b.w - text_width(pos) - 1, text_width(pos), pos, style(ST_BAR));
}

static int help_request(struct view *v, enum action a)
{
	struct help *hp = v->priv;
	long d = 0;
	size_t maxtop = hp->n > (size_t)hp->h ? hp->n - (size_t)hp->h : 0;
	switch (a) {
	case ACT_MOVE_DOWN: d = 1; break;
	case ACT_MOVE_UP: d = -1; break;
	case ACT_PAGE_DOWN: d = hp->h; break;
	case ACT_PAGE_UP: d = -hp->h; break;
	case ACT_HALF_DOWN: d = hp->h / 2; break;
	case ACT_HALF_UP: d = -hp->h / 2; break;
	case ACT_FIRST: hp->top = 0; return VR_DONE;
	case ACT_LAST: hp->top = maxtop; return VR_DONE;
	case ACT_HELP: return VR_CLOSE;
	default: return VR_UNHANDLED;
	}
	long t = (long)hp->top + d;
	hp->top = t < 0 ? 0 : (size_t)t > maxtop ? maxtop : (size_t)t;
	return VR_DONE;
}

static void help_close(struct view *v)
{
	struct help *hp = v->priv;
	for (size_t i = 0; i < hp->n; i++)
		free(hp->lines[i]);
	free(hp->lines);
	free(hp->heading);
	free(hp);
}

static const struct view_ops help_ops = {
	.name = "help",
	.ctx = KC_HELP,
	.overlay = 1,
	.draw = help_draw,
	.request = help_request,
	.close = help_close,
};

struct view *help_open(unsigned ctx)
{
	struct help *hp = xcalloc(1, sizeof *hp);
	hp->lines = keymap_help_lines(&hp->heading, &hp->n);
	/* open at the keys of the view it was asked from; the clamp in
	 * help_draw keeps the last page full */
	const char *title = keymap_ctx_title(ctx);
	for (size_t i = 0; title && i < hp->n; i++)
		if (hp->heading[i] && !strcmp(hp->lines[i], title)) {
			hp->top = i;
			break;
		}
	return app_push(&help_ops, hp);
}
