/* cmd_jobs.c — `precis jobs [--all] [--json] [--limit N]`: the LLM jobs
 * in the archive, newest first (queued, running with progress, done,
 * failed with the reason, cancelled; "interrupted" for a job whose process
 * is gone). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <jansson.h>

#include "db/archive.h"
#include "tui/cli/cli.h"
#include "tui/cli/options.h"
#include "tui/cli/json_out.h"

/* The state as shown: an orphaned queued/running job is "interrupted". */
static const char *shown_state(const struct ar_job *j)
{
	if (j->orphaned)
		return "interrupted";
	return ar_job_state_name(j->state);
}

int cmd_jobs(struct cli *c, int argc, char **argv)
{
	int json = 0, all = 0, ch;
	long limit = 20;
	while ((ch = cli_getopt(CMD_JOBS, argc, argv)) != -1) {
		switch (ch) {
		case OPT_JOBS_ALL: all = 1; break;
		case OPT_JOBS_JSON: json = 1; break;
		case OPT_JOBS_LIMIT:
			if ((limit = cli_parse_count(optarg)) < 0)
				return cli_usage_error("jobs", "--limit wants a number, not '%s'", optarg);
			break;
		default:
			return cli_opt_exit(CMD_JOBS, ch);
		}
	}
	if (optind < argc)
		return cli_usage_error("jobs", "unexpected argument '%s'", argv[optind]);
	struct archive *a;
	int r = cli_open_archive(c, 0, &a);
	if (r)
		return r;
	struct ar_job_query q = { .limit = all ? 0 : (int)limit };
	struct ar_job *v;
	size_t n;
	if (ar_jobs_list(a, &q, &v, &n) != 0) {
		r = cli_error("%s", ar_error(a));
		ar_close(a);
		return r;
	}
	ar_close(a);
	if (json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++) {
			const struct ar_job *j = &v[i];
			json_t *o = json_object();
			json_object_set_new(o, "id", json_integer(j->id));
			json_object_set_new(o, "transcript_id", json_integer(j->transcript_id));
			json_object_set_new(o, "title", cli_jstr(j->title));
			json_object_set_new(o, "state", json_string(ar_job_state_name(j->state)));
			json_object_set_new(o, "interrupted", json_boolean(j->orphaned));
			json_object_set_new(o, "model", cli_jstr(j->model));
			json_object_set_new(o, "prompt_name", cli_jstr(j->prompt_name));
			json_object_set_new(o, "stage", cli_jstr(j->stage));
			json_object_set_new(o, "chunks_done", json_integer(j->chunks_done));
			json_object_set_new(o, "chunks_total", json_integer(j->chunks_total));
			json_object_set_new(o, "tokens_in", json_integer(j->tokens_in));
			json_object_set_new(o, "tokens_out", json_integer(j->tokens_out));
			json_object_set_new(o, "attempts", json_integer(j->attempts));
			json_object_set_new(o, "error", cli_jstr(j->error));
			json_object_set_new(o, "summary_id", j->summary_id ? json_integer(j->summary_id) : json_null());
			json_object_set_new(o, "batch_id", j->batch_id ? json_integer(j->batch_id) : json_null());
			json_object_set_new(o, "created_at", cli_jstr(j->created_at));
			json_object_set_new(o, "started_at", cli_jstr(j->started_at));
			json_object_set_new(o, "finished_at", cli_jstr(j->finished_at));
			json_array_append_new(arr, o);
		}
		ar_jobs_free(v, n);
		return cli_put_json(arr);
	}
	int cols = c->out_tty ? cli_term_width(STDOUT_FILENO) : 0;
	for (size_t i = 0; i < n; i++) {
		const struct ar_job *j = &v[i];
		char prog[64] = "";
		if (j->state == AR_JOB_RUNNING && !j->orphaned && j->chunks_total > 1)
			snprintf(prog, sizeof prog, " %d/%d", j->chunks_done, j->chunks_total);
		int used = printf("%5lld  #%-5lld %-11s%-8s ", (long long)j->id,
		                  (long long)j->transcript_id, shown_state(j), prog);
		const char *detail = j->state == AR_JOB_FAILED || j->orphaned ? j->error
		                   : j->state == AR_JOB_RUNNING ? j->stage : NULL;
		struct { const char *s; int max; } parts[] = {
			{ j->model, 24 }, { detail ? detail : j->title, 0 },
		};
		for (int k = 0; k < 2; k++) {
			if (!parts[k].s)
				continue;
			int room = cols > 0 ? cols - used - 2 : 0;
			int max = parts[k].max;
			if (room > 0 && (max == 0 || max > room))
				max = room > 8 ? room : 8;
			cli_put_field(stdout, parts[k].s, max);
			used += (max > 0 ? max : 0) + 2;
			fputs("  ", stdout);
		}
		fputc('\n', stdout);
	}
	if (n == 0 && c->out_tty)
		fprintf(stderr, "precis: no jobs yet ('precis summarize ID' makes one)\n");
	ar_jobs_free(v, n);
	return fflush(stdout) == 0 ? 0 : cli_error("cannot write output");
}
