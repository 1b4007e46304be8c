/* evidence.c — a transcript cut into passages and indexed, and each
 * claim of a summary matched against it (see db/evidence.h for what the
 * verdicts mean, docs/evidence.md for the measurements).
 *
 * The transcript is cut into blocks of about 60 characters at sentence,
 * clause and pause boundaries (fixed windows where there are none); a
 * passage is two neighbouring blocks, so passages overlap by half and a
 * window of three blocks is "one passage or two adjacent ones". Terms
 * (CJK unigrams and bigrams, Latin word stems, numbers, numbers with
 * units) get posting lists of the blocks they occur in.
 *
 * A claim is a list of units, each with a weight and the terms that find
 * it: a CJK character is found by either bigram it belongs to (half
 * credit by its unigram alone: bigrams across word boundaries in the
 * claim are never required), a word by its stem, a number by its value
 * with its unit (half credit without). A unit's weight is the idf of the
 * rarest term that finds it among this transcript's blocks (the largest
 * idf when nothing does), times 2 for numbers and 1.5 for Latin words in
 * Chinese text. Coverage — the found share of the claim's weight — is
 * computed for the whole transcript and for every window, with bit masks
 * of found units per block.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "db/evidence.h"
#include "render/alloc.h"
#include "db/evidence_int.h"

#define BLOCK_TARGET 60.0   /* size units (a CJK character is 1) */
#define BLOCK_MIN 30.0
#define BLOCK_MAX 100.0
#define MAX_UNITS 256
#define MASK_WORDS (MAX_UNITS / 64)
#define WINDOW 3            /* blocks in the verdict window */
#define MAX_CLAUSES 64

/* Verdict thresholds (docs/evidence.md). */
#define SUPPORT_COVER 0.55  /* weight found in the best window */
#define SUPPORT_DIST 0.70   /* distinctive weight found in the best window */
#define NONE_GLOBAL 0.45    /* weight found anywhere below this: none */
#define NONE_SPECIFIC 0.50  /* numbers found anywhere below this: none */
#define NONE_WINDOW 0.38    /* weight found in the best window below this … */
#define NONE_CLAUSES 0.50   /* … and in clauses found in a window of their own
                               below this: none */
#define CLAUSE_FOUND 0.50   /* a clause is found where this much of it is */

/* ---- terms ------------------------------------------------------------ */

struct term {
	uint32_t key;          /* offset of the key in the arena */
	uint32_t klen;
	uint32_t hash;
	uint32_t df;           /* blocks containing it */
	uint32_t post;         /* first posting in ix->post */
	uint32_t count;        /* occurrences while building; postings after */
};

struct occ {
	uint32_t term;
	uint32_t start, end;
};

struct block {
	size_t start, end;
	double start_s;
};

struct slot {
	uint32_t hash, term;
};

struct ev_index {
	const char *text;
	size_t len;
	char *arena;
	size_t alen, acap;
	struct term *terms;
	size_t nterms, capterms;
	struct slot *table;    /* open addressing: hash and term index + 1 (0 empty) */
	size_t tcap;
	struct occ *occ;
	size_t nocc, capocc;
	struct block *blocks;
	size_t nblocks;
	uint32_t *post;        /* block ids, per term contiguous */
	double idf0;           /* idf of a term found nowhere */
	struct ev_index *filter;   /* while building: only its terms are kept */
};

static uint32_t hash_bytes(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h ? h : 1;
}

static void table_grow(struct ev_index *ix)
{
	size_t cap = ix->tcap ? ix->tcap * 2 : 4096;
	struct slot *t = xcalloc(cap, sizeof *t);
	for (size_t i = 0; i < ix->nterms; i++) {
		size_t k = ix->terms[i].hash & (cap - 1);
		while (t[k].term)
			k = (k + 1) & (cap - 1);
		t[k] = (struct slot){ ix->terms[i].hash, (uint32_t)i + 1 };
	}
	free(ix->table);
	ix->table = t;
	ix->tcap = cap;
}

/* Index of the term with key s[0..n), or -1 (add: created when new). */
static long term_find(const struct ev_index *ix, const char *s, size_t n, uint32_t h)
{
	if (!ix->tcap)
		return -1;
	size_t k = h & (ix->tcap - 1);
	while (ix->table[k].term) {
		if (ix->table[k].hash == h) {
			const struct term *t = &ix->terms[ix->table[k].term - 1];
			if (t->klen == n && memcmp(ix->arena + t->key, s, n) == 0)
				return (long)ix->table[k].term - 1;
		}
		k = (k + 1) & (ix->tcap - 1);
	}
	return -1;
}

static uint32_t term_add(struct ev_index *ix, const char *s, size_t n, uint32_t h)
{
	long f = term_find(ix, s, n, h);
	if (f >= 0)
		return (uint32_t)f;
	if ((ix->nterms + 1) * 2 > ix->tcap)
		table_grow(ix);
	if (ix->nterms == ix->capterms) {
		ix->capterms = ix->capterms ? ix->capterms * 2 : 1024;
		ix->terms = xrealloc(ix->terms, ix->capterms * sizeof *ix->terms);
	}
	if (ix->alen + n > ix->acap) {
		ix->acap = (ix->alen + n) * 2 + 4096;
		ix->arena = xrealloc(ix->arena, ix->acap);
	}
	memcpy(ix->arena + ix->alen, s, n);
	struct term *t = &ix->terms[ix->nterms];
	*t = (struct term){ (uint32_t)ix->alen, (uint32_t)n, h, 0, 0, 0 };
	ix->alen += n;
	size_t k = h & (ix->tcap - 1);
	while (ix->table[k].term)
		k = (k + 1) & (ix->tcap - 1);
	ix->table[k] = (struct slot){ h, (uint32_t)ix->nterms + 1 };
	return (uint32_t)ix->nterms++;
}

/* ---- keys --------------------------------------------------------------- */

/* Key kinds: the first byte of every key. */
enum { K_UNI = 'c', K_BI = 'b', K_WORD = 'w', K_NUM = 'n', K_NUMU = 'u' };

static size_t put_cp(char *p, uint32_t c)
{
	if (c < 0x80) {
		p[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		p[0] = (char)(0xC0 | c >> 6);
		p[1] = (char)(0x80 | (c & 0x3F));
		return 2;
	}
	if (c < 0x10000) {
		p[0] = (char)(0xE0 | c >> 12);
		p[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		p[2] = (char)(0x80 | (c & 0x3F));
		return 3;
	}
	p[0] = (char)(0xF0 | c >> 18);
	p[1] = (char)(0x80 | ((c >> 12) & 0x3F));
	p[2] = (char)(0x80 | ((c >> 6) & 0x3F));
	p[3] = (char)(0x80 | (c & 0x3F));
	return 4;
}

static size_t key_uni(char *k, uint32_t c)
{
	k[0] = K_UNI;
	return 1 + put_cp(k + 1, c);
}

static size_t key_bi(char *k, uint32_t a, uint32_t b)
{
	k[0] = K_BI;
	size_t n = 1 + put_cp(k + 1, a);
	return n + put_cp(k + n, b);
}

/* Word key: ASCII words lose a plural s and are cut to 6 letters (a
 * crude stemmer that joins invest/invested/investment/investors). */
static size_t key_word(char *k, const char *w, size_t n)
{
	int ascii = 1;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)w[i] >= 0x80)
			ascii = 0;
	if (ascii) {
		if (n > 3 && w[n - 1] == 's' && w[n - 2] != 's')
			n--;
		if (n > 6)
			n = 6;
	}
	if (n > 120)
		n = 120;
	k[0] = K_WORD;
	memcpy(k + 1, w, n);
	return n + 1;
}

static size_t key_num(char *k, const char *d, size_t n, const char *unit)
{
	if (n > 40)
		n = 40;
	size_t u = unit ? strlen(unit) : 0;
	k[0] = u ? K_NUMU : K_NUM;
	memcpy(k + 1, d, n);
	memcpy(k + 1 + n, unit, u);
	return 1 + n + u;
}

/* ---- building the index --------------------------------------------- */

struct build {
	struct ev_index *ix;
	uint32_t prev_cp;       /* last CJK character and where it began */
	size_t prev_cp_start;
	int have_prev_cp;
	char prev_word[72];     /* last word, for joined pairs ("x ai") */
	size_t prev_word_len, prev_word_start;
	int have_prev_word;
	char prev_num[48];      /* last number, for split digits ("202 5") */
	size_t prev_num_len, prev_num_start;
	char letters[72];       /* a run of single letters ("h l e") */
	size_t nletters, letters_start;
};

static void add_occ(struct ev_index *ix, const char *key, size_t klen, size_t start, size_t end)
{
	uint32_t h = hash_bytes(key, klen);
	/* indexing for known claims: terms no claim has are not kept */
	if (ix->filter && term_find(ix->filter, key, klen, h) < 0)
		return;
	uint32_t t = term_add(ix, key, klen, h);
	if (ix->nocc == ix->capocc) {
		ix->capocc = ix->capocc ? ix->capocc * 2 : 8192;
		ix->occ = xrealloc(ix->occ, ix->capocc * sizeof *ix->occ);
	}
	ix->occ[ix->nocc++] = (struct occ){ t, (uint32_t)start, (uint32_t)end };
	ix->terms[t].count++;
}

static void on_atom(void *ctx, const struct ev_atom *a)
{
	struct build *b = ctx;
	char key[160];
	size_t k;
	switch (a->kind) {
	case EA_CJK:
		k = key_uni(key, a->cp);
		add_occ(b->ix, key, k, a->start, a->end);
		if (a->joined && b->have_prev_cp) {
			k = key_bi(key, b->prev_cp, a->cp);
			add_occ(b->ix, key, k, b->prev_cp_start, a->end);
		}
		b->prev_cp = a->cp;
		b->prev_cp_start = a->start;
		b->have_prev_cp = 1;
		b->have_prev_word = 0;
		b->nletters = 0;
		break;
	case EA_WORD:
		k = key_word(key, a->s, (size_t)a->n);
		add_occ(b->ix, key, k, a->start, a->end);
		/* two words read as one ("x ai", "space x", "star link"): only
		 * after a short word, whose stem the pair cannot share */
		if (a->joined && b->have_prev_word && b->prev_word_len <= 5) {
			char j[144];
			memcpy(j, b->prev_word, b->prev_word_len);
			memcpy(j + b->prev_word_len, a->s, (size_t)a->n);
			k = key_word(key, j, b->prev_word_len + (size_t)a->n);
			add_occ(b->ix, key, k, b->prev_word_start, a->end);
		}
		/* single letters spelled out: "h l e" is also "hle" */
		if (a->n == 1 && a->joined && b->nletters > 0 && b->nletters < 64) {
			b->letters[b->nletters++] = a->s[0];
			if (b->nletters >= 3) {
				k = key_word(key, b->letters, b->nletters);
				add_occ(b->ix, key, k, b->letters_start, a->end);
			}
		} else if (a->n == 1) {
			b->letters[0] = a->s[0];
			b->nletters = 1;
			b->letters_start = a->start;
		} else {
			b->nletters = 0;
		}
		if ((size_t)a->n < sizeof b->prev_word) {
			memcpy(b->prev_word, a->s, (size_t)a->n);
			b->prev_word_len = (size_t)a->n;
			b->prev_word_start = a->start;
			b->have_prev_word = 1;
		} else {
			b->have_prev_word = 0;
		}
		b->have_prev_cp = 0;
		break;
	case EA_NUM:
		k = key_num(key, a->s, (size_t)a->n, "");
		add_occ(b->ix, key, k, a->start, a->end);
		/* digits split by a space ("202 5年") are also read as one number */
		if (a->joined == 2 && b->prev_num_len + (size_t)a->n < sizeof b->prev_num) {
			char j[96];
			memcpy(j, b->prev_num, b->prev_num_len);
			memcpy(j + b->prev_num_len, a->s, (size_t)a->n);
			k = key_num(key, j, b->prev_num_len + (size_t)a->n, "");
			add_occ(b->ix, key, k, b->prev_num_start, a->end);
			if (a->unit[0]) {
				k = key_num(key, j, b->prev_num_len + (size_t)a->n, a->unit);
				add_occ(b->ix, key, k, b->prev_num_start, a->end);
			}
		}
		if ((size_t)a->n < sizeof b->prev_num) {
			memcpy(b->prev_num, a->s, (size_t)a->n);
			b->prev_num_len = (size_t)a->n;
			b->prev_num_start = a->start;
		}
		if (a->unit[0]) {
			k = key_num(key, a->s, (size_t)a->n, a->unit);
			add_occ(b->ix, key, k, a->start, a->end);
		}
		b->have_prev_word = 0;
		b->nletters = 0;
		/* a Chinese numeral sits inside a CJK run: keep the run going */
		break;
	}
}

static int is_cjk_cp(uint32_t c)
{
	return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
	       (c >= 0x3040 && c <= 0x30FF) || (c >= 0xAC00 && c <= 0xD7AF) ||
	       (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3134F);
}

static uint32_t cp_at(const char *s, size_t n, size_t *i)
{
	unsigned char c = (unsigned char)s[*i];
	if (c < 0x80) {
		(*i)++;
		return c;
	}
	int len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
	if (len == 1 || *i + (size_t)len > n) {
		(*i)++;
		return 0xFFFD;
	}
	uint32_t cp = c & (0x3F >> (len - 1));
	for (int j = 1; j < len; j++)
		cp = cp << 6 | ((unsigned char)s[*i + (size_t)j] & 0x3F);
	*i += (size_t)len;
	return cp;
}

static int is_space_cp(uint32_t c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == 0x3000 || c == 0xA0;
}

/* 2 for a sentence end, 1 for a clause end, 0 otherwise. */
static int boundary_kind(uint32_t c, const char *s, size_t n, size_t after)
{
	switch (c) {
	case 0x3002: case 0xFF01: case 0xFF1F: case '!': case '?': case ';':
	case 0xFF1B: case '\n': case 0x2026:
		return 2;
	case '.':
		return after >= n || s[after] == ' ' || s[after] == '\n' ? 2 : 0;
	case 0xFF0C: case ',': case 0x3001: case 0xFF1A: case ':':
		return 1;
	default:
		return 0;
	}
}

struct blocks {
	struct block *v;
	size_t n, cap;
};

static void push_block(struct blocks *b, const char *s, size_t start, size_t end)
{
	while (end > start && (s[end - 1] == ' ' || s[end - 1] == '\n' || s[end - 1] == '\t'))
		end--;
	if (end <= start)
		return;
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 256;
		b->v = xrealloc(b->v, b->cap * sizeof *b->v);
	}
	b->v[b->n++] = (struct block){ start, end, -1 };
}

/* Cuts s into blocks: clauses and pauses gathered to about BLOCK_TARGET
 * size units (a CJK character 1, other characters 0.5), a sentence end
 * closing a block past BLOCK_MIN, a cut at the last space (else anywhere)
 * past BLOCK_MAX. */
static void make_blocks(struct ev_index *ix)
{
	const char *s = ix->text;
	size_t n = ix->len;
	struct blocks b = { 0 };
	size_t i = 0, start = 0, last_space = 0;
	double units = 0, units_at_space = 0;
	uint32_t prev = 0;
	while (i < n) {
		size_t at = i;
		uint32_t c = cp_at(s, n, &i);
		if (units == 0 && (is_space_cp(c) || c == '\n')) {
			start = i;
			prev = c;
			continue;
		}
		int bk = boundary_kind(c, s, n, i);
		if (is_space_cp(c)) {
			/* a space next to CJK text is a pause of speech recognition */
			size_t j = i;
			uint32_t next = j < n ? cp_at(s, n, &j) : 0;
			if (is_cjk_cp(prev) || is_cjk_cp(next))
				bk = 1;
			last_space = at;
			units_at_space = units;
		} else if (c != '\n') {
			units += is_cjk_cp(c) ? 1.0 : 0.5;
		}
		prev = c;
		if ((bk && units >= BLOCK_TARGET) || (bk == 2 && units >= BLOCK_MIN)) {
			push_block(&b, s, start, i);
			start = i;
			units = 0;
			last_space = 0;
			continue;
		}
		if (units >= BLOCK_MAX) {
			if (last_space > start && units_at_space >= BLOCK_MIN) {
				push_block(&b, s, start, last_space);
				start = last_space + 1;
				units -= units_at_space;
			} else {
				push_block(&b, s, start, i);
				start = i;
				units = 0;
			}
			last_space = 0;
		}
	}
	if (start < n)
		push_block(&b, s, start, n);
	if (b.n == 0)
		push_block(&b, "x", 0, 1), b.v[0] = (struct block){ 0, n, -1 };
	ix->blocks = b.v;
	ix->nblocks = b.n;
}

/* Block holding byte p (the last starting at or before it). */
static uint32_t block_of(const struct ev_index *ix, size_t p)
{
	size_t lo = 0, hi = ix->nblocks;
	while (lo + 1 < hi) {
		size_t mid = (lo + hi) / 2;
		if (ix->blocks[mid].start <= p)
			lo = mid;
		else
			hi = mid;
	}
	return (uint32_t)lo;
}

static void set_times(struct ev_index *ix, const struct doc_para *p, size_t np)
{
	if (!p || np == 0)
		return;
	size_t k = 0;
	for (size_t i = 0; i < ix->nblocks; i++) {
		while (k + 1 < np && p[k + 1].offset <= ix->blocks[i].start)
			k++;
		if (p[k].offset <= ix->blocks[i].start)
			ix->blocks[i].start_s = p[k].start_s;
	}
}

/* Posting lists: for each term the sorted, distinct blocks it occurs in. */
static void make_postings(struct ev_index *ix)
{
	size_t total = 0;
	for (size_t t = 0; t < ix->nterms; t++) {
		ix->terms[t].post = (uint32_t)total;
		total += ix->terms[t].count;
		ix->terms[t].count = 0;
	}
	ix->post = xmalloc(total * sizeof *ix->post);
	/* occurrences come nearly in text order: walk the blocks along */
	size_t b = 0;
	for (size_t i = 0; i < ix->nocc; i++) {
		struct term *t = &ix->terms[ix->occ[i].term];
		size_t p = ix->occ[i].start;
		while (b + 1 < ix->nblocks && ix->blocks[b + 1].start <= p)
			b++;
		while (b > 0 && ix->blocks[b].start > p)
			b--;
		ix->post[t->post + t->count++] = (uint32_t)b;
	}
	for (size_t ti = 0; ti < ix->nterms; ti++) {
		struct term *t = &ix->terms[ti];
		uint32_t *p = ix->post + t->post;
		/* nearly sorted already: insertion sort, then drop repeats */
		for (uint32_t i = 1; i < t->count; i++) {
			uint32_t v = p[i], j = i;
			while (j > 0 && p[j - 1] > v) {
				p[j] = p[j - 1];
				j--;
			}
			p[j] = v;
		}
		uint32_t d = 0;
		for (uint32_t i = 0; i < t->count; i++)
			if (d == 0 || p[d - 1] != p[i])
				p[d++] = p[i];
		t->df = d;
	}
}

/* Scans text into ix (blocks already made): terms, occurrences, postings. */
static void index_text(struct ev_index *ix, const char *text, size_t len)
{
	struct build b;
	memset(&b, 0, sizeof b);
	b.ix = ix;
	table_grow(ix);
	ev_scan(text, len, on_atom, &b);
	make_postings(ix);
	double m = (double)ix->nblocks;
	ix->idf0 = log(1.0 + (m + 0.5) / 0.5);
}

struct ev_index *ev_index_new(const char *text, size_t len,
                              const struct doc_para *paras, size_t npara)
{
	return ev_index_new_for(text, len, paras, npara, NULL, 0);
}

struct ev_index *ev_index_new_for(const char *text, size_t len,
                                  const struct doc_para *paras, size_t npara,
                                  const struct ev_claim *claims, size_t nclaims)
{
	struct ev_index *ix = xcalloc(1, sizeof *ix);
	ix->text = text;
	ix->len = len;
	make_blocks(ix);
	set_times(ix, paras, npara);
	if (claims) {
		/* the terms the claims can ask for: the same scan over them */
		struct ev_index *f = xcalloc(1, sizeof *f);
		f->nblocks = 1;
		table_grow(f);
		struct build b;
		memset(&b, 0, sizeof b);
		b.ix = f;
		for (size_t i = 0; i < nclaims; i++) {
			if (!claims[i].text)
				continue;
			ev_scan(claims[i].text, strlen(claims[i].text), on_atom, &b);
			b.have_prev_cp = b.have_prev_word = 0;
			b.nletters = 0;
		}
		ix->filter = f;
	}
	index_text(ix, text, len);
	if (ix->filter) {
		ev_index_free(ix->filter);
		ix->filter = NULL;
	}
	return ix;
}

void ev_index_free(struct ev_index *ix)
{
	if (!ix)
		return;
	free(ix->arena);
	free(ix->terms);
	free(ix->table);
	free(ix->occ);
	free(ix->blocks);
	free(ix->post);
	free(ix);
}

size_t ev_index_passages(const struct ev_index *ix)
{
	return ix->nblocks > 1 ? ix->nblocks - 1 : ix->nblocks;
}

void ev_index_passage(const struct ev_index *ix, size_t i, size_t *off, size_t *len)
{
	size_t last = i + 1 < ix->nblocks ? i + 1 : i;
	*off = ix->blocks[i].start;
	*len = ix->blocks[last].end - ix->blocks[i].start;
}

/* ---- claims as weighted units --------------------------------------- */

enum ukind { U_CJK, U_WORD, U_NUM };

struct unit {
	enum ukind kind;
	long full[2];          /* terms that find it (-1: none / absent) */
	long half;             /* a term that finds it with half credit */
	double w;
	int distinctive;       /* a number, a name, a rare word */
	int specific;          /* a number stating a fact (not part of a name) */
	int common;            /* a common Chinese character */
	int clause;            /* which clause of the claim it is in */
};

struct claim {
	struct unit u[MAX_UNITS];
	int n;
	/* CJK characters in order, to pair into bigrams */
	uint32_t cps[MAX_UNITS];
	int joined[MAX_UNITS];
	size_t cp_at[MAX_UNITS];
	int ncp;
	/* clause ends (commas, colons, brackets, sentence ends) */
	size_t bounds[MAX_CLAUSES];
	int nbounds;
	int latin_letters;
	/* number keys seen, to drop repeats */
	long seen[MAX_UNITS];
	int nseen;
	const struct ev_index *ix;
};

static const char *const stopwords[] = {
	"a", "about", "after", "all", "also", "an", "and", "any", "are", "as", "at",
	"be", "been", "but", "by", "can", "could", "did", "do", "does", "for", "from",
	"had", "has", "have", "he", "her", "his", "how", "i", "if", "in", "into", "is",
	"it", "its", "more", "most", "much", "no", "not", "of", "on", "one", "only",
	"or", "other", "our", "out", "she", "so", "some", "such", "than", "that", "the",
	"their", "them", "then", "there", "these", "they", "this", "those", "to", "up",
	"very", "was", "we", "were", "what", "when", "which", "while", "who", "will",
	"with", "would", "you", "your",
};

static int is_stopword(const char *w, int n)
{
	size_t lo = 0, hi = sizeof stopwords / sizeof stopwords[0];
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strncmp(stopwords[mid], w, (size_t)n);
		if (c == 0 && stopwords[mid][n] != '\0')
			c = 1;
		if (c == 0)
			return 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

static long lookup(const struct ev_index *ix, const char *k, size_t n)
{
	return term_find(ix, k, n, hash_bytes(k, n));
}

static double idf_of(const struct ev_index *ix, long t)
{
	if (t < 0 || ix->terms[t].df == 0)
		return ix->idf0;
	double m = (double)ix->nblocks, df = ix->terms[t].df;
	return log(1.0 + (m - df + 0.5) / (df + 0.5));
}

static int seen_before(struct claim *c, long t)
{
	if (t < 0)
		return 0;
	for (int i = 0; i < c->nseen; i++)
		if (c->seen[i] == t)
			return 1;
	if (c->nseen < MAX_UNITS)
		c->seen[c->nseen++] = t;
	return 0;
}

/* Clause of the claim holding byte p. */
static int clause_of(const struct claim *c, size_t p)
{
	int k = 0;
	while (k < c->nbounds && c->bounds[k] <= p)
		k++;
	return k;
}

/* Records where the claim's clauses end: at commas, semicolons, colons,
 * brackets, dashes and sentence ends, Chinese or Latin. */
static void find_clauses(struct claim *c, const char *s, size_t n)
{
	static const char *const marks[] = {
		"\xEF\xBC\x8C", "\xEF\xBC\x9B", "\xEF\xBC\x9A", "\xE3\x80\x81",   /* ，；：、 */
		"\xEF\xBC\x88", "\xEF\xBC\x89", "\xE2\x80\x94", "\xE3\x80\x82",   /* （）—。 */
		"\xEF\xBC\x81", "\xEF\xBC\x9F",                                     /* ！？ */
	};
	for (size_t i = 0; i < n && c->nbounds < MAX_CLAUSES; i++) {
		unsigned char b = (unsigned char)s[i];
		if (b == ',' || b == ';' || b == ':' || b == '(' || b == ')' || b == '.' ||
		    b == '!' || b == '?') {
			c->bounds[c->nbounds++] = i + 1;
			continue;
		}
		if (b < 0xE0 || i + 3 > n)
			continue;
		for (size_t k = 0; k < sizeof marks / sizeof marks[0]; k++)
			if (memcmp(s + i, marks[k], 3) == 0) {
				c->bounds[c->nbounds++] = i + 3;
				break;
			}
	}
}

static void on_claim_atom(void *ctx, const struct ev_atom *a)
{
	struct claim *c = ctx;
	char key[160];
	size_t k;
	if (c->n >= MAX_UNITS)
		return;
	switch (a->kind) {
	case EA_CJK:
		if (c->ncp < MAX_UNITS) {
			c->cps[c->ncp] = a->cp;
			c->joined[c->ncp] = a->joined;
			c->cp_at[c->ncp] = a->start;
			c->ncp++;
		}
		break;
	case EA_WORD: {
		for (int i = 0; i < a->n; i++)
			if (((unsigned char)a->s[i] | 0x20) >= 'a' && ((unsigned char)a->s[i] | 0x20) <= 'z')
				c->latin_letters++;
		if (a->n < 2 || is_stopword(a->s, a->n))
			break;
		k = key_word(key, a->s, (size_t)a->n);
		long t = lookup(c->ix, key, k);
		if (t >= 0 && seen_before(c, t))
			break;
		struct unit *u = &c->u[c->n++];
		*u = (struct unit){ U_WORD, { t, -1 }, -1, idf_of(c->ix, t), 0, 0, 0, clause_of(c, a->start) };
		break;
	}
	case EA_NUM: {
		k = key_num(key, a->s, (size_t)a->n, "");
		long bare = lookup(c->ix, key, k);
		long with = -1;
		if (a->unit[0]) {
			k = key_num(key, a->s, (size_t)a->n, a->unit);
			with = lookup(c->ix, key, k);
		}
		long id = a->unit[0] ? with : bare;
		if (id >= 0 && seen_before(c, id))
			break;
		struct unit *u = &c->u[c->n++];
		/* a number written onto a name ("Grok4", "GPT5") is part of the
		 * name: distinctive, but no numeric fact */
		int fact = a->joined != 1;
		if (a->unit[0])
			*u = (struct unit){ U_NUM, { with, -1 }, bare, 2.0 * idf_of(c->ix, with), 1, fact, 0,
			                    clause_of(c, a->start) };
		else
			*u = (struct unit){ U_NUM, { bare, -1 }, -1, 2.0 * idf_of(c->ix, bare), 1, fact, 0,
			                    clause_of(c, a->start) };
		break;
	}
	}
}

/* Turns the claim's CJK characters into units. */
static void cjk_units(struct claim *c)
{
	const struct ev_index *ix = c->ix;
	char key[16];
	long prevbi = -1;
	for (int i = 0; i < c->ncp && c->n < MAX_UNITS; i++) {
		long left = c->joined[i] && i > 0 ? prevbi : -1;
		long right = -1;
		if (i + 1 < c->ncp && c->joined[i + 1]) {
			size_t k = key_bi(key, c->cps[i], c->cps[i + 1]);
			right = lookup(ix, key, k);
		}
		prevbi = right;
		size_t k = key_uni(key, c->cps[i]);
		long uni = lookup(ix, key, k);
		int is_common = ev_zh_common(c->cps[i]);
		/* a common character outside any bigram of the transcript (的 in
		 * a phrase the speaker worded otherwise) is evidence of nothing */
		if (left < 0 && right < 0 && is_common)
			continue;
		struct unit *u = &c->u[c->n];
		*u = (struct unit){ U_CJK, { left, right }, -1, 0, 0, 0, 0, clause_of(c, c->cp_at[i]) };
		if (left >= 0 || right >= 0) {
			double a = left >= 0 ? idf_of(ix, left) : 0;
			double b = right >= 0 ? idf_of(ix, right) : 0;
			u->w = a > b ? a : b;
		} else {
			u->half = uni;
			u->w = idf_of(ix, uni);
		}
		u->common = is_common;
		c->n++;
	}
}

static void claim_build(struct claim *c, const struct ev_index *ix, const char *s, size_t n)
{
	memset(c, 0, sizeof *c);
	c->ix = ix;
	find_clauses(c, s, n);
	ev_scan(s, n, on_claim_atom, c);
	cjk_units(c);
	/* Latin names inside Chinese text are what makes such a claim checkable */
	int cjk_text = c->ncp > c->latin_letters;
	/* rare: found in at most 2% of the blocks (at least 2) */
	double m = (double)ix->nblocks;
	double rare_df = m / 50 > 2 ? m / 50 : 2;
	double rare = log(1.0 + (m - rare_df + 0.5) / (rare_df + 0.5));
	for (int i = 0; i < c->n; i++) {
		struct unit *u = &c->u[i];
		if (u->kind == U_WORD && cjk_text) {
			u->w *= 1.5;
			u->distinctive = 1;
		}
		if (u->kind != U_NUM && u->w >= rare)
			u->distinctive = 1;
	}
}

/* ---- matching --------------------------------------------------------- */

struct mask {
	uint64_t full[MASK_WORDS], half[MASK_WORDS];
};

struct scratch {
	struct mask *m;        /* per block */
	uint32_t *touched;
	size_t ntouched;
	unsigned char *mark;   /* per block: in touched */
};

static void mark_block(struct scratch *s, uint32_t b)
{
	if (!s->mark[b]) {
		s->mark[b] = 1;
		s->touched[s->ntouched++] = b;
	}
}

static void add_postings(const struct ev_index *ix, struct scratch *s, long t, int unit, int half)
{
	if (t < 0)
		return;
	const struct term *tm = &ix->terms[t];
	const uint32_t *p = ix->post + tm->post;
	for (uint32_t i = 0; i < tm->df; i++) {
		mark_block(s, p[i]);
		uint64_t bit = (uint64_t)1 << (unit & 63);
		if (half)
			s->m[p[i]].half[unit >> 6] |= bit;
		else
			s->m[p[i]].full[unit >> 6] |= bit;
	}
}

/* Weight found in the union of masks: full credit, half for half-only;
 * *dist gets the distinctive part, *spec (may be NULL) the specific. */
static double covered(const struct claim *c, const struct mask *m, double *dist, double *spec)
{
	double w = 0, d = 0, sp = 0;
	for (int k = 0; k < MASK_WORDS; k++) {
		uint64_t full = m->full[k], half = m->half[k] & ~full;
		while (full | half) {
			uint64_t *set = full ? &full : &half;
			int b = __builtin_ctzll(*set);
			const struct unit *u = &c->u[k * 64 + b];
			double x = set == &full ? u->w : 0.5 * u->w;
			*set &= *set - 1;
			w += x;
			if (u->distinctive)
				d += x;
			/* a number counts as found only with its unit ("50 亿" is
			 * not found by a "50%") */
			if (u->specific && set == &full)
				sp += x;
		}
	}
	if (dist)
		*dist = d;
	if (spec)
		*spec = sp;
	return w;
}

/* Raises best[k] to the weight of clause k found in mask m, if more. */
static void clause_cover(const struct claim *c, const struct mask *m, double *best)
{
	double acc[MAX_CLAUSES + 1] = { 0 };
	for (int k = 0; k < MASK_WORDS; k++) {
		uint64_t full = m->full[k], half = m->half[k] & ~full;
		while (full | half) {
			uint64_t *set = full ? &full : &half;
			int b = __builtin_ctzll(*set);
			const struct unit *u = &c->u[k * 64 + b];
			acc[u->clause] += set == &full ? u->w : 0.5 * u->w;
			*set &= *set - 1;
		}
	}
	for (int k = 0; k <= MAX_CLAUSES; k++)
		if (acc[k] > best[k])
			best[k] = acc[k];
}

static void mask_or(struct mask *a, const struct mask *b)
{
	for (int k = 0; k < MASK_WORDS; k++) {
		a->full[k] |= b->full[k];
		a->half[k] |= b->half[k];
	}
}

struct cand {
	uint32_t p;
	double score;
};

static int cmp_cand(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;
	if (x->score != y->score)
		return x->score < y->score ? 1 : -1;
	return x->p < y->p ? -1 : x->p > y->p;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

static void match_claim(const struct ev_index *ix, const struct claim *c, struct ev_line *out)
{
	out->verdict = EV_NONE;
	out->score = 0;
	out->found = 0;
	out->npass = 0;
	double total = 0, dtotal = 0, stotal = 0;
	for (int i = 0; i < c->n; i++) {
		total += c->u[i].w;
		if (c->u[i].distinctive)
			dtotal += c->u[i].w;
		if (c->u[i].specific)
			stotal += c->u[i].w;
	}
	if (c->n == 0 || total <= 0)
		return;
	size_t m = ix->nblocks;
	struct scratch s;
	s.m = xcalloc(m, sizeof *s.m);
	s.touched = xmalloc(m * sizeof *s.touched);
	s.mark = xcalloc(m, 1);
	s.ntouched = 0;
	for (int i = 0; i < c->n; i++) {
		add_postings(ix, &s, c->u[i].full[0], i, 0);
		add_postings(ix, &s, c->u[i].full[1], i, 0);
		add_postings(ix, &s, c->u[i].half, i, 1);
	}
	/* found anywhere: the global mask */
	struct mask g;
	memset(&g, 0, sizeof g);
	for (size_t i = 0; i < s.ntouched; i++)
		mask_or(&g, &s.m[s.touched[i]]);
	double gd, gs, gw = covered(c, &g, &gd, &gs);
	double gcov = gw / total, gspec = stotal > 0 ? gs / stotal : 1.0;

	/* windows and passages starting at or just before a touched block */
	qsort(s.touched, s.ntouched, sizeof *s.touched, cmp_u32);
	size_t np = ev_index_passages(ix);
	struct cand *cand = xmalloc((s.ntouched * 2 + 1) * sizeof *cand);
	size_t ncand = 0;
	double best_win = 0, best_win_d = 0;
	/* each clause's own best window: a summary line that joins several
	 * places of the talk is found clause by clause */
	double clause_w[MAX_CLAUSES + 1] = { 0 }, clause_best[MAX_CLAUSES + 1] = { 0 };
	for (int i = 0; i < c->n; i++)
		clause_w[c->u[i].clause] += c->u[i].w;
	uint32_t last_start = UINT32_MAX;
	for (size_t t = 0; t < s.ntouched; t++) {
		uint32_t b = s.touched[t];
		for (uint32_t st = b >= WINDOW - 1 ? b - (WINDOW - 1) : 0; st <= b; st++) {
			if (last_start != UINT32_MAX && st <= last_start)
				continue;
			last_start = st;
			struct mask w;
			memset(&w, 0, sizeof w);
			for (uint32_t k = st; k < st + WINDOW && k < m; k++)
				mask_or(&w, &s.m[k]);
			double wd, ww = covered(c, &w, &wd, NULL);
			clause_cover(c, &w, clause_best);
			/* prefer the window with more of the distinctive weight */
			if (ww + wd > best_win + best_win_d) {
				best_win = ww;
				best_win_d = wd;
			}
			if (st < np) {
				struct mask p;
				memset(&p, 0, sizeof p);
				for (uint32_t k = st; k < st + 2 && k < m; k++)
					mask_or(&p, &s.m[k]);
				double pd, pw = covered(c, &p, &pd, NULL);
				if (pw > 0)
					cand[ncand++] = (struct cand){ st, (pw + pd) / (total + dtotal) };
			}
		}
	}
	/* the distinctive terms the transcript has, together in the window */
	double wcov = best_win / total, wdist = gd > 0 ? best_win_d / gd : 1.0;
	double clauses = 0;
	for (int k = 0; k <= MAX_CLAUSES; k++)
		if (clause_w[k] > 0 && clause_best[k] >= CLAUSE_FOUND * clause_w[k])
			clauses += clause_w[k];
	clauses /= total;
	/* only passages within half of the best are shown: sort those */
	double top = 0;
	for (size_t i = 0; i < ncand; i++)
		if (cand[i].score > top)
			top = cand[i].score;
	size_t keep = 0;
	for (size_t i = 0; i < ncand; i++)
		if (cand[i].score >= 0.5 * top)
			cand[keep++] = cand[i];
	ncand = keep;
	qsort(cand, ncand, sizeof *cand, cmp_cand);
	for (size_t i = 0; i < ncand && out->npass < EV_MAX_PASSAGES; i++) {
		if (cand[i].score < 0.5 * cand[0].score)
			break;
		int clash = 0;
		for (int j = 0; j < out->npass; j++) {
			size_t po = out->pass[j].off;
			uint32_t pb = block_of(ix, po);
			if (cand[i].p + 1 >= pb && cand[i].p <= pb + 1)
				clash = 1;
		}
		if (clash)
			continue;
		struct ev_passage *p = &out->pass[out->npass++];
		ev_index_passage(ix, cand[i].p, &p->off, &p->len);
		p->start_s = ix->blocks[cand[i].p].start_s;
		p->score = cand[i].score;
	}
	out->score = wcov;
	out->found = gcov;
	if (gcov < NONE_GLOBAL || (stotal > 0 && gspec < NONE_SPECIFIC) ||
	    (wcov < NONE_WINDOW && clauses < NONE_CLAUSES))
		out->verdict = EV_NONE;
	else if (wcov >= SUPPORT_COVER && wdist >= SUPPORT_DIST)
		out->verdict = EV_SUPPORTED;
	else
		out->verdict = EV_WEAK;
	free(cand);
	free(s.m);
	free(s.touched);
	free(s.mark);
}

void ev_match(const struct ev_index *ix, const char *claim, size_t len, struct ev_line *out)
{
	struct claim *c = xmalloc(sizeof *c);
	claim_build(c, ix, claim, len);
	match_claim(ix, c, out);
	free(c);
}

/* ---- highlighting ----------------------------------------------------- */

static int cmp_range(const void *a, const void *b)
{
	const struct ev_range *x = a, *y = b;
	return x->off < y->off ? -1 : x->off > y->off;
}

size_t ev_terms(const struct ev_index *ix, const char *claim, size_t clen,
                size_t off, size_t len, struct ev_range *out, size_t max)
{
	if (max == 0)
		return 0;
	struct claim *c = xmalloc(sizeof *c);
	claim_build(c, ix, claim, clen);
	long terms[3 * MAX_UNITS];
	size_t nt = 0;
	for (int i = 0; i < c->n; i++) {
		if (c->u[i].full[0] >= 0) terms[nt++] = c->u[i].full[0];
		if (c->u[i].full[1] >= 0) terms[nt++] = c->u[i].full[1];
		/* a lone common character (的, 在) is no match worth showing */
		if (c->u[i].half >= 0 && !c->u[i].common) terms[nt++] = c->u[i].half;
	}
	free(c);
	size_t n = 0, cap = 64;
	struct ev_range *r = xmalloc(cap * sizeof *r);
	for (size_t i = 0; i < ix->nocc; i++) {
		const struct occ *o = &ix->occ[i];
		if (o->start < off || o->end > off + len)
			continue;
		for (size_t k = 0; k < nt; k++) {
			if ((long)o->term == terms[k]) {
				if (n == cap)
					r = xrealloc(r, (cap *= 2) * sizeof *r);
				r[n++] = (struct ev_range){ o->start, o->end - o->start };
				break;
			}
		}
	}
	qsort(r, n, sizeof *r, cmp_range);
	size_t w = 0;
	for (size_t i = 0; i < n; i++) {
		if (w > 0 && r[i].off <= out[w - 1].off + out[w - 1].len) {
			size_t e = r[i].off + r[i].len;
			if (e > out[w - 1].off + out[w - 1].len)
				out[w - 1].len = e - out[w - 1].off;
			continue;
		}
		if (w == max)
			break;
		out[w++] = r[i];
	}
	free(r);
	return w;
}

/* ---- whole summaries ------------------------------------------------- */

const char *ev_verdict_name(enum ev_verdict v)
{
	switch (v) {
	case EV_SUPPORTED: return "supported";
	case EV_WEAK: return "weak";
	default: return "none";
	}
}

const char *ev_kind_name(enum ev_kind k)
{
	return k == EV_NODE ? "node" : "text";
}

int ev_compute(const char *body, size_t blen, const char *text, size_t tlen,
               const struct doc_para *paras, size_t npara, struct ev_result *out)
{
	memset(out, 0, sizeof *out);
	struct ev_claim *cl;
	size_t n;
	ev_claims(body, blen, &cl, &n);
	if (n == 0)
		return 0;
	struct ev_index *ix = ev_index_new_for(text, tlen, paras, npara, cl, n);
	out->lines = xcalloc(n, sizeof *out->lines);
	out->n = n;
	for (size_t i = 0; i < n; i++) {
		struct ev_line *l = &out->lines[i];
		l->line = cl[i].line;
		l->off = cl[i].off;
		l->kind = cl[i].kind;
		l->node_id = cl[i].node_id;
		l->text = cl[i].text;
		cl[i].node_id = cl[i].text = NULL;
		ev_match(ix, l->text, strlen(l->text), l);
		if (l->verdict == EV_SUPPORTED)
			out->supported++;
		else if (l->verdict == EV_WEAK)
			out->weak++;
		else
			out->unsupported++;
	}
	ev_claims_free(cl, n);
	ev_index_free(ix);
	return 0;
}

void ev_result_free(struct ev_result *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++) {
		free(r->lines[i].text);
		free(r->lines[i].node_id);
	}
	free(r->lines);
	memset(r, 0, sizeof *r);
}
