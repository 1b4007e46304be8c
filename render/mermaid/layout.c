/* layout.c — layered layout of a Mermaid flowchart on a cell grid.
 *
 * Everything is computed in abstract coordinates: p runs along the ranks
 * (down in TD, right in LR) and q across them. Ranks are bands of p; between
 * two bands lies a channel whose rows hold subgraph borders and the
 * horizontal tracks of edge routes. The final step maps (p, q) to (x, y)
 * and mirrors for BT / RL. This file owns ranking, ordering and
 * placement; routing is in route.c, drawing in draw.c, and render.c runs
 * the stages in that order.
 */
#include "render/mermaid/layout.h"
#include "render/mermaid/layout_int.h"
#include "render/width.h"

#include <utf8proc.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------- ranking ---------- */

struct redge { int u, v, minlen; };

/* Reverses the back edges of a DFS (in node order) so the graph is acyclic. */
static void break_cycles(int n, struct redge *re, int nre)
{
	int *state = ml_alloc((size_t)n, sizeof(int));      /* 0 new, 1 on stack, 2 done */
	int *head = ml_alloc((size_t)n, sizeof(int));
	int *next = ml_alloc((size_t)nre + 1, sizeof(int));
	for (int i = 0; i < n; i++) head[i] = -1;
	for (int e = nre - 1; e >= 0; e--) {
		next[e] = head[re[e].u];
		head[re[e].u] = e;
	}
	int *stack = ml_alloc((size_t)n + 1, sizeof(int));
	int *cur = ml_alloc((size_t)n, sizeof(int));
	char *rev = ml_alloc((size_t)nre + 1, 1);
	for (int s = 0; s < n; s++) {
		if (state[s]) continue;
		int sp = 0;
		stack[sp++] = s;
		state[s] = 1;
		cur[s] = head[s];
		while (sp) {
			int v = stack[sp - 1];
			int e = cur[v];
			if (e < 0) {
				state[v] = 2;
				sp--;
				continue;
			}
			cur[v] = next[e];
			int w = re[e].v;
			if (state[w] == 1)
				rev[e] = 1;
			else if (state[w] == 0) {
				state[w] = 1;
				cur[w] = head[w];
				stack[sp++] = w;
			}
		}
	}
	for (int e = 0; e < nre; e++)
		if (rev[e]) {
			int t = re[e].u;
			re[e].u = re[e].v;
			re[e].v = t;
		}
	free(state); free(head); free(next); free(stack); free(cur); free(rev);
}

/* Longest-path layering of the (acyclic) rank graph, then nodes with more
 * edges on one side moved toward it; ranks start at 0. */
static void assign_ranks(int n, struct redge *re, int nre, int *rank, const int *clu, int nclu)
{
	int *cmin = ml_alloc((size_t)nclu + 1, sizeof(int)), *cmax = ml_alloc((size_t)nclu + 1, sizeof(int));
	int *indeg = ml_alloc((size_t)n, sizeof(int));
	int *outdeg = ml_alloc((size_t)n, sizeof(int));
	int *order = ml_alloc((size_t)n, sizeof(int));
	int *head = ml_alloc((size_t)n, sizeof(int));
	int *next = ml_alloc((size_t)nre + 1, sizeof(int));
	int *ihead = ml_alloc((size_t)n, sizeof(int));
	int *inext = ml_alloc((size_t)nre + 1, sizeof(int));
	for (int i = 0; i < n; i++) head[i] = ihead[i] = -1;
	for (int e = 0; e < nre; e++) {
		next[e] = head[re[e].u]; head[re[e].u] = e;
		inext[e] = ihead[re[e].v]; ihead[re[e].v] = e;
		indeg[re[e].v]++;
		outdeg[re[e].u]++;
	}
	int *deg = ml_alloc((size_t)n, sizeof(int));
	memcpy(deg, indeg, (size_t)n * sizeof(int));
	int no = 0;
	for (int i = 0; i < n; i++)
		if (!deg[i]) order[no++] = i;
	for (int k = 0; k < no; k++) {
		int v = order[k];
		for (int e = head[v]; e >= 0; e = next[e])
			if (--deg[re[e].v] == 0) order[no++] = re[e].v;
	}
	for (int i = 0; i < n; i++) rank[i] = 0;
	for (int k = 0; k < no; k++) {
		int v = order[k];
		for (int e = head[v]; e >= 0; e = next[e])
			if (rank[re[e].v] < rank[v] + re[e].minlen)
				rank[re[e].v] = rank[v] + re[e].minlen;
	}
	/* balance: pull nodes toward the side with more edges */
	for (int pass = 0; pass < 8; pass++) {
		int moved = 0;
		/* members of a subgraph stay within its current rank span */
		for (int c = 0; c < nclu; c++) { cmin[c] = ML_INF; cmax[c] = -ML_INF; }
		for (int i = 0; i < n; i++)
			if (clu[i] >= 0) {
				if (rank[i] < cmin[clu[i]]) cmin[clu[i]] = rank[i];
				if (rank[i] > cmax[clu[i]]) cmax[clu[i]] = rank[i];
			}
		for (int k = no - 1; k >= 0; k--) {
			int v = order[k];
			if (outdeg[v] == 0 || outdeg[v] < indeg[v]) continue;
			if (outdeg[v] == indeg[v] && indeg[v] > 0) continue;
			int hi = ML_INF;
			for (int e = head[v]; e >= 0; e = next[e])
				if (rank[re[e].v] - re[e].minlen < hi) hi = rank[re[e].v] - re[e].minlen;
			if (clu[v] >= 0 && hi > cmax[clu[v]]) hi = cmax[clu[v]];
			if (hi > rank[v]) { rank[v] = hi; moved = 1; }
		}
		for (int k = 0; k < no; k++) {
			int v = order[k];
			if (indeg[v] == 0 || indeg[v] <= outdeg[v]) continue;
			int lo = 0;
			for (int e = ihead[v]; e >= 0; e = inext[e])
				if (rank[re[e].u] + re[e].minlen > lo) lo = rank[re[e].u] + re[e].minlen;
			if (clu[v] >= 0 && lo < cmin[clu[v]]) lo = cmin[clu[v]];
			if (lo < rank[v]) { rank[v] = lo; moved = 1; }
		}
		if (!moved) break;
	}
	int mn = ML_INF;
	for (int i = 0; i < n; i++) if (rank[i] < mn) mn = rank[i];
	for (int i = 0; i < n; i++) rank[i] -= mn;
	free(indeg); free(outdeg); free(order); free(head); free(next);
	free(ihead); free(inext); free(deg); free(cmin); free(cmax);
}

/* ---------- helpers over the cluster tree ---------- */

/* Depth (1 at the top), a preorder interval [tin, tout] and the place
 * among its siblings of every subgraph, from the parent links in one walk
 * (no recursion: nesting may be deep), so ancestry tests are O(1). */
static void cluster_tree(struct lctx *L)
{
	const struct mm_graph *g = L->g;
	int ns = (int)g->nsubgraphs;
	L->sdepth = ml_alloc((size_t)ns + 1, sizeof(int));
	L->tin = ml_alloc((size_t)ns + 1, sizeof(int));
	L->tout = ml_alloc((size_t)ns + 1, sizeof(int));
	L->childpos = ml_alloc((size_t)ns + 1, sizeof(int));
	/* children by parent (index order), then where each sits in its
	 * parent's own list */
	int *start = ml_alloc((size_t)ns + 2, sizeof(int)), *kid = ml_alloc((size_t)ns + 1, sizeof(int));
	for (int s = 0; s < ns; s++) {
		int p = g->subgraphs[s].parent;
		start[(p >= 0 && p < ns && p != s ? p : ns) + 1]++;
	}
	for (int s = 0; s < ns; s++) start[s + 1] += start[s];
	int *fill = ml_alloc((size_t)ns + 1, sizeof(int));
	memcpy(fill, start, (size_t)(ns + 1) * sizeof(int));
	for (int s = 0; s < ns; s++) {
		int p = g->subgraphs[s].parent;
		kid[fill[p >= 0 && p < ns && p != s ? p : ns]++] = s;
	}
	for (int s = 0; s < ns; s++) L->childpos[s] = ML_INF + s;
	for (int s = 0; s < ns; s++)
		for (size_t k = 0; k < g->subgraphs[s].nchildren; k++) {
			int c = g->subgraphs[s].children[k];
			if (c >= 0 && c < ns && g->subgraphs[c].parent == s) L->childpos[c] = (int)k;
		}
	for (int s = 0; s < ns; s++)
		if (g->subgraphs[s].parent < 0) L->childpos[s] = s;
	/* preorder from the top-level subgraphs; anything a loop of parent
	 * links hid becomes a root of its own */
	int *stack = ml_alloc(2 * (size_t)ns + 2, sizeof(int));
	char *seen = ml_alloc((size_t)ns + 1, 1);
	int clock = 0;
	for (int k = -1; k < ns; k++) {
		int root = k < 0 ? -1 : k;
		if (root >= 0 && seen[root]) continue;
		int sp = 0;
		if (root < 0) {
			for (int j = start[ns + 1] - 1; j >= start[ns]; j--) stack[sp++] = ~kid[j];
		} else
			stack[sp++] = ~root;
		while (sp) {
			int v = stack[--sp];
			if (v >= 0) { L->tout[v] = clock - 1; continue; }
			v = ~v;
			if (seen[v]) continue;
			seen[v] = 1;
			int p = g->subgraphs[v].parent;
			L->sdepth[v] = (p >= 0 && p < ns && p != v && seen[p] ? L->sdepth[p] : 0) + 1;
			L->tin[v] = clock++;
			stack[sp++] = v;
			for (int j = start[v + 1] - 1; j >= start[v]; j--)
				if (!seen[kid[j]]) stack[sp++] = ~kid[j];
		}
	}
	free(start); free(kid); free(fill); free(stack); free(seen);
}

/* True when subgraph a is s or lies inside it. */
static bool sg_in_sg(const struct lctx *L, int a, int s)
{
	return a >= 0 && L->tin[a] >= L->tin[s] && L->tin[a] <= L->tout[s];
}

/* True when node n lies in subgraph s or one of its descendants. */
static bool node_in_sg(const struct lctx *L, int n, int s)
{
	return sg_in_sg(L, L->g->nodes[n].subgraph, s);
}

/* ---------- items ---------- */

static int new_item(struct lctx *L, int kind, int rank, int sg)
{
	if (L->nit == L->capit) {
		L->capit = L->capit ? L->capit * 2 : 64;
		L->it = ml_realloc(L->it, (size_t)L->capit, sizeof(struct item));
	}
	struct item *t = &L->it[L->nit];
	memset(t, 0, sizeof *t);
	t->kind = kind;
	t->rank = rank;
	t->sg = sg;
	t->node = -1;
	t->le = -1;
	return L->nit++;
}

static int new_seg(struct lctx *L, int u, int v, int le)
{
	if (L->nseg == L->capseg) {
		L->capseg = L->capseg ? L->capseg * 2 : 64;
		L->seg = ml_realloc(L->seg, (size_t)L->capseg, sizeof(struct seg));
	}
	struct seg *s = &L->seg[L->nseg];
	memset(s, 0, sizeof *s);
	s->u = u; s->v = v; s->le = le;
	s->ucl = s->vcl = -1;
	return L->nseg++;
}

/* The cluster a dummy of edge (cu → cv clusters, ranks ru < r < rv) lives in:
 * the deepest enclosing subgraph of either end whose rank span holds r. */
static int dummy_cluster(struct lctx *L, int cu, int cv, int r, int ru, int rv)
{
	const struct mm_graph *g = L->g;
	int best = -1, bestd = 0;
	for (int side = 0; side < 2; side++) {
		int c = side ? cv : cu;
		for (; c >= 0; c = g->subgraphs[c].parent) {
			if (L->smin[c] > r || L->smax[c] < r) continue;
			int d = L->sdepth[c];
			int dist = side ? rv - r : r - ru;
			if (d > bestd || (d == bestd && dist < 0)) {
				best = c;
				bestd = d;
			}
			break;
		}
	}
	/* must also contain the other end's chain: fall back to the common ancestor */
	if (best >= 0) {
		bool okl = false;
		for (int c = cu; c >= 0; c = g->subgraphs[c].parent) if (c == best) okl = true;
		for (int c = cv; c >= 0; c = g->subgraphs[c].parent) if (c == best) okl = true;
		if (!okl) best = -1;
	}
	return best;
}

/* ---------- ordering ---------- */

struct ent { double key; int pos; int item; int cl; };

static int ent_cmp(const void *a, const void *b)
{
	const struct ent *x = a, *y = b;
	if (x->key < y->key) return -1;
	if (x->key > y->key) return 1;
	return x->pos - y->pos;
}

/* Stable sort of entries: insertion sort for the short runs ranks have. */
static void ent_sort(struct ent *e, int n)
{
	if (n > 32) {
		qsort(e, (size_t)n, sizeof *e, ent_cmp);
		return;
	}
	for (int i = 1; i < n; i++) {
		struct ent x = e[i];
		int j = i;
		while (j > 0 && ent_cmp(&e[j - 1], &x) > 0) { e[j] = e[j - 1]; j--; }
		e[j] = x;
	}
}

/* Rank r's plain items grouped by the cluster that holds them and its
 * subgraph blocks grouped by their parent, for sort_cluster(). Built in
 * time linear in the rank (only the clusters present are touched). */
struct rgroups {
	int *items;   /* items[ista[c + 1] .. + icnt[c + 1]): plain items of c, rank order */
	int *blocks;  /* blocks[bsta[p + 1] .. + bcnt[p + 1]): left borders of p's children */
};

static const struct lctx *bl_L;   /* qsort context of bl_cmp */

/* Left borders by their subgraph's place in its parent's child list. */
static int bl_cmp(const void *a, const void *b)
{
	const struct lctx *L = bl_L;
	int x = L->childpos[L->it[*(const int *)a].sg], y = L->childpos[L->it[*(const int *)b].sg];
	return (x > y) - (x < y);
}

static void rgroups_build(struct lctx *L, int r, struct rgroups *gr)
{
	struct ivec *ri = &L->rk[r];
	L->gtouched.n = 0;
	for (int k = 0; k < ri->n; k++) {
		struct item *t = &L->it[ri->v[k]];
		int slot = t->kind == IT_BR ? -1 : t->kind == IT_BL ? L->g->subgraphs[t->sg].parent + 1 : t->sg + 1;
		if (slot < 0) continue;
		int *cnt = t->kind == IT_BL ? L->bcnt : L->icnt;
		if (!L->icnt[slot] && !L->bcnt[slot]) iv_push(&L->gtouched, slot);
		cnt[slot]++;
	}
	int io = 0, bo = 0;
	for (int k = 0; k < L->gtouched.n; k++) {
		int x = L->gtouched.v[k];
		L->ista[x] = io; io += L->icnt[x];
		L->bsta[x] = bo; bo += L->bcnt[x];
		L->icnt[x] = L->bcnt[x] = 0;   /* refilled below */
	}
	/* scratch kept in L across calls, as long as the longest rank */
	if (ri->n > L->gcap) {
		L->gcap = ri->n;
		L->gitems = ml_realloc(L->gitems, (size_t)L->gcap, sizeof(int));
		L->gblocks = ml_realloc(L->gblocks, (size_t)L->gcap, sizeof(int));
	}
	gr->items = L->gitems;
	gr->blocks = L->gblocks;
	for (int k = 0; k < ri->n; k++) {
		int i = ri->v[k];
		struct item *t = &L->it[i];
		if (t->kind == IT_BR) continue;
		if (t->kind == IT_BL) {
			int x = L->g->subgraphs[t->sg].parent + 1;
			gr->blocks[L->bsta[x] + L->bcnt[x]++] = i;
		} else {
			int x = t->sg + 1;
			gr->items[L->ista[x] + L->icnt[x]++] = i;
		}
	}
	/* children in the order of their parent's list */
	bl_L = L;
	for (int k = 0; k < L->gtouched.n; k++) {
		int x = L->gtouched.v[k];
		if (L->bcnt[x] > 1)
			qsort(gr->blocks + L->bsta[x], (size_t)L->bcnt[x], sizeof(int), bl_cmp);
	}
}

static void rgroups_free(struct lctx *L, struct rgroups *gr)
{
	for (int k = 0; k < L->gtouched.n; k++) {
		int x = L->gtouched.v[k];
		L->icnt[x] = L->bcnt[x] = 0;
	}
	gr->items = gr->blocks = NULL;
}

/* Emits rank r's items of cluster c (and its child clusters, recursively)
 * into out, sorted by key[]; child clusters sorted by gkey[] when gkey is
 * given (keeping their slots), else by the mean key of their items. Returns
 * the sum of keys and count through *sum / *cnt. */
static void sort_cluster(struct lctx *L, const struct rgroups *gr, int r, int c, const double *key,
                         const double *gkey, struct ivec *out, double *sum, int *cnt)
{
	int x = c + 1;
	int nit = L->icnt[x], nch = L->bcnt[x];
	const int *its = gr->items + L->ista[x], *bls = gr->blocks + L->bsta[x];
	int ne = 0;
	struct ent *e = ml_alloc((size_t)nit + (size_t)nch + 1, sizeof(struct ent));
	for (int k = 0; k < nit; k++) {
		int i = its[k];
		e[ne].key = key[i];
		e[ne].pos = L->it[i].order;
		e[ne].item = i;
		e[ne].cl = -1;
		ne++;
	}
	/* child clusters present in rank r: their sorted items, key sums and
	 * counts (one allocation for all, none when there are none) */
	struct child { struct ivec items; double sum; int cnt, id; } *ch_ = nch ? ml_alloc((size_t)nch, sizeof *ch_) : NULL;
	int nsub = 0;
	for (int k = 0; k < nch; k++) {
		int bl = bls[k], ch = L->it[bl].sg;
		struct ivec tmp = {0};
		double s = 0;
		int n = 0;
		sort_cluster(L, gr, r, ch, key, gkey, &tmp, &s, &n);
		e[ne].key = n ? s / n : key[bl];
		e[ne].pos = L->it[bl].order;
		e[ne].item = -1;
		e[ne].cl = nsub;
		ch_[nsub] = (struct child){ tmp, s, n, ch };
		nsub++;
		ne++;
	}
	ent_sort(e, ne);
	L->work += (size_t)ne + 1;
	if (gkey && nsub) {
		/* clusters keep their slots but take the global order */
		int *slots = ml_alloc((size_t)ne + 1, sizeof(int));
		struct ent *ce = ml_alloc((size_t)ne + 1, sizeof(struct ent));
		int ns = 0;
		for (int k = 0; k < ne; k++)
			if (e[k].cl >= 0) {
				slots[ns] = k;
				ce[ns] = e[k];
				ce[ns].key = gkey[ch_[e[k].cl].id];
				ce[ns].pos = k;
				ns++;
			}
		ent_sort(ce, ns);
		for (int k = 0; k < ns; k++) e[slots[k]] = ce[k];
		free(slots);
		free(ce);
	}
	if (c >= 0) iv_push(out, L->bl[c][r - L->smin[c]]);
	for (int k = 0; k < ne; k++) {
		if (e[k].item >= 0) {
			iv_push(out, e[k].item);
			*sum += key[e[k].item];
			(*cnt)++;
		} else {
			struct ivec *t = &ch_[e[k].cl].items;
			for (int q = 0; q < t->n; q++) iv_push(out, t->v[q]);
			*sum += ch_[e[k].cl].sum;
			*cnt += ch_[e[k].cl].cnt;
		}
	}
	if (c >= 0) iv_push(out, L->br[c][r - L->smin[c]]);
	for (int k = 0; k < nsub; k++) free(ch_[k].items.v);
	free(ch_); free(e);
}

static void set_rank_order(struct lctx *L, int r, struct ivec *nv)
{
	struct ivec *ri = &L->rk[r];
	memcpy(ri->v, nv->v, (size_t)nv->n * sizeof(int));
	for (int k = 0; k < ri->n; k++) L->it[ri->v[k]].order = k;
}

static void sort_rank(struct lctx *L, int r, const double *key, const double *gkey)
{
	struct ivec nv = {0};
	double s = 0;
	int n = 0;
	struct rgroups gr;
	rgroups_build(L, r, &gr);
	sort_cluster(L, &gr, r, -1, key, gkey, &nv, &s, &n);
	rgroups_free(L, &gr);
	if (nv.n == L->rk[r].n)
		set_rank_order(L, r, &nv);
	free(nv.v);
}

/* Barycenter keys of rank r's items against rank r + dir. */
static void bary_keys(struct lctx *L, int r, int dir, double *key)
{
	struct ivec *ri = &L->rk[r];
	for (int k = 0; k < ri->n; k++) {
		int i = ri->v[k];
		struct item *t = &L->it[i];
		struct ivec *nb = dir < 0 ? &t->up : &t->down;
		double s = 0;
		int n = 0;
		double pos[64];
		for (int q = 0; q < nb->n; q++) {
			struct seg *sg = &L->seg[nb->v[q]];
			int o = dir < 0 ? sg->u : sg->v;
			if (o < 0) continue;
			s += L->it[o].order;
			if (n < 64) pos[n] = L->it[o].order;
			n++;
		}
		if (n && L->use_median && n <= 64) {
			/* median of the neighbour positions (mean of the middle two) */
			for (int a = 1; a < n; a++)
				for (int b = a; b > 0 && pos[b] < pos[b - 1]; b--) {
					double tmp = pos[b]; pos[b] = pos[b - 1]; pos[b - 1] = tmp;
				}
			key[i] = n % 2 ? pos[n / 2] : (pos[n / 2 - 1] + pos[n / 2]) / 2;
		} else
			key[i] = n ? s / n : (double)t->order * (L->rk[r + dir].n + 1) / (ri->n + 1);
	}
}

/* Crossings between rank r and r+1 (segment order inversions). */
static long rank_crossings(struct lctx *L, int r)
{
	struct ivec *ri = &L->rk[r];
	int nr1 = L->rk[r + 1].n;
	long cross = 0;
	int *tree = ml_alloc((size_t)nr1 + 2, sizeof(int));
	int total = 0;
	for (int k = 0; k < ri->n; k++) {
		struct item *t = &L->it[ri->v[k]];
		/* this item's segments, sorted by lower order */
		int n = t->down.n;
		for (int a = 0; a < n; a++) {
			int s = t->down.v[a];
			if (L->seg[s].v < 0) continue;
			int pv = L->it[L->seg[s].v].order;
			/* count already-inserted with order > pv */
			int le = 0;
			for (int x = pv + 1; x > 0; x -= x & -x) le += tree[x];
			cross += total - le;
		}
		for (int a = 0; a < n; a++) {
			int s = t->down.v[a];
			if (L->seg[s].v < 0) continue;
			int pv = L->it[L->seg[s].v].order;
			for (int x = pv + 1; x <= nr1 + 1; x += x & -x) tree[x]++;
			total++;
		}
	}
	free(tree);
	return cross;
}

static long all_crossings(struct lctx *L)
{
	long c = 0;
	for (int r = 0; r + 1 < L->nrank; r++) c += rank_crossings(L, r);
	return c;
}

/* Global order keys of clusters: mean relative position over their ranks. */
static void cluster_gkeys(struct lctx *L, double *gkey)
{
	const struct mm_graph *g = L->g;
	for (size_t s = 0; s < g->nsubgraphs; s++) {
		gkey[s] = 0;
		if (!L->sdrawn[s]) continue;
		double sum = 0;
		int n = 0;
		for (int r = L->smin[s]; r <= L->smax[s]; r++) {
			int bl = L->bl[s][r - L->smin[s]];
			sum += (L->it[bl].order + 0.5) / (L->rk[r].n + 1.0);
			n++;
		}
		gkey[s] = n ? sum / n : 0;
	}
}

/* True when rank r's sibling subgraph blocks already follow gkey. */
static bool rank_cluster_ordered(struct lctx *L, int r, const double *gkey, double *last)
{
	const struct mm_graph *g = L->g;
	/* last[p + 1]: gkey of the previous block seen under parent p on this
	 * rank (none when its stamp is not this call's) */
	int stamp = ++L->lstamp_now;
	struct ivec *ri = &L->rk[r];
	for (int k = 0; k < ri->n; k++) {
		struct item *t = &L->it[ri->v[k]];
		if (t->kind != IT_BL) continue;
		int p = g->subgraphs[t->sg].parent + 1;
		if (L->lstamp[p] == stamp && gkey[t->sg] < last[p]) return false;
		L->lstamp[p] = stamp;
		last[p] = gkey[t->sg];
	}
	return true;
}

static void enforce_cluster_order(struct lctx *L, double *key, double *gkey)
{
	if (!L->g->nsubgraphs) return;
	cluster_gkeys(L, gkey);
	double *last = ml_alloc(L->g->nsubgraphs + 1, sizeof(double));
	for (int r = 0; r < L->nrank; r++) {
		if (rank_cluster_ordered(L, r, gkey, last)) continue;
		for (int k = 0; k < L->rk[r].n; k++) key[L->rk[r].v[k]] = k;
		sort_rank(L, r, key, gkey);
	}
	free(last);
}

static int int_cmp(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

/* Orders of the other ends of the hops in v (those that have one), sorted
 * into out; returns how many. */
static int end_orders(struct lctx *L, const struct ivec *v, int dir, int *out)
{
	int n = 0;
	for (int i = 0; i < v->n; i++) {
		struct seg *s = &L->seg[v->v[i]];
		int o = dir < 0 ? s->u : s->v;
		if (o >= 0) out[n++] = L->it[o].order;
	}
	qsort(out, (size_t)n, sizeof(int), int_cmp);
	return n;
}

/* pair_cross() for items with many edges: pairs (x in a, y in b) with
 * x's other end right of y's, counted over both sorted lists. */
static int pair_cross_sorted(struct lctx *L, const struct ivec *na, const struct ivec *nb, int dir)
{
	int *x = ml_alloc((size_t)na->n + 1, sizeof(int)), *y = ml_alloc((size_t)nb->n + 1, sizeof(int));
	int nx = end_orders(L, na, dir, x), ny = end_orders(L, nb, dir, y);
	int c = 0, j = 0;
	for (int i = 0; i < nx; i++) {
		while (j < ny && y[j] < x[i]) j++;
		c += j;
	}
	free(x);
	free(y);
	return c;
}

/* Crossings among a's and b's edges to rank r+dir if a is left of b. */
static int pair_cross(struct lctx *L, int a, int b, int dir)
{
	struct ivec *na = dir < 0 ? &L->it[a].up : &L->it[a].down;
	struct ivec *nb = dir < 0 ? &L->it[b].up : &L->it[b].down;
	int c = 0;
	L->work += (size_t)(na->n + nb->n) + 1;
	if (na->n * nb->n > 64) return pair_cross_sorted(L, na, nb, dir);
	for (int i = 0; i < na->n; i++) {
		struct seg *s1 = &L->seg[na->v[i]];
		int o1 = dir < 0 ? s1->u : s1->v;
		if (o1 < 0) continue;
		for (int j = 0; j < nb->n; j++) {
			struct seg *s2 = &L->seg[nb->v[j]];
			int o2 = dir < 0 ? s2->u : s2->v;
			if (o2 < 0) continue;
			if (L->it[o1].order > L->it[o2].order) c++;
		}
	}
	return c;
}

/* Moves plain items across an adjacent sibling subgraph block (all its
 * items on this rank) when that removes crossings. Returns 1 if it did. */
static int block_hops(struct lctx *L, int r)
{
	struct ivec *ri = &L->rk[r];
	int improved = 0;
	for (int k = 0; k + 1 < ri->n; k++) {
		int a = ri->v[k], nb = ri->v[k + 1];
		struct item *ta = &L->it[a], *tn = &L->it[nb];
		if (ta->kind == IT_BL || ta->kind == IT_BR) continue;
		if (tn->kind != IT_BL || L->g->subgraphs[tn->sg].parent != ta->sg) continue;
		int end = k + 1;
		while (end < ri->n && !(L->it[ri->v[end]].kind == IT_BR && L->it[ri->v[end]].sg == tn->sg)) end++;
		if (end >= ri->n) continue;
		int now = 0, sw = 0;
		for (int j = k + 1; j <= end; j++) {
			int b = ri->v[j];
			now += pair_cross(L, a, b, -1) + pair_cross(L, a, b, 1);
			sw += pair_cross(L, b, a, -1) + pair_cross(L, b, a, 1);
		}
		if (sw < now) {
			memmove(&ri->v[k], &ri->v[k + 1], (size_t)(end - k) * sizeof(int));
			ri->v[end] = a;
			for (int j = k; j <= end; j++) L->it[ri->v[j]].order = j;
			improved = 1;
		}
	}
	for (int k = ri->n - 1; k > 0; k--) {
		int a = ri->v[k], pb = ri->v[k - 1];
		struct item *ta = &L->it[a], *tp = &L->it[pb];
		if (ta->kind == IT_BL || ta->kind == IT_BR) continue;
		if (tp->kind != IT_BR || L->g->subgraphs[tp->sg].parent != ta->sg) continue;
		int st = k - 1;
		while (st >= 0 && !(L->it[ri->v[st]].kind == IT_BL && L->it[ri->v[st]].sg == tp->sg)) st--;
		if (st < 0) continue;
		int now = 0, sw = 0;
		for (int j = st; j < k; j++) {
			int b = ri->v[j];
			now += pair_cross(L, b, a, -1) + pair_cross(L, b, a, 1);
			sw += pair_cross(L, a, b, -1) + pair_cross(L, a, b, 1);
		}
		if (sw < now) {
			memmove(&ri->v[st + 1], &ri->v[st], (size_t)(k - st) * sizeof(int));
			ri->v[st] = a;
			for (int j = st; j <= k; j++) L->it[ri->v[j]].order = j;
			improved = 1;
		}
	}
	return improved;
}

static void transpose(struct lctx *L)
{
	for (int pass = 0; pass < 6; pass++) {
		int improved = 0;
		if (L->g->nsubgraphs)
			for (int r = 0; r < L->nrank; r++) improved |= block_hops(L, r);
		for (int r = 0; r < L->nrank; r++) {
			struct ivec *ri = &L->rk[r];
			for (int k = 0; k + 1 < ri->n; k++) {
				int a = ri->v[k], b = ri->v[k + 1];
				struct item *ta = &L->it[a], *tb = &L->it[b];
				if (ta->kind == IT_BL || ta->kind == IT_BR || tb->kind == IT_BL ||
				    tb->kind == IT_BR || ta->sg != tb->sg)
					continue;
				int now = pair_cross(L, a, b, -1) + pair_cross(L, a, b, 1);
				int sw = pair_cross(L, b, a, -1) + pair_cross(L, b, a, 1);
				if (sw < now) {
					ri->v[k] = b; ri->v[k + 1] = a;
					ta->order = k + 1; tb->order = k;
					improved = 1;
				}
			}
		}
		if (!improved) break;
	}
}

/* Starting orders: declaration, reversed, bottom-up, and shuffled ones. */
#define NSTART 6

/* Orders each rank to reduce crossings: from up to three starting orders
 * (declaration, reversed, bottom-up), alternating barycenter / median
 * sweeps with a restart from the best, then transposition; keeps the best. */
static void order_items(struct lctx *L)
{
	size_t n = (size_t)L->nit;
	double *key = ml_alloc(n, sizeof(double));
	double *gkey = ml_alloc(L->g->nsubgraphs + 1, sizeof(double));
	int **best = ml_alloc((size_t)L->nrank, sizeof(int *));
	int **init = ml_alloc((size_t)L->nrank, sizeof(int *));
	int **gbest = ml_alloc((size_t)L->nrank, sizeof(int *));
	for (int r = 0; r < L->nrank; r++) {
		size_t sz = (size_t)L->rk[r].n + 1;
		best[r] = ml_alloc(sz, sizeof(int));
		init[r] = ml_alloc(sz, sizeof(int));
		gbest[r] = ml_alloc(sz, sizeof(int));
		memcpy(init[r], L->rk[r].v, (size_t)L->rk[r].n * sizeof(int));
	}
	long gbestc = -1;
	/* the shuffled starts only for small maps, where they are cheap */
	int variants = L->nit < 300 ? NSTART : L->nit < 600 ? 3 : 1;
	int only = L->variant >= 0 ? L->variant % NSTART : -1;
	unsigned seed = 12345;
	for (int var = 0; var < variants && (gbestc != 0 || only >= 0); var++) {
		if (only >= 0 && var != only)
			continue;
		for (int r = 0; r < L->nrank; r++) {
			int m = L->rk[r].n;
			for (int k = 0; k < m; k++)
				L->rk[r].v[k] = var == 1 ? init[r][m - 1 - k] : init[r][k];
			if (var >= 3)   /* a shuffled start (fixed seed: the same drawing every time) */
				for (int k = m - 1; k > 0; k--) {
					seed = seed * 1103515245u + 12345u;
					int j = (int)((seed >> 16) % (unsigned)(k + 1));
					int t = L->rk[r].v[k];
					L->rk[r].v[k] = L->rk[r].v[j];
					L->rk[r].v[j] = t;
				}
			for (int k = 0; k < m; k++) {
				L->it[L->rk[r].v[k]].order = k;
				key[L->rk[r].v[k]] = k;
			}
			sort_rank(L, r, key, NULL);
		}
		/* initial order: one barycenter pass, top-down (bottom-up for var 2) */
		if (var == 2)
			for (int r = L->nrank - 2; r >= 0; r--) { bary_keys(L, r, 1, key); sort_rank(L, r, key, NULL); }
		else
			for (int r = 1; r < L->nrank; r++) { bary_keys(L, r, -1, key); sort_rank(L, r, key, NULL); }
		enforce_cluster_order(L, key, gkey);
		long bestc = all_crossings(L);
		for (int r = 0; r < L->nrank; r++)
			memcpy(best[r], L->rk[r].v, (size_t)L->rk[r].n * sizeof(int));
		int iters = L->nit > 3000 ? 8 : var ? 8 : 24;
		if (var >= 3)
			iters = 4;
		for (int it = 0; it < iters && bestc > 0; it++) {
			L->use_median = (it / 4) % 2 == 1;
			if (it == iters / 2) {
				/* restart the second half from the best order so far */
				for (int r = 0; r < L->nrank; r++) {
					memcpy(L->rk[r].v, best[r], (size_t)L->rk[r].n * sizeof(int));
					for (int k = 0; k < L->rk[r].n; k++) L->it[L->rk[r].v[k]].order = k;
				}
				transpose(L);
			}
			if ((it + var) % 2 == 0)
				for (int r = 1; r < L->nrank; r++) { bary_keys(L, r, -1, key); sort_rank(L, r, key, NULL); }
			else
				for (int r = L->nrank - 2; r >= 0; r--) { bary_keys(L, r, 1, key); sort_rank(L, r, key, NULL); }
			enforce_cluster_order(L, key, gkey);
			long c = all_crossings(L);
			if (c < bestc) {
				bestc = c;
				for (int r = 0; r < L->nrank; r++)
					memcpy(best[r], L->rk[r].v, (size_t)L->rk[r].n * sizeof(int));
			}
		}
		for (int r = 0; r < L->nrank; r++) {
			memcpy(L->rk[r].v, best[r], (size_t)L->rk[r].n * sizeof(int));
			for (int k = 0; k < L->rk[r].n; k++) L->it[L->rk[r].v[k]].order = k;
		}
		transpose(L);
		long c = all_crossings(L);
		if (gbestc < 0 || c < gbestc) {
			gbestc = c;
			for (int r = 0; r < L->nrank; r++)
				memcpy(gbest[r], L->rk[r].v, (size_t)L->rk[r].n * sizeof(int));
		}
	}
	bool mirror = L->variant >= NSTART;
	for (int r = 0; r < L->nrank; r++) {
		int m = L->rk[r].n;
		for (int k = 0; k < m; k++)
			L->rk[r].v[k] = mirror ? gbest[r][m - 1 - k] : gbest[r][k];
		if (mirror) {
			/* the subgraph borders swap sides with the order */
			for (int k = 0; k < m; k++) {
				struct item *t = &L->it[L->rk[r].v[k]];
				if (t->kind == IT_BL) t->kind = IT_BR;
				else if (t->kind == IT_BR) t->kind = IT_BL;
			}
		}
		for (int k = 0; k < m; k++) L->it[L->rk[r].v[k]].order = k;
		free(best[r]); free(init[r]); free(gbest[r]);
	}
	if (mirror)
		for (size_t sg = 0; sg < L->g->nsubgraphs; sg++) {
			int *t = L->bl[sg];
			L->bl[sg] = L->br[sg];
			L->br[sg] = t;
		}
	free(best); free(init); free(gbest); free(key); free(gkey);
}

/* ---------- coordinates across ranks (q) ---------- */

static bool solid(const struct item *t) { return t->kind == IT_NODE || t->kind == IT_LABEL; }

static int item_gap(struct lctx *L, const struct item *a, const struct item *b)
{
	if (!L->horiz && solid(a) && solid(b)) return 2;
	return 1;
}

/* Column (q) where edges attach to a dummy, or the box centre of a node. */
static double item_center(const struct item *t)
{
	if (t->kind == IT_DUMMY || t->kind == IT_LABEL) return t->q + t->bw / 2;
	return t->q + t->bw / 2.0;
}

/* Column (relative to o->q) where the hop to item other attaches on o: a
 * dummy's line, or the port a node will give it (ports are spread over the
 * box side in the order of the other ends, as assign_ports does). */
static double attach_rel(struct lctx *L, int o, int other, bool below)
{
	struct item *t = &L->it[o];
	if (t->kind != IT_NODE) return t->bw / 2;
	struct ivec *v = below ? &t->down : &t->up;
	int k = 0, j = 0;
	int oo = L->it[other].order;
	const int *so = L->ends_sorted ? L->ends_sorted[2 * o + below] : NULL;
	if (so) {
		/* many edges: count by binary search over the sorted orders */
		k = so[0];
		int lo = 0, hi = k;
		while (lo < hi) { int m = (lo + hi) / 2; if (so[1 + m] < oo) lo = m + 1; else hi = m; }
		j = lo;
	}
	for (int i = 0; !so && i < v->n; i++) {
		struct seg *sg = &L->seg[v->v[i]];
		int x = below ? sg->v : sg->u;
		if (x < 0) continue;
		k++;
		if (L->it[x].order < oo) j++;
	}
	if (!k) return t->bw / 2.0;
	int ni = t->bw - 2;
	return 1 + ((2 * j + 1) * ni) / (2 * k);
}

/* Places rank r by weighted isotonic regression toward desired centres
 * (pool adjacent violators), then restores the minimum gaps. */
static void place_rank(struct lctx *L, int r, int dir, const double *lcen, const double *rcen)
{
	struct ivec *ri = &L->rk[r];
	int n = ri->n;
	if (!n) return;
	double *t = ml_alloc((size_t)n, sizeof(double));
	double *w = ml_alloc((size_t)n, sizeof(double));
	double *s = ml_alloc((size_t)n, sizeof(double));
	double acc = 0;
	for (int k = 0; k < n; k++) {
		struct item *it = &L->it[ri->v[k]];
		s[k] = acc;
		acc += it->breadth;
		if (k + 1 < n) acc += item_gap(L, it, &L->it[ri->v[k + 1]]);
		double sum = 0, ws = 0;
		for (int side = 0; side < 2; side++) {
			if ((side == 0 && dir > 0) || (side == 1 && dir < 0)) continue;
			struct ivec *nb = side == 0 ? &it->up : &it->down;
			for (int j = 0; j < nb->n; j++) {
				struct seg *sg = &L->seg[nb->v[j]];
				int o = side == 0 ? sg->u : sg->v;
				if (o < 0) continue;
				struct item *ot = &L->it[o];
				double wt = 1;
				bool d1 = it->kind == IT_DUMMY || it->kind == IT_LABEL;
				bool d2 = ot->kind == IT_DUMMY || ot->kind == IT_LABEL;
				if (d1 && d2) wt = 8; else if (d1 || d2) wt = 2;
				/* where it would sit if its attach column met ot's */
				double want = ot->q + attach_rel(L, o, ri->v[k], side == 0) -
				              attach_rel(L, ri->v[k], o, side == 1);
				sum += wt * want;
				ws += wt;
			}
		}
		double off = 0;
		if (it->kind == IT_BL && lcen) { sum = lcen[it->sg] * 4; ws = 4; off = 0; }
		if (it->kind == IT_BR && rcen) { sum = rcen[it->sg] * 4; ws = 4; off = 0; }
		if (L->anchor && it->kind == IT_NODE) {
			/* a weak pull toward the centred, packed position limits drift */
			double aw = L->anchor_w;
			sum += aw * (L->anchor[ri->v[k]] + off);
			ws += aw;
		}
		if (ws > 0) {
			t[k] = sum / ws - off - s[k];
			w[k] = ws;
		} else {
			t[k] = it->q - s[k];
			w[k] = 1e-3;
		}
	}
	/* PAVA for non-decreasing y */
	double *bv = ml_alloc((size_t)n, sizeof(double));
	double *bw = ml_alloc((size_t)n, sizeof(double));
	int *bn = ml_alloc((size_t)n, sizeof(int));
	int nb = 0;
	for (int k = 0; k < n; k++) {
		bv[nb] = t[k]; bw[nb] = w[k]; bn[nb] = 1; nb++;
		while (nb > 1 && bv[nb - 2] > bv[nb - 1]) {
			double W = bw[nb - 2] + bw[nb - 1];
			bv[nb - 2] = (bv[nb - 2] * bw[nb - 2] + bv[nb - 1] * bw[nb - 1]) / W;
			bw[nb - 2] = W;
			bn[nb - 2] += bn[nb - 1];
			nb--;
		}
	}
	int k = 0;
	for (int b = 0; b < nb; b++)
		for (int j = 0; j < bn[b]; j++, k++)
			L->it[ri->v[k]].q = (int)lround(bv[b] + s[k]);
	for (k = 1; k < n; k++) {
		struct item *a = &L->it[ri->v[k - 1]], *b = &L->it[ri->v[k]];
		int lo = a->q + a->breadth + item_gap(L, a, b);
		if (b->q < lo) b->q = lo;
	}
	free(t); free(w); free(s); free(bv); free(bw); free(bn);
}

/* Pushes items right until every gap holds and each subgraph's border
 * items share one column (a longest-path pass over the constraint DAG). */
static void compact(struct lctx *L)
{
	const struct mm_graph *g = L->g;
	int nv = L->nit + 2 * (int)g->nsubgraphs;
	int *var = ml_alloc((size_t)L->nit, sizeof(int));
	for (int i = 0; i < L->nit; i++) {
		struct item *t = &L->it[i];
		if (t->kind == IT_BL) var[i] = L->nit + 2 * t->sg;
		else if (t->kind == IT_BR) var[i] = L->nit + 2 * t->sg + 1;
		else var[i] = i;
	}
	int *val = ml_alloc((size_t)nv, sizeof(int));
	for (int v = 0; v < nv; v++) val[v] = -ML_INF;
	for (int i = 0; i < L->nit; i++) {
		int v = var[i];
		int x = L->it[i].q;
		if (L->it[i].kind == IT_BL) { if (val[v] == -ML_INF || x < val[v]) val[v] = x; }
		else if (x > val[v]) val[v] = x;
	}
	/* constraint edges */
	struct ce { int a, b, sep; };
	int nce = 0, cap = L->nit + 2 * (int)g->nsubgraphs + 4;
	struct ce *ce = ml_alloc((size_t)cap, sizeof *ce);
	for (int r = 0; r < L->nrank; r++) {
		struct ivec *ri = &L->rk[r];
		for (int k = 0; k + 1 < ri->n; k++) {
			struct item *a = &L->it[ri->v[k]], *b = &L->it[ri->v[k + 1]];
			if (nce == cap) { cap *= 2; ce = ml_realloc(ce, (size_t)cap, sizeof *ce); }
			ce[nce++] = (struct ce){ var[ri->v[k]], var[ri->v[k + 1]], a->breadth + item_gap(L, a, b) };
		}
	}
	for (size_t s = 0; s < g->nsubgraphs; s++) {
		if (!L->sdrawn[s]) continue;
		if (nce == cap) { cap *= 2; ce = ml_realloc(ce, (size_t)cap, sizeof *ce); }
		int minw = L->horiz ? 4 : L->stitle_w[s] + 5;
		ce[nce++] = (struct ce){ L->nit + 2 * (int)s, L->nit + 2 * (int)s + 1, minw - 1 };
	}
	/* Kahn over vars */
	int *indeg = ml_alloc((size_t)nv, sizeof(int));
	int *head = ml_alloc((size_t)nv, sizeof(int));
	int *next = ml_alloc((size_t)nce + 1, sizeof(int));
	for (int v = 0; v < nv; v++) head[v] = -1;
	for (int e = 0; e < nce; e++) {
		next[e] = head[ce[e].a]; head[ce[e].a] = e;
		indeg[ce[e].b]++;
	}
	int *queue = ml_alloc((size_t)nv, sizeof(int));
	int qn = 0;
	for (int v = 0; v < nv; v++) if (!indeg[v]) queue[qn++] = v;
	for (int k = 0; k < qn; k++) {
		int v = queue[k];
		for (int e = head[v]; e >= 0; e = next[e]) {
			int b = ce[e].b;
			if (val[b] < val[v] + ce[e].sep) val[b] = val[v] + ce[e].sep;
			if (--indeg[b] == 0) queue[qn++] = b;
		}
	}
	/* a cycle of constraints (cannot happen with consistent blocks)
	 * leaves the columns as placed */
	if (qn == nv) {
		/* pull each var left/right toward its neighbours within its slack */
		for (int pass = 0; pass < 3; pass++) {
			for (int k = qn - 1; k >= 0; k--) {
				int v = queue[k];
				if (v >= L->nit) {
					if ((v - L->nit) % 2 == 0) {
						/* left border: as far right as its successors allow */
						int hi = ML_INF;
						for (int e = head[v]; e >= 0; e = next[e])
							if (val[ce[e].b] - ce[e].sep < hi) hi = val[ce[e].b] - ce[e].sep;
						if (hi < ML_INF && hi > val[v]) val[v] = hi;
					}
					continue;
				}
				int hi = ML_INF;
				for (int e = head[v]; e >= 0; e = next[e])
					if (val[ce[e].b] - ce[e].sep < hi) hi = val[ce[e].b] - ce[e].sep;
				/* desired from neighbours */
				struct item *t = &L->it[v];
				double sum = 0; int n = 0;
				for (int side = 0; side < 2; side++) {
					struct ivec *nb = side ? &t->down : &t->up;
					for (int j = 0; j < nb->n; j++) {
						struct seg *sg = &L->seg[nb->v[j]];
						int o = side ? sg->v : sg->u;
						if (o < 0) continue;
						struct item *ot = &L->it[o];
						int ov = var[o];
						double oc = ov == o ? val[ov] + (item_center(ot) - ot->q) : item_center(ot);
						sum += oc; n++;
					}
				}
				if (!n || hi >= ML_INF) continue;
				int want = (int)lround(sum / n - (item_center(t) - t->q));
				if (want > val[v]) val[v] = want < hi ? want : hi;
			}
		}
		for (int i = 0; i < L->nit; i++) L->it[i].q = val[var[i]];
	}
	free(var); free(val); free(ce); free(indeg); free(head); free(next); free(queue);
}

/* Deletes columns that no item covers on any rank, keeping each rank's
 * minimum gaps and each subgraph's title width: vertical lines all sit in
 * covered columns, so edges only get shorter. */
static void squeeze_columns(struct lctx *L)
{
	int mn = ML_INF, W = 0;
	for (int i = 0; i < L->nit; i++) {
		if (L->it[i].q < mn) mn = L->it[i].q;
		if (L->it[i].q + L->it[i].breadth > W) W = L->it[i].q + L->it[i].breadth;
	}
	if (mn < 0) for (int i = 0; i < L->nit; i++) L->it[i].q -= mn;
	if (mn < 0) W -= mn;
	char *del = ml_alloc((size_t)W + 1, 1);
	for (int c = 0; c < W; c++) del[c] = 1;
	for (int i = 0; i < L->nit; i++)
		for (int c = L->it[i].q; c < L->it[i].q + L->it[i].breadth && c < W; c++)
			if (c >= 0) del[c] = 0;
	for (int r = 0; r < L->nrank; r++) {
		struct ivec *ri = &L->rk[r];
		for (int k = 0; k + 1 < ri->n; k++) {
			struct item *a = &L->it[ri->v[k]], *b = &L->it[ri->v[k + 1]];
			int ea = a->q + a->breadth - 1, sb = b->q;
			int excess = (sb - ea - 1) - item_gap(L, a, b);
			int cnt = 0;
			for (int c = ea + 1; c < sb; c++) cnt += del[c];
			for (int c = ea + 1; c < sb && cnt > excess; c++)
				if (del[c]) { del[c] = 0; cnt--; }
		}
	}
	for (size_t s = 0; s < L->g->nsubgraphs; s++) {
		if (!L->sdrawn[s] || L->horiz) continue;
		int l = L->it[L->bl[s][0]].q, r = L->it[L->br[s][0]].q;
		int need = L->stitle_w[s] + 4, cnt = 0;
		for (int c = l + 1; c < r; c++) cnt += del[c];
		for (int c = l + 1; c < r && (r - l) - cnt < need; c++)
			if (del[c]) { del[c] = 0; cnt--; }
	}
	int *shift = ml_alloc((size_t)W + 1, sizeof(int));
	int acc = 0;
	for (int c = 0; c < W; c++) { shift[c] = acc; acc += del[c]; }
	for (int i = 0; i < L->nit; i++)
		if (L->it[i].q >= 0 && L->it[i].q < W) L->it[i].q -= shift[L->it[i].q];
	free(del);
	free(shift);
}

/* True when item i (at order k of its rank) may sit with its attach column
 * at col without breaking the gaps to its neighbours or the canvas width. */
static bool fits_at(struct lctx *L, int i, int col, int wmax)
{
	struct item *t = &L->it[i];
	int q = col - t->bw / 2;
	struct ivec *ri = &L->rk[t->rank];
	int k = t->order;
	if (q < 0 || q + t->breadth > wmax) return false;
	if (k > 0) {
		struct item *a = &L->it[ri->v[k - 1]];
		if (a->q + a->breadth + item_gap(L, a, t) > q) return false;
	}
	if (k + 1 < ri->n) {
		struct item *b = &L->it[ri->v[k + 1]];
		if (q + t->breadth + item_gap(L, t, b) > b->q) return false;
	}
	return true;
}

/* Runs each edge's dummies down one column where every rank has room:
 * the source's or target's centre, or the chain's median column. */
static void straighten(struct lctx *L)
{
	int wmax = 0;
	for (int i = 0; i < L->nit; i++)
		if (L->it[i].q + L->it[i].breadth > wmax) wmax = L->it[i].q + L->it[i].breadth;
	int *chain = ml_alloc((size_t)L->nit + 1, sizeof(int));
	for (int pass = 0; pass < 2; pass++)
	for (size_t e = 0; e < L->g->nedges; e++) {
		struct ledge *le = &L->le[e];
		if (le->self || le->dropped || le->nseg < 2) continue;
		int n = 0;
		for (int k = 0; k + 1 < le->nseg; k++) chain[n++] = L->seg[le->first_seg + k].v;
		if (n <= 0 || chain[0] < 0) continue;
		int cand[7], nc = 0;
		int u = L->seg[le->first_seg].u, v = L->seg[le->first_seg + le->nseg - 1].v;
		if (u >= 0) cand[nc++] = L->it[u].q + (int)attach_rel(L, u, chain[0], true);
		if (v >= 0) cand[nc++] = L->it[v].q + (int)attach_rel(L, v, chain[n - 1], false);
		cand[nc++] = L->it[chain[n / 2]].q + L->it[chain[n / 2]].bw / 2;
		cand[nc++] = L->it[chain[0]].q + L->it[chain[0]].bw / 2;
		cand[nc++] = L->it[chain[n - 1]].q + L->it[chain[n - 1]].bw / 2;
		if (u >= 0) cand[nc++] = L->it[u].q + L->it[u].bw / 2;
		if (v >= 0) cand[nc++] = L->it[v].q + L->it[v].bw / 2;
		for (int c = 0; c < nc; c++) {
			bool ok = true;
			for (int k = 0; k < n && ok; k++) ok = chain[k] >= 0 && fits_at(L, chain[k], cand[c], wmax);

			if (!ok) continue;
			for (int k = 0; k < n; k++) L->it[chain[k]].q = cand[c] - L->it[chain[k]].bw / 2;
			break;
		}
		/* local: snap a dummy onto a neighbour's column when that does not
		 * break its alignment with the other neighbour */
		int cols[2];
		for (int k = 0; k < n; k++) {
			int d = chain[k];
			if (d < 0) continue;
			int me = L->it[d].q + L->it[d].bw / 2;
			int pc = k > 0 ? L->it[chain[k - 1]].q + L->it[chain[k - 1]].bw / 2 :
			         u >= 0 ? L->it[u].q + (int)attach_rel(L, u, d, true) : -1;
			int nx = k + 1 < n ? L->it[chain[k + 1]].q + L->it[chain[k + 1]].bw / 2 :
			         v >= 0 ? L->it[v].q + (int)attach_rel(L, v, d, false) : -1;
			cols[0] = pc; cols[1] = nx;
			for (int c = 0; c < 2; c++) {
				int other = c ? pc : nx;
				if (cols[c] < 0 || cols[c] == me || other == me) continue;
				if (fits_at(L, d, cols[c], wmax)) {
					L->it[d].q = cols[c] - L->it[d].bw / 2;
					break;
				}
			}
		}
	}
	free(chain);
}

/* For nodes with many edges on a side, the orders of the other ends,
 * sorted (count first), so attach_rel() need not scan them. */
static void sort_ends(struct lctx *L)
{
	L->ends_sorted = ml_alloc(2 * (size_t)L->nit + 1, sizeof(int *));
	for (int i = 0; i < L->nit; i++) {
		struct item *t = &L->it[i];
		if (t->kind != IT_NODE) continue;
		for (int below = 0; below < 2; below++) {
			struct ivec *v = below ? &t->down : &t->up;
			if (v->n <= 16) continue;
			int *so = ml_alloc((size_t)v->n + 1, sizeof(int));
			so[0] = end_orders(L, v, below ? 1 : -1, so + 1);
			L->ends_sorted[2 * i + below] = so;
		}
	}
}

static void assign_q(struct lctx *L)
{
	const struct mm_graph *g = L->g;
	sort_ends(L);
	for (int r = 0; r < L->nrank; r++) {
		int x = 0;
		struct ivec *ri = &L->rk[r];
		for (int k = 0; k < ri->n; k++) {
			struct item *t = &L->it[ri->v[k]];
			t->q = x;
			x += t->breadth;
			if (k + 1 < ri->n) x += item_gap(L, t, &L->it[ri->v[k + 1]]);
		}
	}
	{
		int wmax = 0;
		for (int r = 0; r < L->nrank; r++) {
			struct ivec *ri = &L->rk[r];
			if (ri->n) {
				struct item *t = &L->it[ri->v[ri->n - 1]];
				if (t->q + t->breadth > wmax) wmax = t->q + t->breadth;
			}
		}
		L->anchor = ml_alloc((size_t)L->nit + 1, sizeof(double));
		for (int r = 0; r < L->nrank; r++) {
			struct ivec *ri = &L->rk[r];
			if (!ri->n) continue;
			struct item *t = &L->it[ri->v[ri->n - 1]];
			int off = (wmax - (t->q + t->breadth)) / 2;
			for (int k = 0; k < ri->n; k++) L->anchor[ri->v[k]] = L->it[ri->v[k]].q + off;
		}
		L->anchor_w = 1.0;
	}
	double *lc = ml_alloc(g->nsubgraphs + 1, sizeof(double));
	double *rc = ml_alloc(g->nsubgraphs + 1, sizeof(double));
	int iters = 6;
	for (int it = 0; it < iters; it++) {
		for (size_t s = 0; s < g->nsubgraphs; s++) {
			if (!L->sdrawn[s]) continue;
			double a = 0, b = 0;
			int n = L->smax[s] - L->smin[s] + 1;
			for (int k = 0; k < n; k++) { a += L->it[L->bl[s][k]].q; b += L->it[L->br[s][k]].q; }
			lc[s] = a / n; rc[s] = b / n;
		}
		if (it % 2 == 0)
			for (int r = 1; r < L->nrank; r++) place_rank(L, r, -1, lc, rc);
		else
			for (int r = L->nrank - 2; r >= 0; r--) place_rank(L, r, 1, lc, rc);
	}
	for (int r = 0; r < L->nrank; r++) place_rank(L, r, 0, lc, rc);
	compact(L);
	{
		int mn = ML_INF;
		for (int i = 0; i < L->nit; i++) if (L->it[i].q < mn) mn = L->it[i].q;
		for (int i = 0; i < L->nit; i++) L->it[i].q -= mn;
	}
	straighten(L);
	squeeze_columns(L);
	free(L->anchor);
	L->anchor = NULL;
	for (int i = 0; i < 2 * L->nit; i++) free(L->ends_sorted[i]);
	free(L->ends_sorted);
	L->ends_sorted = NULL;
	int mn = ML_INF;
	for (int i = 0; i < L->nit; i++) if (L->it[i].q < mn) mn = L->it[i].q;
	for (int i = 0; i < L->nit; i++) L->it[i].q -= mn;
	free(lc); free(rc);
}

/* ---------- build ---------- */

void ml_free(struct lctx *L)
{
	for (int i = 0; i < L->nit; i++) { free(L->it[i].up.v); free(L->it[i].down.v); }
	free(L->it);
	for (int s = 0; s < L->nseg; s++) free(L->seg[s].piece);
	free(L->seg);
	for (int r = 0; r < L->nrank; r++) free(L->rk[r].v);
	free(L->rk);
	if (L->bl) for (size_t s = 0; s < L->g->nsubgraphs; s++) { free(L->bl[s]); free(L->br[s]); }
	free(L->bl); free(L->br);
	free(L->smin); free(L->smax); free(L->sdrawn); free(L->stitle_w);
	free(L->le);
	free(L->rank);
	free(L->nodeitem);
	free(L->band); free(L->bdepth);
	free(L->chan);
	free(L->stop); free(L->sbot); free(L->sin); free(L->sout);
	free(L->sdepth); free(L->tin); free(L->tout); free(L->childpos);
	free(L->icnt); free(L->ista); free(L->bcnt); free(L->bsta); free(L->gtouched.v);
	free(L->lstamp);
	free(L->gitems); free(L->gblocks);
}

/* Representative node of subgraph s for an edge whose other end is node
 * x (or -1): a descendant on a different rank, nearest to x's rank. */
static int sg_rep(struct lctx *L, int s, int x, int prefer_below)
{
	const struct mm_graph *g = L->g;
	int best = -1, bestd = ML_INF;
	for (size_t n = 0; n < g->nnodes; n++) {
		if (!node_in_sg(L, (int)n, s) || (int)n == x) continue;
		if (x >= 0 && L->rank[n] == L->rank[x]) continue;
		int d = x >= 0 ? abs(L->rank[n] - L->rank[x]) : 0;
		if (x >= 0 && ((L->rank[n] > L->rank[x]) != prefer_below)) d += 1000;
		if (d < bestd) { bestd = d; best = (int)n; }
	}
	L->work += g->nnodes;
	return best;
}

/* Most rank edges an edge to or from a subgraph stands for (one per pair
 * of member nodes), and all of them together: past that the layering
 * alone would be more work than any drawing is worth. */
#define RANK_PAIRS_PER_EDGE 4096
#define RANK_EDGES_MAX 200000

static void too_large(struct lctx *L, const char *fmt, long n, long max)
{
	if (L->too_large) return;
	L->too_large = true;
	snprintf(L->why, sizeof L->why, fmt, n, max);
}

/* The rank-graph edges for edge e: from each node of its source end to
 * each node of its target end (members, when an end is a subgraph). */
static void add_rank_edges(struct lctx *L, struct redge **re, int *nre, int *cap,
                           const struct mm_edge *e, int minlen)
{
	const struct mm_graph *g = L->g;
	int nf = 0, nt = 0;
	int *fs = NULL, *ts = NULL;
	fs = ml_alloc(g->nnodes + 1, sizeof(int));
	ts = ml_alloc(g->nnodes + 1, sizeof(int));
	for (int side = 0; side < 2; side++) {
		const struct mm_ref *rf = side ? &e->to : &e->from;
		int *arr = side ? ts : fs;
		int *cnt = side ? &nt : &nf;
		if (!rf->is_subgraph) arr[(*cnt)++] = rf->index;
		else {
			for (size_t n = 0; n < g->nnodes; n++)
				if (node_in_sg(L, (int)n, rf->index)) arr[(*cnt)++] = (int)n;
			L->work += g->nnodes;
		}
	}
	int budget = RANK_PAIRS_PER_EDGE;
	for (int a = 0; a < nf; a++)
		for (int b = 0; b < nt && budget > 0; b++) {
			if (fs[a] == ts[b]) continue;
			if (e->from.is_subgraph && node_in_sg(L, ts[b], e->from.index)) continue;
			if (e->to.is_subgraph && node_in_sg(L, fs[a], e->to.index)) continue;
			if (*nre == *cap) { *cap *= 2; *re = ml_realloc(*re, (size_t)*cap, sizeof **re); }
			(*re)[(*nre)++] = (struct redge){ fs[a], ts[b], minlen };
			budget--;
		}
	free(fs); free(ts);
}

/* Wrapped labels of nodes and edges, and the subgraph title widths. */
static void prepare_labels(struct lctx *L, const struct mm_layout_opts *o)
{
	const struct mm_graph *g = L->g;
	struct mm_layout *lay = L->lay;
	int maxnw = o && o->max_node_width > 0 ? o->max_node_width : 24;
	int maxlw = o && o->max_label_width > 0 ? o->max_label_width : 20;
	for (size_t i = 0; i < g->nnodes; i++) {
		struct mm_node_layout *nl = &lay->nodes[i];
		nl->text = ml_wrap(g->nodes[i].label ? g->nodes[i].label : g->nodes[i].id, maxnw,
		                   &nl->text_w, &nl->text_h);
	}
	L->le = ml_alloc(g->nedges + 1, sizeof(struct ledge));
	for (size_t e = 0; e < g->nedges; e++) {
		struct ledge *le = &L->le[e];
		const struct mm_edge *ge = &g->edges[e];
		if (ge->label && ge->label[0]) {
			lay->edges[e].text = ml_wrap(ge->label, maxlw, &le->tw, &le->th);
			lay->edges[e].has_label = true;
		}
		le->self = !ge->from.is_subgraph && !ge->to.is_subgraph && ge->from.index == ge->to.index;
		le->top = le->bot = -1;
		le->topcl = le->botcl = -1;
		le->labitem = -1;
	}
	L->stitle_w = ml_alloc(g->nsubgraphs + 1, sizeof(int));
	for (size_t s = 0; s < g->nsubgraphs; s++)
		L->stitle_w[s] = rw_swidth(g->subgraphs[s].title ? g->subgraphs[s].title : g->subgraphs[s].id);
}

/* Ranks of the nodes (L->rank): cycles broken, longest path, balanced.
 * Returns the highest rank, or -1 past the rank-edge budget. */
static int rank_nodes(struct lctx *L)
{
	const struct mm_graph *g = L->g;
	int nn = (int)g->nnodes;
	int cap = (int)g->nedges * 2 + 8, nre = 0;
	struct redge *re = ml_alloc((size_t)cap, sizeof *re);
	for (size_t e = 0; e < g->nedges; e++) {
		const struct mm_edge *ge = &g->edges[e];
		if (L->le[e].self) continue;
		int len = ge->length > 0 ? ge->length : 1;
		if (len > 8) len = 8;
		int minlen = len + (L->lay->edges[e].has_label ? 1 : 0);
		add_rank_edges(L, &re, &nre, &cap, ge, minlen);
		if (nre > RANK_EDGES_MAX) {
			too_large(L, "edges to and from subgraphs stand for %ld node pairs, more than %ld", nre, RANK_EDGES_MAX);
			free(re);
			return -1;
		}
	}
	L->work += (size_t)nre * 10 + (size_t)nn;
	break_cycles(nn, re, nre);
	L->rank = ml_alloc((size_t)nn + 1, sizeof(int));
	int *clu = ml_alloc((size_t)nn + 1, sizeof(int));
	for (int i = 0; i < nn; i++) clu[i] = g->nodes[i].subgraph;
	assign_ranks(nn, re, nre, L->rank, clu, (int)g->nsubgraphs);
	free(clu);
	free(re);
	int maxr = 0;
	for (int i = 0; i < nn; i++) if (L->rank[i] > maxr) maxr = L->rank[i];
	return maxr;
}

/* Rank span [smin, smax] of every subgraph; which are drawn (an empty
 * one gets a placeholder on rank 0). */
static void subgraph_spans(struct lctx *L)
{
	const struct mm_graph *g = L->g;
	size_t ns = g->nsubgraphs;
	L->smin = ml_alloc(ns + 1, sizeof(int));
	L->smax = ml_alloc(ns + 1, sizeof(int));
	L->sdrawn = ml_alloc(ns + 1, sizeof(char));
	for (size_t s = 0; s < ns; s++) { L->smin[s] = ML_INF; L->smax[s] = -1; }
	for (size_t i = 0; i < g->nnodes; i++)
		for (int s = g->nodes[i].subgraph; s >= 0; s = g->subgraphs[s].parent) {
			if (L->rank[i] < L->smin[s]) L->smin[s] = L->rank[i];
			if (L->rank[i] > L->smax[s]) L->smax[s] = L->rank[i];
		}
	for (size_t s = 0; s < ns; s++) L->sdrawn[s] = L->smax[s] >= 0;
	/* empty subgraphs get a placeholder item on rank 0 (made below) */
	bool any_empty = false;
	for (size_t s = 0; s < ns; s++)
		if (!L->sdrawn[s]) {
			any_empty = true;
			for (int t = (int)s; t >= 0; t = g->subgraphs[t].parent) {
				if (L->smin[t] > 0) L->smin[t] = 0;
				if (L->smax[t] < 0) L->smax[t] = 0;
			}
		}
	if (any_empty)
		for (size_t s = 0; s < ns; s++) L->sdrawn[s] = L->smax[s] >= 0;
}

/* Which nodes (or subgraph borders) each edge joins in the layout, top
 * end first, and whether it runs against the ranks (rev); an edge whose
 * ends share a rank falls back to member nodes, becomes a self loop or is
 * dropped. */
static void edge_ends(struct lctx *L)
{
	const struct mm_graph *g = L->g;
	for (size_t e = 0; e < g->nedges; e++) {
		struct ledge *le = &L->le[e];
		const struct mm_edge *ge = &g->edges[e];
		if (le->self) continue;
		int fn = ge->from.is_subgraph ? -1 : ge->from.index;
		int tn = ge->to.is_subgraph ? -1 : ge->to.index;
		int fs = ge->from.is_subgraph ? ge->from.index : -1;
		int ts = ge->to.is_subgraph ? ge->to.index : -1;
		/* spans of each end as [lo, hi] */
		int flo = fn >= 0 ? L->rank[fn] : L->smin[fs], fhi = fn >= 0 ? L->rank[fn] : L->smax[fs];
		int tlo = tn >= 0 ? L->rank[tn] : L->smin[ts], thi = tn >= 0 ? L->rank[tn] : L->smax[ts];
		if ((fs >= 0 && !L->sdrawn[fs]) || (ts >= 0 && !L->sdrawn[ts])) {
			le->dropped = true;
			continue;
		}
		bool nested = (fs >= 0 && ts >= 0 && (sg_in_sg(L, fs, ts) || sg_in_sg(L, ts, fs))) ||
		              (fs >= 0 && tn >= 0 && node_in_sg(L, tn, fs)) ||
		              (ts >= 0 && fn >= 0 && node_in_sg(L, fn, ts));
		if (!nested && fhi < tlo) {
			le->rev = false;
			le->top = fn; le->topcl = fs; le->bot = tn; le->botcl = ts;
		} else if (!nested && thi < flo) {
			le->rev = true;
			le->top = tn; le->topcl = ts; le->bot = fn; le->botcl = fs;
		} else {
			/* fall back to member nodes */
			int a = fn, b = tn;
			if (a < 0) a = sg_rep(L, fs, b, 0);
			if (b < 0) b = sg_rep(L, ts, a, 1);
			if (a < 0 || b < 0 || a == b || L->rank[a] == L->rank[b]) {
				if (a >= 0 && (a == b || b < 0)) { le->self = true; le->selfnode = a; continue; }
				le->dropped = true;
				continue;
			}
			le->rev = L->rank[a] > L->rank[b];
			le->top = le->rev ? b : a;
			le->bot = le->rev ? a : b;
		}
	}
}

/* One item per node, sized for its label and its self loops. */
static void node_items(struct lctx *L)
{
	const struct mm_graph *g = L->g;
	struct mm_layout *lay = L->lay;
	int nn = (int)g->nnodes;
	L->nodeitem = ml_alloc((size_t)nn + 1, sizeof(int));
	/* self loops per node */
	int *nloops = ml_alloc((size_t)nn + 1, sizeof(int));
	int *looplw = ml_alloc((size_t)nn + 1, sizeof(int));
	int *looplh = ml_alloc((size_t)nn + 1, sizeof(int));
	for (size_t e = 0; e < g->nedges; e++) {
		struct ledge *le = &L->le[e];
		if (!le->self || le->dropped) continue;
		int n = g->edges[e].from.is_subgraph ? le->selfnode : g->edges[e].from.index;
		if (!g->edges[e].from.is_subgraph && !g->edges[e].to.is_subgraph) le->selfnode = n;
		le->loopk = nloops[n]++;
		if (lay->edges[e].has_label) {
			int pe = L->horiz ? le->tw : le->th, qe = L->horiz ? le->th : le->tw;
			le->labacc = looplh[n];
			if (L->horiz) { looplh[n] += qe; if (pe > looplw[n]) looplw[n] = pe; }
			else { looplh[n] += pe; if (qe > looplw[n]) looplw[n] = qe; }
		}
	}
	for (int i = 0; i < nn; i++) {
		int id = new_item(L, IT_NODE, L->rank[i], g->nodes[i].subgraph);
		L->nodeitem[i] = id;
		struct item *t = &L->it[id];
		t->node = i;
		int w = lay->nodes[i].text_w + 4, h = lay->nodes[i].text_h + 2;
		if (g->nodes[i].shape == MM_SHAPE_CIRCLE || g->nodes[i].shape == MM_SHAPE_DOUBLECIRCLE)
			w += 2;
		if (L->fixw && L->fixw[i] > 0) {
			w = L->fixw[i];
			h = L->fixh[i];
		}
		t->bw = L->horiz ? h : w;
		t->depth = L->horiz ? w : h;
		t->nloops = nloops[i];
		if (nloops[i]) {
			if (t->depth < 2 * nloops[i] + 2) t->depth = 2 * nloops[i] + 2;
			t->extra = nloops[i] + 1;
			if (looplw[i]) {
				if (L->horiz) {
					t->extra += looplh[i] + 1;
					if (t->depth < looplw[i] + 2) t->depth = looplw[i] + 2;
				} else {
					t->extra += looplw[i] + 1;
					if (t->depth < looplh[i] + 2) t->depth = looplh[i] + 2;
				}
			}
		}
	}
	free(nloops); free(looplw); free(looplh);
}

/* Left and right border items of every drawn subgraph on each rank of its
 * span, and a placeholder inside an empty one. */
static void border_items(struct lctx *L)
{
	const struct mm_graph *g = L->g;
	size_t ns = g->nsubgraphs;
	L->bl = ml_alloc(ns + 1, sizeof(int *));
	L->br = ml_alloc(ns + 1, sizeof(int *));
	char *has = ml_alloc(ns + 1, 1);
	for (size_t m = 0; m < g->nnodes; m++)
		for (int t = g->nodes[m].subgraph; t >= 0 && !has[t]; t = g->subgraphs[t].parent) has[t] = 1;
	for (size_t s = 0; s < ns; s++) {
		if (!L->sdrawn[s]) continue;
		int n = L->smax[s] - L->smin[s] + 1;
		L->bl[s] = ml_alloc((size_t)n, sizeof(int));
		L->br[s] = ml_alloc((size_t)n, sizeof(int));
		for (int k = 0; k < n; k++) {
			L->bl[s][k] = new_item(L, IT_BL, L->smin[s] + k, (int)s);
			L->it[L->bl[s][k]].breadth = L->it[L->bl[s][k]].bw = 1;
			L->br[s][k] = new_item(L, IT_BR, L->smin[s] + k, (int)s);
			L->it[L->br[s][k]].breadth = L->it[L->br[s][k]].bw = 1;
		}
		bool hasch = g->subgraphs[s].nchildren > 0;
		if (!has[s] && !hasch) {
			int id = new_item(L, IT_DUMMY, 0, (int)s);
			L->it[id].bw = 1;
			L->it[id].depth = 1;
		}
	}
	free(has);
}

/* Items the layered graph will have: nodes, subgraph borders on every
 * rank of their spans, and a point per rank crossed by each edge. */
static long count_items(struct lctx *L)
{
	const struct mm_graph *g = L->g;
	long n = (long)g->nnodes;
	for (size_t s = 0; s < g->nsubgraphs; s++)
		if (L->sdrawn[s]) n += 2L * (L->smax[s] - L->smin[s] + 1) + 1;
	for (size_t e = 0; e < g->nedges; e++) {
		struct ledge *le = &L->le[e];
		if (le->self || le->dropped) continue;
		int rt = le->top >= 0 ? L->rank[le->top] : L->smax[le->topcl];
		int rb = le->bot >= 0 ? L->rank[le->bot] : L->smin[le->botcl];
		n += rb - rt > 1 ? rb - rt - 1 : 0;
	}
	return n;
}

/* An item per rank an edge crosses (the middle one carries its label)
 * and a segment per hop between ranks. */
static void edge_items(struct lctx *L)
{
	const struct mm_graph *g = L->g;
	for (size_t e = 0; e < g->nedges; e++) {
		struct ledge *le = &L->le[e];
		if (le->self || le->dropped) continue;
		int rt = le->top >= 0 ? L->rank[le->top] : L->smax[le->topcl];
		int rb = le->bot >= 0 ? L->rank[le->bot] : L->smin[le->botcl];
		int ct = le->top >= 0 ? g->nodes[le->top].subgraph : le->topcl;
		int cb = le->bot >= 0 ? g->nodes[le->bot].subgraph : le->botcl;
		if (le->topcl >= 0) ct = g->subgraphs[le->topcl].parent;
		if (le->botcl >= 0) cb = g->subgraphs[le->botcl].parent;
		int midr = L->lay->edges[e].has_label && rb - rt >= 2 ? rt + (rb - rt) / 2 : -1;
		int prev = le->top >= 0 ? L->nodeitem[le->top] : -1;
		le->first_seg = L->nseg;
		for (int r = rt + 1; r <= rb; r++) {
			int cur;
			if (r == rb)
				cur = le->bot >= 0 ? L->nodeitem[le->bot] : -1;
			else {
				int kind = r == midr ? IT_LABEL : IT_DUMMY;
				cur = new_item(L, kind, r, dummy_cluster(L, ct, cb, r, rt, rb));
				struct item *t = &L->it[cur];
				t->le = (int)e;
				if (kind == IT_LABEL) {
					t->bw = L->horiz ? le->th : le->tw;
					t->depth = L->horiz ? le->tw : le->th;
					le->labitem = cur;
				} else {
					t->bw = 1;
					t->depth = 1;
				}
			}
			int s = new_seg(L, prev, cur, (int)e);
			if (prev < 0) L->seg[s].ucl = le->topcl;
			if (cur < 0) L->seg[s].vcl = le->botcl;
			L->seg[s].rank = r - 1;
			prev = cur;
		}
		le->nseg = L->nseg - le->first_seg;
	}
	for (int s = 0; s < L->nseg; s++) {
		if (L->seg[s].u >= 0) iv_push(&L->it[L->seg[s].u].down, s);
		if (L->seg[s].v >= 0) iv_push(&L->it[L->seg[s].v].up, s);
	}
}

/* Node breadth (one port per edge on a side), and the items of each rank. */
static void finish_items(struct lctx *L)
{
	for (int i = 0; i < L->nit; i++) {
		struct item *t = &L->it[i];
		if (t->kind == IT_NODE) {
			int k = t->up.n > t->down.n ? t->up.n : t->down.n;
			if (t->bw < k + 2) t->bw = k + 2;
		}
		t->breadth = t->bw + t->extra;
		if (t->depth < 1 && t->kind != IT_BL && t->kind != IT_BR) t->depth = 1;
		iv_push(&L->rk[t->rank], i);
	}
}

void ml_prepare(struct lctx *L, const struct mm_graph *g, const struct mm_layout_opts *o,
                struct mm_layout *lay)
{
	L->g = g;
	L->lay = lay;
	L->horiz = lay->dir == MM_LR || lay->dir == MM_RL;
	size_t ns = g->nsubgraphs;
	cluster_tree(L);
	prepare_labels(L, o);
	int maxr = rank_nodes(L);
	if (maxr < 0) return;
	subgraph_spans(L);
	edge_ends(L);
	long items = count_items(L);
	if (items > L->max_items) {
		too_large(L, "the layered drawing would have %ld points (nodes, bends of long edges, "
		          "subgraph sides), more than %ld", items, L->max_items);
		return;
	}
	L->nrank = maxr + 1;
	L->rk = ml_alloc((size_t)L->nrank, sizeof(struct ivec));
	node_items(L);
	border_items(L);
	edge_items(L);
	finish_items(L);
	L->icnt = ml_alloc(ns + 2, sizeof(int));
	L->ista = ml_alloc(ns + 2, sizeof(int));
	L->bcnt = ml_alloc(ns + 2, sizeof(int));
	L->bsta = ml_alloc(ns + 2, sizeof(int));
	L->lstamp = ml_alloc(ns + 2, sizeof(int));
	order_items(L);
	assign_q(L);
}
