/* plan.h — token budgets of the requests of a summary (internal to net/).
 *
 * Every request must fit in 80 % of the configured context with room for
 * its answer: the summary's answer gets max_output (at most 40 % of the
 * context), a chunk's notes at most 20 %. */
#ifndef PRECIS_NET_PLAN_H
#define PRECIS_NET_PLAN_H

#include "net/llm.h"
#include "net/prompt.h"

struct plan_budget {
	long window;          /* 80 % of the context */
	long out;             /* answer tokens of the summary (max_tokens) */
	long notes_out;       /* answer tokens of notes and collapse steps */
	long summary_fixed;   /* tokens of the single-request prompt without the transcript */
	long notes_fixed, collapse_fixed, reduce_fixed;
	long chunk;           /* transcript tokens per chunk */
	long reduce_room;     /* notes tokens the reduce step can take */
	long collapse_room;   /* notes tokens one collapse request can take */
};

void plan_budget(const struct llm_config *c, const struct prompt *p, struct plan_budget *b);

#endif
