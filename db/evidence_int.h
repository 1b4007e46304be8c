/* evidence_int.h — the term scanner shared by db/evidence.c (index and
 * matching) and the unit tests. Nothing outside db/ includes this. */
#ifndef PRECIS_EVIDENCE_INT_H
#define PRECIS_EVIDENCE_INT_H

#include <stddef.h>
#include <stdint.h>

/* What the scanner sees, in text order (numbers may come after the
 * characters they are written with, and overlap them). */
enum ev_atom_kind {
	EA_CJK,        /* one Han/kana/Hangul character, folded to simplified */
	EA_WORD,       /* a run of letters, casefolded and accent-free */
	EA_NUM,        /* a number: canonical digits, with its unit if any */
};

struct ev_atom {
	enum ev_atom_kind kind;
	uint32_t cp;           /* EA_CJK: the folded code point */
	const char *s;         /* EA_WORD: folded letters; EA_NUM: digits */
	int n;
	const char *unit;      /* EA_NUM: "%", "k", "亿", … or "" */
	int joined;            /* EA_CJK: follows a CJK character directly;
	                          EA_WORD: follows a word after exactly one space;
	                          EA_NUM: 1 written onto a word ("Grok4": part of
	                          a name), 2 after a number and one space ("202 5") */
	size_t start, end;     /* bytes in the scanned text */
};

typedef void (*ev_atom_fn)(void *ctx, const struct ev_atom *a);

/* Scans s[0..n) into atoms. Strings in atoms live until the callback
 * returns. */
void ev_scan(const char *s, size_t n, ev_atom_fn fn, void *ctx);

/* 1 for the common Chinese characters (Unihan kFrequency 1–2), given in
 * simplified form. */
int ev_zh_common(uint32_t c);

#endif
