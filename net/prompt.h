/* prompt.h — prompt templates: what precis asks the model.
 *
 * A prompt is a set of named parts (system message, answer format, the
 * single-request summary, the map step's notes, the collapse and reduce
 * steps, the repair request) plus the checks its answers must pass. The
 * default is data/prompts/default.prompt, compiled into the binary; a file
 * PROMPTS_DIR/NAME.prompt adds a prompt NAME or replaces the default,
 * taking any part it leaves out from the default. Placeholders
 * ({{transcript}}, …) are replaced in one pass, so text that contains
 * braces is never expanded again.
 */
#ifndef PRECIS_NET_PROMPT_H
#define PRECIS_NET_PROMPT_H

#include <stddef.h>

enum prompt_part {
	PP_SYSTEM = 0, PP_FORMAT, PP_SUMMARY, PP_NOTES, PP_COLLAPSE, PP_REDUCE, PP_REPAIR,
	PP_N
};

#define PROMPT_MAX_SECTIONS 8

/* What an answer must hold ([check] part). */
struct prompt_check {
	char sections[PROMPT_MAX_SECTIONS][64];   /* names that must appear */
	int nsections;
	int mermaid;       /* 0 not wanted, 1 optional, 2 required */
	int title;         /* a "Title:" line is expected */
};

struct prompt {
	char name[64];
	char source[512];          /* "built-in" or the file's path */
	char *part[PP_N];
	struct prompt_check check;
	char fingerprint[17];      /* hex hash of all parts (cache key) */
};

/* 1 when name is usable as a prompt name (letters, digits, '-', '_', '.';
 * not starting with '.'; at most 63 bytes). */
int prompt_name_valid(const char *name);

/* Loads prompt name: dir/NAME.prompt when dir is not NULL and the file
 * exists, else the built-in one (only "default"). Returns 0, or -1 with a
 * one-line reason in err ("FILE:LINE: unknown section [sumary]", "no
 * prompt named X (…)"). */
int prompt_load(const char *dir, const char *name, struct prompt *p, char *err, size_t errlen);
void prompt_free(struct prompt *p);

struct prompt_vars {
	const char *transcript, *chunk, *notes, *answer, *problems;
	const char *title_hint, *language_hint;
	int part, parts;
};

/* The text of one part with its placeholders filled (malloc'd). Absent
 * values become "". */
char *prompt_render(const struct prompt *p, enum prompt_part which, const struct prompt_vars *v);

#endif
