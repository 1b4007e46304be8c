/* print.c — placeholder: the text layer replaces this with real layout. */
#include "render/print.h"

int rp_print(FILE *f, const char *text, size_t len, int width, int markdown, int color)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)text[i];
		if ((ch < 0x20 && ch != '\n') || ch == 0x7f)
			fprintf(f, "^%c", ch == 0x7f ? '?' : ch + '@');
		else
			fputc(ch, f);
	}
	if (len && text[len - 1] != '\n')
		fputc('\n', f);
	return ferror(f) ? -1 : 0;
}
