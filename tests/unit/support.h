/* support.h — helpers shared by the unit tests (linked into every one).
 * Include after <cmocka.h>. */
#ifndef PRECIS_TESTS_SUPPORT_H
#define PRECIS_TESTS_SUPPORT_H

#include <stddef.h>
#include <stdint.h>

/* The malloc'd, NUL-terminated bytes of a file and their count in *len;
 * NULL when it cannot be opened. */
char *t_read(const char *path, size_t *len);

/* Like t_read, but a missing file fails the running test. */
char *t_slurp(const char *path, size_t *len);

/* The shared corpus (real transcripts and Mermaid diagrams kept beside
 * the repository): $SHARED, else ../shared (tests run with cwd = repo
 * root, tests/run.sh exports SHARED). */
const char *t_shared(void);

/* 1 when the corpus directory exists. */
int t_have_corpus(void);

/* The path of rel inside the corpus (a static buffer, overwritten by the
 * next call). When there is no corpus, the running test is skipped
 * instead (cmocka's skip(): call it before allocating anything) and
 * counted; at exit the program prints one TAP comment
 * "# corpus not found at DIR: N checks skipped". */
const char *t_corpus(const char *rel);

/* 1 when s (may be NULL) begins with prefix. */
int t_starts_with(const char *s, const char *prefix);

/* A hostile string from *seed (advanced): escape sequences, C0/C1
 * controls, DEL, bidi controls, separators, invalid UTF-8, newlines and
 * text mixed. Written NUL-terminated into buf (cap bytes); returns its
 * length. */
size_t t_hostile(unsigned *seed, char *buf, size_t cap);

/* Offset of the first byte of s[0..n) that must not reach a terminal: a
 * C0 control not in allowed (e.g. "\n\t"; NUL never), DEL, invalid
 * UTF-8, a C1 control, a bidi control (U+061C, U+200E, U+200F,
 * U+202A–U+202E, U+2066–U+2069), U+2028, U+2029 or U+FEFF; -1 when none. */
long t_unsafe_at(const char *s, size_t n, const char *allowed);

#endif
