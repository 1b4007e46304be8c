/* util.h — leaf helpers of the Mermaid layout pipeline (render/mermaid/):
 * allocation that never returns NULL, an int vector, label text (clusters,
 * wrapping) and the "infinity" of integer cell coordinates. Used by
 * layout.c, route.c, draw.c and outline.c; depends on nothing above it.
 * Not a public interface.
 */
#ifndef PRECIS_RENDER_MERMAID_UTIL_H
#define PRECIS_RENDER_MERMAID_UTIL_H

#include <stddef.h>

/* Larger than any coordinate, rank or distance a layout can reach, and
 * small enough that INF + INF still fits in an int. */
#define ML_INF (1 << 29)

struct ivec { int *v; int n, cap; };

/* calloc / realloc of n elements; out of memory ends the process. */
void *ml_alloc(size_t n, size_t size);
void *ml_realloc(void *p, size_t n, size_t size);
void iv_push(struct ivec *v, int x);

/* Bytes of the grapheme cluster at s[0..len); its width in *w. */
size_t ml_cluster(const char *s, size_t len, int *w);
/* A cleaned copy of label wrapped at maxw cells ('\n' between lines);
 * widest line in *tw, number of lines in *th. Malloc'd. */
char *ml_wrap(const char *label, int maxw, int *tw, int *th);

#endif
