/* json_out.c — the --json output of every command (jansson): stable field
 * names, documented in docs/archive.md. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/archive.h"
#include "render/sanitize.h"
#include "tui/cli/cli.h"
#include "tui/cli/json_out.h"

/* A JSON string that is always valid: jansson refuses invalid UTF-8, so
 * such input (never expected from the archive) is cleaned first. */
json_t *cli_jstr(const char *s)
{
	if (!s)
		return json_null();
	json_t *j = json_string(s);
	if (j)
		return j;
	size_t len;
	char *clean = rs_clean_line(s, strlen(s), &len);
	j = json_stringn(clean, len);
	free(clean);
	return j ? j : json_string("");
}

json_t *cli_jint_or_null(long long v)
{
	return v < 0 ? json_null() : json_integer(v);
}

/* Prints JSON to stdout with a final newline; returns the exit status. */
int cli_put_json(json_t *j)
{
	int r = json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(j);
	fputc('\n', stdout);
	if (r != 0 || fflush(stdout) != 0)
		return cli_error("cannot write output");
	return 0;
}

json_t *cli_meta_json(const struct ar_meta *m)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(m->id));
	json_object_set_new(o, "title", cli_jstr(m->title));
	json_object_set_new(o, "url", cli_jstr(m->url));
	json_object_set_new(o, "video_id", cli_jstr(m->video_id));
	json_object_set_new(o, "channel", cli_jstr(m->channel));
	json_object_set_new(o, "recorded_at", cli_jstr(m->recorded_at));
	json_object_set_new(o, "duration_s", cli_jint_or_null(m->duration_s));
	json_object_set_new(o, "language", cli_jstr(m->language));
	json_object_set_new(o, "format", cli_jstr(m->format));
	json_object_set_new(o, "state", json_string(ar_state_name(m->state)));
	json_object_set_new(o, "review", json_string(ar_review_name(m->review)));
	json_object_set_new(o, "reviewed_at", cli_jstr(m->reviewed_at));
	json_object_set_new(o, "summary_versions", json_integer(m->summary_versions));
	json_object_set_new(o, "unsupported", cli_jint_or_null(m->unsupported));
	json_object_set_new(o, "text_bytes", json_integer(m->text_bytes));
	json_object_set_new(o, "paragraphs", json_integer(m->npara));
	json_object_set_new(o, "source_path", cli_jstr(m->source_path));
	json_object_set_new(o, "content_hash", cli_jstr(m->content_hash));
	json_object_set_new(o, "imported_at", cli_jstr(m->imported_at));
	json_object_set_new(o, "updated_at", cli_jstr(m->updated_at));
	return o;
}

json_t *cli_summary_json(const struct ar_summary *s)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(s->id));
	json_object_set_new(o, "transcript_id", json_integer(s->transcript_id));
	json_object_set_new(o, "version", json_integer(s->version));
	json_object_set_new(o, "current", json_boolean(s->is_current));
	json_object_set_new(o, "origin", json_string(ar_origin_name(s->origin)));
	json_object_set_new(o, "model", cli_jstr(s->model));
	json_object_set_new(o, "prompt_name", cli_jstr(s->prompt_name));
	json_object_set_new(o, "created_at", cli_jstr(s->created_at));
	json_object_set_new(o, "body_bytes", json_integer((json_int_t)s->body_len));
	json_object_set_new(o, "has_mermaid", json_boolean(s->has_mermaid || s->mermaid));
	if (s->body)
		json_object_set_new(o, "body", cli_jstr(s->body));
	if (s->body)
		json_object_set_new(o, "mermaid", cli_jstr(s->mermaid));
	return o;
}
