/* llm_conf.c — [llm] settings, environment and flags into a struct
 * llm_config (tui/llm_conf.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "tui/config.h"
#include "tui/llm_conf.h"

/* The prompts directory: $XDG_CONFIG_HOME/precis/prompts (else
 * ~/.config/precis/prompts) into buf; "" when neither is set. */
static const char *llm_prompts_dir(char *buf, size_t n)
{
	const char *x = getenv("XDG_CONFIG_HOME");
	const char *h = getenv("HOME");
	if (x && *x)
		snprintf(buf, n, "%s/precis/prompts", x);
	else if (h && *h)
		snprintf(buf, n, "%s/.config/precis/prompts", h);
	else if (n)
		buf[0] = 0;
	return buf;
}

static const char *const maxtok_names[] = { "max_tokens", "max_completion_tokens", "none", NULL };

/* Reads the keys of one section into out (a key absent keeps out's
 * value). Every key of the section is marked used when read. */
static void read_section(struct cfg *c, const char *sec, struct llm_config *out, int *key_in_file)
{
	const char *v;
	if ((v = cfg_get(c, sec, "base_url")))
		snprintf(out->base_url, sizeof out->base_url, "%s", v);
	if ((v = cfg_get(c, sec, "model")))
		snprintf(out->model, sizeof out->model, "%s", v);
	if ((v = cfg_get(c, sec, "api_key")) && *v) {
		snprintf(out->api_key, sizeof out->api_key, "%s", v);
		snprintf(out->key_source, sizeof out->key_source, "the config file");
		*key_in_file = 1;
	}
	if ((v = cfg_get(c, sec, "api_key_env")) && *v) {
		const char *k = getenv(v);
		if (k && *k && !out->api_key[0]) {
			snprintf(out->api_key, sizeof out->api_key, "%s", k);
			snprintf(out->key_source, sizeof out->key_source, "$%.60s", v);
		}
	}
	if ((v = cfg_get(c, sec, "prompt")))
		snprintf(out->prompt, sizeof out->prompt, "%s", v);
	out->context = cfg_get_int(c, sec, "context", out->context, 512, 100000000);
	out->max_output = cfg_get_int(c, sec, "max_output", out->max_output, 64, 10000000);
	out->chunk_tokens = cfg_get_int(c, sec, "chunk_tokens", out->chunk_tokens, 200, 10000000);
	out->overlap_tokens = cfg_get_int(c, sec, "overlap_tokens", out->overlap_tokens, 0, 100000);
	out->parallel = (int)cfg_get_int(c, sec, "parallel", out->parallel, 1, 64);
	out->connect_timeout_s = cfg_get_int(c, sec, "connect_timeout", out->connect_timeout_s, 1, 3600);
	out->idle_timeout_s = cfg_get_int(c, sec, "idle_timeout", out->idle_timeout_s, 1, 86400);
	out->retries = (int)cfg_get_int(c, sec, "retries", out->retries, 0, 100);
	out->retry_base_s = cfg_get_double(c, sec, "retry_base", out->retry_base_s, 0, 3600);
	out->retry_max_s = cfg_get_int(c, sec, "retry_max", out->retry_max_s, 0, 86400);
	out->stream = cfg_get_bool(c, sec, "stream", out->stream);
	out->stream_usage = cfg_get_bool(c, sec, "stream_usage", out->stream_usage);
	out->max_param = (enum chat_maxtok)cfg_get_enum(c, sec, "max_tokens_param", maxtok_names,
	                                                (int)out->max_param);
	const struct cfg_entry *te = cfg_entry(c, sec, "temperature");
	if (te) {
		if (!strcasecmp(te->value, "default") || !strcasecmp(te->value, "omit") || !*te->value) {
			out->send_temperature = 0;
		} else {
			out->temperature = cfg_get_double(c, sec, "temperature", out->temperature, 0, 2);
			out->send_temperature = 1;
		}
	}
	if ((v = cfg_get(c, sec, "extra_body")))
		snprintf(out->extra_body, sizeof out->extra_body, "%s", v);
	/* header = Name: value, repeatable */
	const struct cfg_entry **es;
	size_t n = cfg_section(c, sec, &es);
	for (size_t i = 0; i < n; i++) {
		if (strcasecmp(es[i]->key, "header") != 0)
			continue;
		int hr = llm_config_header(out, es[i]->value);
		if (hr == -1)
			cfg_warn(c, es[i], "header wants 'Name: value' (at most %d headers)", LLM_MAX_HEADERS);
	}
}

/* Marks the known keys of a section used and reports the others. */
static void check_section(struct cfg *c, const char *sec)
{
	static const char *const known[] = {
		"base_url", "model", "api_key", "api_key_env", "prompt", "context", "max_output",
		"chunk_tokens", "overlap_tokens", "parallel", "connect_timeout", "idle_timeout",
		"retries", "retry_base", "retry_max", "stream", "stream_usage", "max_tokens_param",
		"temperature", "extra_body", "header", NULL,
	};
	const struct cfg_entry **es;
	size_t n = cfg_section(c, sec, &es);
	for (size_t i = 0; i < n; i++) {
		int ok = 0;
		for (int k = 0; known[k] && !ok; k++)
			ok = !strcasecmp(es[i]->key, known[k]);
		if (!ok)
			cfg_warn(c, es[i], "unknown key '%s' in [%s] (ignored)", es[i]->key, sec);
	}
}

void llm_conf_load(struct cfg *c, const struct llm_flags *f, struct llm_config *out)
{
	llm_config_defaults(out);
	llm_prompts_dir(out->prompts_dir, sizeof out->prompts_dir);
	int key_in_file = 0;
	const char *v;
	if (c) {
		read_section(c, "llm", out, &key_in_file);
		check_section(c, "llm");
	}
	if ((v = getenv("PRECIS_API_BASE")) && *v)
		snprintf(out->base_url, sizeof out->base_url, "%s", v);
	if ((v = getenv("PRECIS_MODEL")) && *v)
		snprintf(out->model, sizeof out->model, "%s", v);
	if (f && f->api_base && *f->api_base)
		snprintf(out->base_url, sizeof out->base_url, "%s", f->api_base);
	if (f && f->model && *f->model)
		snprintf(out->model, sizeof out->model, "%s", f->model);
	/* [llm.MODEL] for the chosen model; every such section is checked */
	if (c) {
		const char **names;
		size_t n = cfg_section_names(c, "llm.", &names);
		for (size_t i = 0; i < n; i++) {
			struct llm_config scratch;
			int kf = 0;
			int mine = out->model[0] && !strcasecmp(names[i] + 4, out->model);
			if (mine) {
				read_section(c, names[i], out, &kf);
				key_in_file |= kf;
			} else {
				llm_config_defaults(&scratch);
				read_section(c, names[i], &scratch, &kf);
				key_in_file |= kf;
				llm_config_free(&scratch);
			}
			check_section(c, names[i]);
		}
		free(names);
	}
	if ((v = getenv("PRECIS_API_KEY")) && *v) {
		snprintf(out->api_key, sizeof out->api_key, "%s", v);
		snprintf(out->key_source, sizeof out->key_source, "$PRECIS_API_KEY");
	} else if (!out->api_key[0] && (v = getenv("OPENAI_API_KEY")) && *v) {
		snprintf(out->api_key, sizeof out->api_key, "%s", v);
		snprintf(out->key_source, sizeof out->key_source, "$OPENAI_API_KEY");
	}
	if (f && f->prompt && *f->prompt)
		snprintf(out->prompt, sizeof out->prompt, "%s", f->prompt);
	if (f && f->parallel > 0)
		out->parallel = f->parallel;
	if (f && f->context > 0)
		out->context = f->context;
	/* ".../v1/" and ".../v1" are the same base */
	size_t bl = strlen(out->base_url);
	while (bl > 0 && out->base_url[bl - 1] == '/')
		out->base_url[--bl] = 0;
	if (c && key_in_file && (cfg_mode(c) & 077))
		cfg_warn(c, NULL, "holds an API key and can be read by others (mode %04o): "
		         "chmod 600 %s", (unsigned)(cfg_mode(c) & 07777), cfg_path(c));
}

int llm_conf_ready(const struct llm_config *lc, char *msg, size_t n)
{
	if (!lc->base_url[0]) {
		snprintf(msg, n, "no LLM endpoint configured: set PRECIS_API_BASE and PRECIS_MODEL "
		         "(e.g. http://localhost:11434/v1 and qwen3:8b), or base_url and model under "
		         "[llm] in ~/.config/precis/config");
		return 0;
	}
	if (strncmp(lc->base_url, "http://", 7) && strncmp(lc->base_url, "https://", 8)) {
		snprintf(msg, n, "the LLM endpoint must be an http:// or https:// URL: set "
		         "PRECIS_API_BASE or [llm] base_url (e.g. https://api.openai.com/v1)");
		return 0;
	}
	if (!lc->model[0]) {
		snprintf(msg, n, "no model configured: set PRECIS_MODEL, [llm] model, or --model");
		return 0;
	}
	/* a CR LF in the key, the model or a header would add headers of
	 * its own to every request */
	if (llm_config_check(lc, msg, n) != 0)
		return 0;
	return 1;
}
