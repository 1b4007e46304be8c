/* mm_truth.h — helpers for comparing precis's Mermaid parse with the
 * official parser's (tests/unit/mm_truth.c, linked into every unit test). */
#ifndef PRECIS_TESTS_MM_TRUTH_H
#define PRECIS_TESTS_MM_TRUTH_H

#include "render/mermaid/mermaid.h"

/* The official parser keeps labels as written (<br/>, its entity
 * placeholders, raw indented newlines, Markdown markers); precis shows the
 * text. Brings either to one form (malloc'd): line breaks '\n', entities
 * decoded, lines trimmed, blank first/last lines dropped, Markdown
 * emphasis markers removed. */
char *mmt_norm_label(const char *s);

/* Heads and stroke of an official edge ("arrow_point", "double_arrow_circle",
 * "arrow_open"…; "normal", "thick", "dotted", "invisible"). */
void mmt_heads(const char *type, enum mm_head *hf, enum mm_head *ht);
enum mm_stroke mmt_stroke(const char *s);

#endif
