/* fuzz_evidence.c — libFuzzer target for the evidence engine (db/evidence.h).
 *
 * The input is split at its first NUL byte (or its middle when there is
 * none) into a summary body and a transcript. Checks the engine's
 * promises on any bytes: claims lie inside the body with lines ≥ 1,
 * passages lie inside the transcript with scores in [0, 1], counts add up,
 * highlight ranges are sorted, disjoint and inside the passage. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "db/evidence.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	const char *nul = memchr(s, 0, size);
	size_t blen = nul ? (size_t)(nul - s) : size / 2;
	const char *text = s + blen + (nul ? 1 : 0);
	size_t tlen = size - (size_t)(text - s);
	struct doc_para p[2] = { { 0, 0.0 }, { tlen / 2, 30.0 } };
	struct ev_result r;
	if (ev_compute(s, blen, text, tlen, p, 2, &r) != 0)
		abort();
	if ((size_t)(r.supported + r.weak + r.unsupported) != r.n)
		abort();
	struct ev_index *ix = ev_index_new(text, tlen, p, 2);
	for (size_t i = 0; i < r.n; i++) {
		const struct ev_line *l = &r.lines[i];
		if (l->line < 1 || l->off > blen || !l->text)
			abort();
		if (l->score < 0 || l->score > 1.0001 || l->npass < 0 || l->npass > EV_MAX_PASSAGES)
			abort();
		for (int k = 0; k < l->npass; k++) {
			const struct ev_passage *q = &l->pass[k];
			if (q->off > tlen || q->len > tlen - q->off || q->score < 0 || q->score > 1.0001)
				abort();
			struct ev_range rg[16];
			size_t n = ev_terms(ix, l->text, strlen(l->text), q->off, q->len, rg, 16);
			for (size_t j = 0; j < n; j++) {
				if (rg[j].off < q->off || rg[j].off + rg[j].len > q->off + q->len)
					abort();
				if (j > 0 && rg[j].off < rg[j - 1].off + rg[j - 1].len)
					abort();
			}
		}
	}
	ev_index_free(ix);
	ev_result_free(&r);
	return 0;
}
