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

#include <stdio.h>
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

/* Columns taken by verticals in the channel being routed. Only the
 * columns set are cleared again, so a channel costs what it holds; for a
 * used column, nr / nl point toward the next free one right / left
 * (shortened as they are followed), so free_col() needs no scan. */
struct used { char *m; int n; struct ivec set; int *nr, *nl; };

static bool used_has(struct used *u, int c) { return c >= 0 && c < u->n && u->m[c]; }

static void used_set(struct used *u, int c)
{
	if (c >= 0 && c < u->n && !u->m[c]) {
		u->m[c] = 1;
		u->nr[c] = c + 1;
		u->nl[c] = c - 1;
		iv_push(&u->set, c);
	}
}

static void used_clear(struct used *u)
{
	for (int k = 0; k < u->set.n; k++) u->m[u->set.v[k]] = 0;
	u->set.n = 0;
}

/* The first free column from c on in direction p (nr or nl); may be
 * outside 0 .. n-1, where every column is free. */
static int next_free(struct used *u, int c, int *p)
{
	int r = c;
	while (used_has(u, r)) r = p[r];
	while (used_has(u, c) && c != r) {
		int nx = p[c];
		p[c] = r;
		c = nx;
	}
	return r;
}

/* The free column nearest to want inside [lo, hi] (the left one of two
 * as near), or -1. */
static int free_col(struct used *u, int want, int lo, int hi)
{
	if (lo > hi) return -1;
	if (want < lo) want = lo;
	if (want > hi) want = hi;
	int a = next_free(u, want, u->nr), b = next_free(u, want, u->nl);
	bool right = a <= hi, left = b >= lo;
	if (left && (!right || want - b <= a - want)) return b;
	return right ? a : -1;
}

struct pref { int seg, idx; };

/* Hops that end on a subgraph border take the free column inside the
 * border nearest to their other end. */
static void cluster_end_columns(struct lctx *L, const int *segs, int ns, struct used *u)
{
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
}

/* One horizontal piece for each hop whose columns differ; returns how many. */
static int make_pieces(struct lctx *L, const int *segs, int ns)
{
	int np = 0;
	for (int k = 0; k < ns; k++) {
		struct seg *s = &L->seg[segs[k]];
		free(s->piece);
		s->piece = NULL;
		s->npiece = 0;
		if (s->a != s->b) {
			s->piece = ml_alloc(2, sizeof(struct piece));
			s->piece[0] = (struct piece){ s->a, s->b, -1 };
			s->npiece = 1;
			np++;
		}
	}
	return np;
}

struct colref { int col, k; };

static int colref_cmp(const void *a, const void *b)
{
	const struct colref *x = a, *y = b;
	if (x->col != y->col) return x->col < y->col ? -1 : 1;
	return x->k - y->k;
}

/* Marks in cyc[k] the hops of the channel that lie on a cycle of the
 * vertical constraints (hop k must run above hop next[k], the first other
 * hop whose bottom column is k's top column); cyc[k] is the cycle's number
 * + 1, 0 when k is on none. Linear after a sort. */
static void constraint_cycles(struct lctx *L, const int *segs, int ns, int *cyc)
{
	struct colref *byb = ml_alloc((size_t)ns + 1, sizeof *byb);
	int nb = 0;
	for (int k = 0; k < ns; k++) {
		struct seg *s = &L->seg[segs[k]];
		if (s->npiece) byb[nb++] = (struct colref){ s->piece[s->npiece - 1].b, k };
	}
	qsort(byb, (size_t)nb, sizeof *byb, colref_cmp);
	int *next = ml_alloc((size_t)ns + 1, sizeof(int));
	for (int k = 0; k < ns; k++) {
		struct seg *s = &L->seg[segs[k]];
		next[k] = -1;
		if (!s->npiece) continue;
		int col = s->piece[0].a, lo = 0, hi = nb;
		while (lo < hi) {
			int mid = (lo + hi) / 2;
			if (byb[mid].col < col) lo = mid + 1; else hi = mid;
		}
		for (; lo < nb && byb[lo].col == col; lo++)
			if (byb[lo].k != k) { next[k] = byb[lo].k; break; }
	}
	/* walk each path once: 1 on the current path, 2 done */
	char *state = ml_alloc((size_t)ns + 1, 1);
	int *path = ml_alloc((size_t)ns + 1, sizeof(int));
	int ncyc = 0;
	for (int k = 0; k < ns; k++) {
		cyc[k] = 0;
	}
	for (int k = 0; k < ns; k++) {
		if (state[k]) continue;
		int n = 0, x = k;
		while (x >= 0 && !state[x]) {
			state[x] = 1;
			path[n++] = x;
			x = next[x];
		}
		if (x >= 0 && state[x] == 1) {
			ncyc++;
			for (int i = n - 1; i >= 0; i--) {
				cyc[path[i]] = ncyc;
				if (path[i] == x) break;
			}
		}
		for (int i = 0; i < n; i++) state[path[i]] = 2;
	}
	free(byb); free(next); free(state); free(path);
}

/* Breaks cycles of the vertical constraints with doglegs: a hop on a
 * cycle turns down through a free column between its ends, so its two
 * pieces can go on different tracks. With all, one hop per cycle, every
 * cycle; else every hop on a cycle, in hop order, up to eight (the
 * behaviour the drawings of small channels were tuned with). Returns the
 * pieces added. */
static int dogleg_cycles(struct lctx *L, const int *segs, int ns, struct used *u, bool all)
{
	int *cyc = ml_alloc((size_t)ns + 1, sizeof(int));
	constraint_cycles(L, segs, ns, cyc);
	char *done = all ? ml_alloc((size_t)ns + 2, 1) : NULL;
	int added = 0;
	for (int k = 0; k < ns && (all || added < 8); k++) {
		struct seg *s = &L->seg[segs[k]];
		if (s->npiece != 1 || !cyc[k] || (all && done[cyc[k]])) continue;
		int lo = s->a < s->b ? s->a : s->b, hi = s->a < s->b ? s->b : s->a;
		int z = free_col(u, (lo + hi) / 2, lo, hi);
		if (z < 0) z = free_col(u, hi, 0, u->n - 1);
		if (z < 0) continue;
		used_set(u, z);
		s->piece[1] = (struct piece){ z, s->b, -1 };
		s->piece[0].b = z;
		s->npiece = 2;
		added++;
		if (all) done[cyc[k]] = 1;
	}
	free(cyc);
	free(done);
	return added;
}

/* Tracks for the pieces of a small channel, greedily from the top: each
 * track takes, best first, the runs whose constraints are met and that
 * would cross fewer edges above the others than below them. Cubic in the
 * runs (every track rescores every run): used up to ROUTE_EXACT_MAX runs.
 * Returns the number of tracks. */
static int tracks_exact(struct lctx *L, const int *segs, int ns, int np)
{
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
		L->work += (size_t)np * (size_t)(nc + 1);
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
	free(pp); free(lo); free(hi);
	return t;
}

/* ---- tracks for large channels ---- */

/* Fenwick tree over columns: counts, and the k-th set position. */
struct fen { int *t; int n; };

static void fen_add(struct fen *f, int i, int d)
{
	for (i++; i <= f->n; i += i & -i) f->t[i] += d;
}

/* Number of marks at positions 0..i. */
static int fen_sum(const struct fen *f, int i)
{
	int s = 0;
	if (i >= f->n) i = f->n - 1;
	for (i++; i > 0; i -= i & -i) s += f->t[i];
	return s;
}

/* Position of the k-th mark (k ≥ 1). */
static int fen_kth(const struct fen *f, int k)
{
	int pos = 0, step = 1;
	while (step * 2 <= f->n) step *= 2;
	for (; step; step /= 2)
		if (pos + step <= f->n && f->t[pos + step] < k) {
			pos += step;
			k -= f->t[pos];
		}
	return pos;   /* 0-based index of the mark */
}

/* Count of v[0..n) (sorted) strictly below x / at most x. */
static int below(const int *v, int n, int x)
{
	int lo = 0, hi = n;
	while (lo < hi) { int m = (lo + hi) / 2; if (v[m] < x) lo = m + 1; else hi = m; }
	return lo;
}

static int atmost(const int *v, int n, int x) { return below(v, n, x + 1); }

static int icmp(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

struct cand { long score; int x; };

/* A track of a large channel is closed after this many runs in a row did
 * not fit on it, so filling costs O(runs + tracks × this), not runs ×
 * tracks (a 50 × 50 fan-out has 2,500 runs on ~2,000 tracks). */
#ifndef TRACK_MISSES
#define TRACK_MISSES 64
#endif

static int cand_cmp(const void *a, const void *b)
{
	const struct cand *p = a, *q = b;
	if (p->score != q->score) return p->score < q->score ? -1 : 1;
	return p->x - q->x;
}

/* A binary min-heap of candidates by (score, run). */
struct heap { struct cand *v; int n; };

static void heap_push(struct heap *h, struct cand c)
{
	int i = h->n++;
	while (i > 0 && cand_cmp(&c, &h->v[(i - 1) / 2]) < 0) {
		h->v[i] = h->v[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	h->v[i] = c;
}

static struct cand heap_pop(struct heap *h)
{
	struct cand top = h->v[0], last = h->v[--h->n];
	int i = 0;
	for (;;) {
		int c = 2 * i + 1;
		if (c >= h->n) break;
		if (c + 1 < h->n && cand_cmp(&h->v[c + 1], &h->v[c]) < 0) c++;
		if (cand_cmp(&h->v[c], &last) >= 0) break;
		h->v[i] = h->v[c];
		i = c;
	}
	if (h->n) h->v[i] = last;
	return top;
}

/* Each run's score as tracks_exact() gives it on the first track:
 * A(x) + S(b) - S(a) - B(x), with A / B the runs whose top / bottom
 * column is strictly inside x and S(c) the runs whose span holds c
 * strictly inside; counted over sorted columns. Malloc'd. */
static struct cand *score_runs(struct piece **pc, int np)
{
	int *va = ml_alloc((size_t)np, sizeof(int)), *vb = ml_alloc((size_t)np, sizeof(int));
	int *vl = ml_alloc((size_t)np, sizeof(int)), *vh = ml_alloc((size_t)np, sizeof(int));
	for (int x = 0; x < np; x++) {
		struct piece *p = pc[x];
		va[x] = p->a; vb[x] = p->b;
		vl[x] = p->a < p->b ? p->a : p->b;
		vh[x] = p->a < p->b ? p->b : p->a;
	}
	qsort(va, (size_t)np, sizeof(int), icmp);
	qsort(vb, (size_t)np, sizeof(int), icmp);
	qsort(vl, (size_t)np, sizeof(int), icmp);
	qsort(vh, (size_t)np, sizeof(int), icmp);
	struct cand *all = ml_alloc((size_t)np, sizeof *all);
	for (int x = 0; x < np; x++) {
		struct piece *p = pc[x];
		int l = p->a < p->b ? p->a : p->b, h = p->a < p->b ? p->b : p->a;
		long A = below(va, np, h) - atmost(va, np, l);
		long B = below(vb, np, h) - atmost(vb, np, l);
		long Sb = below(vl, np, p->b) - atmost(vh, np, p->b);
		long Sa = below(vl, np, p->a) - atmost(vh, np, p->a);
		all[x] = (struct cand){ A + Sb - Sa - B, x };
	}
	free(va); free(vb); free(vl); free(vh);
	return all;
}

/* The order the runs' tracks must keep, as successor lists and counts of
 * predecessors: a piece after the piece before it; a last piece after
 * every other hop's first piece that starts at its bottom column. */
static void run_constraints(struct lctx *L, const int *segs, const struct pref *pp,
                            struct piece **pc, int np, int *indeg, struct ivec *succ)
{
	struct colref *bya = ml_alloc((size_t)np + 1, sizeof *bya);
	int na = 0;
	for (int x = 0; x < np; x++)
		if (pp[x].idx == 0) bya[na++] = (struct colref){ pc[x]->a, x };
	qsort(bya, (size_t)na, sizeof *bya, colref_cmp);
	for (int x = 0; x < np; x++) {
		if (pp[x].idx > 0) { iv_push(&succ[x - 1], x); indeg[x]++; }
		if (pp[x].idx != L->seg[segs[pp[x].seg]].npiece - 1) continue;
		int lo = 0, hi = na, col = pc[x]->b;
		while (lo < hi) { int m = (lo + hi) / 2; if (bya[m].col < col) lo = m + 1; else hi = m; }
		for (; lo < na && bya[lo].col == col; lo++)
			if (pp[bya[lo].k].seg != pp[x].seg) { iv_push(&succ[bya[lo].k], x); indeg[x]++; }
	}
	free(bya);
}

/* Tracks for the pieces of a large channel in O((runs + tracks ×
 * TRACK_MISSES) × log): every run is scored once, as tracks_exact()
 * scores them on the first track (crossings above all others minus
 * below), then the tracks are filled from the top, best score first, with
 * the runs whose vertical constraints are met and that overlap nothing
 * already on the track.
 * Returns the number of tracks, or -1 past maxtracks (the caller then
 * gives up on the drawing). */
static int tracks_fast(struct lctx *L, const int *segs, int ns, int np, int ncols, int maxtracks)
{
	struct piece **pc = ml_alloc((size_t)np, sizeof *pc);
	struct pref *pp = ml_alloc((size_t)np, sizeof *pp);
	int n = 0;
	for (int k = 0; k < ns; k++) {
		struct seg *s = &L->seg[segs[k]];
		for (int j = 0; j < s->npiece; j++) {
			pp[n] = (struct pref){ k, j };
			pc[n++] = &s->piece[j];
		}
	}
	struct cand *all = score_runs(pc, np);
	int *indeg = ml_alloc((size_t)np, sizeof(int));
	struct ivec *succ = ml_alloc((size_t)np, sizeof(struct ivec));
	run_constraints(L, segs, pp, pc, np, indeg, succ);
	/* fill the tracks: the runs whose constraints are met wait in a heap,
	 * best score first */
	struct heap h = { ml_alloc((size_t)np + 1, sizeof(struct cand)), 0 };
	struct cand *missed = ml_alloc((size_t)np + 1, sizeof *missed);
	int *newly = ml_alloc((size_t)np, sizeof(int)), *end = ml_alloc((size_t)ncols + 1, sizeof(int));
	struct fen f = { ml_alloc((size_t)ncols + 1, sizeof(int)), ncols };
	for (int x = 0; x < np; x++) if (!indeg[x]) heap_push(&h, all[x]);
	int placed = 0, t = 0, first_unplaced = 0;
	while (placed < np) {
		if (t >= maxtracks) { t = -1; break; }
		if (!h.n) {
			/* a cycle no dogleg could break: take the first run left */
			while (pc[first_unplaced]->track >= 0) first_unplaced++;
			heap_push(&h, all[first_unplaced]);
		}
		int nn = 0, nm = 0, misses = 0;
		while (h.n && misses < TRACK_MISSES) {
			struct cand cd = heap_pop(&h);
			struct piece *p = pc[cd.x];
			int l = p->a < p->b ? p->a : p->b, hi = p->a < p->b ? p->b : p->a;
			if (l < 0) l = 0;
			if (hi >= ncols) hi = ncols - 1;
			/* overlap: a run on this track starts inside [l, hi], or the
			 * nearest one starting left of l reaches l */
			int before = l > 0 ? fen_sum(&f, l - 1) : 0;
			bool clash = fen_sum(&f, hi) - before > 0 ||
			             (before > 0 && end[fen_kth(&f, before)] >= l);
			L->work++;
			if (clash) { missed[nm++] = cd; misses++; continue; }
			misses = 0;
			p->track = t;
			fen_add(&f, l, 1);
			end[l] = hi;
			newly[nn++] = cd.x;
			placed++;
		}
		for (int i = 0; i < nm; i++) heap_push(&h, missed[i]);
		/* clear the track, release what waited for the runs placed on it */
		for (int i = 0; i < nn; i++) {
			struct piece *p = pc[newly[i]];
			int l = p->a < p->b ? p->a : p->b;
			fen_add(&f, l < 0 ? 0 : l, -1);
			struct ivec *sv = &succ[newly[i]];
			for (int q = 0; q < sv->n; q++)
				if (--indeg[sv->v[q]] == 0 && pc[sv->v[q]]->track < 0) heap_push(&h, all[sv->v[q]]);
		}
		t++;
	}
	for (int x = 0; x < np; x++) free(succ[x].v);
	free(succ); free(indeg); free(all); free(h.v); free(missed); free(newly);
	free(end); free(f.t); free(pc); free(pp);
	return t;
}

/* Runs in a channel up to which tracks_exact() chooses the tracks (the
 * real diagrams of the corpus need at most 25, a generated 500-node map
 * 49); larger channels go to tracks_fast(). */
#define ROUTE_EXACT_MAX 64

/* Assigns tracks to the runs of one channel; returns the number of
 * tracks, or -1 when they would pass maxtracks. */
static int route_channel(struct lctx *L, int *segs, int ns, struct used *u, int maxtracks)
{
	cluster_end_columns(L, segs, ns, u);
	int np = make_pieces(L, segs, ns);
	if (!np) return 0;
	bool big = np > ROUTE_EXACT_MAX;
	np += dogleg_cycles(L, segs, ns, u, big);
	L->work += (size_t)ns;
	if (!big) {
		int t = tracks_exact(L, segs, ns, np);
		return t > maxtracks ? -1 : t;
	}
	return tracks_fast(L, segs, ns, np, u->n, maxtracks);
}

/* Most hops of a channel whose runs share a column (both ends on items,
 * as the ports put them): a lower bound on its tracks. */
static int channel_density(struct lctx *L, const int *segs, int ns)
{
	int *ev = ml_alloc(2 * (size_t)ns + 1, sizeof(int)), n = 0;
	for (int k = 0; k < ns; k++) {
		struct seg *s = &L->seg[segs[k]];
		if (s->u < 0 || s->v < 0 || s->a == s->b) continue;
		int l = s->a < s->b ? s->a : s->b, h = s->a < s->b ? s->b : s->a;
		ev[n++] = 2 * l + 1;       /* opens at l (after closes at l) */
		ev[n++] = 2 * (h + 1);     /* closes after h */
	}
	qsort(ev, (size_t)n, sizeof(int), icmp);
	int cur = 0, best = 0;
	for (int k = 0; k < n; k++) {
		cur += ev[k] & 1 ? 1 : -1;
		if (cur > best) best = cur;
	}
	free(ev);
	L->work += (size_t)ns;
	return best;
}

/* The drawn subgraphs that end on each rank (eitem[est[r] .. est[r+1]))
 * and that start on it (sitem[ssta[r] .. ssta[r+1])), each list in
 * increasing depth: counting sorts, linear in subgraphs and ranks. */
struct rank_lists { int *est, *eitem, *ssta, *sitem; };

static void subgraphs_by_rank(struct lctx *L, struct rank_lists *rl)
{
	int ns = (int)L->g->nsubgraphs, maxd = 0;
	for (int s = 0; s < ns; s++) if (L->sdrawn[s] && L->sdepth[s] > maxd) maxd = L->sdepth[s];
	int *byd = ml_alloc((size_t)ns + 1, sizeof(int)), *dcnt = ml_alloc((size_t)maxd + 2, sizeof(int));
	for (int s = 0; s < ns; s++) if (L->sdrawn[s]) dcnt[L->sdepth[s]]++;
	for (int d = 1; d <= maxd + 1; d++) dcnt[d] += dcnt[d - 1];
	int ndrawn = dcnt[maxd];
	for (int s = ns - 1; s >= 0; s--) if (L->sdrawn[s]) byd[--dcnt[L->sdepth[s]]] = s;
	int *est = ml_alloc((size_t)L->nrank + 2, sizeof(int)), *ssta = ml_alloc((size_t)L->nrank + 2, sizeof(int));
	int *eitem = ml_alloc((size_t)ndrawn + 1, sizeof(int)), *sitem = ml_alloc((size_t)ndrawn + 1, sizeof(int));
	for (int k = 0; k < ndrawn; k++) { est[L->smax[byd[k]] + 1]++; ssta[L->smin[byd[k]] + 1]++; }
	for (int r = 0; r <= L->nrank; r++) { est[r + 1] += est[r]; ssta[r + 1] += ssta[r]; }
	int *ef = ml_alloc((size_t)L->nrank + 1, sizeof(int)), *sf = ml_alloc((size_t)L->nrank + 1, sizeof(int));
	memcpy(ef, est, (size_t)L->nrank * sizeof(int));
	memcpy(sf, ssta, (size_t)L->nrank * sizeof(int));
	for (int k = 0; k < ndrawn; k++) {
		int s = byd[k];
		eitem[ef[L->smax[s]]++] = s;
		sitem[sf[L->smin[s]]++] = s;
	}
	free(ef); free(sf); free(byd); free(dcnt);
	*rl = (struct rank_lists){ est, eitem, ssta, sitem };
}

/* Rows between rank r and r + 1 and where the subgraph borders go: for
 * each rank in turn its band, the bottom borders of the subgraphs ending
 * there (innermost first, with a row for edges leaving them), the
 * tracks, the top borders of the subgraphs starting below (outermost
 * first, with a row for edges entering them) and an arrow row. Sets
 * L->band, L->chan, L->stop / sbot / sin / sout and L->P. */
static void channel_rows(struct lctx *L, const int *ntrack, struct ivec *cs)
{
	const struct mm_graph *g = L->g;
	int ns = (int)g->nsubgraphs;
	/* which clusters have edges starting / ending at their borders */
	char *hasout = ml_alloc((size_t)ns + 1, 1), *hasin = ml_alloc((size_t)ns + 1, 1);
	for (int s = 0; s < L->nseg; s++) {
		if (L->seg[s].u < 0 && L->seg[s].ucl >= 0) hasout[L->seg[s].ucl] = 1;
		if (L->seg[s].v < 0 && L->seg[s].vcl >= 0) hasin[L->seg[s].vcl] = 1;
	}
	struct rank_lists rl;
	subgraphs_by_rank(L, &rl);
	int *est = rl.est, *ssta = rl.ssta, *eitem = rl.eitem, *sitem = rl.sitem;
	int p = 0;
	for (int r = -1; r < L->nrank; r++) {
		if (r >= 0) {
			L->band[r] = p;
			p += L->bdepth[r];
		}
		/* section A: clusters ending at r, innermost first */
		if (r >= 0 && est[r + 1] > est[r]) {
			p++;   /* padding below the boxes */
			for (int k = est[r + 1] - 1; k >= est[r]; ) {
				int d = L->sdepth[eitem[k]], k0 = k;
				bool out = false;
				for (; k >= est[r] && L->sdepth[eitem[k]] == d; k--) {
					L->sbot[eitem[k]] = p;
					if (hasout[eitem[k]]) out = true;
				}
				p++;
				if (out) {
					for (int j = k0; j > k; j--) L->sout[eitem[j]] = p;
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
		bool anystart = ssta[r + 2] > ssta[r + 1];
		for (int k = ssta[r + 1]; k < ssta[r + 2]; ) {
			int d = L->sdepth[sitem[k]], k0 = k;
			bool in = false;
			for (; k < ssta[r + 2] && L->sdepth[sitem[k]] == d; k++)
				if (hasin[sitem[k]]) in = true;
			if (in) {
				for (int j = k0; j < k; j++) L->sin[sitem[j]] = p;
				p++;
			}
			for (int j = k0; j < k; j++) L->stop[sitem[j]] = p;
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
	free(hasout); free(hasin); free(est); free(ssta); free(eitem); free(sitem);
}

/* First and last p row of each hop's line. */
static void hop_rows(struct lctx *L)
{
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
}

void ml_route(struct lctx *L)
{
	size_t ns = L->g->nsubgraphs;
	assign_ports(L);
	int maxq = 0;
	for (int i = 0; i < L->nit; i++)
		if (L->it[i].q + L->it[i].breadth > maxq) maxq = L->it[i].q + L->it[i].breadth;
	L->band = ml_alloc((size_t)L->nrank + 1, sizeof(int));
	L->bdepth = ml_alloc((size_t)L->nrank + 1, sizeof(int));
	L->chan = ml_alloc((size_t)L->nrank + 1, sizeof(int));
	L->stop = ml_alloc(ns + 1, sizeof(int));
	L->sbot = ml_alloc(ns + 1, sizeof(int));
	L->sin = ml_alloc(ns + 1, sizeof(int));
	L->sout = ml_alloc(ns + 1, sizeof(int));
	long rows = 0;
	for (int r = 0; r < L->nrank; r++) {
		int d = 0;
		for (int k = 0; k < L->rk[r].n; k++) {
			struct item *t = &L->it[L->rk[r].v[k]];
			if (t->kind != IT_BL && t->kind != IT_BR && t->depth > d) d = t->depth;
		}
		L->bdepth[r] = d ? d : 1;
		rows += L->bdepth[r];
	}
	/* the canvas is at least maxq wide: tracks beyond what the cell
	 * budget leaves for its height mean the drawing is too large */
	long max_rows = maxq > 0 ? L->max_cells / maxq : L->max_cells;
	int *ntrack = ml_alloc((size_t)L->nrank + 1, sizeof(int));
	struct ivec *cs = ml_alloc((size_t)L->nrank + 1, sizeof(struct ivec));
	for (int s = 0; s < L->nseg; s++) iv_push(&cs[L->seg[s].rank], s);
	/* before routing: runs that overlap at one column need a track each */
	long lower = rows;
	for (int r = 0; r + 1 < L->nrank; r++) lower += channel_density(L, cs[r].v, cs[r].n);
	if (lower > max_rows) {
		L->too_large = true;
		snprintf(L->why, sizeof L->why, "the drawing would be more than %ld cells (%d %s by at least %ld %s)",
		         L->max_cells, maxq, L->horiz ? "rows" : "columns", lower, L->horiz ? "columns" : "rows");
	}
	struct used u = { 0 };
	u.n = maxq + 2 * L->nseg + 8;
	u.m = ml_alloc((size_t)u.n, 1);
	u.nr = ml_alloc((size_t)u.n, sizeof(int));
	u.nl = ml_alloc((size_t)u.n, sizeof(int));
	for (int r = 0; r + 1 < L->nrank && !L->too_large; r++) {
		used_clear(&u);
		for (int k = 0; k < cs[r].n; k++) {
			struct seg *s = &L->seg[cs[r].v[k]];
			if (s->u >= 0) used_set(&u, s->a);
			if (s->v >= 0) used_set(&u, s->b);
		}
		long left = max_rows - rows;
		ntrack[r] = route_channel(L, cs[r].v, cs[r].n, &u, left > ML_INF ? ML_INF : (int)(left > 0 ? left : 0));
		if (ntrack[r] < 0) {
			L->too_large = true;
			snprintf(L->why, sizeof L->why, "the drawing would be more than %ld cells (%d %s by more than %ld %s)",
			         L->max_cells, maxq, L->horiz ? "rows" : "columns", max_rows, L->horiz ? "columns" : "rows");
		} else
			rows += ntrack[r];
	}
	free(u.m);
	free(u.nr);
	free(u.nl);
	free(u.set.v);
	if (!L->too_large) {
		channel_rows(L, ntrack, cs);
		hop_rows(L);
		/* width: the items, and the doglegs' columns */
		int Q = 0;
		for (int i = 0; i < L->nit; i++)
			if (L->it[i].q + L->it[i].breadth > Q) Q = L->it[i].q + L->it[i].breadth;
		for (int s = 0; s < L->nseg; s++)
			for (int k = 0; k < L->seg[s].npiece; k++) {
				if (L->seg[s].piece[k].a + 1 > Q) Q = L->seg[s].piece[k].a + 1;
				if (L->seg[s].piece[k].b + 1 > Q) Q = L->seg[s].piece[k].b + 1;
			}
		L->Q = Q;
		if ((long)L->P * Q > L->max_cells) {
			L->too_large = true;
			snprintf(L->why, sizeof L->why, "the drawing would be %d by %d cells, more than %ld",
			         L->horiz ? L->P : Q, L->horiz ? Q : L->P, L->max_cells);
		}
	}
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
