/* extern.h — what the reader hands to the outside world: the clipboard
 * (OSC 52 or a configured command), URLs (xdg-open and OSC 8 links) and
 * the user's editor. Every byte written to the terminal here is built by
 * precis (base64, percent-encoded URLs), never copied from a transcript. */
#ifndef PRECIS_TUI_APP_EXTERN_H
#define PRECIS_TUI_APP_EXTERN_H

#include <stddef.h>

/* Largest text copied with OSC 52 (terminals drop longer ones). */
#define COPY_MAX (74 * 1024)

/* Copies what a reader sees of text[0..len) to the clipboard (printable
 * characters, tabs and newlines: rs_clean_copy); the result, with what
 * was left out, is on the status line. */
void ext_copy(const char *text, size_t len);

/* A printable-ASCII copy of url (other bytes percent-encoded), with t=
 * set to at_s seconds when it is a YouTube URL and at_s ≥ 0. malloc'd. */
char *ext_url_at(const char *url, long at_s);

/* Opens url with xdg-open when there is a local display (http/https
 * only) and shows it as an OSC 8 hyperlink on the status line. */
void ext_open_url(const char *url);

/* Largest summary an edit may save: a summary is a few pages (4,096
 * tokens of answer are about 16 KB), so this leaves room for any real
 * edit and refuses an editor or paste gone wrong before it is read. */
#define EDIT_MAX (1024 * 1024)

/* Runs $VISUAL/$EDITOR (else vi) on a copy of text; *out gets the edited
 * text (malloc'd). Returns 0, or -1 with a message shown (an edited text
 * larger than EDIT_MAX is refused unread). */
int ext_edit(const char *text, size_t len, char **out, size_t *outlen);

#endif
