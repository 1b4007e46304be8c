/* search_int.h — the engine-neutral parts of search that the engines
 * share with db/search.c: the tokenizer (db/tokenizer.c), the parsed
 * query, and the ranking pass (BM25 and the best rows so far). Each
 * engine finds matches and counts phrase instances in its own index;
 * what is made of them is computed here, once, so that both engines
 * rank the same transcripts the same way. Nothing outside db/ includes
 * this. */
#ifndef PRECIS_SEARCH_INT_H
#define PRECIS_SEARCH_INT_H

#include <stddef.h>
#include <stdint.h>

/* ---- tokens (db/tokenizer.c) ------------------------------------------ */

/* Token callback: colocated != 0 means the token shares the position of
 * the previous one. Return non-zero to stop. */
typedef int (*tok_emit_fn)(void *ctx, int colocated, const char *tok,
                           int len, int start, int end);

/* Splits s[0..n) into search tokens: Latin/Cyrillic/… words casefolded
 * (accents removed) as whole tokens; CJK runs as overlapping bigrams, in
 * document mode with a unigram for every character (colocated with the
 * bigram that starts there), in query mode unigrams only for a run of one
 * character. Returns the first non-zero emit result, else 0. */
int tok_scan(const char *s, int n, int query_mode, tok_emit_fn emit, void *ctx);

/* ---- the parsed query (db/search.c) --------------------------------- */

#define SR_MAX_TERMS 32

struct sr_term {
	const char *s;   /* raw text in the query */
	int n;
	int neg;         /* -term */
	int prefix;      /* term*: its last token is a prefix */
	int or_next;     /* joined to the next term by OR */
};

/* A query's terms in the order typed. Its phrases — what the ranking
 * counts — are the positive terms in order, then the negative ones:
 * phrase i is term sr_phrase_term(q, i). Every term has at least one
 * token (tok_scan in query mode); a term's tokens are one phrase. */
struct sr_query {
	int nt;
	struct sr_term t[SR_MAX_TERMS];
};

/* Parses a user query (NULL: empty); returns the number of positive
 * terms (0: nothing to search for). */
int sr_parse(const char *query, struct sr_query *q);
/* The term of phrase i (0 ≤ i < q->nt). */
const struct sr_term *sr_phrase_term(const struct sr_query *q, int i);

/* ---- ranking (db/search.c) ------------------------------------------- */

/* Work units (db/search.c, "cost") a matching row costs besides its
 * phrase instances. */
#define SR_COST_ROW 16

struct sr_rank_ent {
	double r;      /* lower is better (negated BM25) */
	int64_t id;
	int hits;      /* phrase instances in the row */
};

/* One ranking pass: the engine hands every match of the query to it in
 * ascending id order; it counts the work, stops past `limit`, scores
 * the rows and keeps the best k of them (a heap whose root is the worst
 * kept), so that no engine sorts. */
struct sr_ranker {
	int64_t work, limit, rows;   /* limit ≤ 0: none */
	int over;                    /* stopped past limit */
	size_t k, n, cap;
	struct sr_rank_ent *e;
	int nphrase;                 /* 0 until sr_rank_begin */
	double *idf;                 /* per phrase */
	double *tf;                  /* nphrase × 3 scratch for the engine */
};

/* Before the first row: the query's phrase count, the archive's indexed
 * rows and each phrase's matching rows (for the IDF). Clears r->tf. */
void sr_rank_begin(struct sr_ranker *r, int nphrase, int64_t nrows, const int64_t *ndocs);
/* One matching row: r->tf[phrase * 3 + column] holds its phrase
 * instances per column (0 title, 1 text, 2 summary), ninst their sum.
 * Returns 0, or 1 when the pass is over its limit (stop; r->over set).
 * Clears r->tf for the next row. */
int sr_rank_row(struct sr_ranker *r, int64_t id, int ninst);

#endif
