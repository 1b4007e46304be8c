/* answer.h — checks a model's summary before it is stored.
 *
 * Takes the title line off ("Title: …"), finds the required sections and
 * the Mermaid map, and parses the map with precis's own parser
 * (render/mermaid/mermaid.h): a map with parse errors or skipped lines is
 * a problem worth one repair request. Problems are listed in words the
 * model can act on (they go into the repair prompt) and a person can read.
 */
#ifndef PRECIS_NET_ANSWER_H
#define PRECIS_NET_ANSWER_H

#include "net/prompt.h"
#include "net/util.h"

struct answer {
	char *title;          /* the model's title, cleaned; NULL when none */
	char *body;           /* the summary without the title line (Markdown) */
	char *mermaid;        /* the map's source; NULL when none */
	struct buf problems; /* "- …" lines, for the repair prompt */
	int nproblems;
	int fatal;            /* cannot be stored as a good version */
	char reason[300];     /* the first fatal problem, one line */
	char warning[300];    /* the map's problems, one line ("" when none) */
};

/* Checks text against what prompt c asks for. Always fills *a (free with
 * answer_free). */
void answer_check(const char *text, const struct prompt_check *c, struct answer *a);
void answer_free(struct answer *a);

/* Where the summary starts in an answer text[0..n) (perhaps still
 * streaming): after a first line that is the title ("Title: …", "**Title:**
 * …", "标题：…") and the blank lines after it, else 0. *title and
 * *title_len (when title is not NULL) get the title's raw value, or NULL. */
size_t answer_body_start(const char *text, size_t n, const char **title, size_t *title_len);

#endif
