/* util.c — the leaf under the Mermaid layout, routing and drawing:
 * fail-fast allocation, a growable int vector, and the label text helpers
 * (grapheme clusters, wrapping). Calls nothing else in render/mermaid/.
 */
#include "render/mermaid/util.h"
#include "render/alloc.h"
#include "render/width.h"

#include <utf8proc.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* calloc / realloc of n elements through the one allocator family
 * (render/alloc.h): out of memory ends the process with one line. */
void *ml_alloc(size_t n, size_t size)
{
	return xcalloc(n ? n : 1, size ? size : 1);
}

void *ml_realloc(void *p, size_t n, size_t size)
{
	return xreallocarray(p, n ? n : 1, size ? size : 1);
}

/* Appends x to v, growing it. */
void iv_push(struct ivec *v, int x)
{
	if (v->n == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 8;
		v->v = ml_realloc(v->v, (size_t)v->cap, sizeof(int));
	}
	v->v[v->n++] = x;
}

/* Length in bytes of the grapheme cluster at s[0..len), its width in *w. */
size_t ml_cluster(const char *s, size_t len, int *w)
{
	int32_t c, prev;
	size_t i = rw_decode(s, len, &prev);
	utf8proc_int32_t state = 0;
	utf8proc_grapheme_break_stateful(0, prev, &state);
	while (i < len) {
		size_t n = rw_decode(s + i, len - i, &c);
		if (utf8proc_grapheme_break_stateful(prev, c, &state))
			break;
		prev = c;
		i += n;
	}
	*w = rw_width(s, i);
	return i;
}

/* A cleaned, wrapped copy of label: control characters shown as '?', tabs
 * as spaces, lines longer than maxw broken at the last space (or anywhere
 * for CJK / long words). Sets *tw (widest line) and *th (lines). */
char *ml_wrap(const char *label, int maxw, int *tw, int *th)
{
	size_t len = label ? strlen(label) : 0;
	char *out = ml_alloc(len * 4 + 2, 1);
	size_t o = 0, line_start = 0, last_space = (size_t)-1;
	int lw = 0, lw_at_space = 0, maxlw = 0, lines = 1;
	size_t i = 0;
	if (maxw < 4)
		maxw = 4;
	while (i < len) {
		int32_t c;
		rw_decode(label + i, len - i, &c);
		if (c == '\n') {
			if (lw > maxlw) maxlw = lw;
			out[o++] = '\n';
			line_start = o;
			last_space = (size_t)-1;
			lw = 0;
			lines++;
			i++;
			continue;
		}
		int w;
		size_t n;
		bool ctrl = c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) ||
		            c == 0xAD || (c >= 0x200E && c <= 0x200F) ||
		            (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) ||
		            c == 0xFEFF;
		if (ctrl) {
			n = rw_decode(label + i, len - i, &c);
			w = 1;
		} else {
			n = ml_cluster(label + i, len - i, &w);
		}
		if (lw + w > maxw && lw > 0) {
			if (last_space != (size_t)-1 && last_space > line_start) {
				/* break at the space: it becomes the newline */
				out[last_space] = '\n';
				line_start = last_space + 1;
				if (lw_at_space > maxlw) maxlw = lw_at_space;
				lw = lw - lw_at_space - 1;
			} else {
				if (lw > maxlw) maxlw = lw;
				out[o++] = '\n';
				line_start = o;
				lw = 0;
			}
			last_space = (size_t)-1;
			lines++;
			if (c == ' ' && lw == 0) {   /* no leading space */
				i += n;
				continue;
			}
		}
		if (ctrl) {
			out[o++] = c == '\t' ? ' ' : '?';
			if (c == '\t') { last_space = o - 1; lw_at_space = lw; }
		} else {
			if (c == ' ') {
				last_space = o;
				lw_at_space = lw;
			}
			int32_t c0;
			size_t n0 = rw_decode(label + i, len - i, &c0);
			if (c0 == 0xFFFD && n0 == 1) {
				memcpy(out + o, "\xEF\xBF\xBD", 3);
				o += 3;
			} else {
				memcpy(out + o, label + i, n);
				o += n;
			}
		}
		lw += w;
		i += n;
	}
	if (lw > maxlw) maxlw = lw;
	out[o] = 0;
	*tw = maxlw;
	*th = lines;
	return out;
}
