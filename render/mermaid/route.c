/* route.c — ports, orthogonal channel routing and the final
 * geometry of a layered Mermaid layout (see layout.c).
 *
 * Between two ranks lies a channel: rows for the bottom borders of the
 * subgraphs that end above it, track rows for horizontal runs, rows for the
 * top borders of the subgraphs that start below it, and an arrow row. Each
 * edge hop is a vertical at its top column, a horizontal run on its own
 * track, and a vertical at its bottom column; hops whose columns would
 * overlap are ordered (a vertical-constraint graph), and swapped pairs get
 * a dogleg through a free column.
 */
#include "render/mermaid/layout_int.h"

#include <stdlib.h>
#include <string.h>

static int icmp_q;   /* sort context for port ordering */
static struct lctx *sortL;

static double other_col(struct lctx *L, int s, int up)
{
	struct seg *sg = &L->seg[s];
	int o = up ? sg->u : sg->v;
	if (o >= 0) {
		struct item *t = &L->it[o];
		return t->q + t->bw / 2.0;
	}
	int c = up ? sg->ucl : sg->vcl;
	if (c >= 0 && L->sdrawn[c]) {
		int l = L->it[L->bl[c][0]].q, r = L->it[L->br[c][0]].q;
		return (l + r) / 2.0;
	}
	return 0;
}

static int port_cmp(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	double cx = other_col(sortL, x, icmp_q), cy = other_col(sortL, y, icmp_q);
	if (cx < cy) return -1;
	if (cx > cy) return 1;
	return x - y;
}

/* Columns where each hop leaves / enters its items. */
static void assign_ports(struct lctx *L)
{
	sortL = L;
	for (int i = 0; i < L->nit; i++) {
		struct item *t = &L->it[i];
		if (t->kind == IT_BL || t->kind == IT_BR) continue;
		for (int side = 0; side < 2; side++) {
			struct ivec *v = side ? &t->down : &t->up;
			if (!v->n) continue;
			if (t->kind != IT_NODE) {
				for (int k = 0; k < v->n; k++) {
					struct seg *s = &L->seg[v->v[k]];
					if (side) s->a = t->q + t->bw / 2; else s->b = t->q + t->bw / 2;
				}
				continue;
			}
			icmp_q = side ? 0 : 1;
			qsort(v->v, (size_t)v->n, sizeof(int), port_cmp);
			int ni = t->bw - 2, k = v->n;
			for (int j = 0; j < k; j++) {
				int col = t->q + 1 + ((2 * j + 1) * ni) / (2 * k);
				struct seg *s = &L->seg[v->v[j]];
				if (side) s->a = col; else s->b = col;
			}
		}
	}
}

struct used { char *m; int n; };

static bool used_has(struct used *u, int c) { return c >= 0 && c < u->n && u->m[c]; }
static void used_set(struct used *u, int c) { if (c >= 0 && c < u->n) u->m[c] = 1; }

/* The free column nearest to want inside [lo, hi], or -1. */
static int free_col(struct used *u, int want, int lo, int hi)
{
	if (want < lo) want = lo;
	if (want > hi) want = hi;
	for (int d = 0; d <= hi - lo; d++) {
		if (want - d >= lo && !used_has(u, want - d)) return want - d;
		if (want + d <= hi && !used_has(u, want + d)) return want + d;
	}
	return -1;
}

struct pref { int seg, idx; };

/* Assigns tracks to the runs of channel r; returns the number of tracks. */
static int route_channel(struct lctx *L, int *segs, int ns, struct used *u)
{
	/* cluster-end columns first */
	for (int k = 0; k < ns; k++) {
		struct seg *s = &L->seg[segs[k]];
		if (s->u < 0) {
			int c = s->ucl;
			int l = L->it[L->bl[c][0]].q + 2, r = L->it[L->br[c][0]].q - 2;
			int want = s->v >= 0 ? s->b : (l + r) / 2;
			int col = free_col(u, want, l, r);
			if (col < 0) col = (l + r) / 2;
			s->a = col;
			used_set(u, col);
		}
		if (s->v < 0) {
			int c = s->vcl;
			int l = L->it[L->bl[c][0]].q + 2, r = L->it[L->br[c][0]].q - 2;
			int col = free_col(u, s->a, l, r);
			if (col < 0) col = (l + r) / 2;
			s->b = col;
			used_set(u, col);
		}
	}
	/* runs */
	int np = 0;
	for (int k = 0; k < ns; k++) {
		struct seg *s = &L->seg[segs[k]];
		free(s->piece);
		s->piece = NULL;
		s->npiece = 0;
		if (s->a != s->b) {
			s->piece = ml_alloc(4, sizeof(struct piece));
			s->piece[0] = (struct piece){ s->a, s->b, -1 };
			s->npiece = 1;
			np++;
		}
	}
	if (!np) return 0;
	/* break vertical-constraint cycles with doglegs */
	for (int round = 0; round < 8; round++) {
		bool split = false;
		for (int k = 0; k < ns && !split; k++) {
			struct seg *s = &L->seg[segs[k]];
			if (s->npiece != 1) continue;
			/* walk: s above x where x's last piece has b == s.a; then x above y ... */
			int cur = k, steps = 0;
			bool cyc = false;
			while (steps++ <= ns) {
				struct seg *cs = &L->seg[segs[cur]];
				if (!cs->npiece) break;
				int col = cs->piece[0].a, nxt = -1;
				for (int j = 0; j < ns; j++) {
					struct seg *o = &L->seg[segs[j]];
					if (j != cur && o->npiece && o->piece[o->npiece - 1].b == col) { nxt = j; break; }
				}
				if (nxt < 0) break;
				if (nxt == k) { cyc = true; break; }
				cur = nxt;
			}
			if (!cyc) continue;
			int lo = s->a < s->b ? s->a : s->b, hi = s->a < s->b ? s->b : s->a;
			int z = free_col(u, (lo + hi) / 2, lo, hi);
			if (z < 0) z = free_col(u, hi, 0, u->n - 1);
			if (z < 0) continue;
			used_set(u, z);
			s->piece[1] = (struct piece){ z, s->b, -1 };
			s->piece[0].b = z;
			s->npiece = 2;
			np++;
			split = true;
		}
		if (!split) break;
	}
	/* greedy track filling under the constraints */
	struct pref *pp = ml_alloc((size_t)np, sizeof *pp);
	int n = 0;
	for (int k = 0; k < ns; k++) {
		struct seg *s = &L->seg[segs[k]];
		for (int j = 0; j < s->npiece; j++) pp[n++] = (struct pref){ k, j };
	}
	int placed = 0, t = 0;
	int *lo = ml_alloc((size_t)np, sizeof(int)), *hi = ml_alloc((size_t)np, sizeof(int));
	int *order = ml_alloc((size_t)np, sizeof(int));
	long *score = ml_alloc((size_t)np, sizeof(long));
	int ntr;
	while (placed < np && t < 4 * np + 4) {
		int cnt = 0, nc = 0;
		/* eligible runs: constraints above them already placed */
		for (int x = 0; x < np; x++) {
			struct seg *s = &L->seg[segs[pp[x].seg]];
			struct piece *p = &s->piece[pp[x].idx];
			if (p->track >= 0) continue;
			bool ok = true;
			if (pp[x].idx > 0 && (s->piece[pp[x].idx - 1].track < 0 ||
			                      s->piece[pp[x].idx - 1].track >= t)) ok = false;
			if (ok && pp[x].idx == s->npiece - 1) {
				for (int y = 0; y < np && ok; y++) {
					if (pp[y].seg == pp[x].seg || pp[y].idx != 0) continue;
					struct piece *q = &L->seg[segs[pp[y].seg]].piece[0];
					if (q->a == p->b && (q->track < 0 || q->track >= t)) ok = false;
				}
			}
			if (!ok) continue;
			/* score: crossings if above every other unplaced overlapping run,
			 * minus crossings if below it */
			int l1 = p->a < p->b ? p->a : p->b, h1 = p->a < p->b ? p->b : p->a;
			long sc = 0;
			for (int y = 0; y < np; y++) {
				if (y == x) continue;
				struct piece *q = &L->seg[segs[pp[y].seg]].piece[pp[y].idx];
				if (q->track >= 0) continue;
				int l2 = q->a < q->b ? q->a : q->b, h2 = q->a < q->b ? q->b : q->a;
				if (l1 > h2 || l2 > h1) continue;
				int above = (q->a > l1 && q->a < h1) + (p->b > l2 && p->b < h2);
				int below = (p->a > l2 && p->a < h2) + (q->b > l1 && q->b < h1);
				sc += above - below;
			}
			score[x] = sc;
			order[nc++] = x;
		}
		/* pack the best-scoring runs onto this track */
		for (int i = 1; i < nc; i++)
			for (int j = i; j > 0 && score[order[j]] < score[order[j - 1]]; j--) {
				int tmp = order[j]; order[j] = order[j - 1]; order[j - 1] = tmp;
			}
		for (int i = 0; i < nc; i++) {
			int x = order[i];
			struct piece *p = &L->seg[segs[pp[x].seg]].piece[pp[x].idx];
			int l = p->a < p->b ? p->a : p->b, h = p->a < p->b ? p->b : p->a;
			bool ok = true;
			for (int y = 0; y < cnt && ok; y++)
				if (!(l > hi[y] || h < lo[y])) ok = false;
			if (!ok) continue;
			/* defer a run that would rather sit below an overlapping one
			 * not yet placed (it may be waiting for its own constraint) */
			for (int y = 0; y < np && ok; y++) {
				if (y == x) continue;
				struct piece *q = &L->seg[segs[pp[y].seg]].piece[pp[y].idx];
				if (q->track >= 0) continue;
				int l2 = q->a < q->b ? q->a : q->b, h2 = q->a < q->b ? q->b : q->a;
				if (l > h2 || l2 > h) continue;
				int above = (q->a > l && q->a < h) + (p->b > l2 && p->b < h2);
				int below = (p->a > l2 && p->a < h2) + (q->b > l && q->b < h);
				if (above > below) ok = false;
			}
			if (!ok) continue;
			p->track = t;
			lo[cnt] = l;
			hi[cnt] = h;
			cnt++;
			placed++;
		}
		if (!cnt && nc) {
			/* every eligible run deferred: take the best one */
			struct piece *p = &L->seg[segs[pp[order[0]].seg]].piece[pp[order[0]].idx];
			p->track = t;
			cnt++;
			placed++;
		}
		if (!cnt) {
			/* a constraint cycle survived: place the first unplaced run */
			for (int x = 0; x < np; x++) {
				struct piece *p = &L->seg[segs[pp[x].seg]].piece[pp[x].idx];
				if (p->track < 0) { p->track = t; placed++; break; }
			}
		}
		t++;
	}
	free(order); free(score);
	ntr = t;
	free(pp); free(lo); free(hi);
	return ntr;
}

static int sgdepth(const struct mm_graph *g, int s)
{
	int d = 0;
	for (; s >= 0; s = g->subgraphs[s].parent) d++;
	return d;
}

void ml_route(struct lctx *L)
{
	const struct mm_graph *g = L->g;
	size_t ns = g->nsubgraphs;
	assign_ports(L);
	int maxq = 0;
	for (int i = 0; i < L->nit; i++)
		if (L->it[i].q + L->it[i].breadth > maxq) maxq = L->it[i].q + L->it[i].breadth;
	struct used u;
	u.n = maxq + 2 * L->nseg + 8;
	u.m = ml_alloc((size_t)u.n, 1);
	L->band = ml_alloc((size_t)L->nrank + 1, sizeof(int));
	L->bdepth = ml_alloc((size_t)L->nrank + 1, sizeof(int));
	L->chan = ml_alloc((size_t)L->nrank + 1, sizeof(int));
	L->stop = ml_alloc(ns + 1, sizeof(int));
	L->sbot = ml_alloc(ns + 1, sizeof(int));
	L->sin = ml_alloc(ns + 1, sizeof(int));
	L->sout = ml_alloc(ns + 1, sizeof(int));
	int *ntrack = ml_alloc((size_t)L->nrank + 1, sizeof(int));
	/* segments per channel */
	struct ivec *cs = ml_alloc((size_t)L->nrank + 1, sizeof(struct ivec));
	for (int s = 0; s < L->nseg; s++) iv_push(&cs[L->seg[s].rank], s);
	for (int r = 0; r + 1 < L->nrank; r++) {
		memset(u.m, 0, (size_t)u.n);
		for (int k = 0; k < cs[r].n; k++) {
			struct seg *s = &L->seg[cs[r].v[k]];
			if (s->u >= 0) used_set(&u, s->a);
			if (s->v >= 0) used_set(&u, s->b);
		}
		ntrack[r] = route_channel(L, cs[r].v, cs[r].n, &u);
	}
	free(u.m);
	for (int r = 0; r < L->nrank; r++) {
		int d = 0;
		for (int k = 0; k < L->rk[r].n; k++) {
			struct item *t = &L->it[L->rk[r].v[k]];
			if (t->kind != IT_BL && t->kind != IT_BR && t->depth > d) d = t->depth;
		}
		L->bdepth[r] = d ? d : 1;
	}
	/* which clusters have edges starting / ending at their borders */
	char *hasout = ml_alloc(ns + 1, 1), *hasin = ml_alloc(ns + 1, 1);
	for (int s = 0; s < L->nseg; s++) {
		if (L->seg[s].u < 0 && L->seg[s].ucl >= 0) hasout[L->seg[s].ucl] = 1;
		if (L->seg[s].v < 0 && L->seg[s].vcl >= 0) hasin[L->seg[s].vcl] = 1;
	}
	int maxd = 0;
	for (size_t s = 0; s < ns; s++) if (L->sdrawn[s] && sgdepth(g, (int)s) > maxd) maxd = sgdepth(g, (int)s);
	int p = 0;
	for (int r = -1; r < L->nrank; r++) {
		if (r >= 0) {
			L->band[r] = p;
			p += L->bdepth[r];
		}
		/* section A: clusters ending at r, innermost first */
		bool anyend = false;
		for (size_t s = 0; s < ns; s++) if (L->sdrawn[s] && L->smax[s] == r) anyend = true;
		if (anyend) {
			p++;   /* padding below the boxes */
			for (int d = maxd; d >= 1; d--) {
				bool lvl = false, out = false;
				for (size_t s = 0; s < ns; s++)
					if (L->sdrawn[s] && L->smax[s] == r && sgdepth(g, (int)s) == d) {
						lvl = true;
						L->sbot[s] = p;
						if (hasout[s]) out = true;
					}
				if (!lvl) continue;
				p++;
				if (out) {
					for (size_t s = 0; s < ns; s++)
						if (L->sdrawn[s] && L->smax[s] == r && sgdepth(g, (int)s) == d) L->sout[s] = p;
					p++;
				}
			}
		}
		if (r + 1 >= L->nrank) break;
		/* tracks */
		if (r >= 0) {
			/* a straight lead-in below a box before any turn when an
			 * arrowhead sits at the upper end */
			bool lead_in = false, headup = false;
			for (int k = 0; k < cs[r].n; k++) {
				struct seg *sg = &L->seg[cs[r].v[k]];
				const struct mm_edge *ge = &g->edges[sg->le];
				enum mm_head h = L->le[sg->le].rev ? ge->head_to : ge->head_from;
				if (h != MM_HEAD_NONE && sg->u >= 0 && L->it[sg->u].kind == IT_NODE) {
					headup = true;
					if (ntrack[r] && sg->npiece) lead_in = true;
				}
			}
			L->chan[r] = p + (lead_in ? 1 : 0);
			p += ntrack[r] + (lead_in ? 1 : 0);
			/* a head at the upper end of a straight edge needs its own
			 * cell and a line cell before the arrow row, or the two
			 * heads of A <--> B land on one cell */
			if (headup && !ntrack[r])
				p += 2;
		}
		/* section B: clusters starting at r+1, outermost first */
		bool anystart = false;
		for (int d = 1; d <= maxd; d++) {
			bool lvl = false, in = false;
			for (size_t s = 0; s < ns; s++)
				if (L->sdrawn[s] && L->smin[s] == r + 1 && sgdepth(g, (int)s) == d) {
					lvl = true;
					if (hasin[s]) in = true;
				}
			if (!lvl) continue;
			anystart = true;
			if (in) {
				for (size_t s = 0; s < ns; s++)
					if (L->sdrawn[s] && L->smin[s] == r + 1 && sgdepth(g, (int)s) == d) L->sin[s] = p;
				p++;
			}
			for (size_t s = 0; s < ns; s++)
				if (L->sdrawn[s] && L->smin[s] == r + 1 && sgdepth(g, (int)s) == d) L->stop[s] = p;
			p++;
		}
		/* arrow row: before boxes (arrowheads), inside a starting subgraph,
		 * and whenever no track separates the ranks */
		bool arrow = anystart;
		if (r >= 0 && !arrow) {
			if (!ntrack[r]) arrow = true;
			for (int k = 0; k < cs[r].n && !arrow; k++) {
				struct seg *sg = &L->seg[cs[r].v[k]];
				if (sg->v >= 0 && L->it[sg->v].kind == IT_NODE) arrow = true;
			}
		}
		if (arrow) p++;
	}
	L->P = p;
	/* hop rows */
	for (int s = 0; s < L->nseg; s++) {
		struct seg *sg = &L->seg[s];
		int r = sg->rank;
		if (sg->u >= 0) {
			struct item *t = &L->it[sg->u];
			sg->start = t->kind == IT_NODE ? L->band[r] + t->depth : L->band[r] + L->bdepth[r];
		} else
			sg->start = L->sout[sg->ucl];
		sg->end = sg->v >= 0 ? L->band[r + 1] - 1 : L->sin[sg->vcl];
	}
	free(hasout); free(hasin);
	for (int r = 0; r < L->nrank; r++) free(cs[r].v);
	free(cs);
	free(ntrack);
}

/* ---------- geometry ---------- */

struct path { struct mm_xy *c; size_t n, cap; };

static void path_add(struct path *pa, int p, int q)
{
	if (pa->n == pa->cap) {
		pa->cap = pa->cap ? pa->cap * 2 : 32;
		pa->c = ml_realloc(pa->c, pa->cap, sizeof(struct mm_xy));
	}
	pa->c[pa->n].x = q;   /* abstract: x holds q, y holds p until mapped */
	pa->c[pa->n].y = p;
	pa->n++;
}

/* Appends cells from the last cell in a straight line to (p, q). */
static void path_to(struct path *pa, int p, int q)
{
	if (!pa->n) { path_add(pa, p, q); return; }
	int cp = pa->c[pa->n - 1].y, cq = pa->c[pa->n - 1].x;
	while (cp != p) { cp += cp < p ? 1 : -1; path_add(pa, cp, cq); }
	while (cq != q) { cq += cq < q ? 1 : -1; path_add(pa, cp, cq); }
}

static void map_box(struct lctx *L, int p0, int q0, int pd, int qd, struct mm_box *b)
{
	bool mirror = L->lay->dir == MM_BT || L->lay->dir == MM_RL;
	if (mirror) p0 = L->P - p0 - pd;
	if (L->horiz) { b->x = p0; b->y = q0; b->w = pd; b->h = qd; }
	else { b->x = q0; b->y = p0; b->w = qd; b->h = pd; }
}

static void emit_hop(struct lctx *L, struct path *pa, struct seg *s)
{
	int col = s->a;
	if (!pa->n) path_add(pa, s->start, col);
	else path_to(pa, s->start, col);
	for (int k = 0; k < s->npiece; k++) {
		int tr = L->chan[s->rank] + s->piece[k].track;
		path_to(pa, tr, s->piece[k].a);
		path_to(pa, tr, s->piece[k].b);
		col = s->piece[k].b;
	}
	path_to(pa, s->end, col);
}

void ml_emit(struct lctx *L)
{
	const struct mm_graph *g = L->g;
	struct mm_layout *lay = L->lay;
	int Q = 0;
	for (int i = 0; i < L->nit; i++)
		if (L->it[i].q + L->it[i].breadth > Q) Q = L->it[i].q + L->it[i].breadth;
	for (int s = 0; s < L->nseg; s++)
		for (int k = 0; k < L->seg[s].npiece; k++) {
			if (L->seg[s].piece[k].a + 1 > Q) Q = L->seg[s].piece[k].a + 1;
			if (L->seg[s].piece[k].b + 1 > Q) Q = L->seg[s].piece[k].b + 1;
		}
	L->Q = Q;
	/* nodes */
	for (size_t n = 0; n < g->nnodes; n++) {
		struct item *t = &L->it[L->nodeitem[n]];
		map_box(L, L->band[t->rank], t->q, t->depth, t->bw, &lay->nodes[n].box);
	}
	/* subgraphs */
	for (size_t s = 0; s < g->nsubgraphs; s++) {
		if (!L->sdrawn[s]) continue;
		int l = L->it[L->bl[s][0]].q, r = L->it[L->br[s][0]].q;
		map_box(L, L->stop[s], l, L->sbot[s] - L->stop[s] + 1, r - l + 1, &lay->subgraphs[s].box);
		lay->subgraphs[s].drawn = true;
	}
	bool mirror = lay->dir == MM_BT || lay->dir == MM_RL;
	/* edges */
	for (size_t e = 0; e < g->nedges; e++) {
		struct ledge *le = &L->le[e];
		struct mm_edge_layout *el = &lay->edges[e];
		struct path pa = {0};
		el->attach_from = el->attach_to = -1;
		if (le->dropped) continue;
		{
			int up = le->top, dn = le->bot;
			const struct mm_edge *ge = &g->edges[e];
			int fn = le->rev ? dn : up, tn = le->rev ? up : dn;
			if (ge->from.is_subgraph && fn >= 0) el->attach_from = fn;
			if (ge->to.is_subgraph && tn >= 0) el->attach_to = tn;
			if (le->self && ge->from.is_subgraph) el->attach_from = le->selfnode;
			if (le->self && ge->to.is_subgraph) el->attach_to = le->selfnode;
		}
		if (le->self) {
			int n = le->selfnode;
			struct item *t = &L->it[L->nodeitem[n]];
			int p0 = L->band[t->rank], q0 = t->q, k = le->loopk;
			int pe = p0 + 1 + k, pr = p0 + t->depth - 2 - k, qo = q0 + t->bw + t->nloops - k;
			path_add(&pa, pe, q0 + t->bw);
			path_to(&pa, pe, qo);
			path_to(&pa, pr, qo);
			path_to(&pa, pr, q0 + t->bw);
			if (el->has_label) {
				int lp, lq, lpd = L->horiz ? le->tw : le->th, lqd = L->horiz ? le->th : le->tw;
				if (L->horiz) { lp = p0 + 1; lq = q0 + t->bw + t->nloops + 1 + le->labacc; }
				else { lp = p0 + le->labacc; lq = q0 + t->bw + t->nloops + 2; }
				map_box(L, lp, lq, lpd, lqd, &el->label);
			}
		} else {
			for (int k = 0; k < le->nseg; k++) {
				struct seg *s = &L->seg[le->first_seg + k];
				emit_hop(L, &pa, s);
				if (s->v >= 0 && k + 1 < le->nseg) {
					/* through the dummy's band */
					int r = s->rank + 1;
					path_to(&pa, L->band[r] + L->bdepth[r] - 1, s->b);
				}
			}
			if (el->has_label && le->labitem >= 0) {
				struct item *t = &L->it[le->labitem];
				int p0 = L->band[t->rank] + (L->bdepth[t->rank] - t->depth) / 2;
				map_box(L, p0, t->q, t->depth, t->bw, &el->label);
			} else if (el->has_label) {
				el->has_label = false;   /* no room: shown in JSON only */
			}
		}
		/* map, mirror, orient from the original source */
		for (size_t i = 0; i < pa.n; i++) {
			int q = pa.c[i].x, p = pa.c[i].y;
			if (mirror) p = L->P - 1 - p;
			if (L->horiz) { pa.c[i].x = p; pa.c[i].y = q; }
			else { pa.c[i].x = q; pa.c[i].y = p; }
		}
		if (le->rev && !le->self)
			for (size_t i = 0; i < pa.n / 2; i++) {
				struct mm_xy t = pa.c[i];
				pa.c[i] = pa.c[pa.n - 1 - i];
				pa.c[pa.n - 1 - i] = t;
			}
		el->cells = pa.c;
		el->ncells = pa.n;
		el->drawn = pa.n > 0;
	}
	lay->width = L->horiz ? L->P : L->Q;
	lay->height = L->horiz ? L->Q : L->P;
	if (lay->width < 1) lay->width = 1;
	if (lay->height < 1) lay->height = 1;
}
