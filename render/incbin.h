/* incbin.h — a file's bytes compiled into the binary (the sample records,
 * the default prompt), so precis needs no data file beside it at run time.
 *
 * INCBIN(sym, "path") at file scope defines sym[] (the bytes, followed by
 * a NUL) and sym_end[] (just past the bytes) in read-only data; the path
 * is relative to the directory make runs in (the top of the tree). A
 * build helper shared by the layers, so it lives in the lowest one. */
#ifndef PRECIS_RENDER_INCBIN_H
#define PRECIS_RENDER_INCBIN_H

#define INCBIN(sym, file)                                              \
	__asm__(".section .rodata\n"                                   \
	        ".balign 16\n"                                         \
	        #sym ":\n"                                             \
	        ".incbin \"" file "\"\n"                               \
	        #sym "_end:\n"                                         \
	        ".byte 0\n"                                            \
	        ".previous\n");                                        \
	extern const char sym[], sym##_end[]

#endif
