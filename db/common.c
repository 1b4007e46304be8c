/* common.c — what an archive needs whatever its engine: names of states,
 * sorts, filters and origins and their parsing, freeing results, errors
 * and the clock (db/archive.h, db/engine.h). Calls nothing of the
 * engines. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/engine.h"

/* ---- errors and time ------------------------------------------------ */

void ar_now(char *buf, size_t n)
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int ar_fail(struct archive *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(a->err, sizeof a->err, fmt, ap);
	va_end(ap);
	return -1;
}

const char *ar_error(const struct archive *a) { return a->err; }
int ar_readonly(const struct archive *a) { return a->readonly; }

void ar_search_set_budget(struct archive *a, int64_t units)
{
	a->search_budget = units > 0 ? units : 0;
}

/* ---- names ---------------------------------------------------------- */

static const char *const state_names[] = {
	"any", "unsummarized", "summarized", "approved", "flagged", "unreviewed", "changed",
};
#define NSTATES ((int)(sizeof state_names / sizeof state_names[0]))
static const char *const review_names[] = { "unreviewed", "approved", "flagged", "changed" };
static const char *const origin_names[] = { "imported", "llm", "edited" };
static const char *const sort_names[] = { "date", "title", "duration", "imported", "unsupported" };
static const char *const filter_names[] = {
	"all", "unsummarized", "summarized", "unreviewed", "changed", "approved", "flagged",
};
static const char *const job_state_names[] = {
	"queued", "running", "done", "failed", "cancelled",
};

const char *ar_state_name(enum ar_state s)
{
	return (unsigned)s < (unsigned)NSTATES ? state_names[s] : "?";
}

const char *ar_review_name(enum ar_review r)
{
	return (unsigned)r < 4 ? review_names[r] : "?";
}

const char *ar_origin_name(enum ar_origin o)
{
	return (unsigned)o < 3 ? origin_names[o] : "?";
}

const char *ar_filter_name(enum ar_filter f)
{
	return (unsigned)f < AR_F_COUNT ? filter_names[f] : "?";
}

const char *ar_job_state_name(enum ar_job_state s)
{
	return (unsigned)s <= AR_JOB_CANCELLED ? job_state_names[s] : "?";
}

int ar_state_parse(const char *name, enum ar_state *out)
{
	for (int i = 1; i < NSTATES; i++)
		if (!strcmp(name, state_names[i])) {
			*out = (enum ar_state)i;
			return 0;
		}
	return -1;
}

enum ar_filter ar_state_filter(enum ar_state s)
{
	switch (s) {
	case AR_ST_UNSUMMARIZED: return AR_F_UNSUMMARIZED;
	case AR_ST_SUMMARIZED: return AR_F_SUMMARIZED;
	case AR_ST_UNREVIEWED: return AR_F_UNREVIEWED;
	case AR_ST_CHANGED: return AR_F_CHANGED;
	case AR_ST_APPROVED: return AR_F_APPROVED;
	case AR_ST_FLAGGED: return AR_F_FLAGGED;
	default: return AR_F_ALL;
	}
}

int ar_sort_parse(const char *name, enum ar_sort *out)
{
	for (int i = 0; i < (int)(sizeof sort_names / sizeof sort_names[0]); i++)
		if (!strcmp(name, sort_names[i])) {
			*out = (enum ar_sort)i;
			return 0;
		}
	return -1;
}

enum ar_review ar_review_from(const char *s)
{
	for (int i = 0; i < 4; i++)
		if (s && !strcmp(s, review_names[i]))
			return (enum ar_review)i;
	return AR_UNREVIEWED;
}

enum ar_origin ar_origin_from(const char *s)
{
	for (int i = 0; i < 3; i++)
		if (s && !strcmp(s, origin_names[i]))
			return (enum ar_origin)i;
	return AR_ORIGIN_IMPORTED;
}

enum ar_job_state ar_job_state_from(const char *s)
{
	for (int i = 0; i <= AR_JOB_CANCELLED; i++)
		if (s && !strcmp(s, job_state_names[i]))
			return (enum ar_job_state)i;
	return AR_JOB_FAILED;
}

enum ar_state ar_state_of(enum ar_review r, int64_t current_summary_id)
{
	return r == AR_FLAGGED ? AR_ST_FLAGGED
	     : r == AR_APPROVED ? AR_ST_APPROVED
	     : r == AR_CHANGED ? AR_ST_CHANGED
	     : current_summary_id ? AR_ST_SUMMARIZED : AR_ST_UNSUMMARIZED;
}

int64_t ar_counts_of(const struct ar_counts *c, enum ar_filter f)
{
	switch (f) {
	case AR_F_UNSUMMARIZED: return c->unsummarized;
	case AR_F_SUMMARIZED: return c->summarized;
	case AR_F_UNREVIEWED: return c->unreviewed;
	case AR_F_CHANGED: return c->changed;
	case AR_F_APPROVED: return c->approved;
	case AR_F_FLAGGED: return c->flagged;
	default: return c->total;
	}
}

/* ---- freeing results ------------------------------------------------- */

void ar_meta_free(struct ar_meta *m)
{
	if (!m)
		return;
	free(m->title); free(m->url); free(m->video_id); free(m->channel);
	free(m->recorded_at); free(m->language); free(m->format);
	free(m->source_path); free(m->content_hash); free(m->imported_at);
	free(m->updated_at); free(m->reviewed_at); free(m->review_reason); free(m->reviewer);
	free(m->title_source); free(m->original_title); free(m->llm_title);
	free(m->encoding);
	memset(m, 0, sizeof *m);
}

void ar_review_recs_free(struct ar_review_rec *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].reason);
		free(v[i].reviewer);
		free(v[i].created_at);
	}
	free(v);
}

void ar_metas_free(struct ar_meta *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ar_meta_free(&v[i]);
	free(v);
}

void ar_summary_free(struct ar_summary *s)
{
	if (!s)
		return;
	free(s->body); free(s->mermaid); free(s->model);
	free(s->prompt_name); free(s->created_at);
	free(s->title); free(s->warning);
	memset(s, 0, sizeof *s);
}

void ar_summaries_free(struct ar_summary *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ar_summary_free(&v[i]);
	free(v);
}

void ar_job_free(struct ar_job *j)
{
	if (!j)
		return;
	free(j->title); free(j->model); free(j->prompt_name); free(j->error);
	free(j->stage); free(j->owner); free(j->created_at); free(j->started_at);
	free(j->finished_at);
	memset(j, 0, sizeof *j);
}

void ar_jobs_free(struct ar_job *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ar_job_free(&v[i]);
	free(v);
}
