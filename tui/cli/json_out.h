/* json_out.h — --json output shared by the commands (jansson). Field
 * names are stable and documented in docs/archive.md. */
#ifndef PRECIS_TUI_JSON_OUT_H
#define PRECIS_TUI_JSON_OUT_H

#include <jansson.h>

struct ar_meta;
struct ar_summary;

/* A JSON string for s (null when s is NULL); always valid JSON. */
json_t *cli_jstr(const char *s);
/* An integer, or null when v < 0 (unknown). */
json_t *cli_jint_or_null(long long v);
/* Prints j (and releases it) to stdout with a final newline; returns the
 * exit status. */
int cli_put_json(json_t *j);
/* The metadata object of list --json / show --meta --json. */
json_t *cli_meta_json(const struct ar_meta *m);
/* One summary version (body and mermaid only when loaded). */
json_t *cli_summary_json(const struct ar_summary *s);

#endif
